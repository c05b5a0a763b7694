#include "random/distributions.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "core/isa.h"
#include "expr/lane_exp.h"
#include "random/ars.h"
#include "random/detmath.h"
#include "random/stream.h"

namespace geosim::rnd {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// AS 241's central region, |q| <= 0.425 with q = p - 0.5: a rational function of
// r = 0.180625 - q^2. Shared by the scalar and the lane versions, so they agree bit for bit.
inline double as241_central(double q) {
  const double r = 0.180625 - q * q;
  const double num =
      (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r +
           45921.953931549871457) *
              r +
          13731.693765509461125) *
             r +
         1971.5909503065514427) *
            r +
        133.14166789178437745) *
           r +
       3.387132872796366608);
  const double den =
      (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r +
           21213.794301586595867) *
              r +
          5394.1960214247511077) *
             r +
         687.1870074920579083) *
            r +
        42.313330701600911252) *
           r +
       1.0);
  return q * num / den;
}

inline Counter counter(const DrawContext& cx, int lane, uint32_t site, uint32_t k) {
  return Counter{cx.replicate0 + static_cast<uint32_t>(lane), cx.step, site, k};
}

// AS 241's tails, |q| > 0.425, for p = 0, 1 or a normal double (every uniform of stream.h
// is in [2^-54, 1]: 1 itself when 2^53 - 0.5 rounds up):
// normal_quantile's arithmetic step for step (det_log's included), without branches or
// library calls, so that the loop over the tail lanes vectorises and gives the same bits.
inline double as241_tail(double p) {
  const double q = p - 0.5;
  const double pr = q < 0 ? p : 1 - p;            // in [2^-54, 0.075]: a normal double
  const double log_pr = log_normal_positive(pr);  // det_log(pr), as a lane function
  const double r = std::sqrt(-log_pr);
  const double a = r - 1.6;
  const double xa = (((((((a * 7.7454501427834140764e-4 + 0.0227238449892691845833) * a +
                          0.24178072517745061177) *
                             a +
                         1.27045825245236838258) *
                            a +
                        3.64784832476320460504) *
                           a +
                       5.7694972214606914055) *
                          a +
                      4.6303378461565452959) *
                         a +
                     1.42343711074968357734) /
                    (((((((a * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * a +
                          0.0151986665636164571966) *
                             a +
                         0.14810397642748007459) *
                            a +
                        0.68976733498510000455) *
                           a +
                       1.6763848301838038494) *
                          a +
                      2.05319162663775882187) *
                         a +
                     1.0);
  const double b = r - 5;
  const double xb = (((((((b * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * b +
                          0.0012426609473880784386) *
                             b +
                         0.026532189526576123093) *
                            b +
                        0.29656057182850489123) *
                           b +
                       1.7848265399172913358) *
                          b +
                      5.4637849111641143699) *
                         b +
                     6.6579046435011037772) /
                    (((((((b * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * b +
                          1.8463183175100546818e-5) *
                             b +
                         7.868691311456132591e-4) *
                            b +
                        0.0148753612908506148525) *
                           b +
                       0.13692988092273580531) *
                          b +
                      0.59983220655588793769) *
                         b +
                     1.0);
  double x = r <= 5 ? xa : xb;
  x = pr == 0 ? std::numeric_limits<double>::infinity() : x;  // p = 1 (or 0): +-inf
  return q < 0 ? -x : x;
}

// Standard normals from uniforms in place. The central region of AS 241 (|p - 0.5| <= 0.425)
// is computed for every lane; the lanes in the tails (about 15%) are gathered and computed
// together by as241_tail, then put back. Same bits as normal_quantile (tested).
[[gnu::always_inline]] inline void normal_quantiles_body(double* u, int n) {
  alignas(64) double z[256], tail[256];
  alignas(64) int idx[256];
  for (int i = 0; i < n; ++i) z[i] = as241_central(u[i] - 0.5);
  int m = 0;
  for (int i = 0; i < n; ++i) {
    idx[m] = i;
    m += std::fabs(u[i] - 0.5) <= 0.425 ? 0 : 1;
  }
  for (int j = 0; j < m; ++j) tail[j] = u[idx[j]];
  for (int j = 0; j < m; ++j) tail[j] = as241_tail(tail[j]);
  for (int j = 0; j < m; ++j) z[idx[j]] = tail[j];
  for (int i = 0; i < n; ++i) u[i] = z[i];
}

[[gnu::target("avx2")]] void normal_quantiles_avx2(double* u, int n) {
  normal_quantiles_body(u, n);
}
[[GEOSIM_AVX512]] void normal_quantiles_avx512(double* u, int n) { normal_quantiles_body(u, n); }
void normal_quantiles_baseline(double* u, int n) { normal_quantiles_body(u, n); }

void normal_quantiles(double* u, int n) {
  static const auto path =
      core::pick_path(normal_quantiles_baseline, normal_quantiles_avx2, normal_quantiles_avx512);
  path(u, n);
}

// Marsaglia & Tsang (2000) for shape >= 1; uses uniforms k, k+1, ... of the counter.
double gamma_ge1(uint64_t seed, Counter c, double shape) {
  const double d = shape - 1.0 / 3.0;
  const double cc = 1.0 / std::sqrt(9.0 * d);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    double u0, u1;
    uniform2(seed, c, u0, u1);
    ++c.k;
    double x = normal_quantile(u0);
    double v = 1.0 + cc * x;
    if (v <= 0) continue;
    v = v * v * v;
    if (u1 < 1.0 - 0.0331 * x * x * x * x) return d * v;
    if (det_log(u1) < 0.5 * x * x + d * (1.0 - v + det_log(v))) return d * v;
  }
  return d;  // unreachable in practice: acceptance rate is above 95% per attempt
}

double gamma_draw(uint64_t seed, Counter c, double shape) {
  if (shape >= 1) return gamma_ge1(seed, c, shape);
  // shape < 1: G(shape) = G(shape + 1) * U^(1/shape), U from a separate part of the counter.
  Counter cu = c;
  cu.k = 0x80000000u;
  double u = uniform(seed, cu);
  return gamma_ge1(seed, c, shape + 1) * det_exp(det_log(u) / shape);
}

}  // namespace

void normal_quantile_batch(double* p, int n) {
  for (int base = 0; base < n; base += 256)
    normal_quantiles(p + base, n - base < 256 ? n - base : 256);
}

double normal_quantile(double p) {
  if (!(p > 0 && p < 1)) {
    if (p == 0) return -std::numeric_limits<double>::infinity();
    if (p == 1) return std::numeric_limits<double>::infinity();
    return kNaN;
  }
  const double q = p - 0.5;
  if (std::fabs(q) <= 0.425) return as241_central(q);
  double r = q < 0 ? p : 1 - p;
  r = std::sqrt(-det_log(r));
  double x;
  if (r <= 5) {
    r -= 1.6;
    x = (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r +
              0.24178072517745061177) *
                 r +
             1.27045825245236838258) *
                r +
            3.64784832476320460504) *
               r +
           5.7694972214606914055) *
              r +
          4.6303378461565452959) *
             r +
         1.42343711074968357734) /
        (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r +
              0.0151986665636164571966) *
                 r +
             0.14810397642748007459) *
                r +
            0.68976733498510000455) *
               r +
           1.6763848301838038494) *
              r +
          2.05319162663775882187) *
             r +
         1.0);
  } else {
    r -= 5;
    x = (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r +
              0.0012426609473880784386) *
                 r +
             0.026532189526576123093) *
                r +
            0.29656057182850489123) *
               r +
           1.7848265399172913358) *
              r +
          5.4637849111641143699) *
             r +
         6.6579046435011037772) /
        (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r +
              1.8463183175100546818e-5) *
                 r +
             7.868691311456132591e-4) *
                r +
            0.0148753612908506148525) *
               r +
           0.13692988092273580531) *
              r +
          0.59983220655588793769) *
             r +
         1.0);
  }
  return q < 0 ? -x : x;
}

