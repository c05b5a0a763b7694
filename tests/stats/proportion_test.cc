#include "stats/proportion.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace geosim::stats {
namespace {

// Published values: Newcombe (1998), Statistics in Medicine 17:857, Table I, give
// 81/263 -> 0.2553 to 0.3662; 0/10 and 5/10 are the usual textbook cases. The expected
// digits below are the Wilson formula evaluated in Python.
TEST(Wilson, MatchesPublishedIntervals) {
  Interval a = wilson_interval(0, 10);
  EXPECT_EQ(a.low, 0);
  EXPECT_NEAR(a.high, 0.2775327998628892, 1e-15);
  Interval b = wilson_interval(5, 10);
  EXPECT_NEAR(b.low, 0.236593090512564, 1e-15);
  EXPECT_NEAR(b.high, 0.7634069094874361, 1e-15);
  Interval c = wilson_interval(81, 263);
  EXPECT_NEAR(c.low, 0.2552885198782742, 1e-15);
  EXPECT_NEAR(c.high, 0.36620957698280004, 1e-15);
  EXPECT_NEAR(c.low, 0.2553, 5e-5);
  EXPECT_NEAR(c.high, 0.3662, 5e-5);
}

TEST(Wilson, BoundsStayInsideTheUnitIntervalAndHitItsEnds) {
  Interval all = wilson_interval(10, 10);
  EXPECT_NEAR(all.low, 0.7224672001371107, 1e-15);
  EXPECT_EQ(all.high, 1);
  Interval none = wilson_interval(0, 0);
  EXPECT_EQ(none.low, 0);
  EXPECT_EQ(none.high, 1);
  for (int64_t n : {1, 2, 7, 1000, 1000000}) {
    for (int64_t s = 0; s <= n; s += std::max<int64_t>(1, n / 13)) {
      Interval ci = wilson_interval(s, n);
      double p = static_cast<double>(s) / static_cast<double>(n);
      EXPECT_LE(0, ci.low);
      EXPECT_LE(ci.low, p);
      EXPECT_LE(p, ci.high);
      EXPECT_LE(ci.high, 1);
    }
  }
}

TEST(Wilson, CoverageIsNearNinetyFivePercent) {
  // 2000 binomial experiments with p = 0.1, n = 50: the interval must cover p in
  // 95% of them, within 3 standard errors of a binomial proportion (sqrt(.95 .05 / 2000)).
  std::mt19937_64 rng(8);
  std::binomial_distribution<int> binom(50, 0.1);
  int covered = 0;
  const int trials = 2000;
  for (int t = 0; t < trials; ++t) {
    Interval ci = wilson_interval(binom(rng), 50);
    covered += ci.low <= 0.1 && 0.1 <= ci.high;
  }
  double se = std::sqrt(0.95 * 0.05 / trials);
  EXPECT_NEAR(static_cast<double>(covered) / trials, 0.95, 3 * se + 0.01);
}

TEST(NormalMeanInterval, IsMeanPlusMinusZStandardErrors) {
  Interval ci = normal_mean_interval(10, 2, 100);
  EXPECT_DOUBLE_EQ(ci.low, 10 - 1.959963984540054 * 0.2);
  EXPECT_DOUBLE_EQ(ci.high, 10 + 1.959963984540054 * 0.2);
  Interval one = normal_mean_interval(3, 0, 1);
  EXPECT_EQ(one.low, 3);
  EXPECT_EQ(one.high, 3);
}

}  // namespace
}  // namespace geosim::stats
