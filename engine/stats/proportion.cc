#include "stats/proportion.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.h"

namespace geosim::stats {

Interval wilson_interval_p(double p, double n, double z) {
  GEOSIM_ASSERT(p >= 0 && p <= 1 && n > 0,
                "wilson_interval_p: p = " + std::to_string(p) + ", n = " + std::to_string(n));
  double z2 = z * z;
  double denom = 1 + z2 / n;
  double center = (p + z2 / (2 * n)) / denom;
  double half = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
  Interval ci{std::max(0.0, center - half), std::min(1.0, center + half)};
  if (p == 0) ci.low = 0;
  if (p == 1) ci.high = 1;
  return ci;
}

Interval wilson_interval(int64_t successes, int64_t n, double z) {
  GEOSIM_ASSERT(successes >= 0 && successes <= n,
                "wilson_interval: " + std::to_string(successes) + " of " + std::to_string(n));
  if (n == 0) return {0, 1};
  return wilson_interval_p(static_cast<double>(successes) / static_cast<double>(n),
                           static_cast<double>(n), z);
}

Interval normal_mean_interval(double mean, double sd, int64_t n, double z) {
  if (n < 2) return {mean, mean};
  double half = z * sd / std::sqrt(static_cast<double>(n));
  return {mean - half, mean + half};
}

}  // namespace geosim::stats
