#include "stats/exact_sum.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <random>
#include <vector>

#include "core/error.h"

namespace geosim::stats {
namespace {

// Python's math.fsum (Shewchuk's msum with the final half-way correction): an
// independent, correctly rounded reference for the sum of doubles.
double fsum(const std::vector<double>& xs) {
  std::vector<double> partials;
  for (double x : xs) {
    size_t i = 0;
    for (double y : partials) {
      if (std::fabs(x) < std::fabs(y)) std::swap(x, y);
      double hi = x + y;
      double lo = y - (hi - x);
      if (lo != 0) partials[i++] = lo;
      x = hi;
    }
    partials.resize(i);
    partials.push_back(x);
  }
  double hi = 0;
  if (!partials.empty()) {
    size_t n = partials.size();
    hi = partials[--n];
    double lo = 0;
    while (n > 0) {
      double x = hi, y = partials[--n];
      hi = x + y;
      lo = y - (hi - x);
      if (lo != 0) break;
    }
    if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
      double y = lo * 2, x = hi + y;
      if (y == x - hi) hi = x;
    }
  }
  return hi;
}

// Doubles over a wide range of magnitudes and both signs.
std::vector<double> wild_doubles(size_t n, unsigned seed, int max_exp = 300) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> mant(1, 2);
  std::uniform_int_distribution<int> exp(-max_exp, max_exp);
  std::vector<double> xs(n);
  for (double& x : xs) x = std::ldexp(mant(rng), exp(rng)) * (rng() & 1 ? 1 : -1);
  return xs;
}

double sum_of(const std::vector<double>& xs) {
  ExactSum s;
  for (double x : xs) s.add(x);
  return s.to_double();
}

TEST(ExactSum, CancellationThatNaiveSumsGetWrong) {
  EXPECT_EQ(sum_of({1e16, 1, -1e16}), 1);
  EXPECT_EQ(sum_of({1e100, 1, -1e100, 1e-100}), 1);
  EXPECT_EQ(sum_of({0.1, 0.2, 0.3, -0.6}), fsum({0.1, 0.2, 0.3, -0.6}));
  EXPECT_EQ(sum_of({DBL_MAX, DBL_MAX, -DBL_MAX}), DBL_MAX);
  EXPECT_EQ(sum_of({}), 0);
}

TEST(ExactSum, RoundsOnceToNearestWithTiesToEven) {
  const double two53 = 9007199254740992.0;
  EXPECT_EQ(sum_of({two53, 1}), two53);              // tie: stays even
  EXPECT_EQ(sum_of({two53, 3}), two53 + 4);          // tie: rounds to even upward
  EXPECT_EQ(sum_of({two53, 1, 1e-300}), two53 + 2);  // just above the tie
  EXPECT_EQ(sum_of({-two53, -1, -1e-300}), -two53 - 2);
}

TEST(ExactSum, SubnormalAndOverflowingSums) {
  EXPECT_EQ(sum_of({5e-324, 5e-324}), 1e-323);
  EXPECT_EQ(sum_of({DBL_MIN, -5e-324}), DBL_MIN - 5e-324);
  EXPECT_EQ(sum_of({DBL_MAX, DBL_MAX}), INFINITY);
  ExactSum s;
  s.add(DBL_MAX);
  s.add(DBL_MAX);
  EXPECT_EQ(s.to_double(-1), DBL_MAX);
  EXPECT_EQ(s.top_exponent(), 1024);
}

TEST(ExactSum, ValuesBelowTheSmallestSubnormalRoundCorrectly) {
  ExactSum half;  // exactly half of 2^-1074: a tie, rounds to the even 0
  half.add_product(0x1p-538, 0x1p-537);
  EXPECT_EQ(half.to_double(), 0);
  half.add_product(0x1p-600, 0x1p-600);  // now just above the tie
  EXPECT_EQ(half.to_double(), 0x1p-1074);
  ExactSum negative;
  negative.add_product(-0x1p-600, 0x1p-600);
  EXPECT_EQ(negative.to_double(), 0);
  EXPECT_EQ(negative.sign(), -1);
}

TEST(ExactSum, MatchesFsumOnWildData) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    std::vector<double> xs = wild_doubles(2000, seed, seed < 10 ? 30 : 300);
    EXPECT_EQ(sum_of(xs), fsum(xs)) << "seed " << seed;
  }
}

TEST(ExactSum, ProductsAreExact) {
  std::vector<double> xs = wild_doubles(20000, 9, 600);
  for (size_t i = 0; i + 1 < xs.size(); i += 2) {
    double a = xs[i], b = xs[i + 1];
    ExactSum s;
    s.add_product(a, b);
    ASSERT_EQ(s.to_double(), a * b) << a << " * " << b;
    double p = a * b;
    if (std::isfinite(p) && std::fabs(p) > 1e-290) {
      s.add(-p);
      ASSERT_EQ(s.to_double(), std::fma(a, b, -p)) << a << " * " << b;
    }
  }
  ExactSum sq;
  sq.add_square(1e-200);
  EXPECT_EQ(sq.to_double(), 0);  // 1e-400 is below every double
  double scaled = std::ldexp(1e-200, 700);
  EXPECT_EQ(sq.to_double(1400), scaled * scaled);
  EXPECT_EQ(sq.sign(), 1);
}

