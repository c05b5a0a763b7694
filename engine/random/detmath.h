// Deterministic elementary functions for the random-variate transforms. They use only
// IEEE arithmetic (+ - * / sqrt, compiled without FMA contraction), so a draw gives the
// same bits on every x86-64 machine and C library; libm's exp/log may pick different
// code paths per CPU. Accuracy: within a few units in the last place.
#pragma once

namespace geosim::rnd {

double det_log(double x);  // x > 0; log(0) = -inf; x < 0 or NaN -> NaN
double det_exp(double x);  // overflow -> +inf, underflow -> 0

}  // namespace geosim::rnd
