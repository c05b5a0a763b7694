// exp with the bits of Eigen 3.4's vectorised exp (pexp_double, which the interpreter and the
// logit choice used through Eigen arrays), written as a plain scalar function so that GCC
// vectorises it at whatever width the calling loop is compiled for (4 lanes in the AVX2
// paths of core/isa.h; Eigen's own kernel is limited to SSE2's 2 lanes in this build).
// Every step is Eigen's: the clamp to [-709.784, 709.784] (NaN propagating as Eigen's
// pmin/pmax do), n = floor(x log2(e) + 1/2), the two-part reduction, the Cephes rational
// function, and x 2^n rounded once (Eigen multiplies by powers of two whose partial
// products are exact; here two factors 2^floor(n/2) and 2^(n - floor(n/2))), then the max
// with the input. Multiply-adds are a multiply then an add, as in Eigen without FMA (the
// build has -ffp-contract=off). Tested bit for bit against Eigen (tests/expr, lane_exp).
#pragma once

#include <cstdint>
#include <cstring>

namespace geosim::expr {

// c ? a : b through bit masks. GCC turns a selection whose value feeds more arithmetic into
// a branch, which keeps the whole loop scalar; a mask blend vectorises.
[[gnu::always_inline]] inline double blend(bool c, double a, double b) {
  const uint64_t m = 0 - static_cast<uint64_t>(c);
  uint64_t ua, ub;
  std::memcpy(&ua, &a, sizeof ua);
  std::memcpy(&ub, &b, sizeof ub);
  const uint64_t u = (ua & m) | (ub & ~m);
  double r;
  std::memcpy(&r, &u, sizeof r);
  return r;
}

// Whether pred(i) holds for some lane i in [0, n). GCC 12 does not vectorise an
// OR-reduction into a bool next to doubles (such a loop stays scalar: 12-17 instructions per
// lane), nor, on the SSE2 baseline path, one into a 64-bit integer; a selection into a
// double vectorises on both paths (core/isa.h).
template <typename F>
[[gnu::always_inline]] inline bool any_lane(int n, F pred) {
  double any = 0;
  for (int i = 0; i < n; ++i) any = pred(i) ? 1.0 : any;
  return any != 0;
}

// floor(v) for |v| < 2^51 or NaN, without a library call (GCC calls libm's floor unless
// -fno-trapping-math, which keeps the loop scalar): rounding to nearest by adding and
// subtracting 1.5 * 2^52, then one down where that rounded up. Exact, so the same value
// as floor() (v is never -0 here: 1.4427 x + 0.5 and fx / 2 are not).
[[gnu::always_inline]] inline double floor_small(double v) {
  constexpr double kShift = 6755399441055744.0;  // 1.5 * 2^52
  const double r = (v + kShift) - kShift;
  return r - blend(r > v, 1.0, 0.0);
}

[[gnu::always_inline]] inline double pow2_exact(double e) {  // 2^e, e integral in [-1022, 1023]
  const double t = e + (1023.0 + 4503599627370496.0);        // 2^52 + 1023 + e: exact
  uint64_t b;
  std::memcpy(&b, &t, sizeof b);
  b <<= 52;  // the low bits of t's mantissa, 1023 + e, become the exponent field
  double r;
  std::memcpy(&r, &b, sizeof r);
  return r;
}

[[gnu::always_inline]] inline double exp_as_eigen(double x0) {
  double x = blend(x0 > 709.784, 709.784, x0);
  x = blend(x < -709.784, -709.784, x);
  const double fx = floor_small(1.4426950408889634073599 * x + 0.5);
  x = x - fx * 0.693145751953125;
  x = x - fx * 1.42860682030941723212e-6;
  const double x2 = x * x;
  double px = 1.26177193074810590878e-4;
  px = px * x2 + 3.02994407707441961300e-2;
  px = px * x2 + 9.99999999999999999910e-1;
  px = px * x;
  double qx = 3.00198505138664455042e-6;
  qx = qx * x2 + 2.52448340349684104192e-3;
  qx = qx * x2 + 2.27265548208155028766e-1;
  qx = qx * x2 + 2.00000000000000000009e0;
  x = px / (qx - px);
  x = 2.0 * x + 1.0;
  const double e1 = floor_small(fx * 0.5), e2 = fx - e1;  // each in [-512, 513]
  const double r = (x * pow2_exact(e1)) * pow2_exact(e2);
  return blend(r < x0, x0, r);  // Eigen's pmax(r, x0): r unless x0 is larger
}

}  // namespace geosim::expr
