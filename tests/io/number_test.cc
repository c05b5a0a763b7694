#include "io/number.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

namespace geosim::io {
namespace {

TEST(FormatDouble, IntegralValuesHaveNoDecimalPoint) {
  EXPECT_EQ(format_double(3.0), "3");
  EXPECT_EQ(format_double(-12.0), "-12");
  EXPECT_EQ(format_double(0.0), "0");
  EXPECT_EQ(format_double(1e6), "1000000");
  EXPECT_EQ(format_double(9007199254740991.0), "9007199254740991");
  EXPECT_EQ(format_double(1e20), "1e+20");
}

TEST(FormatDouble, NegativeZeroKeepsItsSign) { EXPECT_EQ(format_double(-0.0), "-0"); }

TEST(FormatDouble, UsesTheShortestText) {
  EXPECT_EQ(format_double(0.1), "0.1");
  EXPECT_EQ(format_double(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(format_double(1e300), "1e+300");
  EXPECT_EQ(format_double(5e-324), "5e-324");
  EXPECT_EQ(format_double(0.25), "0.25");
  EXPECT_EQ(format_double(1e-5), "1e-05");
}

TEST(FormatDouble, RandomBitPatternsReadBackExactly) {
  std::mt19937_64 rng(20261128);
  int checked = 0;
  for (int i = 0; i < 200000; ++i) {
    double x = std::bit_cast<double>(rng());
    if (!std::isfinite(x)) continue;
    std::string text = format_double(x);
    std::optional<double> back = try_parse_double(text);
    ASSERT_TRUE(back.has_value()) << text;
    ASSERT_EQ(std::bit_cast<uint64_t>(*back), std::bit_cast<uint64_t>(x)) << text;
    ++checked;
  }
  EXPECT_GT(checked, 190000);
}

TEST(FormatDouble, RandomUnitValuesReadBackExactly) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-1000, 1000);
  for (int i = 0; i < 100000; ++i) {
    double x = u(rng);
    ASSERT_EQ(try_parse_double(format_double(x)), x);
  }
}

TEST(ParseDouble, AcceptsDecimalForms) {
  EXPECT_EQ(try_parse_double("1"), 1.0);
  EXPECT_EQ(try_parse_double("-2.5"), -2.5);
  EXPECT_EQ(try_parse_double("+3e-4"), 3e-4);
  EXPECT_EQ(try_parse_double(".5"), 0.5);
  EXPECT_EQ(try_parse_double("5."), 5.0);
  EXPECT_EQ(try_parse_double("1E3"), 1000.0);
}

TEST(ParseDouble, UnderflowRoundsToTheNearestDouble) {
  EXPECT_EQ(try_parse_double("5e-324"), 5e-324);
  EXPECT_EQ(try_parse_double("1e-400"), 0.0);
}

TEST(ParseDouble, RejectsJunkNonFiniteAndOverflow) {
  for (const char* bad : {"", " 1", "1 ", "abc", "1e", "1e+", "--1", "+-1", "inf", "-inf", "nan",
                          "0x10", "1,5", ".", "-", "1e400", "1.2.3"}) {
    EXPECT_FALSE(try_parse_double(bad).has_value()) << "'" << bad << "'";
  }
}

TEST(ParseDouble, ThrowsAUserErrorAtTheGivenPlace) {
  try {
    parse_double("12x", SourceLoc{"a.csv", 4, 7});
    FAIL() << "no exception";
  } catch (const UserError& e) {
    EXPECT_STREQ(e.what(), "a.csv:4:7: expected a number, found '12x'");
  }
  try {
    parse_double("", SourceLoc{"a.csv", 2, 0}, "a probability");
    FAIL() << "no exception";
  } catch (const UserError& e) {
    EXPECT_STREQ(e.what(), "a.csv:2: expected a probability, found nothing");
  }
}

TEST(ParseInt64, AcceptsOnlyWholeIntegersInRange) {
  EXPECT_EQ(try_parse_int64("42"), 42);
  EXPECT_EQ(try_parse_int64("+7"), 7);
  EXPECT_EQ(try_parse_int64("-9223372036854775808"), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(try_parse_int64("9223372036854775807"), std::numeric_limits<int64_t>::max());
  for (const char* bad : {"", "9223372036854775808", "2.5", "1e3", "+-1", "+", "x", " 1"}) {
    EXPECT_FALSE(try_parse_int64(bad).has_value()) << "'" << bad << "'";
  }
  EXPECT_THROW(parse_int64("2.5", SourceLoc{"f", 1, 1}), UserError);
}

}  // namespace
}  // namespace geosim::io
