#include "discover/prim.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "discover/cart.h"
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

// ---- CART ---------------------------------------------------------------------------------

// The one box of a pruned tree grown on a planted box, limits per input.
TEST(Cart, RecoversAPlantedBoxWithSignificantRestrictions) {
  Dataset d = planted(20000, 6, 0.95, 0.03, false, 11);
  CartOptions o;
  o.ccp_alpha = 0.002;
  CartResult r = cart(d, o);
  EXPECT_EQ(r.min_leaf, 1000);  // 5% of the rows
  ASSERT_EQ(r.boxes.size(), 1u);
  const CartBox& b = r.boxes[0];
  EXPECT_NEAR(b.box.low[0], 0.2, 0.03);
  EXPECT_NEAR(b.box.high[0], 0.6, 0.03);
  EXPECT_NEAR(b.box.low[1], 0.7, 0.03);
  EXPECT_EQ(b.box.high[1], r.initial.high[1]);
  for (size_t j = 2; j < 6; ++j) {
    EXPECT_EQ(b.box.low[j], r.initial.low[j]) << j;
    EXPECT_EQ(b.box.high[j], r.initial.high[j]) << j;
  }
  EXPECT_LT(b.p_low[0], 1e-10);
  EXPECT_LT(b.p_high[0], 1e-10);
  EXPECT_LT(b.p_low[1], 1e-10);
  EXPECT_TRUE(std::isnan(b.p_high[1]));
  // Expected density: 0.95 inside; the box holds about 0.4 x 0.3 of the rows.
  EXPECT_NEAR(b.density, 0.95, 0.02);
  EXPECT_NEAR(b.mass, 0.12, 0.01);
  EXPECT_EQ(r.nodes[static_cast<size_t>(b.node)].box_number, 1);
  // boxes.csv: one row per restricted input (x1 both sides, x2 below), method cart.
  const std::string csv = boxes_csv(d, r);
  EXPECT_NE(csv.find("\n1,x1,"), std::string::npos);
  EXPECT_NE(csv.find("\n1,x2,"), std::string::npos);
  EXPECT_EQ(csv.find("\n1,x3,"), std::string::npos);
  EXPECT_NE(csv.find(",cart," + std::to_string(b.node) + "\n"), std::string::npos) << csv;
}

TEST(Cart, LeavesKeepMinLeafRowsAndTheDepthCap) {
  Dataset d = planted(5000, 4, 0.9, 0.05, true, 3);
  CartOptions o;
  o.min_leaf = 40;
  o.max_depth = 3;
  CartResult r = cart(d, o);
  ASSERT_GT(r.nodes.size(), 1u);
  int64_t leaf_rows = 0, leaf_cases = 0;
  for (const CartNode& n : r.nodes) {
    EXPECT_LE(n.depth, 3);
    EXPECT_GE(n.rows, 40);
    if (n.input < 0) {
      leaf_rows += n.rows;
      leaf_cases += n.cases;
    } else {
      // Children partition their parent.
      const CartNode& l = r.nodes[static_cast<size_t>(n.left_child)];
      const CartNode& g = r.nodes[static_cast<size_t>(n.right_child)];
      EXPECT_EQ(l.rows + g.rows, n.rows);
      EXPECT_EQ(l.cases + g.cases, n.cases);
      EXPECT_EQ(l.box.high[static_cast<size_t>(n.input)], n.threshold);
      EXPECT_EQ(g.box.low[static_cast<size_t>(n.input)], n.threshold);
    }
  }
  EXPECT_EQ(leaf_rows, r.total_rows);
  EXPECT_EQ(leaf_cases, r.total_cases);
  // tree.csv: a header and one row per node.
  const std::string tree = tree_csv(d, r);
  EXPECT_EQ(tree.substr(0, tree.find('\n')),
            "node,parent,side,depth,input,threshold,rows,cases,share,box");
  EXPECT_EQ(static_cast<size_t>(std::count(tree.begin(), tree.end(), '\n')), r.nodes.size() + 1);
}

TEST(Cart, NoStructureGivesOneLeafAndNoBox) {
  Dataset d = planted(2000, 3, 0.1, 0.1, false, 5);
  for (auto& v : d.y) v = 0;  // no case at all: nothing to split
  CartResult r = cart(d);
  EXPECT_EQ(r.nodes.size(), 1u);
  EXPECT_TRUE(r.boxes.empty());
  EXPECT_EQ(boxes_csv(d, r).substr(0, 9), "box,input");
}

TEST(Cart, DoesNotDependOnRowOrder) {
  Dataset d = planted(5000, 4, 0.9, 0.05, true, 9);
  for (auto& v : d.columns[3]) v = std::round(v * 5) / 5;  // ties too
  Dataset rev = d;
  for (auto& c : rev.columns) std::reverse(c.begin(), c.end());
  std::reverse(rev.y.begin(), rev.y.end());
  CartOptions o;
  o.min_leaf = 50;
  CartResult a = cart(d, o), b = cart(rev, o);
  EXPECT_EQ(tree_csv(d, a), tree_csv(rev, b));
  EXPECT_EQ(boxes_csv(d, a), boxes_csv(rev, b));
  EXPECT_FALSE(a.boxes.empty());
}

}  // namespace
}  // namespace geosim::discover