namespace {

// Calls f(i, u_i) for lanes i < n with u_i the lane's uniform (normals: its standard
// normal) at `site`. Draws go to a local buffer first, because `out` may alias a parameter.
template <bool kNormal, typename F>
void for_each_draw(const DrawContext& cx, uint32_t site, int n, F f) {
  alignas(64) double buf[256];
  for (int base = 0; base < n; base += 256) {
    const int m = n - base < 256 ? n - base : 256;
    lane_uniforms(cx.seed, cx.replicate0 + static_cast<uint32_t>(base), cx.step, site, 0, buf, m);
    if (kNormal) normal_quantiles(buf, m);
    for (int j = 0; j < m; ++j) f(base + j, buf[j]);
  }
}

}  // namespace

void draw_unit(const DrawContext& cx, uint32_t site, double* out, int n) {
  lane_uniforms(cx.seed, cx.replicate0, cx.step, site, 0, out, n);  // no parameter to alias
}

void draw_uniform(const DrawContext& cx, uint32_t site, const double* lo, const double* hi,
                  double* out, int n) {
  for_each_draw<false>(cx, site, n, [&](int i, double u) {
    out[i] = lo[i] <= hi[i] ? lo[i] + (hi[i] - lo[i]) * u : kNaN;
  });
}

void draw_normal(const DrawContext& cx, uint32_t site, const double* mu, const double* sd,
                 double* out, int n) {
  for_each_draw<true>(cx, site, n,
                      [&](int i, double z) { out[i] = sd[i] >= 0 ? mu[i] + sd[i] * z : kNaN; });
}

