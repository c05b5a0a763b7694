#include "stats/hypothesis.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.h"
#include "stats/distributions.h"

namespace geosim::stats {

TestResult welch_t_test(double mean_a, double sd_a, int64_t n_a, double mean_b, double sd_b,
                        int64_t n_b) {
  TestResult r;
  r.difference = mean_a - mean_b;
  if (n_a < 2 || n_b < 2) return r;
  GEOSIM_ASSERT(sd_a >= 0 && sd_b >= 0, "negative standard deviation");
  // A difference past the largest double (means of opposite signs near 1e308) cannot be
  // tested; report it untested rather than with an infinite statistic.
  if (!std::isfinite(r.difference) || !std::isfinite(sd_a) || !std::isfinite(sd_b)) return r;
  double na = static_cast<double>(n_a), nb = static_cast<double>(n_b);
  // Everything below is computed in units of the larger sd, so that neither the variances
  // nor their squares (Welch-Satterthwaite's df) overflow or underflow: an sd of 1e300 or
  // 1e-300 gives the same test as an sd of 1 on rescaled data.
  const double unit = std::max(sd_a, sd_b);
  r.valid = true;
  if (unit == 0) {
    r.df = na + nb - 2;
    r.statistic = r.difference == 0
                      ? 0
                      : std::copysign(std::numeric_limits<double>::infinity(), r.difference);
    r.p_value = r.difference == 0 ? 1 : 0;
    r.ci = {r.difference, r.difference};
    return r;
  }
  const double sa = sd_a / unit, sb = sd_b / unit;
  const double va = sa * sa / na, vb = sb * sb / nb;
  const double se2 = va + vb;  // in units of unit^2; at least 1 / max(na, nb)
  const double se = std::sqrt(se2) * unit;
  r.statistic = r.difference / se;
  r.df = se2 * se2 / (va * va / (na - 1) + vb * vb / (nb - 1));
  r.p_value = student_t_two_sided_p(r.statistic, r.df);
  double t_crit = student_t_quantile(0.975, r.df);
  r.ci = {r.difference - t_crit * se, r.difference + t_crit * se};
  return r;
}

TestResult two_proportion_z_test(double p_a, int64_t n_a, double p_b, int64_t n_b) {
  TestResult r;
  r.difference = p_a - p_b;
  if (n_a < 1 || n_b < 1) return r;
  GEOSIM_ASSERT(p_a >= 0 && p_a <= 1 && p_b >= 0 && p_b <= 1,
                "proportion outside [0, 1]: " + std::to_string(p_a) + ", " + std::to_string(p_b));
  double na = static_cast<double>(n_a), nb = static_cast<double>(n_b);
  r.valid = true;
  double pooled = (p_a * na + p_b * nb) / (na + nb);
  double se = std::sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb));
  if (se == 0) {
    r.statistic = 0;
    r.p_value = 1;
  } else {
    r.statistic = r.difference / se;
    r.p_value = std::erfc(std::fabs(r.statistic) / std::sqrt(2.0));
  }
  Interval a = wilson_interval_p(p_a, na), b = wilson_interval_p(p_b, nb);
  r.ci = {
      r.difference - std::sqrt((p_a - a.low) * (p_a - a.low) + (b.high - p_b) * (b.high - p_b)),
      r.difference + std::sqrt((a.high - p_a) * (a.high - p_a) + (p_b - b.low) * (p_b - b.low))};
  return r;
}

}  // namespace geosim::stats
