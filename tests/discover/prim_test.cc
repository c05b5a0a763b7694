#include "discover/prim.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

#include "discover/output.h"

namespace geosim::discover {
namespace {

// A deterministic uniform in [0, 1) (splitmix64), so the data do not depend on a library.
double unit(uint64_t& s) {
  uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return static_cast<double>((z ^ (z >> 31)) >> 11) * 0x1p-53;
}

// n rows of k uniform inputs; y = 1 with probability p_in inside the planted boxes, p_out
// outside.
Dataset planted(size_t n, size_t k, double p_in, double p_out, bool two_boxes, uint64_t seed) {
  Dataset d;
  for (size_t j = 0; j < k; ++j) {
    d.names.push_back("x" + std::to_string(j + 1));
    d.columns.emplace_back();
  }
  for (size_t i = 0; i < n; ++i) {
    std::vector<double> x(k);
    for (size_t j = 0; j < k; ++j) d.columns[j].push_back(x[j] = unit(seed));
    bool in = x[0] >= 0.2 && x[0] <= 0.6 && x[1] >= 0.7;
    if (two_boxes) in = in || (x[2] <= 0.25 && x[3] <= 0.3);
    d.y.push_back(unit(seed) < (in ? p_in : p_out));
  }
  return d;
}

TEST(SdtoolkitQuantile, MatchesTheWorkbenchRuleWithTies) {
  EXPECT_DOUBLE_EQ(sdtoolkit_quantile({1, 2, 3, 4, 5}, 0.05), 1.5);  // i = 0.2: (x0 + x1)/2
  EXPECT_DOUBLE_EQ(sdtoolkit_quantile({1, 2, 3, 4, 5}, 0.95), 4.5);  // i = 3.8: (x3 + x4)/2
  EXPECT_DOUBLE_EQ(sdtoolkit_quantile({1, 1, 1, 2, 3}, 0.05), 1.5);  // moved past the ties
  EXPECT_DOUBLE_EQ(sdtoolkit_quantile({1, 2, 3, 3, 3}, 0.95), 2.5);
  EXPECT_DOUBLE_EQ(sdtoolkit_quantile({7, 7, 7}, 0.05), 7.0);
}

TEST(BinomialUpperTail, MatchesClosedForms) {
  EXPECT_DOUBLE_EQ(binomial_upper_tail(0, 10, 0.3), 1.0);
  EXPECT_NEAR(binomial_upper_tail(10, 10, 0.5), std::pow(0.5, 10), 1e-15);
  EXPECT_NEAR(binomial_upper_tail(1, 4, 0.2), 1 - std::pow(0.8, 4), 1e-14);
  // P(X >= 2), n = 3, p = 0.5: 4/8.
  EXPECT_NEAR(binomial_upper_tail(2, 3, 0.5), 0.5, 1e-14);
  EXPECT_EQ(binomial_upper_tail(5, 4, 0.5), 0.0);
}

TEST(Prim, RecoversAPlantedBoxWithSignificantRestrictions) {
  Dataset d = planted(20000, 6, 0.95, 0.03, false, 11);
  PrimResult r = prim(d);
  ASSERT_EQ(r.boxes.size(), 1u);
  const FoundBox& b = r.boxes[0];
  const TradeoffPoint& c = b.trajectory[b.chosen];
  EXPECT_NEAR(c.box.low[0], 0.2, 0.03);
  EXPECT_NEAR(c.box.high[0], 0.6, 0.03);
  EXPECT_NEAR(c.box.low[1], 0.7, 0.03);
  EXPECT_GT(c.density, 0.85);
  EXPECT_GT(c.coverage, 0.5);
  EXPECT_LT(b.p_low[0], 1e-10);
  EXPECT_LT(b.p_high[0], 1e-10);
  EXPECT_LT(b.p_low[1], 1e-10);
  // The trade-off curve: density rises while coverage falls along the peeling.
  EXPECT_EQ(b.trajectory[0].mass, 1.0);
  EXPECT_EQ(b.trajectory[0].coverage, 1.0);
  for (size_t t = 1; t < b.trajectory.size(); ++t) {
    if (b.trajectory[t].pasted) continue;
    EXPECT_GT(b.trajectory[t].density, b.trajectory[t - 1].density);
    EXPECT_LE(b.trajectory[t].coverage, b.trajectory[t - 1].coverage);
  }
}

TEST(Prim, CoveringFindsASecondPlantedBox) {
  Dataset d = planted(20000, 5, 0.95, 0.02, true, 3);
  PrimOptions o;
  o.boxes = 2;
  o.min_density = 0.8;
  PrimResult r = prim(d, o);
  ASSERT_EQ(r.boxes.size(), 2u);
  // One box restricts x1 and x2, the other x3 and x4 (from below 0.25 and 0.3).
  bool first_second = false, third_fourth = false;
  for (const FoundBox& b : r.boxes) {
    const TradeoffPoint& c = b.trajectory[b.chosen];
    EXPECT_GE(c.density, 0.8);
    if (std::fabs(c.box.low[1] - 0.7) < 0.05) first_second = true;
    if (std::fabs(c.box.high[2] - 0.25) < 0.05 && std::fabs(c.box.high[3] - 0.3) < 0.05)
      third_fourth = true;
  }
  EXPECT_TRUE(first_second);
  EXPECT_TRUE(third_fourth);
}

TEST(Prim, NoStructureGivesNoBoxAndOutputsStillHaveHeaders) {
  Dataset d = planted(2000, 3, 0.1, 0.1, false, 5);
  for (auto& v : d.y) v = 1;  // every row a case: nothing to gain
  PrimResult r = prim(d);
  EXPECT_TRUE(r.boxes.empty());
  EXPECT_EQ(boxes_csv(d, r).substr(0, 9), "box,input");
  EXPECT_EQ(tradeoff_csv(r).substr(0, 9), "box,step,");
}

TEST(Prim, DoesNotDependOnRowOrderWhenValuesAreDistinct) {
  Dataset d = planted(5000, 4, 0.9, 0.05, false, 9);
  Dataset rev = d;
  for (auto& c : rev.columns) std::reverse(c.begin(), c.end());
  std::reverse(rev.y.begin(), rev.y.end());
  PrimResult a = prim(d), b = prim(rev);
  ASSERT_EQ(a.boxes.size(), b.boxes.size());
  EXPECT_EQ(boxes_csv(d, a), boxes_csv(rev, b));
}

}  // namespace
}  // namespace geosim::discover