TEST(ExactSum, MultiplesAreExact) {
  ExactSum s;
  s.add(3);
  s.add(0.1);
  ExactSum m;
  m.add_multiple(s, -0.5);
  m.add(1.5);
  m.add(0.05);
  EXPECT_EQ(m.sign(), 0);
}

TEST(ExactSum, StateIsIndependentOfOrderAndGrouping) {
  std::vector<double> xs = wild_doubles(5000, 42);
  ExactSum whole;
  for (double x : xs) whole.add(x);
  std::string expect;
  whole.serialize(expect);
  std::mt19937 rng(1);
  for (int trial = 0; trial < 10; ++trial) {
    std::shuffle(xs.begin(), xs.end(), rng);
    std::vector<ExactSum> parts(1 + rng() % 17);
    for (double x : xs) parts[rng() % parts.size()].add(x);
    std::shuffle(parts.begin(), parts.end(), rng);
    ExactSum merged;
    for (const ExactSum& p : parts) merged.merge(p);
    std::string bytes;
    merged.serialize(bytes);
    EXPECT_EQ(bytes, expect);
    EXPECT_TRUE(merged == whole);
  }
}

TEST(ExactSum, ArrayAddEqualsTermByTerm) {
  // The array form sums each batch of 256 in two 128-bit integers: batches narrower than 60
  // binades, wider ones (terms below the window go one by one), subnormals, the largest
  // doubles, both signs, cancellation, and lengths around the batch size.
  std::mt19937_64 rng(17);
  std::normal_distribution<double> normal(0, 1);
  std::vector<std::vector<double>> cases;
  std::vector<double> narrow(1000), near_zero(1000), mixed(777);
  for (double& x : narrow) x = 1 + normal(rng);
  for (double& x : near_zero) x = normal(rng) * std::ldexp(1.0, static_cast<int>(rng() % 80) - 70);
  for (double& x : mixed) x = (rng() % 2 ? 1e300 : 1e-300) * normal(rng);
  cases.push_back(narrow);
  cases.push_back(near_zero);
  cases.push_back(mixed);
  cases.push_back(wild_doubles(3000, 7));
  cases.push_back({DBL_MAX, DBL_MAX, -DBL_MAX, 4.9e-324, -4.9e-324, 2.2250738585072014e-308});
  cases.push_back({1e16, 1, -1e16, -1, 0.0, -0.0});
  std::vector<double> subnormal(300);
  for (double& x : subnormal) x = std::ldexp(normal(rng), -1060);
  cases.push_back(subnormal);
  for (const auto& xs : cases)
    for (size_t len :
         {xs.size(), std::min<size_t>(xs.size(), 255), std::min<size_t>(xs.size(), 257)}) {
      ExactSum one, array;
      for (size_t i = 0; i < len; ++i) one.add(xs[i]);
      array.add(xs.data(), len);
      std::string a, b;
      one.serialize(a);
      array.serialize(b);
      EXPECT_EQ(a, b) << len << " terms starting " << xs[0];
      EXPECT_EQ(one.to_double(), array.to_double());
    }
}

TEST(ExactSum, SerializationRoundTrips) {
  for (double v : {0.0, 1.0, -1.0, -1e-300, 1e300, 5e-324}) {
    ExactSum s;
    s.add(v);
    s.add_square(v);
    std::string bytes;
    s.serialize(bytes);
    bytes += "tail";
    std::string_view in = bytes;
    ExactSum back = ExactSum::deserialize(in);
    EXPECT_TRUE(back == s);
    EXPECT_EQ(in, "tail");
    EXPECT_EQ(back.to_double(), s.to_double());
  }
}

TEST(ExactSum, DamagedBytesAreAUserError) {
  ExactSum s;
  s.add(-2.5);
  std::string bytes;
  s.serialize(bytes);
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    std::string_view in(bytes.data(), cut);
    EXPECT_THROW(ExactSum::deserialize(in), UserError);
  }
  std::string bad = bytes;
  bad[0] = 7;  // sign byte
  std::string_view in = bad;
  EXPECT_THROW(ExactSum::deserialize(in), UserError);
  std::string zero_digit = bytes;
  zero_digit.replace(5, 4, std::string(4, '\0'));
  in = zero_digit;
  EXPECT_THROW(ExactSum::deserialize(in), UserError);
}

}  // namespace
}  // namespace geosim::stats
