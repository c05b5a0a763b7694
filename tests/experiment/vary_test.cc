#include "experiment/vary.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"

namespace geosim::experiment {
namespace {

std::string error_of(const std::string& arg) {
  try {
    parse_vary(arg);
  } catch (const UserError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Vary, ListKeepsValuesInOrder) {
  VarySpec s = parse_vary("hazard.p=0.3, 0.1,0.2");
  EXPECT_EQ(s.name, "hazard.p");
  EXPECT_EQ(s.kind, VarySpec::Kind::kList);
  EXPECT_EQ(s.values, (std::vector<double>{0.3, 0.1, 0.2}));
  EXPECT_EQ(s.low, 0.1);
  EXPECT_EQ(s.high, 0.3);
}

TEST(Vary, SteppedRangeIncludesHighWhenItLandsOnAStep) {
  VarySpec s = parse_vary("x=0:1:0.1");
  ASSERT_EQ(s.values.size(), 11u);
  EXPECT_EQ(s.values[3], 0.3);
  EXPECT_EQ(s.values.back(), 1.0);
  EXPECT_EQ(parse_vary("x=1:2:0.5").values, (std::vector<double>{1, 1.5, 2}));
}

TEST(Vary, SteppedRangeStopsBelowHighWhenItDoesNotLand) {
  EXPECT_EQ(parse_vary("x=0:1:0.4").values, (std::vector<double>{0, 0.4, 0.8}));
  EXPECT_EQ(parse_vary("x=2:2:1").values, (std::vector<double>{2}));
}

TEST(Vary, BareRangeKeepsOnlyTheInterval) {
  VarySpec s = parse_vary("x=-1:1e-1");
  EXPECT_TRUE(s.is_bare_range());
  EXPECT_EQ(s.low, -1);
  EXPECT_EQ(s.high, 0.1);
  EXPECT_TRUE(s.values.empty());
}

TEST(VaryDistributions, InverseCdfsMatchClosedForms) {
  auto at = [](const std::string& arg, double u) { return parse_vary(arg).distribution.at(u); };
  EXPECT_NEAR(at("x=normal(0.5,0.1)", 0.975), 0.5 + 0.1 * 1.959963984540054, 1e-12);
  EXPECT_NEAR(at("x=normal(0.5,0.1)", 0.5), 0.5, 1e-15);
  EXPECT_TRUE(std::isfinite(at("x=normal(0,1)", 0.0)));
  // Truncated to [0, 1] around 0.5: symmetric, so the median is 0.5; stays inside.
  EXPECT_NEAR(at("x=truncnormal(0,1,0.5,0.3)", 0.5), 0.5, 1e-12);
  EXPECT_GE(at("x=truncnormal(0,1,0.9,0.3)", 0.0), 0.0);
  EXPECT_LE(at("x=truncnormal(0,1,0.9,0.3)", 1.0), 1.0);
  // Truncnormal(0, inf-ish): the half-normal's median is sd * Phi^-1(0.75).
  EXPECT_NEAR(at("x=truncnormal(0,100,0,1)", 0.5), 0.6744897501960817, 1e-9);
  // Triangular(0, 1, 4): F(mode) = 1/4; F(x) = x^2/4 below the mode.
  EXPECT_NEAR(at("x=triangular(0,1,4)", 0.25), 1.0, 1e-12);
  EXPECT_NEAR(at("x=triangular(0,1,4)", 0.01), 0.2, 1e-12);
  EXPECT_NEAR(at("x=triangular(0,1,4)", 0.97), 3.4, 1e-9);  // F = 1 - (4-x)^2/12
  // Beta(2, 2) is symmetric; Beta(1, 1) is uniform; Beta(2, 1) has F(x) = x^2.
  EXPECT_NEAR(at("x=beta(2,2)", 0.5), 0.5, 1e-12);
  EXPECT_NEAR(at("x=beta(1,1,10,20)", 0.3), 13.0, 1e-9);
  EXPECT_NEAR(at("x=beta(2,1)", 0.25), 0.5, 1e-12);
  // Log-uniform on [1, 100]: the median is 10.
  EXPECT_NEAR(at("x=loguniform(1,100)", 0.5), 10.0, 1e-12);
  EXPECT_NEAR(at("x=lognormal(0,1)", 0.5), 1.0, 1e-15);
  EXPECT_EQ(at("x=uniform(2,4)", 0.25), 2.5);
  VarySpec s = parse_vary("x=beta(2,3,1,5)");
  EXPECT_EQ(s.kind, VarySpec::Kind::kDistribution);
  EXPECT_EQ(s.low, 1);
  EXPECT_EQ(s.high, 5);
  EXPECT_TRUE(std::isinf(parse_vary("x=normal(0,1)").high));
}

TEST(VaryDistributions, MistakesAreUserErrorsWithTheForm) {
  EXPECT_NE(error_of("x=gauss(0,1)").find("unknown distribution 'gauss'"), std::string::npos);
  EXPECT_NE(error_of("x=normall(0,1)").find("did you mean 'normal'"), std::string::npos);
  EXPECT_NE(error_of("x=normal(0)").find("expected normal(MEAN,SD)"), std::string::npos);
  EXPECT_NE(error_of("x=normal(0,-1)").find("expected SD > 0"), std::string::npos);
  EXPECT_NE(error_of("x=normal(0,1").find("is not closed"), std::string::npos);
  EXPECT_NE(error_of("x=triangular(0,5,4)").find("LO <= MODE <= HI"), std::string::npos);
  EXPECT_NE(error_of("x=loguniform(0,4)").find("0 < LO < HI"), std::string::npos);
  EXPECT_NE(error_of("x=beta(1,2,3)").find("2 or 4 arguments"), std::string::npos);
  EXPECT_NE(error_of("x=truncnormal(0,1,100,0.1)").find("some of the normal"), std::string::npos);
  EXPECT_NE(error_of("x=normal(a,1)").find("argument 1: found 'a'"), std::string::npos);
}

TEST(Vary, JunkIsAUserErrorQuotingTheArgument) {
  EXPECT_NE(error_of("x").find("--vary: 'x': expected NAME=SPEC"), std::string::npos);
  EXPECT_NE(error_of("=1,2").find("expected a parameter name"), std::string::npos);
  EXPECT_NE(error_of("x=").find("nothing after '='"), std::string::npos);
  EXPECT_NE(error_of("x=0.1,abc").find("value 2: found 'abc'; expected a finite number"),
            std::string::npos);
  EXPECT_NE(error_of("x=0.1,,2").find("value 2 is empty"), std::string::npos);
  EXPECT_NE(error_of("x=nan,1").find("expected a finite number"), std::string::npos);
  EXPECT_NE(error_of("x=0:1:0").find("STEP must be greater than 0"), std::string::npos);
  EXPECT_NE(error_of("x=0:1:-1").find("STEP must be greater than 0"), std::string::npos);
  EXPECT_NE(error_of("x=1:0:0.1").find("LO is greater than HI"), std::string::npos);
  EXPECT_NE(error_of("x=1:1").find("LO must be less than HI"), std::string::npos);
  EXPECT_NE(error_of("x=0:1:1e-7").find("more than 1000000 values"), std::string::npos);
  EXPECT_NE(error_of("x=0:1:2:3").find("too many ':'"), std::string::npos);
  EXPECT_NE(error_of("x=0:1,2").find("mixes ',' and ':'"), std::string::npos);
}

TEST(Vary, AMillionPointsIsStillAllowed) {
  EXPECT_EQ(parse_vary("x=1:1000000:1").values.size(), 1000000u);
}

}  // namespace
}  // namespace geosim::experiment
