// Confidence intervals for a proportion and for a mean, as summary.csv reports them.
#pragma once

#include <cstdint>

namespace geosim::stats {

struct Interval {
  double low;
  double high;
};

// 97.5% point of the standard normal: the z of a two-sided 95% interval.
inline constexpr double kZ95 = 1.959963984540054;

// Wilson score interval for `successes` out of `n` trials (Wilson 1927). Chosen over the
// Wald interval because it stays inside [0, 1] and keeps its coverage near 0 and 1 and
// for small n: 0 of 10 gives [0, 0.2775], not [0, 0]. The bounds are clamped to [0, 1]
// and are exactly 0 when successes = 0 and exactly 1 when successes = n. n = 0 gives
// [0, 1] (no information). Requires 0 <= successes <= n (asserted).
Interval wilson_interval(int64_t successes, int64_t n, double z = kZ95);

// The same from a proportion p in [0, 1] and a (possibly fractional) n > 0; used by
// Newcombe's interval for a difference, where only proportions are known.
Interval wilson_interval_p(double p, double n, double z = kZ95);

// mean +- z sd / sqrt(n): the normal-approximation interval for a mean. For n < 2 (no
// spread to estimate) both bounds equal the mean.
Interval normal_mean_interval(double mean, double sd, int64_t n, double z = kZ95);

}  // namespace geosim::stats
