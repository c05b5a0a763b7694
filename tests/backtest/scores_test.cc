// Scores against values computed by hand (docs/backtest.md), and the fold assignment.
#include "backtest/scores.h"

#include <gtest/gtest.h>

#include <cmath>

#include "backtest/backtest.h"

namespace geosim::backtest {
namespace {

// p = 0.9 0.8 0.8 0.3 0.1, o = 1 1 0 0 1.
const std::vector<double> kP = {0.9, 0.8, 0.8, 0.3, 0.1};
const std::vector<int> kO = {1, 1, 0, 0, 1};

TEST(Scores, BrierByHand) {
  // (0.01 + 0.04 + 0.64 + 0.09 + 0.81) / 5
  EXPECT_NEAR(brier(kP, kO), 1.59 / 5, 1e-15);
}

TEST(Scores, LogScoreByHandAndClip) {
  const double want =
      (std::log(0.9) + std::log(0.8) + std::log(0.2) + std::log(0.7) + std::log(0.1)) / 5;
  EXPECT_NEAR(log_score(kP, kO, 1e-3), want, 1e-15);
  // A probability of 0 for what happened is clipped, never -inf.
  EXPECT_NEAR(log_score({0.0}, {1}, 0.01), std::log(0.01), 1e-15);
  EXPECT_NEAR(log_score({1.0}, {0}, 0.01), std::log(0.01), 1e-15);
}

TEST(Scores, AucWithTiesCountedHalf) {
  // Positives 0.9 0.8 0.1 against negatives 0.8 0.3: 1 + 1 + 0.5 + 1 + 0 + 0 = 3.5 of 6.
  EXPECT_NEAR(auc(kP, kO), 3.5 / 6, 1e-15);
  EXPECT_DOUBLE_EQ(auc({0.2, 0.2, 0.2}, {1, 0, 1}), 0.5);  // all tied: chance
  EXPECT_DOUBLE_EQ(auc({0.1, 0.9}, {0, 1}), 1.0);
  EXPECT_TRUE(std::isnan(auc({0.1, 0.9}, {1, 1})));  // no negative case
}

TEST(Scores, ReliabilityBins) {
  const auto bins = reliability(kP, kO, 10);
  ASSERT_EQ(bins.size(), 10u);
  EXPECT_EQ(bins[0].count, 0);
  EXPECT_TRUE(std::isnan(bins[0].mean_predicted));
  EXPECT_EQ(bins[1].count, 1);  // 0.1
  EXPECT_EQ(bins[1].positives, 1);
  EXPECT_EQ(bins[3].count, 1);  // 0.3
  EXPECT_EQ(bins[3].positives, 0);
  EXPECT_EQ(bins[8].count, 2);  // 0.8, 0.8: one yes
  EXPECT_NEAR(bins[8].mean_predicted, 0.8, 1e-15);
  EXPECT_DOUBLE_EQ(bins[8].observed_frequency, 0.5);
  // Wilson 95% for 1 of 2: (0.5 +- 1.96 sqrt(0.125 + 0.2401)) / 2.9208 around 0.5.
  EXPECT_NEAR(bins[8].ci_low, 0.0945312, 1e-6);
  EXPECT_NEAR(bins[8].ci_high, 0.9054688, 1e-6);
  EXPECT_EQ(bins[9].count, 1);  // 0.9; a probability of 1 falls in the last bin too
  EXPECT_EQ(reliability({1.0}, {1}, 10)[9].count, 1);
  EXPECT_DOUBLE_EQ(bins[8].lo, 0.8);
  EXPECT_DOUBLE_EQ(bins[8].hi, 0.9);
}

TEST(Scores, MultiClassByHand) {
  const std::vector<std::vector<double>> p = {{0.7, 0.2, 0.1}, {0.1, 0.6, 0.3}};
  const std::vector<int> cls = {0, 2};
  // (0.09 + 0.04 + 0.01 + 0.01 + 0.36 + 0.49) / 2
  EXPECT_NEAR(brier_multiclass(p, cls), 0.5, 1e-15);
  EXPECT_NEAR(log_score_multiclass(p, cls, 1e-3), (std::log(0.7) + std::log(0.3)) / 2, 1e-15);
  // Two classes: twice the binary Brier.
  EXPECT_NEAR(brier_multiclass({{0.2, 0.8}, {0.6, 0.4}}, {1, 0}), 2 * brier({0.8, 0.4}, {1, 0}),
              1e-15);
}

TEST(Folds, LeaveOneOutAndKFold) {
  EXPECT_EQ(assign_folds(4, 0, 1), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(assign_folds(4, 9, 1), (std::vector<int>{0, 1, 2, 3}));  // K >= n: leave-one-out
  const auto f = assign_folds(23, 5, 7);
  std::vector<int> size(5, 0);
  for (int x : f) ++size[static_cast<size_t>(x)];
  for (int s : size) EXPECT_TRUE(s == 4 || s == 5);  // sizes differ by at most one
  EXPECT_EQ(f, assign_folds(23, 5, 7));              // a function of the seed
  EXPECT_NE(f, assign_folds(23, 5, 8));
}

}  // namespace
}  // namespace geosim::backtest