namespace {

// det_exp (detmath.cc) step for step, without branches or library calls so that the loop
// over the lanes vectorises: nearbyint by adding and subtracting 1.5 * 2^52 (round half to
// even, as nearbyint in the default mode, for the |x / ln 2| < 1076 that matter), ldexp as
// two exact powers of two with the first product exact, and the range and NaN cases
// blended in. The same bits as det_exp (tested).
[[gnu::always_inline]] inline double det_exp_lane(double x) {
  constexpr double kLn2Hi = 6.93147180369123816490e-01, kLn2Lo = 1.90821492927058770002e-10;
  constexpr double kInvLn2 = 1.44269504088896338700e+00, kShift = 6755399441055744.0;
  const double xc = expr::blend(std::fabs(x) <= 746.0, x, 0.0);  // keeps the steps in range
  const double kd = (xc * kInvLn2 + kShift) - kShift;
  const double r = (xc - kd * kLn2Hi) - kd * kLn2Lo;
  double p = 1.0;
  p = 1.0 + p * r / 14.0;
  p = 1.0 + p * r / 13.0;
  p = 1.0 + p * r / 12.0;
  p = 1.0 + p * r / 11.0;
  p = 1.0 + p * r / 10.0;
  p = 1.0 + p * r / 9.0;
  p = 1.0 + p * r / 8.0;
  p = 1.0 + p * r / 7.0;
  p = 1.0 + p * r / 6.0;
  p = 1.0 + p * r / 5.0;
  p = 1.0 + p * r / 4.0;
  p = 1.0 + p * r / 3.0;
  p = 1.0 + p * r / 2.0;
  p = 1.0 + p * r / 1.0;
  const double k1 = expr::floor_small(kd * 0.5), k2 = kd - k1;
  double y = (p * expr::pow2_exact(k1)) * expr::pow2_exact(k2);
  y = expr::blend(x < -745.1332191019412, 0.0, y);
  y = expr::blend(x > 709.782712893384, std::numeric_limits<double>::infinity(), y);
  return expr::blend(x != x, x, y);
}

[[gnu::always_inline]] inline void lognormal_body(const double* z, const double* mu,
                                                  const double* sigma, double* out, int m) {
  for (int j = 0; j < m; ++j)
    out[j] = expr::blend(sigma[j] >= 0, det_exp_lane(mu[j] + sigma[j] * z[j]), kNaN);
}
[[gnu::target("avx2")]] void lognormal_avx2(const double* z, const double* mu, const double* sigma,
                                            double* out, int m) {
  lognormal_body(z, mu, sigma, out, m);
}
[[GEOSIM_AVX512]] void lognormal_avx512(const double* z, const double* mu, const double* sigma,
                                        double* out, int m) {
  lognormal_body(z, mu, sigma, out, m);
}
void lognormal_baseline(const double* z, const double* mu, const double* sigma, double* out,
                        int m) {
  lognormal_body(z, mu, sigma, out, m);
}

}  // namespace

void draw_lognormal(const DrawContext& cx, uint32_t site, const double* mu, const double* sigma,
                    double* out, int n) {
  static const auto path = core::pick_path(lognormal_baseline, lognormal_avx2, lognormal_avx512);
  alignas(64) double z[256], y[256];
  for (int base = 0; base < n; base += 256) {
    const int m = n - base < 256 ? n - base : 256;
    lane_uniforms(cx.seed, cx.replicate0 + static_cast<uint32_t>(base), cx.step, site, 0, z, m);
    normal_quantiles(z, m);
    path(z, mu + base, sigma + base, y, m);  // y first: `out` may alias mu or sigma
    for (int j = 0; j < m; ++j) out[base + j] = y[j];
  }
}

void draw_bernoulli(const DrawContext& cx, uint32_t site, const double* p, double* out, int n) {
  for_each_draw<false>(cx, site, n, [&](int i, double u) {
    out[i] = (p[i] >= 0 && p[i] <= 1) ? (u < p[i] ? 1.0 : 0.0) : kNaN;
  });
}

void draw_triangular(const DrawContext& cx, uint32_t site, const double* lo, const double* mode,
                     const double* hi, double* out, int n) {
  for_each_draw<false>(cx, site, n, [&](int i, double u) {
    const double l = lo[i], m = mode[i], h = hi[i];
    if (!(l <= m && m <= h)) {
      out[i] = kNaN;
    } else if (l == h) {
      out[i] = l;
    } else {
      const double fc = (m - l) / (h - l);
      out[i] = u < fc ? l + std::sqrt(u * (h - l) * (m - l))
                      : h - std::sqrt((1 - u) * (h - l) * (h - m));
    }
  });
}

void draw_beta(const DrawContext& cx, uint32_t site, const double* a, const double* b, double* out,
               int n) {
  for (int i = 0; i < n; ++i) {
    if (!(a[i] > 0 && b[i] > 0) || std::isinf(a[i]) || std::isinf(b[i])) {
      out[i] = kNaN;
      continue;
    }
    Counter cx_a = counter(cx, i, site, 0);
    Counter cx_b = counter(cx, i, site, 0x40000000u);
    double x = gamma_draw(cx.seed, cx_a, a[i]);
    double y = gamma_draw(cx.seed, cx_b, b[i]);
    out[i] = x / (x + y);
  }
}

}  // namespace geosim::rnd
