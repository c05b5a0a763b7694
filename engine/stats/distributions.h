// The few distribution functions the statistics need, written here (no Boost.Math in
// the dependency list) and checked against published values in tests/stats.
#pragma once

namespace geosim::stats {

// Standard normal CDF, via std::erfc (accurate in both tails).
double normal_cdf(double z);
// Inverse of normal_cdf for p in (0, 1): Acklam's rational approximation refined by one
// Halley step, relative error about 1e-15.
double normal_quantile(double p);

// Regularized incomplete beta I_x(a, b) for a, b > 0, x in [0, 1], by the Lentz continued
// fraction (Numerical Recipes 6.4) run to convergence at 1e-15; `one_minus_x` is 1 - x
// given separately so that callers can avoid cancellation when x is near 1.
double incomplete_beta(double a, double b, double x, double one_minus_x);

// Student's t distribution with `df` > 0 degrees of freedom (df need not be an integer,
// as with Welch–Satterthwaite). CDF accurate to about 1e-13 absolute up to df = 1e6
// (incomplete beta) and 1e-12 beyond (normal plus its first correction in 1 / df).
double student_t_cdf(double t, double df);
// P(|T| >= |t|), computed directly (not 1 - cdf) so small p-values keep their digits.
double student_t_two_sided_p(double t, double df);
// The t with student_t_cdf(t, df) = p, for p in (0, 1), by bisection to full precision.
double student_t_quantile(double p, double df);

}  // namespace geosim::stats
