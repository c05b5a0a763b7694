#include "random/distributions.h"

#include <cmath>
#include <limits>

#include "core/isa.h"
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

// Philox4x32-10 for many consecutive replicates at once, laid out so that the compiler
// vectorises the rounds across lanes. Bit-identical to uniform() (tested).
constexpr int kBatch = 64;
// Integer arithmetic only (and one exact conversion), so the AVX2 path gives the same bits
// as the baseline one (core/isa.h).
[[gnu::always_inline]] inline void unit_batch_body(uint64_t seed, uint32_t replicate0,
                                                   uint32_t step, uint32_t site, uint32_t k,
                                                   double* out, int n) {
  alignas(64) uint32_t c0[kBatch], c1[kBatch], c2[kBatch], c3[kBatch];
  for (int base = 0; base < n; base += kBatch) {
    const int m = n - base < kBatch ? n - base : kBatch;
    uint32_t k0 = static_cast<uint32_t>(seed), k1 = static_cast<uint32_t>(seed >> 32);
    for (int i = 0; i < kBatch; ++i) {
      c0[i] = replicate0 + static_cast<uint32_t>(base + i);
      c1[i] = step;
      c2[i] = site;
      c3[i] = k;
    }
    for (int round = 0; round < 10; ++round) {
      if (round > 0) {
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
      }
      for (int i = 0; i < kBatch; ++i) {
        const uint64_t p0 = uint64_t{0xD2511F53u} * c0[i];
        const uint64_t p1 = uint64_t{0xCD9E8D57u} * c2[i];
        const uint32_t n0 = static_cast<uint32_t>(p1 >> 32) ^ c1[i] ^ k0;
        const uint32_t n2 = static_cast<uint32_t>(p0 >> 32) ^ c3[i] ^ k1;
        c1[i] = static_cast<uint32_t>(p1);
        c3[i] = static_cast<uint32_t>(p0);
        c0[i] = n0;
        c2[i] = n2;
      }
    }
    constexpr double kScale = 1.0 / 9007199254740992.0;  // 2^-53
    for (int i = 0; i < m; ++i) {
      uint64_t a = (uint64_t{c0[i]} << 32) | c1[i];
      out[base + i] = (static_cast<double>(a >> 11) + 0.5) * kScale;
    }
  }
}

[[gnu::target("avx2")]] void unit_batch_avx2(uint64_t seed, uint32_t replicate0, uint32_t step,
                                             uint32_t site, uint32_t k, double* out, int n) {
  unit_batch_body(seed, replicate0, step, site, k, out, n);
}

void unit_batch_baseline(uint64_t seed, uint32_t replicate0, uint32_t step, uint32_t site,
                         uint32_t k, double* out, int n) {
  unit_batch_body(seed, replicate0, step, site, k, out, n);
}

void unit_batch(uint64_t seed, uint32_t replicate0, uint32_t step, uint32_t site, uint32_t k,
                double* out, int n) {
  static const auto path = core::use_avx2() ? unit_batch_avx2 : unit_batch_baseline;
  path(seed, replicate0, step, site, k, out, n);
}

inline void units(const DrawContext& cx, uint32_t site, double* out, int n) {
  unit_batch(cx.seed, cx.replicate0, cx.step, site, 0, out, n);
}

// The central region of AS 241 (|p - 0.5| <= 0.425) is a rational function: computed for
// every lane without branches; lanes in the tails are then redone by normal_quantile.
void normal_quantiles(double* u, int n) {
  alignas(64) double z[256];
  for (int i = 0; i < n; ++i) {
    z[i] = as241_central(u[i] - 0.5);
  }
  for (int i = 0; i < n; ++i) u[i] = std::fabs(u[i] - 0.5) <= 0.425 ? z[i] : normal_quantile(u[i]);
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
    unit_batch(cx.seed, cx.replicate0 + static_cast<uint32_t>(base), cx.step, site, 0, buf, m);
    if (kNormal) normal_quantiles(buf, m);
    for (int j = 0; j < m; ++j) f(base + j, buf[j]);
  }
}

}  // namespace

void draw_unit(const DrawContext& cx, uint32_t site, double* out, int n) {
  for_each_draw<false>(cx, site, n, [&](int i, double u) { out[i] = u; });
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

void draw_lognormal(const DrawContext& cx, uint32_t site, const double* mu, const double* sigma,
                    double* out, int n) {
  for_each_draw<true>(cx, site, n, [&](int i, double z) {
    out[i] = sigma[i] >= 0 ? det_exp(mu[i] + sigma[i] * z) : kNaN;
  });
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
