#include "random/detmath.h"

#include <cmath>
#include <limits>

namespace geosim::rnd {

namespace {
constexpr double kLn2Hi = 6.93147180369123816490e-01;
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kInvLn2 = 1.44269504088896338700e+00;
}  // namespace

double det_log(double x) {
  if (std::isnan(x) || x < 0) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0) return -std::numeric_limits<double>::infinity();
  if (std::isinf(x)) return x;
  int e;
  double m = std::frexp(x, &e);  // x = m * 2^e, m in [0.5, 1)
  if (m < 0.70710678118654752440) {
    m *= 2;
    e -= 1;
  }
  // log(m) = 2 atanh(f), f = (m - 1) / (m + 1), |f| <= 0.1716.
  double f = (m - 1) / (m + 1);
  double f2 = f * f;
  double s = 1.0 / 23;
  for (int k = 21; k >= 3; k -= 2) s = s * f2 + 1.0 / k;
  s = s * f2;  // s = f^2/3 + f^4/5 + ...
  double lm = 2 * f + 2 * f * s;
  return (e * kLn2Hi + (lm + e * kLn2Lo));
}

double det_exp(double x) {
  if (std::isnan(x)) return x;
  if (x > 709.782712893384) return std::numeric_limits<double>::infinity();
  if (x < -745.1332191019412) return 0.0;
  double kd = std::nearbyint(x * kInvLn2);
  int k = static_cast<int>(kd);
  double r = (x - kd * kLn2Hi) - kd * kLn2Lo;  // |r| <= ln2/2
  // Taylor series to r^14 / 14!: remainder < 1e-17 relative for |r| <= 0.347.
  double p = 1.0;
  for (int i = 14; i >= 1; --i) p = 1.0 + p * r / i;
  return std::ldexp(p, k);
}

}  // namespace geosim::rnd
