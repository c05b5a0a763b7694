// Quantiles of a stream of doubles, mergeable with results that do not depend on how the
// stream was split or in which order the parts were merged: the state is a function of
// the multiset of observations alone, so merge(A, B) is the sketch of A's and B's
// observations together, and equal multisets serialize to equal bytes.
//
// Two modes:
//  - Exact, while there are at most 512 distinct values: a sorted list of (value, count).
//    Until the first time more than 512 values arrive, they are only appended (at most 512
//    values cannot hold more distinct ones); past that, a hash set counts the distinct
//    values, and a continuous variable goes to the bins without ever being sorted.
//    quantile(q) interpolates linearly between order statistics at rank q (n - 1), as R's
//    type 7 and NumPy's default do. Outcomes that are counts, flags or categories never
//    leave this mode.
//  - Sketch, from the 513th distinct value on: a DDSketch (Masson, Rim & Lee, VLDB 2019)
//    with relative accuracy alpha = 0.005. A value x != 0 falls in bin
//    i = ceil(log|x| / log gamma), gamma = (1 + alpha) / (1 - alpha), kept per sign (a
//    positive and a negative store); only x == 0 counts as zero. quantile(q) finds the
//    bin holding the order statistic of rank floor(q (n - 1)) and returns its
//    representative 2 gamma^i / (gamma + 1), clamped to [min, max].
//    Guarantee, for any finite values (subnormals and the largest doubles included):
//    the answer is within relative error alpha of that order statistic
//    (|answer - x| <= alpha |x|), and never outside [min, max].
//    The bin index uses std::log, so results are reproducible on one platform and libm;
//    another libm may round a value lying within an ulp of a bin edge differently.
//
// Memory: a store keeps one count per bin between its smallest and largest key, so it
// grows with the range of magnitudes, not with the count: 4 bytes per bin while a store
// holds fewer than 2^32 values (8 beyond), a bin per factor gamma (about 230 bins per
// decade). Values within 10^3 of each other take about 3 KB per sign; the whole double
// range (10^-324 to 10^308, 146,149 bins) at most 0.6 MB per sign (1.2 MB past 2^32
// values). Nothing is ever folded, so the guarantee holds over any range.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace geosim::stats {

class QuantileSketch {
 public:
  static constexpr size_t kMaxExactValues = 512;
  static constexpr double kAlpha = 0.005;
  // The keys of the smallest subnormal and of the largest double: every bin lies between.
  static const int32_t kMinKey;
  static const int32_t kMaxKey;

  // Observations must be finite (asserted, as in ExactMoments). -0 is stored as +0.
  void add(double x);
  void add(const double* x, size_t n);
  void merge(const QuantileSketch& other);
  // Sorts what exact mode holds unsorted (see raw_), so that quantile() and serialize() do
  // not sort a copy each time. The state, and everything it gives, is the same before and
  // after.
  void settle();

  int64_t count() const { return count_; }
  // q in [0, 1]; quantile(0) is min() and quantile(1) is max(). NaN when empty.
  double quantile(double q) const;
  double min() const;
  double max() const;
  // True while the quantiles are exact (at most 512 distinct values so far).
  bool exact() const { return exact_; }

  void serialize(std::string& out) const;
  // As ExactMoments::deserialize: damaged input throws UserError without a position.
  static QuantileSketch deserialize(std::string_view& in);

  bool operator==(const QuantileSketch& other) const;

 private:
  // Counts per bin over consecutive keys in [kMinKey, kMaxKey].
  class Store {
   public:
    void add(int32_t key, int64_t n);
    // add(keys[i], 1) for i < n, with one range check for the whole batch.
    void add_keys(const int32_t* keys, size_t n);
    void merge(const Store& other);
    int64_t total() const { return total_; }
    int32_t min_key() const { return min_key_; }
    int32_t max_key() const { return max_key_; }
    int64_t at(int32_t key) const;
    void serialize(std::string& out) const;
    static Store deserialize(std::string_view& in);

   private:
    void reserve_keys(int32_t low, int32_t high);
    // Before the total grows by n: 32-bit counts while the total fits (then every count
    // does), 64-bit ones from the first total that would not.
    void make_room(int64_t n);
    size_t slots() const { return wide_ ? wide_counts_.size() : counts_.size(); }
    void bump(int64_t slot, int64_t n) {
      if (wide_)
        wide_counts_[static_cast<size_t>(slot)] += n;
      else
        counts_[static_cast<size_t>(slot)] += static_cast<uint32_t>(n);
    }

    std::vector<uint32_t> counts_;      // counts_[k - offset_] for key k, while !wide_
    std::vector<int64_t> wide_counts_;  // the same, once wide_
    bool wide_ = false;
    int32_t offset_ = 0;
    int32_t min_key_ = 0;  // lowest and highest nonzero keys, when total_ > 0
    int32_t max_key_ = 0;
    int64_t total_ = 0;
  };

  // Exact mode: counts x (already normalised, finite) in values_ and sets `at` to its
  // index; false, changing nothing, when x is new and values_ is full.
  bool add_exact(double x, size_t& at);
  // Exact mode: adds x[0, n) by sorting them and merging (n >= 1).
  void add_exact_sorted(const double* x, size_t n);
  // Exact mode, before any value repeated: sorts raw_ into values_.
  void sort_raw();
  // The exact list, sorted: values_, or raw_ sorted into `scratch`.
  const std::vector<std::pair<double, int64_t>>& exact_list(
      std::vector<std::pair<double, int64_t>>& scratch) const;
  void switch_to_sketch();
  void add_to_bins(double x, int64_t n);
  // Counts x[0, n) in count_, min_ and max_ (asserting that they are finite) and, when
  // `normalized` is given, writes them there with -0 as +0.
  void count_batch(const double* x, size_t n, double* normalized);
  // Bins values already counted (min, max and count_ set): keys together, then counts.
  void bin_counted(const double* x, size_t n);
  // Sketch mode: add(x[i]) for i < n (finite values asserted), keys computed in one pass
  // and counted per store with one range check.
  void add_batch_to_bins(const double* x, size_t n);
  double exact_quantile(double q) const;
  double sketch_quantile(double q) const;

  int64_t count_ = 0;
  double min_ = 0;
  double max_ = 0;
  bool exact_ = true;
  std::vector<std::pair<double, int64_t>> values_;  // exact mode, ascending values
  // Exact mode, while values_ is empty: the values in arrival order (normalised, finite),
  // at most kMaxExactValues, so at most that many distinct. A continuous variable's first
  // blocks are kept here unsorted and go to the bins when they would overflow the list,
  // never sorted; everything that reads the list sorts a copy (exact_list).
  std::vector<double> raw_;
  Store positive_;
  Store negative_;  // keyed by |x|
  int64_t zero_count_ = 0;
};

}  // namespace geosim::stats
