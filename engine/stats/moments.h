// Mean, standard deviation, min and max of a stream of doubles, mergeable so that the
// result is bit-identical however the observations were grouped (threads, MPI ranks,
// shards) and in whatever order the groups were merged.
//
// The state is the count, min, max and the EXACT sums S1 = sum x and S2 = sum x^2
// (ExactSum: every term added without rounding), so it is a function of the multiset of
// observations alone; merge is exact addition, hence associative and commutative, and
// serialize gives equal bytes for equal multisets.
//
// Why not Welford? Welford's update exists to avoid the cancellation of the textbook
// S2 - S1^2/n. Here nothing cancels because nothing is rounded: n S2 - S1^2, which is n
// times the sum of squared deviations from the exact mean, is formed exactly and rounded
// once, so the variance is as accurate as a double allows and, unlike Welford with
// pairwise merges (whose rounding depends on the merge tree), independent of grouping.
// (Deviations from the exact mean rather than from the rounded mean m: the latter adds
// n (mean - m)^2, which is not negligible for data with a large offset and a tiny spread,
// e.g. 1e9 plus noise of 1e-6.) The price is about 2.4 KB of state per summary.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "stats/exact_sum.h"

namespace geosim::stats {

class ExactMoments {
 public:
  // Observations must be finite: a non-finite outcome is caught (as a RunError) before it
  // reaches the statistics, so one here is a bug and asserts.
  void add(double x);
  void add(const double* x, size_t n);
  void merge(const ExactMoments& other);

  int64_t count() const { return count_; }
  // The double nearest to the exact mean (ties to even). NaN when empty.
  double mean() const;
  // Sample standard deviation (divisor n - 1): sqrt(round(n S2 - S1^2) / (n (n - 1))),
  // with the bracket exact. 0 when n < 2.
  double sd() const;
  // Exact sum of the observations, rounded once (+-inf if it exceeds the double range).
  double sum() const { return s1_.to_double(); }
  // Smallest and largest observation; NaN when empty. -0 counts as below +0, so that the
  // result does not depend on which of the two came first.
  double min() const;
  double max() const;

  // Appends the state to `out`; equal multisets give equal bytes.
  void serialize(std::string& out) const;
  // Reads a state written by serialize from the front of `in` and advances `in` past it.
  // Damaged input throws UserError without a position (the caller adds the file).
  static ExactMoments deserialize(std::string_view& in);

  bool operator==(const ExactMoments& other) const;

 private:
  int64_t count_ = 0;
  double min_ = 0;
  double max_ = 0;
  ExactSum s1_;
  ExactSum s2_;
};

// The double nearest to S1 / count (ties to even), S1 exact; NaN when count is 0. What
// ExactMoments::mean and ExactMean::mean return.
double exact_mean(const ExactSum& s1, int64_t count);

// Count and mean only (no squares, min or max): for the per-step statistics of tracked
// variables, whose rows report a mean beside quantiles. The same mean as ExactMoments over
// the same observations, bit for bit, for half the state and less work per observation.
class ExactMean {
 public:
  // Finite observations only (asserted).
  void add(const double* x, size_t n);
  void merge(const ExactMean& other);
  int64_t count() const { return count_; }
  double mean() const { return exact_mean(s1_, count_); }
  void serialize(std::string& out) const;
  // Damaged input throws UserError without a position, as ExactMoments::deserialize.
  static ExactMean deserialize(std::string_view& in);
  bool operator==(const ExactMean& other) const;

 private:
  int64_t count_ = 0;
  ExactSum s1_;
};

}  // namespace geosim::stats
