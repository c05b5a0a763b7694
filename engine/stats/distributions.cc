#include "stats/distributions.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"

namespace geosim::stats {

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

double normal_quantile(double p) {
  GEOSIM_ASSERT(p > 0 && p < 1, "normal_quantile needs p in (0, 1), got " + std::to_string(p));
  // Acklam (2003).
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  const double low = 0.02425;
  double x;
  if (p < low) {
    double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - low) {
    double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    double q = std::sqrt(-2 * std::log1p(-p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  // One Halley step on the CDF error e = Phi(x) - p; for x >= 0 it is formed from the upper
  // tail, (1 - p) - Q(x), so that it keeps its digits (1 - p is exact for p >= 1/2).
  double e = x < 0 ? 0.5 * std::erfc(-x / std::sqrt(2.0)) - p
                   : (1 - p) - 0.5 * std::erfc(x / std::sqrt(2.0));
  double u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

namespace {

double log_gamma(double x) {
  int sign = 0;
  return lgamma_r(x, &sign);
}

// lgamma(x) minus its Stirling approximation (x - 1/2) log x - x + log(2 pi) / 2, for
// x >= 10, by the asymptotic series (error below 1e-17 there).
double stirling_correction(double x) {
  static const double c[] = {1.0 / 12,   -1.0 / 360,      1.0 / 1260, -1.0 / 1680,
                             1.0 / 1188, -691.0 / 360360, 1.0 / 156,  -3617.0 / 122400};
  double inv2 = 1 / (x * x), sum = 0, power = 1 / x;
  for (double coefficient : c) {
    sum += coefficient * power;
    power *= inv2;
  }
  return sum;
}

// log B(a, b) without the cancellation of lgamma(a) + lgamma(b) - lgamma(a + b) when a
// or b is large (as for the t distribution with many degrees of freedom); the same
// decomposition as R's lbeta.
double log_beta(double a, double b) {
  double p = std::min(a, b), q = std::max(a, b);
  const double log_sqrt_2pi = 0.918938533204672741780329736406;
  if (p >= 10) {
    double corr = stirling_correction(p) + stirling_correction(q) - stirling_correction(p + q);
    return -0.5 * std::log(q) + log_sqrt_2pi + corr + (p - 0.5) * std::log(p / (p + q)) +
           q * std::log1p(-p / (p + q));
  }
  if (q >= 10) {
    double corr = stirling_correction(q) - stirling_correction(p + q);
    return log_gamma(p) + corr + p - p * std::log(p + q) + (q - 0.5) * std::log1p(-p / (p + q));
  }
  return log_gamma(p) + log_gamma(q) - log_gamma(p + q);
}

// The continued fraction for I_x(a, b), valid (fast converging) for x < (a+1)/(a+b+2).
double beta_continued_fraction(double a, double b, double x) {
  const double tiny = 1e-300;
  const double eps = 1e-16;
  double qab = a + b, qap = a + 1, qam = a - 1;
  double c = 1, d = 1 - qab * x / qap;
  if (std::fabs(d) < tiny) d = tiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 10000; ++m) {
    int m2 = 2 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < eps) return h;
  }
  GEOSIM_ASSERT(false, "incomplete beta continued fraction did not converge");
  return h;
}

}  // namespace

double incomplete_beta(double a, double b, double x, double one_minus_x) {
  GEOSIM_ASSERT(a > 0 && b > 0 && x >= 0 && x <= 1, "incomplete_beta arguments out of range");
  if (x == 0) return 0;
  if (one_minus_x == 0) return 1;
  // log x and log(1 - x) from whichever of the two is small, so neither loses digits.
  double log_x = x < 0.5 ? std::log(x) : std::log1p(-one_minus_x);
  double log_1mx = one_minus_x < 0.5 ? std::log(one_minus_x) : std::log1p(-x);
  double log_front = a * log_x + b * log_1mx - log_beta(a, b);
  if (x < (a + 1) / (a + b + 2)) {
    return std::exp(log_front) * beta_continued_fraction(a, b, x) / a;
  }
  return 1 - std::exp(log_front) * beta_continued_fraction(b, a, one_minus_x) / b;
}

double student_t_two_sided_p(double t, double df) {
  GEOSIM_ASSERT(df > 0, "student t needs df > 0");
  if (std::isinf(t)) return 0;
  double t2 = t * t;
  if (df > 1e6) {
    // The continued fraction loses digits for such df (the beta parameter df / 2 is huge);
    // the first term of the asymptotic expansion in 1 / df (Abramowitz & Stegun 26.7.5)
    // is accurate there to about 1e-12 absolute.
    double a = std::fabs(t);
    double density = std::exp(-t2 / 2) / std::sqrt(2 * M_PI);
    return std::min(1.0, std::erfc(a / std::sqrt(2.0)) + density * (a * t2 + a) / (2 * df));
  }
  // P(|T| >= |t|) = I_{df / (df + t^2)}(df / 2, 1 / 2).
  return incomplete_beta(df / 2, 0.5, df / (df + t2), t2 / (df + t2));
}

double student_t_cdf(double t, double df) {
  double tail = student_t_two_sided_p(t, df) / 2;
  return t < 0 ? tail : 1 - tail;
}

double student_t_quantile(double p, double df) {
  GEOSIM_ASSERT(p > 0 && p < 1 && df > 0, "student_t_quantile arguments out of range");
  if (p == 0.5) return 0;
  // Solve on the upper tail for the magnitude, then restore the sign.
  double tail = p < 0.5 ? p : 1 - p;  // P(T >= |t|)
  double lo = 0, hi = 1;
  while (student_t_two_sided_p(hi, df) / 2 > tail) {
    lo = hi;
    hi *= 2;
    GEOSIM_ASSERT(hi < 1e300, "student_t_quantile bracket failed");
  }
  for (int i = 0; i < 2000 && lo < hi; ++i) {
    double mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    if (student_t_two_sided_p(mid, df) / 2 > tail) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  double t = lo + (hi - lo) / 2;
  return p < 0.5 ? -t : t;
}

}  // namespace geosim::stats
