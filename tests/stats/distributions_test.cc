#include "stats/distributions.h"

#include <gtest/gtest.h>

#include <cmath>

namespace geosim::stats {
namespace {

// Reference values: Python's statistics.NormalDist, closed forms for the t distribution
// with 1 and 2 degrees of freedom, and the closed-form CDF for even df (df = 10).
TEST(NormalDistribution, CdfAndQuantileMatchReferenceValues) {
  EXPECT_NEAR(normal_cdf(-1), 0.15865525393145707, 1e-16);
  EXPECT_NEAR(normal_cdf(1.959963984540054), 0.975, 1e-15);
  EXPECT_NEAR(normal_quantile(0.975), 1.9599639845400536, 1e-14);
  EXPECT_NEAR(normal_quantile(0.025), -1.9599639845400538, 1e-14);
  EXPECT_NEAR(normal_quantile(0.999), 3.090232306167813, 1e-14);
  EXPECT_NEAR(normal_quantile(1e-10), -6.361340902404056, 1e-13);
  EXPECT_NEAR(normal_quantile(1 - 1e-12), 7.0344869100478356, 1e-9);
  EXPECT_EQ(normal_quantile(0.5), 0);
}

TEST(IncompleteBeta, MatchesTheBinomialSumForIntegerParameters) {
  // I_0.4(2, 3) = sum_{j=2..4} C(4, j) 0.4^j 0.6^(4-j)
  EXPECT_NEAR(incomplete_beta(2, 3, 0.4, 0.6), 0.5248, 1e-15);
  EXPECT_NEAR(incomplete_beta(3, 2, 0.6, 0.4), 1 - 0.5248, 1e-15);
  EXPECT_EQ(incomplete_beta(2, 3, 0, 1), 0);
  EXPECT_EQ(incomplete_beta(2, 3, 1, 0), 1);
}

TEST(StudentT, TwoSidedPValuesMatchPublishedValues) {
  EXPECT_NEAR(student_t_two_sided_p(2.0, 10), 0.0733880347707403, 1e-12);
  EXPECT_NEAR(student_t_two_sided_p(-2.0, 10), 0.0733880347707403, 1e-12);
  EXPECT_NEAR(student_t_two_sided_p(1, 1), 0.5, 1e-14);  // Cauchy
  EXPECT_NEAR(student_t_two_sided_p(0, 7), 1, 1e-15);
  // Large df: the normal tail plus its first correction, phi(z) (z^3 + z) / (2 df), on
  // both sides of the switch from the incomplete beta at df = 1e6.
  const double z = 1.959963984540054, phi = std::exp(-z * z / 2) / std::sqrt(2 * M_PI);
  for (double df : {1e5, 1e6, 1.0001e6, 1e7, 1e9}) {
    double o2 = 1 / (df * df) + 1e-15;  // the dropped 1 / df^2 term, and rounding
    EXPECT_NEAR(student_t_two_sided_p(z, df), 0.05 + phi * (z * z * z + z) / (2 * df), o2) << df;
  }
  // A tiny p-value keeps its relative precision (no 1 - cdf).
  double p = student_t_two_sided_p(40, 30);
  EXPECT_GT(p, 0);
  EXPECT_LT(p, 1e-25);
}

TEST(StudentT, CdfMatchesClosedFormsForOneAndTwoDegreesOfFreedom) {
  for (double t : {-3.0, -0.5, 0.25, 1.5, 10.0}) {
    EXPECT_NEAR(student_t_cdf(t, 1), 0.5 + std::atan(t) / M_PI, 1e-14) << t;
    EXPECT_NEAR(student_t_cdf(t, 2), 0.5 + t / (2 * std::sqrt(2 + t * t)), 1e-14) << t;
  }
  EXPECT_NEAR(student_t_cdf(1.5, 2), 0.8638034375544994, 1e-14);
}

TEST(StudentT, QuantilesMatchClosedFormsAndTables) {
  EXPECT_NEAR(student_t_quantile(0.975, 1), 12.706204736174696, 1e-11);
  EXPECT_NEAR(student_t_quantile(0.975, 2), 4.302652729749464, 1e-12);
  EXPECT_NEAR(student_t_quantile(0.975, 10), 2.228138851986273, 1e-12);
  EXPECT_NEAR(student_t_quantile(0.025, 10), -2.228138851986273, 1e-12);
  EXPECT_NEAR(student_t_quantile(0.975, 1e8), 1.959963984540054, 1e-7);
  EXPECT_EQ(student_t_quantile(0.5, 3), 0);
}

}  // namespace
}  // namespace geosim::stats
