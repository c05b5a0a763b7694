// Deterministic elementary functions for the random-variate transforms. They use only
// IEEE arithmetic (+ - * / sqrt, compiled without FMA contraction), so a draw gives the
// same bits on every x86-64 machine and C library; libm's exp/log may pick different
// code paths per CPU. Accuracy: within a few units in the last place.
#pragma once

#include <bit>
#include <cstdint>

namespace geosim::rnd {

double det_log(double x);  // x > 0; log(0) = -inf; x < 0 or NaN -> NaN
double det_exp(double x);  // overflow -> +inf, underflow -> 0

// det_log's series for a normal, positive, finite x, written for lane loops: frexp from the
// bits (x = m 2^e, m moved into [sqrt(1/2), sqrt(2))), then 2 atanh((m - 1) / (m + 1)) and
// e log 2 in two parts. No branch, table or library call, so GCC vectorises a loop of it;
// subnormals, zero, infinities and NaN are the caller's to avoid.
[[gnu::always_inline]] inline double log_normal_positive(double x) {
  const uint64_t bits = std::bit_cast<uint64_t>(x);
  double e = std::bit_cast<double>((bits >> 52) | 0x4330000000000000ull);  // 2^52 + exponent
  e = (e - 4503599627370496.0) - 1022;
  double m = std::bit_cast<double>((bits & 0x000FFFFFFFFFFFFFull) | 0x3FE0000000000000ull);
  const bool low = m < 0.70710678118654752440;
  m = low ? m * 2 : m;
  e = low ? e - 1 : e;
  const double f = (m - 1) / (m + 1);
  const double f2 = f * f;
  double s = 1.0 / 23;
  s = s * f2 + 1.0 / 21;
  s = s * f2 + 1.0 / 19;
  s = s * f2 + 1.0 / 17;
  s = s * f2 + 1.0 / 15;
  s = s * f2 + 1.0 / 13;
  s = s * f2 + 1.0 / 11;
  s = s * f2 + 1.0 / 9;
  s = s * f2 + 1.0 / 7;
  s = s * f2 + 1.0 / 5;
  s = s * f2 + 1.0 / 3;
  s = s * f2;
  const double lm = 2 * f + 2 * f * s;
  return e * 6.93147180369123816490e-01 + (lm + e * 1.90821492927058770002e-10);
}

}  // namespace geosim::rnd
