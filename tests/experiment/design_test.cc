#include "experiment/design.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "core/error.h"
#include "helpers.h"

namespace geosim::experiment {
namespace {

using test::error_of;
using test::specs;

TEST(GridDesign, IsTheCartesianProductWithTheFirstParameterSlowest) {
  Design d = grid_design(specs({"a=1,2", "b=10:30:10", "c=5"}));
  EXPECT_EQ(d.kind, DesignKind::kGrid);
  EXPECT_EQ(d.names, (std::vector<std::string>{"a", "b", "c"}));
  std::vector<std::vector<double>> expected = {{1, 10, 5}, {1, 20, 5}, {1, 30, 5},
                                               {2, 10, 5}, {2, 20, 5}, {2, 30, 5}};
  EXPECT_EQ(d.points, expected);
}

TEST(GridDesign, CountIsTheProductOfTheValueCounts) {
  EXPECT_EQ(grid_design(specs({"a=0:1:0.1", "b=1,2,3", "c=0:3:1"})).size(), 11u * 3u * 4u);
}

TEST(GridDesign, RefusesBareRangesDuplicatesAndHugeProducts) {
  EXPECT_NE(error_of([] { grid_design(specs({"a=0:1"})); }).find("a grid needs the values"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              grid_design(specs({"a=1,2", "a=3"}));
            }).find("varied twice"),
            std::string::npos);
  EXPECT_NE(error_of([] { grid_design({}); }).find("at least one --vary"), std::string::npos);
  EXPECT_NE(error_of([] {
              grid_design(specs({"a=1:1000:1", "b=1:1001:1"}));
            }).find("at most 1000000"),
            std::string::npos);
}

TEST(DesignKindNames, UnknownDesignSuggestsTheNearest) {
  EXPECT_EQ(parse_design_kind("sobol"), DesignKind::kSobol);
  EXPECT_NE(error_of([] { parse_design_kind("sobel"); }).find("did you mean 'sobol'"),
            std::string::npos);
}

TEST(LhsDesign, EveryParameterHasExactlyOnePointInEachStratum) {
  const size_t n = 37;
  Design d = lhs_design(specs({"a=0:1", "b=-5:5", "c=100:101"}), n, 42);
  ASSERT_EQ(d.size(), n);
  for (size_t j = 0; j < 3; ++j) {
    std::set<long> strata;
    for (const auto& p : d.points) {
      double unit = (p[j] - d.ranges[j].low) / (d.ranges[j].high - d.ranges[j].low);
      ASSERT_GE(unit, 0.0);
      ASSERT_LT(unit, 1.0);
      strata.insert(static_cast<long>(std::floor(unit * n)));
    }
    EXPECT_EQ(strata.size(), n) << "parameter " << d.names[j];
  }
}

TEST(LhsDesign, IsDeterministicFromTheSeed) {
  auto s = specs({"a=0:1", "b=0:1"});
  EXPECT_EQ(lhs_design(s, 20, 7).points, lhs_design(s, 20, 7).points);
  EXPECT_NE(lhs_design(s, 20, 7).points, lhs_design(s, 20, 8).points);
}

TEST(LhsDesign, RefusesListsAndSteppedRanges) {
  EXPECT_NE(error_of([] { lhs_design(specs({"a=0,1"}), 10, 1); }).find("expected LO:HI"),
            std::string::npos);
  EXPECT_NE(error_of([] { lhs_design(specs({"a=0:1:0.5"}), 10, 1); }).find("expected LO:HI"),
            std::string::npos);
}

TEST(SobolDesign, HasSaltelliBlocksOfKPlusTwoPoints) {
  const size_t n = 64;
  Design d = sobol_design(specs({"a=0:1", "b=10:20", "c=-1:0"}), n, 3);
  const size_t k = 3;
  ASSERT_EQ(d.size(), n * (k + 2));
  EXPECT_EQ(d.sobol_base_samples, n);
  for (size_t r = 0; r < n; ++r) {
    const auto& a = d.points[r * (k + 2)];
    const auto& b = d.points[r * (k + 2) + k + 1];
    for (size_t i = 0; i < k; ++i) {
      const auto& ab = d.points[r * (k + 2) + 1 + i];
      for (size_t j = 0; j < k; ++j) EXPECT_EQ(ab[j], j == i ? b[j] : a[j]);
    }
    for (size_t j = 0; j < k; ++j) {
      EXPECT_GE(a[j], d.ranges[j].low);
      EXPECT_LT(a[j], d.ranges[j].high);
    }
  }
}

TEST(SobolDesign, BaseSamplesAreBalancedAcrossHalvesOfEachRange) {
  // A Sobol sequence puts 2^m consecutive points evenly into the 2^m dyadic cells of each
  // coordinate; a digital shift permutes the cells, so the balance survives. The
  // sequence is used from its second point, so check a window that starts there.
  const size_t n = 256;
  Design d = sobol_design(specs({"a=0:1", "b=0:1"}), n, 11);
  for (size_t c = 0; c < 4; ++c) {
    size_t low_half = 0;
    for (size_t r = 0; r < n; ++r) {
      const auto& point = d.points[r * 4 + (c < 2 ? 0 : 3)];
      if (point[c % 2] < 0.5) ++low_half;
    }
    EXPECT_NEAR(static_cast<double>(low_half), n / 2.0, 1.0) << "column " << c;
  }
}

TEST(MorrisDesign, TrajectoriesMoveEachParameterOnceByDeltaOnTheGrid) {
  const size_t r = 12;
  const int levels = 4;
  Design d = morris_design(specs({"a=0:1", "b=10:20", "c=-3:3"}), r, levels, 5);
  const size_t k = 3;
  ASSERT_EQ(d.size(), r * (k + 1));
  const double delta = levels / (2.0 * (levels - 1));
  for (size_t t = 0; t < r; ++t) {
    std::set<size_t> moved;
    for (size_t s = 0; s < k; ++s) {
      const auto& p = d.points[t * (k + 1) + s];
      const auto& q = d.points[t * (k + 1) + s + 1];
      size_t j = d.morris_changed[t * k + s];
      moved.insert(j);
      EXPECT_DOUBLE_EQ(std::fabs(d.morris_step[t * k + s]), delta);
      double width = d.ranges[j].high - d.ranges[j].low;
      EXPECT_NEAR(q[j] - p[j], d.morris_step[t * k + s] * width, 1e-12 * width);
      for (size_t i = 0; i < k; ++i) {
        if (i != j) {
          EXPECT_EQ(q[i], p[i]);
        }
      }
    }
    EXPECT_EQ(moved.size(), k);
    for (size_t s = 0; s <= k; ++s) {
      for (size_t j = 0; j < k; ++j) {
        double unit =
            (d.points[t * (k + 1) + s][j] - d.ranges[j].low) / (d.ranges[j].high - d.ranges[j].low);
        double level = unit * (levels - 1);
        EXPECT_NEAR(level, std::round(level), 1e-9);
        EXPECT_GE(unit, -1e-12);
        EXPECT_LE(unit, 1 + 1e-12);
      }
    }
  }
}

TEST(MorrisDesign, RefusesAnOddNumberOfLevels) {
  EXPECT_NE(error_of([] { morris_design(specs({"a=0:1"}), 4, 3, 1); }).find("even number"),
            std::string::npos);
}

TEST(BuildDesign, FillsInDefaultSampleCounts) {
  auto s = specs({"a=0:1", "b=0:1"});
  EXPECT_EQ(build_design(DesignKind::kLhs, s, {}).size(), kDefaultLhsSamples);
  EXPECT_EQ(build_design(DesignKind::kSobol, s, {}).size(), kDefaultSobolBaseSamples * 4);
  EXPECT_EQ(build_design(DesignKind::kMorris, s, {}).size(), kDefaultMorrisTrajectories * 3);
  EXPECT_EQ(build_design(DesignKind::kSobol, s, {.samples = 8}).size(), 32u);
}

TEST(PointsDesign, ReadsOnePointPerRow) {
  Design d = points_design_from_text("a,b\n1,2\n3,-4.5\n", "p.csv");
  EXPECT_EQ(d.kind, DesignKind::kPoints);
  EXPECT_EQ(d.names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(d.points, (std::vector<std::vector<double>>{{1, 2}, {3, -4.5}}));
}

TEST(PointsDesign, ErrorsNameTheFileAndLine) {
  auto err = [](const std::string& text) {
    return error_of([&] { points_design_from_text(text, "p.csv"); });
  };
  EXPECT_NE(err("a,b\n1,2\n3,x\n").find("p.csv:3"), std::string::npos);
  EXPECT_NE(err("a,b\n1,2\n3,x\n").find("'x'"), std::string::npos);
  EXPECT_NE(err("a,b\n1,\n").find("p.csv:2"), std::string::npos);
  EXPECT_NE(err("a,a\n1,2\n").find("appears twice"), std::string::npos);
  EXPECT_NE(err("a,b\n").find("no points"), std::string::npos);
  EXPECT_NE(err("a,b\n1,2,3\n").find("p.csv:2"), std::string::npos);
  EXPECT_NE(error_of([] { points_design("/nonexistent/points.csv"); }).find("points.csv"),
            std::string::npos);
}

TEST(LhsDesign, DistributionsKeepTheirMeansAndBounds) {
  // 2000 stratified points: the sample means sit within a small fraction of an sd.
  Design d = lhs_design(specs({"a=normal(0.5,0.1)", "b=triangular(0,1,4)", "c=beta(2,5)",
                               "e=loguniform(1,100)", "f=truncnormal(0,1,0.9,0.3)"}),
                        2000, 3);
  std::vector<double> mean(5, 0.0);
  for (const auto& p : d.points) {
    for (size_t j = 0; j < 5; ++j) mean[j] += p[j] / 2000;
    EXPECT_GE(p[4], 0.0);
    EXPECT_LE(p[4], 1.0);
    EXPECT_GE(p[3], 1.0);
    EXPECT_LE(p[3], 100.0);
  }
  EXPECT_NEAR(mean[0], 0.5, 0.002);
  EXPECT_NEAR(mean[1], 5.0 / 3, 0.01);
  EXPECT_NEAR(mean[2], 2.0 / 7, 0.002);
  EXPECT_NEAR(mean[3], 99 / std::log(100.0), 0.1);
}

TEST(MorrisDesign, RefusesANonUniformDistribution) {
  EXPECT_NE(test::error_of([] {
              morris_design(specs({"x=normal(0,1)"}), 4, 4, 1);
            }).find("--design morris steps across"),
            std::string::npos);
  EXPECT_EQ(morris_design(specs({"x=uniform(0,1)"}), 4, 4, 1).size(),
            morris_design(specs({"x=0:1"}), 4, 4, 1).size());
  EXPECT_NE(test::error_of([] { grid_design(specs({"x=normal(0,1)"})); }).find("a grid needs"),
            std::string::npos);
}

TEST(SobolDesign, SecondOrderBlocksAddBWithEachColumnOfA) {
  Design d = sobol_design(specs({"x=0:1", "y=0:1", "z=0:1"}), 8, 1, true);
  ASSERT_EQ(d.size(), 8u * 8);
  for (size_t r = 0; r < 8; ++r) {
    const auto& a = d.points[r * 8];
    const auto& b = d.points[r * 8 + 7];
    for (size_t i = 0; i < 3; ++i) {
      const auto& ba = d.points[r * 8 + 4 + i];
      for (size_t j = 0; j < 3; ++j) EXPECT_EQ(ba[j], j == i ? a[j] : b[j]);
    }
  }
}

}  // namespace
}  // namespace geosim::experiment
