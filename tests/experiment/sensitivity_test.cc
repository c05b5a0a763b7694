#include "experiment/sensitivity.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <numbers>

#include "helpers.h"

namespace geosim::experiment {
namespace {

using test::specs;

std::vector<double> evaluate(const Design& d,
                             const std::function<double(const std::vector<double>&)>& f) {
  std::vector<double> y;
  for (const auto& p : d.points) y.push_back(f(p));
  return y;
}

const SensitivityRow& find(const std::vector<SensitivityRow>& rows, const std::string& parameter,
                           const std::string& index) {
  for (const SensitivityRow& r : rows) {
    if (r.parameter == parameter && r.index == index) return r;
  }
  ADD_FAILURE() << "no row " << parameter << " " << index;
  static SensitivityRow none;
  return none;
}

// The estimate is within 3 bootstrap standard errors (interval width / 3.92) of `truth`,
// and the 95% interval covers it.
void expect_index(const SensitivityRow& r, double truth) {
  double se = (r.ci_high - r.ci_low) / 3.92;
  EXPECT_NEAR(r.value, truth, 3 * se + 1e-12) << r.parameter << " " << r.index;
  EXPECT_LE(r.ci_low, truth + 1e-12) << r.parameter << " " << r.index;
  EXPECT_GE(r.ci_high, truth - 1e-12) << r.parameter << " " << r.index;
}

TEST(SobolIndices, AdditiveModelSplitsVarianceOneToFour) {
  // y = x1 + 2 x2 on the unit square: Var = 1/12 + 4/12, so S1 = ST = 0.2 and 0.8.
  Design d = sobol_design(specs({"x1=0:1", "x2=0:1"}), 4096, 1);
  auto y = evaluate(d, [](const std::vector<double>& x) { return x[0] + 2 * x[1]; });
  auto rows = sobol_indices(d, y, "y", {.resamples = 500, .seed = 9});
  ASSERT_EQ(rows.size(), 4u);
  expect_index(find(rows, "x1", "S1"), 0.2);
  expect_index(find(rows, "x2", "S1"), 0.8);
  expect_index(find(rows, "x1", "ST"), 0.2);
  expect_index(find(rows, "x2", "ST"), 0.8);
  for (const SensitivityRow& r : rows) {
    EXPECT_EQ(r.outcome, "y");
    EXPECT_NEAR(r.value, r.parameter == "x1" ? 0.2 : 0.8, 0.01);
    EXPECT_LT(r.ci_high - r.ci_low, 0.1);
  }
}

TEST(SobolIndices, IshigamiFunctionMatchesItsClosedForm) {
  // Ishigami (a=7, b=0.1) on [-pi, pi]^3: a standard test with an interaction, so that
  // ST exceeds S1 for x1 and x3, and x3 has no first-order effect.
  const double pi = std::numbers::pi;
  Design d = sobol_design(
      specs({"x1=-3.141592653589793:3.141592653589793", "x2=-3.141592653589793:3.141592653589793",
             "x3=-3.141592653589793:3.141592653589793"}),
      4096, 2);
  auto y = evaluate(d, [](const std::vector<double>& x) {
    return std::sin(x[0]) + 7 * std::pow(std::sin(x[1]), 2) +
           0.1 * std::pow(x[2], 4) * std::sin(x[0]);
  });
  auto rows = sobol_indices(d, y, "y", {.resamples = 500, .seed = 3});
  // Closed form: V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2, V1 = (1 + b pi^4/5)^2 / 2,
  // V2 = a^2/8, V13 = b^2 pi^8 (1/18 - 1/50).
  const double a = 7, b = 0.1, p4 = std::pow(pi, 4), p8 = std::pow(pi, 8);
  const double v = a * a / 8 + b * p4 / 5 + b * b * p8 / 18 + 0.5;
  const double v1 = std::pow(1 + b * p4 / 5, 2) / 2, v2 = a * a / 8;
  const double v13 = b * b * p8 * (1.0 / 18 - 1.0 / 50);
  expect_index(find(rows, "x1", "S1"), v1 / v);
  expect_index(find(rows, "x2", "S1"), v2 / v);
  expect_index(find(rows, "x3", "S1"), 0.0);
  expect_index(find(rows, "x1", "ST"), (v1 + v13) / v);
  expect_index(find(rows, "x2", "ST"), v2 / v);
  expect_index(find(rows, "x3", "ST"), v13 / v);
}

TEST(SobolIndices, FailedPointsDropTheirBaseRowOnly) {
  Design d = sobol_design(specs({"x1=0:1", "x2=0:1"}), 1024, 1);
  auto y = evaluate(d, [](const std::vector<double>& x) { return x[0] + 2 * x[1]; });
  y[5] = std::nan("");
  auto rows = sobol_indices(d, y, "y", {.resamples = 50, .seed = 1});
  EXPECT_NEAR(find(rows, "x1", "S1").value, 0.2, 0.02);
  EXPECT_NEAR(find(rows, "x2", "ST").value, 0.8, 0.02);
}

TEST(SobolIndices, ConstantOutcomeHasNoIndices) {
  Design d = sobol_design(specs({"x1=0:1"}), 16, 1);
  std::vector<double> y(d.size(), 1.0);
  for (const SensitivityRow& r : sobol_indices(d, y, "y")) EXPECT_TRUE(std::isnan(r.value));
}

TEST(SobolSecondOrder, ConstantOutcomeHasEmptyIndicesForEveryPair) {
  Design d = sobol_design(specs({"x1=0:1", "x2=0:1", "x3=0:1"}), 16, 1, true);
  std::vector<double> y(d.size(), 1.0);
  auto rows = sobol_indices(d, y, "y");
  ASSERT_EQ(rows.size(), 9u);
  for (const SensitivityRow& r : rows) EXPECT_TRUE(std::isnan(r.value));
}

TEST(SobolIndices, BootstrapIsDeterministicFromTheSeed) {
  Design d = sobol_design(specs({"x1=0:1", "x2=0:1"}), 128, 1);
  auto y = evaluate(d, [](const std::vector<double>& x) { return x[0] * x[1]; });
  auto r1 = sobol_indices(d, y, "y", {.resamples = 100, .seed = 4});
  auto r2 = sobol_indices(d, y, "y", {.resamples = 100, .seed = 4});
  auto r3 = sobol_indices(d, y, "y", {.resamples = 100, .seed = 5});
  EXPECT_EQ(r1[0].ci_low, r2[0].ci_low);
  EXPECT_EQ(r1[0].ci_high, r2[0].ci_high);
  EXPECT_NE(r1[0].ci_low, r3[0].ci_low);
}

TEST(MorrisIndices, LinearModelHasMuStarCoefficientTimesRangeAndNoSpread) {
  Design d = morris_design(specs({"a=0:1", "b=10:20", "c=-1:1"}), 20, 4, 8);
  auto y = evaluate(d, [](const std::vector<double>& x) { return 3 * x[0] - 2 * x[1] + 0 * x[2]; });
  auto rows = morris_indices(d, y, "y");
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_NEAR(find(rows, "a", "mu_star").value, 3.0, 1e-9);
  EXPECT_NEAR(find(rows, "b", "mu_star").value, 20.0, 1e-9);
  EXPECT_NEAR(find(rows, "c", "mu_star").value, 0.0, 1e-9);
  EXPECT_NEAR(find(rows, "a", "sigma").value, 0.0, 1e-9);
  EXPECT_NEAR(find(rows, "b", "sigma").value, 0.0, 1e-9);
  EXPECT_NEAR(find(rows, "b", "mu_star").ci_low, 20.0, 1e-9);
  EXPECT_NEAR(find(rows, "b", "mu_star").ci_high, 20.0, 1e-9);
  EXPECT_TRUE(std::isnan(find(rows, "b", "sigma").ci_low));
}

TEST(MorrisIndices, InteractionShowsAsSpread) {
  // y = a*b on [0,1]^2 with 4 levels: a's effect is b (a level in {0,1/3,2/3,1}), so
  // its elementary effects vary and sigma > 0.
  Design d = morris_design(specs({"a=0:1", "b=0:1"}), 50, 4, 2);
  auto y = evaluate(d, [](const std::vector<double>& x) { return x[0] * x[1]; });
  auto rows = morris_indices(d, y, "y");
  EXPECT_GT(find(rows, "a", "sigma").value, 0.1);
  EXPECT_GT(find(rows, "a", "mu_star").value, 0.2);
  EXPECT_LT(find(rows, "a", "mu_star").value, 0.8);
  EXPECT_LE(find(rows, "a", "mu_star").ci_low, find(rows, "a", "mu_star").value);
  EXPECT_GE(find(rows, "a", "mu_star").ci_high, find(rows, "a", "mu_star").value);
}

TEST(MorrisIndices, FailedPointsDropOnlyTheirEffects) {
  Design d = morris_design(specs({"a=0:1", "b=0:2"}), 10, 4, 3);
  auto y = evaluate(d, [](const std::vector<double>& x) { return 5 * x[0] + x[1]; });
  y[0] = std::nan("");
  auto rows = morris_indices(d, y, "y");
  EXPECT_NEAR(find(rows, "a", "mu_star").value, 5.0, 1e-9);
  EXPECT_NEAR(find(rows, "b", "mu_star").value, 2.0, 1e-9);
}

TEST(SensitivityFields, WriteEmptyFieldsForMissingIntervals) {
  SensitivityRow r{"o", "p", "sigma", 0.25, std::nan(""), std::nan("")};
  EXPECT_EQ(sensitivity_fields(r),
            (std::vector<std::string>{"o", "p", "sigma", "0.25", "", "", "mean"}));
  EXPECT_EQ(sensitivity_header().size(), 7u);
  EXPECT_EQ(sensitivity_header().back(), "statistic");
}

TEST(SobolSecondOrder, ProductOfTwoUniformsHasAnInteractionOfOneSeventh) {
  // y = x1 x2 on U(0,1)^2: V = 1/9 - 1/16 = 7/144, V1 = V2 = Var(x/2) = 1/48, so
  // S1 = S2 = 3/7 and the interaction S12 = 1 - 6/7 = 1/7; ST = 4/7.
  Design d = sobol_design(specs({"x1=0:1", "x2=0:1"}), 4096, 1, true);
  ASSERT_EQ(d.size(), 4096u * 6);
  auto y = evaluate(d, [](const std::vector<double>& x) { return x[0] * x[1]; });
  auto rows = sobol_indices(d, y, "y", {.resamples = 300, .seed = 2});
  ASSERT_EQ(rows.size(), 5u);
  expect_index(find(rows, "x1", "S1"), 3.0 / 7);
  expect_index(find(rows, "x2", "S1"), 3.0 / 7);
  expect_index(find(rows, "x1", "ST"), 4.0 / 7);
  expect_index(find(rows, "x1:x2", "S2"), 1.0 / 7);
  EXPECT_NEAR(find(rows, "x1:x2", "S2").value, 1.0 / 7, 0.02);
}

TEST(SobolSecondOrder, IshigamiInteractsOnlyThroughX1AndX3) {
  // Ishigami (a=7, b=0.1): the only interaction is x1 with x3, V13 = b^2 pi^8 (1/18-1/50).
  const std::string r = "=-3.141592653589793:3.141592653589793";
  Design d = sobol_design(specs({"x1" + r, "x2" + r, "x3" + r}), 8192, 5, true);
  auto y = evaluate(d, [](const std::vector<double>& x) {
    return std::sin(x[0]) + 7 * std::pow(std::sin(x[1]), 2) +
           0.1 * std::pow(x[2], 4) * std::sin(x[0]);
  });
  auto rows = sobol_indices(d, y, "y", {.resamples = 300, .seed = 3});
  const double pi = std::numbers::pi, b = 0.1, p4 = std::pow(pi, 4), p8 = std::pow(pi, 8);
  const double v = 49.0 / 8 + b * p4 / 5 + b * b * p8 / 18 + 0.5;
  const double v13 = b * b * p8 * (1.0 / 18 - 1.0 / 50);
  expect_index(find(rows, "x1:x3", "S2"), v13 / v);
  expect_index(find(rows, "x1:x2", "S2"), 0.0);
  expect_index(find(rows, "x2:x3", "S2"), 0.0);
}

TEST(SobolIndices, DeclaredNormalInputsSplitVarianceByTheirVariances) {
  // y = x1 + x2 with x1 ~ N(0, 1), x2 ~ N(3, 2): S1 = 1/5 and 4/5.
  Design d = sobol_design(specs({"x1=normal(0,1)", "x2=normal(3,2)"}), 4096, 7);
  auto y = evaluate(d, [](const std::vector<double>& x) { return x[0] + x[1]; });
  auto rows = sobol_indices(d, y, "y", {.resamples = 300, .seed = 1});
  expect_index(find(rows, "x1", "S1"), 0.2);
  expect_index(find(rows, "x2", "S1"), 0.8);
}

}  // namespace
}  // namespace geosim::experiment
