#include "stats/moments.h"

#include <gtest/gtest.h>

#include <bit>
#include <cfloat>
#include <cmath>
#include <random>
#include <vector>

#include "core/error.h"

namespace geosim::stats {
namespace {

ExactMoments moments_of(const std::vector<double>& xs) {
  ExactMoments m;
  m.add(xs.data(), xs.size());
  return m;
}

std::string bytes_of(const ExactMoments& m) {
  std::string s;
  m.serialize(s);
  return s;
}

uint64_t bits(double x) { return std::bit_cast<uint64_t>(x); }

// Expected values below were computed with Python's fractions module: the exact mean of
// the doubles rounded to the nearest double, and sqrt(round(n S2 - S1^2) / (n (n - 1))).
TEST(ExactMoments, CancellationCaseIsExact) {
  ExactMoments m = moments_of({1e16, 1, -1e16});
  EXPECT_EQ(m.sum(), 1);
  EXPECT_EQ(m.mean(), 0x1.5555555555555p-2);
  EXPECT_EQ(m.sd(), 0x1.1c37937e08000p+53);
  EXPECT_EQ(m.min(), -1e16);
  EXPECT_EQ(m.max(), 1e16);
  EXPECT_EQ(m.count(), 3);
}

TEST(ExactMoments, MeanAndSdOfKnownDataAreCorrectlyRounded) {
  ExactMoments a = moments_of({2, 4, 4, 4, 5, 5, 7, 9});
  EXPECT_EQ(a.mean(), 5);
  EXPECT_EQ(a.sd(), 0x1.11acee560242ap+1);  // sqrt(32 / 7)
  ExactMoments b = moments_of({0.1, 0.2, 0.3});
  EXPECT_EQ(b.mean(), 0x1.999999999999ap-3);
  EXPECT_EQ(b.sd(), 0x1.9999999999999p-4);
  std::vector<double> offset;
  for (int i = 0; i < 10; ++i) offset.push_back(1e9 + 0.1 * i);
  ExactMoments c = moments_of(offset);
  EXPECT_EQ(c.mean(), 0x1.dcd650039999ap+29);
  EXPECT_EQ(c.sd(), 0x1.360808ff82a99p-2);
}

TEST(ExactMoments, MeanTiesRoundToEven) {
  const double u = 0x1p-52;
  EXPECT_EQ(moments_of({1, 1 + u}).mean(), 1);                  // halfway, 1 is even
  EXPECT_EQ(moments_of({1 + u, 1 + 2 * u}).mean(), 1 + 2 * u);  // halfway, upper is even
}

TEST(ExactMoments, ExtremeMagnitudes) {
  ExactMoments big = moments_of({DBL_MAX, DBL_MAX, DBL_MAX});
  EXPECT_EQ(big.mean(), DBL_MAX);
  EXPECT_EQ(big.sd(), 0);
  EXPECT_EQ(big.sum(), INFINITY);
  ExactMoments spread = moments_of({1e300, -1e300});
  EXPECT_EQ(spread.mean(), 0);
  EXPECT_NEAR(spread.sd() / (1e300 * std::sqrt(2.0)), 1, 1e-15);
  const double tiny = 5e-324;
  ExactMoments sub = moments_of({2 * tiny, 4 * tiny});
  EXPECT_EQ(sub.mean(), 3 * tiny);
  EXPECT_EQ(sub.sd(), std::sqrt(2.0) * tiny);
  ExactMoments negative = moments_of({-1e200, -3e200});
  EXPECT_EQ(negative.mean(), -2e200);
  EXPECT_NEAR(negative.sd() / (std::sqrt(2.0) * 1e200), 1, 1e-15);
}

TEST(ExactMoments, VarianceOfLargeOffsetDataMatchesIntegerArithmetic) {
  // x = 2^30 + k 2^-20 with integer k: the variance is exactly var(k) 2^-40, which
  // integer arithmetic gives without rounding. The textbook formula loses every digit.
  std::mt19937_64 rng(11);
  const int n = 100000;
  std::vector<double> xs(n);
  __int128 sum_k = 0, sum_k2 = 0;
  for (double& x : xs) {
    int64_t k = static_cast<int64_t>(rng() % (1 << 20));
    sum_k += k;
    sum_k2 += static_cast<__int128>(k) * k;
    x = 0x1p30 + std::ldexp(static_cast<double>(k), -20);
  }
  __int128 numerator = n * sum_k2 - sum_k * sum_k;  // n (n - 1) var(k)
  double var_k = static_cast<double>(numerator) / (static_cast<double>(n) * (n - 1));
  double expected_sd = std::sqrt(var_k) * 0x1p-20;
  ExactMoments m = moments_of(xs);
  EXPECT_NEAR(m.sd() / expected_sd, 1, 4 * DBL_EPSILON);
}

TEST(ExactMoments, EmptyAndSingleObservation) {
  ExactMoments empty;
  EXPECT_EQ(empty.count(), 0);
  EXPECT_TRUE(std::isnan(empty.mean()));
  EXPECT_TRUE(std::isnan(empty.min()));
  EXPECT_EQ(empty.sd(), 0);
  ExactMoments one = moments_of({-3.5});
  EXPECT_EQ(one.mean(), -3.5);
  EXPECT_EQ(one.sd(), 0);
  EXPECT_EQ(one.min(), -3.5);
}

TEST(ExactMoments, SignedZerosGiveTheSameMinAndMaxInAnyOrder) {
  ExactMoments a = moments_of({0.0, -0.0});
  ExactMoments b = moments_of({-0.0, 0.0});
  EXPECT_EQ(bits(a.min()), bits(-0.0));
  EXPECT_EQ(bits(a.max()), bits(0.0));
  EXPECT_EQ(bytes_of(a), bytes_of(b));
}

TEST(ExactMoments, MergeIsIndependentOfGroupingAndOrder) {
  std::mt19937_64 rng(2026);
  std::lognormal_distribution<double> logn(0, 3);
  std::normal_distribution<double> norm(1e6, 1);
  std::vector<double> xs(20000);
  for (size_t i = 0; i < xs.size(); ++i) xs[i] = i % 3 == 0 ? norm(rng) : -logn(rng) + i;
  ExactMoments whole = moments_of(xs);
  const std::string expect = bytes_of(whole);
  for (int trial = 0; trial < 30; ++trial) {
    std::shuffle(xs.begin(), xs.end(), rng);
    std::vector<ExactMoments> groups(1 + rng() % 64);
    for (double x : xs) groups[rng() % groups.size()].add(x);
    // Merge in a random tree: repeatedly merge two random groups.
    while (groups.size() > 1) {
      size_t i = rng() % groups.size(), j = rng() % (groups.size() - 1);
      if (j >= i) ++j;
      groups[i].merge(groups[j]);
      groups.erase(groups.begin() + j);
    }
    const ExactMoments& merged = groups[0];
    ASSERT_EQ(bytes_of(merged), expect) << "trial " << trial;
    EXPECT_EQ(bits(merged.mean()), bits(whole.mean()));
    EXPECT_EQ(bits(merged.sd()), bits(whole.sd()));
    EXPECT_TRUE(merged == whole);
  }
}

TEST(ExactMoments, MergingWithItselfDoublesEveryObservation) {
  ExactMoments m = moments_of({1, 2, 4});
  m.merge(m);
  EXPECT_TRUE(m == moments_of({1, 2, 4, 1, 2, 4}));
}

TEST(ExactMoments, SerializationRoundTripsAndDetectsDamage) {
  ExactMoments m = moments_of({1.5, -2, 1e10, 3e-5});
  std::string bytes = bytes_of(m);
  std::string_view in = bytes;
  ExactMoments back = ExactMoments::deserialize(in);
  EXPECT_TRUE(in.empty());
  EXPECT_TRUE(back == m);
  EXPECT_EQ(back.sd(), m.sd());
  for (size_t cut = 0; cut < bytes.size(); cut += 3) {
    std::string_view part(bytes.data(), cut);
    EXPECT_THROW(ExactMoments::deserialize(part), UserError) << cut;
  }
  std::string wrong_tag = bytes;
  wrong_tag[0] = 'Q';
  in = wrong_tag;
  EXPECT_THROW(ExactMoments::deserialize(in), UserError);
  ExactMoments empty;
  std::string empty_bytes = bytes_of(empty);
  in = empty_bytes;
  EXPECT_EQ(ExactMoments::deserialize(in).count(), 0);
}

TEST(ExactMoments, CorruptedBytesNeverCrash) {
  // Every single-byte corruption of a valid state is either rejected with a UserError or
  // read as a state whose statistics can be computed.
  std::string bytes = bytes_of(moments_of({1.5, -2, 1e10, 3e-5, 7}));
  std::mt19937_64 rng(99);
  int rejected = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (int k = 0; k < 8; ++k) {
      std::string bad = bytes;
      bad[i] = static_cast<char>(rng());
      std::string_view in = bad;
      try {
        ExactMoments m = ExactMoments::deserialize(in);
        EXPECT_LE(m.min(), m.mean());
        EXPECT_LE(m.mean(), m.max());
        EXPECT_GE(m.sd(), 0);
      } catch (const UserError&) {
        ++rejected;
      }
    }
  }
  EXPECT_GT(rejected, 0);
}

TEST(ExactMomentsDeathTest, NonFiniteObservationIsABug) {
  ExactMoments m;
  EXPECT_DEATH(m.add(NAN), "non-finite observation");
  EXPECT_DEATH(m.add(INFINITY), "non-finite observation");
}

TEST(ExactMean, TheSameMeanAsExactMomentsBitForBit) {
  // Ties, cancellation, extreme magnitudes, subnormals and ordinary random data.
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal(0, 1);
  std::vector<std::vector<double>> cases = {
      {1, 2},
      {1, 1, 1, 2},
      {1e308, 1e308, -1e308},
      {1e16, 1, -1e16},
      {4.9e-324, 4.9e-324, 1e-320},
      {-0.0, 0.0},
      {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7},
  };
  std::vector<double> noisy;
  for (int i = 0; i < 10000; ++i) noisy.push_back(1e9 + normal(rng) * 1e-6);
  cases.push_back(noisy);
  for (const auto& xs : cases) {
    ExactMean m;
    m.add(xs.data(), xs.size());
    EXPECT_EQ(m.count(), static_cast<int64_t>(xs.size()));
    EXPECT_EQ(bits(m.mean()), bits(moments_of(xs).mean())) << xs.size() << " values";
  }
  EXPECT_TRUE(std::isnan(ExactMean().mean()));
}

TEST(ExactMean, MergeIsIndependentOfGroupingAndSerializationRoundTrips) {
  std::mt19937_64 rng(8);
  std::uniform_real_distribution<double> u(-1e6, 1e6);
  std::vector<double> xs(3000);
  for (double& x : xs) x = u(rng);
  ExactMean whole, a, b, c;
  whole.add(xs.data(), xs.size());
  a.add(xs.data(), 1000);
  b.add(xs.data() + 1000, 1500);
  c.add(xs.data() + 2500, 500);
  ExactMean left = a, right = c;
  left.merge(b);
  left.merge(c);  // (a + b) + c
  right.merge(b);
  right.merge(a);  // (c + b) + a
  EXPECT_TRUE(left == whole);
  EXPECT_TRUE(right == whole);
  ExactMean twice = a;
  twice.merge(twice);
  EXPECT_EQ(twice.count(), 2000);
  std::string bytes;
  whole.serialize(bytes);
  std::string_view in = bytes;
  EXPECT_TRUE(ExactMean::deserialize(in) == whole);
  EXPECT_TRUE(in.empty());
  for (size_t cut = 0; cut < bytes.size(); cut += 3) {
    std::string_view part(bytes.data(), cut);
    EXPECT_THROW(ExactMean::deserialize(part), UserError) << cut;
  }
  std::string wrong_tag = bytes;
  wrong_tag[0] = 'M';
  in = wrong_tag;
  EXPECT_THROW(ExactMean::deserialize(in), UserError);
  std::string negative = bytes;
  negative[9] = static_cast<char>(0x80);  // the count's top byte: a negative count
  in = negative;
  EXPECT_THROW(ExactMean::deserialize(in), UserError);
}

TEST(ExactMeanDeathTest, NonFiniteObservationIsABug) {
  const double xs[] = {1, NAN};
  ExactMean m;
  EXPECT_DEATH(m.add(xs, 2), "non-finite observation");
}

}  // namespace
}  // namespace geosim::stats
