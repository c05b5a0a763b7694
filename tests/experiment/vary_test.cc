#include "experiment/vary.h"

#include <gtest/gtest.h>

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
