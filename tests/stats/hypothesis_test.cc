#include "stats/hypothesis.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "stats/distributions.h"

namespace geosim::stats {
namespace {

// Reference: t, df and p for these summaries computed in Python (Welch–Satterthwaite df,
// p by Simpson integration of the t density).
TEST(WelchTTest, MatchesHandComputedValues) {
  TestResult r = welch_t_test(20, 2, 10, 22, 3, 12);
  ASSERT_TRUE(r.valid);
  EXPECT_NEAR(r.statistic, -1.8650096164806276, 1e-13);
  EXPECT_NEAR(r.df, 19.190545987541217, 1e-11);
  EXPECT_NEAR(r.p_value, 0.07754643868199829, 1e-10);
  EXPECT_EQ(r.difference, -2);
  // The interval is difference +- t_crit se, and its ends are where p would be 0.05.
  double se = std::sqrt(0.4 + 0.75);
  double t_crit = (r.ci.high - r.difference) / se;
  EXPECT_NEAR(r.difference - r.ci.low, r.ci.high - r.difference, 1e-12);
  EXPECT_NEAR(student_t_two_sided_p(t_crit, r.df), 0.05, 1e-12);
  EXPECT_GT(r.ci.high, 0);  // not significant at 5%: the interval holds 0
}

TEST(WelchTTest, EqualVariancesAndSizesGiveTheClassicDf) {
  TestResult r = welch_t_test(1, 1, 11, 0, 1, 11);
  EXPECT_NEAR(r.df, 20, 1e-12);
  EXPECT_NEAR(r.statistic, 1 / std::sqrt(2.0 / 11), 1e-14);
}

TEST(WelchTTest, DegenerateCases) {
  EXPECT_FALSE(welch_t_test(1, 0, 1, 2, 1, 10).valid);
  TestResult same = welch_t_test(3, 0, 5, 3, 0, 5);
  EXPECT_TRUE(same.valid);
  EXPECT_EQ(same.p_value, 1);
  EXPECT_EQ(same.statistic, 0);
  TestResult apart = welch_t_test(3, 0, 5, 4, 0, 5);
  EXPECT_EQ(apart.p_value, 0);
  EXPECT_EQ(apart.statistic, -INFINITY);
  EXPECT_EQ(apart.ci.low, -1);
  EXPECT_EQ(apart.ci.high, -1);
}

TEST(WelchTTest, FalsePositiveRateIsFivePercentUnderTheNull) {
  // 2000 pairs of samples from the same normal (unequal sizes): p < 0.05 in 5% of them,
  // within 3 standard errors.
  std::mt19937_64 rng(17);
  std::normal_distribution<double> norm(5, 2);
  int rejected = 0;
  const int trials = 2000;
  for (int t = 0; t < trials; ++t) {
    auto summary = [&](int n, double& mean, double& sd) {
      double s = 0, s2 = 0;
      std::vector<double> xs(n);
      for (double& x : xs) s += (x = norm(rng));
      mean = s / n;
      for (double x : xs) s2 += (x - mean) * (x - mean);
      sd = std::sqrt(s2 / (n - 1));
    };
    double ma, sa, mb, sb;
    summary(8, ma, sa);
    summary(20, mb, sb);
    rejected += welch_t_test(ma, sa, 8, mb, sb, 20).p_value < 0.05;
  }
  double se = std::sqrt(0.05 * 0.95 / trials);
  EXPECT_NEAR(static_cast<double>(rejected) / trials, 0.05, 3 * se);
}

TEST(TwoProportionZTest, MatchesHandComputedValues) {
  TestResult r = two_proportion_z_test(0.5, 100, 0.4, 100);
  ASSERT_TRUE(r.valid);
  EXPECT_NEAR(r.statistic, 1.4213381090374029, 1e-13);
  EXPECT_NEAR(r.p_value, 0.15521848968468402, 1e-13);
  EXPECT_NEAR(r.difference, 0.1, 1e-15);
}

// Newcombe (1998), Table II, example (a): 56/70 versus 48/80, method 10 gives 0.0524 to
// 0.3339.
TEST(TwoProportionZTest, IntervalIsNewcombesHybridScore) {
  TestResult r = two_proportion_z_test(56.0 / 70, 70, 48.0 / 80, 80);
  EXPECT_NEAR(r.ci.low, 0.05243147240236498, 1e-13);
  EXPECT_NEAR(r.ci.high, 0.333872654036906, 1e-13);
  EXPECT_NEAR(r.ci.low, 0.0524, 5e-5);
  EXPECT_NEAR(r.ci.high, 0.3339, 5e-5);
}

TEST(TwoProportionZTest, DegenerateCases) {
  EXPECT_FALSE(two_proportion_z_test(0.5, 0, 0.5, 10).valid);
  TestResult zeros = two_proportion_z_test(0, 50, 0, 80);
  EXPECT_TRUE(zeros.valid);
  EXPECT_EQ(zeros.p_value, 1);
  EXPECT_EQ(zeros.statistic, 0);
  EXPECT_LT(zeros.ci.low, 0);
  EXPECT_GT(zeros.ci.high, 0);
  TestResult all_vs_none = two_proportion_z_test(1, 30, 0, 30);
  EXPECT_LT(all_vs_none.p_value, 1e-12);
  EXPECT_LE(all_vs_none.ci.high, 1);
}

}  // namespace
}  // namespace geosim::stats
