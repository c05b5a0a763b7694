#include "stats/sketch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "core/error.h"

namespace geosim::stats {
namespace {

QuantileSketch sketch_of(const std::vector<double>& xs) {
  QuantileSketch s;
  s.add(xs.data(), xs.size());
  return s;
}

std::string bytes_of(const QuantileSketch& s) {
  std::string b;
  s.serialize(b);
  return b;
}

// Splits xs into a random number of groups, sketches each, and merges them in a random
// tree; returns the serialized result.
std::string merged_bytes(std::vector<double> xs, std::mt19937_64& rng, size_t max_groups) {
  std::shuffle(xs.begin(), xs.end(), rng);
  std::vector<QuantileSketch> groups(1 + rng() % max_groups);
  for (double x : xs) groups[rng() % groups.size()].add(x);
  while (groups.size() > 1) {
    size_t i = rng() % groups.size(), j = rng() % (groups.size() - 1);
    if (j >= i) ++j;
    groups[i].merge(groups[j]);
    groups.erase(groups.begin() + static_cast<std::ptrdiff_t>(j));
  }
  return bytes_of(groups[0]);
}

// Expected values are NumPy's np.quantile(data, q) (method "linear", R type 7).
TEST(QuantileSketch, ExactModeMatchesNumpyLinearQuantiles) {
  QuantileSketch a = sketch_of({4, 2, 1, 3});
  EXPECT_DOUBLE_EQ(a.quantile(0.25), 1.75);
  EXPECT_DOUBLE_EQ(a.quantile(0.5), 2.5);
  EXPECT_DOUBLE_EQ(a.quantile(0.9), 3.7);
  EXPECT_DOUBLE_EQ(a.quantile(0.1), 1.3);
  EXPECT_EQ(a.quantile(0), 1);
  EXPECT_EQ(a.quantile(1), 4);
  QuantileSketch b = sketch_of({3, 1, 4, 1, 5, 9, 2, 6});
  EXPECT_DOUBLE_EQ(b.quantile(0.05), 1);
  EXPECT_DOUBLE_EQ(b.quantile(0.3), 2.1);
  EXPECT_DOUBLE_EQ(b.quantile(0.5), 3.5);
  EXPECT_DOUBLE_EQ(b.quantile(0.9), 6.9);
  QuantileSketch c = sketch_of({-2.5, 0, -0.0, 10, 10, 10});
  EXPECT_DOUBLE_EQ(c.quantile(0.2), -0.0 + 0);  // h = 1: the second value, 0
  EXPECT_DOUBLE_EQ(c.quantile(0.5), 5);
  EXPECT_DOUBLE_EQ(c.quantile(0.75), 10);
  EXPECT_TRUE(c.exact());
  EXPECT_EQ(c.count(), 6);
  QuantileSketch one = sketch_of({7});
  EXPECT_EQ(one.quantile(0.37), 7);
}

TEST(QuantileSketch, NegativeZeroIsStoredAsZero) {
  EXPECT_TRUE(sketch_of({-0.0, 1}) == sketch_of({0.0, 1}));
  EXPECT_FALSE(std::signbit(sketch_of({-0.0}).min()));
}

TEST(QuantileSketch, EmptySketchHasNoQuantiles) {
  QuantileSketch s;
  EXPECT_EQ(s.count(), 0);
  EXPECT_TRUE(std::isnan(s.quantile(0.5)));
  EXPECT_TRUE(std::isnan(s.min()));
}

TEST(QuantileSketch, SwitchesToSketchModeAtThe513thDistinctValue) {
  QuantileSketch s;
  for (int i = 0; i < 512; ++i) s.add(i);
  for (int i = 0; i < 512; ++i) s.add(i);
  EXPECT_TRUE(s.exact());
  EXPECT_DOUBLE_EQ(s.quantile(0.5), 255.5);
  s.add(1000);
  EXPECT_FALSE(s.exact());
  EXPECT_EQ(s.count(), 1025);
  EXPECT_EQ(s.max(), 1000);
  EXPECT_NEAR(s.quantile(0.5), 256, 256 * QuantileSketch::kAlpha);
}

TEST(QuantileSketch, SketchModeRelativeErrorIsWithinAlpha) {
  std::mt19937_64 rng(77);
  std::lognormal_distribution<double> logn(1, 1.5);
  std::vector<double> xs(100000);
  for (double& x : xs) x = logn(rng);
  QuantileSketch s = sketch_of(xs);
  ASSERT_FALSE(s.exact());
  std::sort(xs.begin(), xs.end());
  double worst = 0;
  for (int k = 1; k < 1000; ++k) {
    double q = k / 1000.0;
    double truth = xs[static_cast<size_t>(std::floor(q * (xs.size() - 1)))];
    worst = std::max(worst, std::fabs(s.quantile(q) - truth) / truth);
  }
  EXPECT_LE(worst, QuantileSketch::kAlpha * (1 + 1e-9));
  EXPECT_GT(worst, QuantileSketch::kAlpha / 10);  // it is a sketch, not exact
  EXPECT_EQ(s.quantile(0), xs.front());
  EXPECT_EQ(s.quantile(1), xs.back());
}

TEST(QuantileSketch, NegativeValuesAndZerosKeepTheGuarantee) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> norm(0, 10);
  std::vector<double> xs(50000);
  for (size_t i = 0; i < xs.size(); ++i) xs[i] = i % 10 == 0 ? 0.0 : norm(rng);
  QuantileSketch s = sketch_of(xs);
  std::sort(xs.begin(), xs.end());
  for (int k = 1; k < 200; ++k) {
    double q = k / 200.0;
    double truth = xs[static_cast<size_t>(std::floor(q * (xs.size() - 1)))];
    double got = s.quantile(q);
    if (truth == 0) {
      EXPECT_EQ(got, 0) << q;
    } else {
      EXPECT_LE(std::fabs(got - truth), QuantileSketch::kAlpha * (1 + 1e-9) * std::fabs(truth))
          << q;
    }
  }
}

TEST(QuantileSketch, MergeEqualsTheSketchOfTheUnionInAnyGrouping) {
  std::mt19937_64 rng(123);
  std::lognormal_distribution<double> logn(0, 2);
  std::vector<double> xs(30000);
  for (size_t i = 0; i < xs.size(); ++i) xs[i] = (i % 4 == 0 ? -1 : 1) * logn(rng);
  const std::string expect = bytes_of(sketch_of(xs));
  // Many small groups stay exact before merging, few large ones switch early: both must
  // end in the same state.
  for (size_t max_groups : {2u, 16u, 400u}) {
    for (int trial = 0; trial < 4; ++trial) {
      EXPECT_EQ(merged_bytes(xs, rng, max_groups), expect) << max_groups << "/" << trial;
    }
  }
}

TEST(QuantileSketch, ExactModeMergeIsIndependentOfGrouping) {
  std::mt19937_64 rng(9);
  std::vector<double> xs(5000);
  for (double& x : xs) x = static_cast<double>(rng() % 300) / 7;
  QuantileSketch whole = sketch_of(xs);
  ASSERT_TRUE(whole.exact());
  for (int trial = 0; trial < 5; ++trial) EXPECT_EQ(merged_bytes(xs, rng, 50), bytes_of(whole));
}

TEST(QuantileSketch, MergingTwoExactHalvesBeyond512ValuesSwitchesMode) {
  std::vector<double> low, high, all;
  for (int i = 0; i < 300; ++i) {
    low.push_back(i);
    high.push_back(1000 + i);
  }
  all = low;
  all.insert(all.end(), high.begin(), high.end());
  QuantileSketch a = sketch_of(low);
  a.merge(sketch_of(high));
  EXPECT_FALSE(a.exact());
  EXPECT_TRUE(a == sketch_of(all));
}

// The worst relative error of the sketch's quantiles at q = 0.001 ... 0.999 against the
// order statistics x[floor(q (n - 1))] of xs (sorted here).
double worst_relative_error(const QuantileSketch& s, std::vector<double> xs) {
  std::sort(xs.begin(), xs.end());
  double worst = 0;
  for (int k = 1; k < 1000; ++k) {
    double q = k / 1000.0;
    double truth = xs[static_cast<size_t>(std::floor(q * static_cast<double>(xs.size() - 1)))];
    double got = s.quantile(q);
    EXPECT_GE(got, xs.front()) << q;
    EXPECT_LE(got, xs.back()) << q;
    worst =
        std::max(worst, truth == 0 ? std::fabs(got) : std::fabs(got - truth) / std::fabs(truth));
  }
  return worst;
}

// Issue 13, item 1: values spread over 300 decades keep the guarantee at every quantile
// (the store once folded bins more than 10^17.8 below the largest value into one).
TEST(QuantileSketch, ValuesOverThreeHundredDecadesKeepTheirAccuracy) {
  std::mt19937_64 rng(31);
  std::uniform_real_distribution<double> exponent(-150, 150);
  std::vector<double> xs(20000);
  for (double& x : xs) x = std::pow(10.0, exponent(rng));
  QuantileSketch s = sketch_of(xs);
  EXPECT_LE(worst_relative_error(s, xs), QuantileSketch::kAlpha * (1 + 1e-9));
  // Serialized, a store costs a byte or so per bin it spans (69,000 bins here).
  EXPECT_LT(bytes_of(s).size(), 16 * xs.size());
  EXPECT_EQ(merged_bytes(xs, rng, 10), bytes_of(s));
}

// Issue 13, item 1: lognormal(0, 15) over 5,000 replicates, and a geometric random walk
// x *= exp(normal(0, 1)) over 1,000 steps, both signs, reported p05 = ... = p75.
TEST(QuantileSketch, WideOutcomesKeepTheirAccuracy) {
  std::mt19937_64 rng(2022);
  std::normal_distribution<double> z(0, 1);
  std::vector<double> logn(5000), walk(5000);
  for (double& x : logn) x = std::exp(15 * z(rng));
  for (size_t i = 0; i < walk.size(); ++i) {
    double ln = 0;
    for (int t = 0; t < 1000; ++t) ln += z(rng);
    walk[i] = (i % 3 == 0 ? -1 : 1) * std::exp(ln);
  }
  for (const auto& xs : {logn, walk}) {
    QuantileSketch s = sketch_of(xs);
    ASSERT_FALSE(s.exact());
    EXPECT_LE(worst_relative_error(s, xs), QuantileSketch::kAlpha * (1 + 1e-9));
    EXPECT_EQ(merged_bytes(xs, rng, 50), bytes_of(s));
  }
}

// Issue 13, item 1: outcomes of +-1e308 gave p05 = inf and p50 = -inf (in exact mode the
// difference of two neighbours overflowed); the extremes of the double range, subnormals
// and zeros keep the guarantee in sketch mode too.
TEST(QuantileSketch, TheWholeDoubleRangeKeepsTheGuarantee) {
  const double big = std::numeric_limits<double>::max();
  const double tiny = std::numeric_limits<double>::denorm_min();
  std::vector<double> pm;
  for (int i = 0; i < 100; ++i) pm.push_back(i % 2 ? 1e308 : -1e308);
  QuantileSketch e = sketch_of(pm);
  ASSERT_TRUE(e.exact());
  for (double q : {0.05, 0.25, 0.5, 0.75, 0.95}) {
    EXPECT_TRUE(std::isfinite(e.quantile(q))) << q;
    EXPECT_GE(e.quantile(q), -1e308);
    EXPECT_LE(e.quantile(q), 1e308);
  }
  EXPECT_EQ(e.quantile(0.25), -1e308);
  EXPECT_EQ(e.quantile(0.75), 1e308);
  EXPECT_EQ(sketch_of({-big, big}).quantile(0.5), 0);

  std::mt19937_64 rng(8);
  std::uniform_real_distribution<double> exponent(-323.9, 308.2);
  std::vector<double> xs;
  for (int i = 0; i < 30000; ++i) {
    double m = std::pow(10.0, exponent(rng));
    xs.push_back(i % 2 ? m : -m);
  }
  for (double v : {big, -big, tiny, -tiny, 0.0, 2.2e-308, 1e-310, -3e-320}) {
    for (int k = 0; k < 40; ++k) xs.push_back(v);
  }
  QuantileSketch s = sketch_of(xs);
  ASSERT_FALSE(s.exact());
  EXPECT_LE(worst_relative_error(s, xs), QuantileSketch::kAlpha * (1 + 1e-9));
  EXPECT_EQ(s.min(), -big);
  EXPECT_EQ(s.max(), big);
  EXPECT_EQ(merged_bytes(xs, rng, 40), bytes_of(s));
  std::string bytes = bytes_of(s);
  std::string_view in = bytes;
  EXPECT_TRUE(QuantileSketch::deserialize(in) == s);
}

TEST(QuantileSketch, MergingWithItselfDoublesEveryObservation) {
  std::vector<double> xs;
  for (int i = 0; i < 600; ++i) xs.push_back(std::sqrt(i + 1.0));
  for (size_t n : {10u, 600u}) {
    std::vector<double> part(xs.begin(), xs.begin() + static_cast<std::ptrdiff_t>(n));
    QuantileSketch s = sketch_of(part);
    s.merge(s);
    part.insert(part.end(), part.begin(), part.end());
    EXPECT_TRUE(s == sketch_of(part)) << n;
  }
}

TEST(QuantileSketch, SerializationRoundTripsInBothModes) {
  std::mt19937_64 rng(3);
  std::exponential_distribution<double> expo(1);
  std::vector<double> many(3000);
  for (double& x : many) x = -expo(rng);
  for (const QuantileSketch& s : {sketch_of({1, 2, 2, 3.5}), sketch_of(many), QuantileSketch{}}) {
    std::string bytes = bytes_of(s);
    std::string_view in = bytes;
    QuantileSketch back = QuantileSketch::deserialize(in);
    EXPECT_TRUE(in.empty());
    EXPECT_TRUE(back == s);
    if (s.count() > 0) {
      EXPECT_EQ(back.quantile(0.3), s.quantile(0.3));
    }
  }
}

TEST(QuantileSketch, DamagedBytesAreAUserError) {
  std::string bytes = bytes_of(sketch_of({1, 2, 3}));
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    std::string_view in(bytes.data(), cut);
    EXPECT_THROW(QuantileSketch::deserialize(in), UserError) << cut;
  }
  std::string unsorted = bytes_of(sketch_of({1, 2}));
  std::string one = bytes_of(sketch_of({1}));
  // Swap the two values (each f64 followed by a one-byte count) to break the order.
  size_t first = unsorted.size() - 18;
  std::swap_ranges(unsorted.begin() + first, unsorted.begin() + first + 8,
                   unsorted.begin() + first + 9);
  std::string_view in = unsorted;
  EXPECT_THROW(QuantileSketch::deserialize(in), UserError);
  std::string wrong_count = one;
  wrong_count[2] = 5;  // count field says 5, the list holds 1
  in = wrong_count;
  EXPECT_THROW(QuantileSketch::deserialize(in), UserError);
}

TEST(QuantileSketch, CorruptedBytesNeverCrash) {
  std::mt19937_64 rng(98);
  std::lognormal_distribution<double> logn(0, 1);
  std::vector<double> many(2000);
  for (double& x : many) x = logn(rng);
  for (const std::string& bytes :
       {bytes_of(sketch_of({1, 2, 2, 3.5})), bytes_of(sketch_of(many))}) {
    int rejected = 0;
    for (size_t i = 0; i < bytes.size(); i += 1 + bytes.size() / 200) {
      for (int k = 0; k < 8; ++k) {
        std::string bad = bytes;
        bad[i] = static_cast<char>(rng());
        std::string_view in = bad;
        try {
          QuantileSketch s = QuantileSketch::deserialize(in);
          double median = s.quantile(0.5);
          EXPECT_LE(s.min(), median);
          EXPECT_LE(median, s.max());
        } catch (const UserError&) {
          ++rejected;
        }
      }
    }
    EXPECT_GT(rejected, 0);
  }
}

// add(const double*, n) has a fast path for repeated values; it must give exactly the sketch
// of adding one value at a time, in exact mode, across the switch to sketch mode, and with
// -0 beside +0.
TEST(QuantileSketch, BatchAddEqualsOneAtATime) {
  // Exactly 512 distinct values fill the exact list, after which batches of values already
  // in it keep it exact and a batch with one new value ends it; batches longer than 256
  // and shorter ones go through the sketch mode's chunks.
  std::mt19937_64 rng(11);
  for (size_t batch_size : {size_t{256}, size_t{100}, size_t{700}})
    for (int distinct : {1, 2, 7, 300, 512, 513, 600, 5000}) {
      std::vector<double> xs;
      for (int i = 0; i < 4096; ++i) {
        double v = static_cast<double>(rng() % static_cast<uint64_t>(distinct)) - distinct / 2;
        if (v == 0 && rng() % 2) v = -0.0;
        xs.push_back(v * 0.37);
        if (rng() % 3 == 0) xs.push_back(xs.back());  // runs of repeats
      }
      QuantileSketch one, batch;
      for (double x : xs) one.add(x);
      for (size_t at = 0; at < xs.size(); at += batch_size)
        batch.add(xs.data() + at, std::min(batch_size, xs.size() - at));
      EXPECT_EQ(bytes_of(one), bytes_of(batch))
          << distinct << " distinct, batches of " << batch_size;
      EXPECT_EQ(one.exact(), batch.exact());
      EXPECT_EQ(one.min(), batch.min());
      EXPECT_EQ(one.max(), batch.max());
      EXPECT_EQ(one.count(), batch.count());
    }
}

TEST(QuantileSketch, BatchKeysAreTheScalarKeysAtEveryBinEdge) {
  // A block's keys come from a vectorised logarithm, with key_of deciding near bin edges:
  // values on and next to the edges gamma^k over the whole double range (subnormals and the
  // largest doubles included), both signs, must land where one-at-a-time adds put them.
  const double gamma = (1 + QuantileSketch::kAlpha) / (1 - QuantileSketch::kAlpha);
  std::vector<double> xs;
  for (int k = QuantileSketch::kMinKey; k <= QuantileSketch::kMaxKey; k += 37) {
    const double edge = std::exp(k * std::log(gamma));
    if (!std::isfinite(edge) || edge == 0) continue;
    // 40 ulps either side: where the two logarithms round differently, a key flips at a
    // different ulp, so a missing edge check would show here.
    const uint64_t b = std::bit_cast<uint64_t>(edge);
    for (uint64_t d = 0; d <= 80; ++d) {
      const double x = std::bit_cast<double>(b - 40 + d);
      if (!std::isfinite(x) || x <= 0) continue;
      xs.push_back(x);
      xs.push_back(-x);
    }
  }
  std::mt19937_64 rng(3);
  for (int i = 0; i < 5000; ++i) {
    double x = std::bit_cast<double>(rng() & ~(uint64_t{1} << 63 | uint64_t{1} << 62));
    x = std::ldexp(x, static_cast<int>(rng() % 2000) - 1000);
    if (std::isfinite(x) && x != 0) xs.push_back(rng() % 2 ? x : -x);
  }
  std::vector<double> warm(600);  // past exact mode
  for (size_t i = 0; i < warm.size(); ++i) warm[i] = static_cast<double>(i) + 0.5;
  QuantileSketch one, batch;
  for (double x : warm) one.add(x);
  batch.add(warm.data(), warm.size());
  ASSERT_FALSE(batch.exact());
  for (double x : xs) one.add(x);
  for (size_t at = 0; at < xs.size(); at += 256)
    batch.add(xs.data() + at, std::min<size_t>(256, xs.size() - at));
  EXPECT_EQ(bytes_of(one), bytes_of(batch)) << xs.size() << " values";
}

TEST(QuantileSketch, UnsortedFirstBlocksReadAndMergeAsTheSortedList) {
  // Blocks added to an empty sketch stay unsorted until they would exceed 512 values. Every
  // way of reading or combining such a sketch must see the sorted list: quantiles, bytes,
  // merges in both directions and with a sketch in bin mode, scalar adds after it, settle().
  std::mt19937_64 rng(21);
  std::normal_distribution<double> normal(0, 1);
  auto block = [&](size_t n) {
    std::vector<double> v(n);
    for (double& x : v) x = normal(rng);
    v[n / 2] = -0.0;
    return v;
  };
  auto one_at_a_time = [](std::initializer_list<const std::vector<double>*> parts) {
    QuantileSketch s;
    for (const auto* p : parts)
      for (double x : *p) s.add(x);
    return s;
  };
  const std::vector<double> a = block(200), b = block(150), c = block(700);
  QuantileSketch ra, rb;
  ra.add(a.data(), a.size());  // unsorted
  rb.add(b.data(), b.size());
  const QuantileSketch sa = one_at_a_time({&a}), sb = one_at_a_time({&b});
  EXPECT_EQ(bytes_of(ra), bytes_of(sa));
  for (double q : {0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0})
    EXPECT_EQ(ra.quantile(q), sa.quantile(q));
  QuantileSketch both = ra;
  both.merge(rb);  // unsorted into unsorted
  EXPECT_EQ(bytes_of(both), bytes_of(one_at_a_time({&a, &b})));
  QuantileSketch sorted_first = sa;
  sorted_first.merge(rb);  // unsorted into sorted
  EXPECT_EQ(bytes_of(sorted_first), bytes_of(one_at_a_time({&a, &b})));
  QuantileSketch binned;
  binned.add(c.data(), c.size());
  ASSERT_FALSE(binned.exact());
  QuantileSketch into_bins = binned;
  into_bins.merge(ra);  // unsorted into bins
  QuantileSketch bins_into = ra;
  bins_into.merge(binned);  // bins into unsorted
  const QuantileSketch all = one_at_a_time({&c, &a});
  EXPECT_EQ(bytes_of(into_bins), bytes_of(all));
  EXPECT_EQ(bytes_of(bins_into), bytes_of(all));
  QuantileSketch scalar_after = ra;
  scalar_after.add(0.125);
  QuantileSketch reference = sa;
  reference.add(0.125);
  EXPECT_EQ(bytes_of(scalar_after), bytes_of(reference));
  QuantileSketch settled = ra;
  settled.settle();
  EXPECT_EQ(bytes_of(settled), bytes_of(ra));
  EXPECT_TRUE(settled == sa);
}

TEST(QuantileSketch, CountsPastTwoToTheThirtyTwoWidenTheStores) {
  // Bins hold 32-bit counts until a store's total would pass 2^32 - 1. 1,520 values (520
  // distinct in (0, 1), then 1.0 a thousand times), doubled by merging with itself 23 times:
  // 1.3e10 values, 8.4e9 of them in the bin of 1.0. Merging that with the original in either
  // direction (a narrow store into a wide one, a wide one into a narrow one, which widens on
  // the way) must give the same state, which must read back from its bytes with every count
  // exact.
  std::vector<double> xs;
  for (int i = 0; i < 520; ++i) xs.push_back(0.001 + i * 0.0019);
  xs.insert(xs.end(), 1000, 1.0);
  QuantileSketch small;
  small.add(xs.data(), xs.size());
  ASSERT_FALSE(small.exact());
  QuantileSketch big = small;
  for (int i = 0; i < 23; ++i) big.merge(big);
  const int64_t n = int64_t{1520} << 23;
  EXPECT_EQ(big.count(), n);
  QuantileSketch big_then_small = big, small_then_big = small;
  big_then_small.merge(small);
  small_then_big.merge(big);
  EXPECT_EQ(bytes_of(big_then_small), bytes_of(small_then_big));
  EXPECT_EQ(big_then_small.count(), n + 1520);
  std::string bytes = bytes_of(big);
  std::string_view in = bytes;
  QuantileSketch back = QuantileSketch::deserialize(in);  // checks the counts add up
  EXPECT_EQ(bytes_of(back), bytes);
  EXPECT_NEAR(big.quantile(0.9), 1.0, QuantileSketch::kAlpha);  // the bin of 1.0
  EXPECT_LT(big.quantile(0.2), 0.98);
  back.add(xs.data(), xs.size());  // single increments on wide stores
  EXPECT_EQ(bytes_of(back), bytes_of(big_then_small));
}

TEST(QuantileSketch, AFullExactListStaysExactUntilANewValueArrives) {
  std::vector<double> first(512);
  for (int i = 0; i < 512; ++i) first[static_cast<size_t>(i)] = i - 200.5;
  QuantileSketch s;
  s.add(first.data(), first.size());
  ASSERT_TRUE(s.exact());
  std::vector<double> again(first.rbegin(), first.rend());  // every value already present
  s.add(again.data(), again.size());
  EXPECT_TRUE(s.exact());
  EXPECT_EQ(s.count(), 1024);
  std::vector<double> one_new = again;
  one_new[300] = 1e6;
  s.add(one_new.data(), one_new.size());
  EXPECT_FALSE(s.exact());
  EXPECT_EQ(s.count(), 1536);
  EXPECT_EQ(s.max(), 1e6);
  QuantileSketch reference;
  for (const auto* v : {&first, &again, &one_new})
    for (double x : *v) reference.add(x);
  EXPECT_EQ(bytes_of(reference), bytes_of(s));
}

TEST(QuantileSketchDeathTest, NonFiniteObservationIsABug) {
  QuantileSketch s;
  EXPECT_DEATH(s.add(NAN), "non-finite observation");
  const double xs[] = {1, 1, NAN};
  QuantileSketch t;
  EXPECT_DEATH(t.add(xs, 3), "non-finite observation");
  std::vector<double> many(600);  // sketch mode: the batch of bins checks too
  for (size_t i = 0; i < many.size(); ++i) many[i] = static_cast<double>(i);
  QuantileSketch u;
  u.add(many.data(), many.size());
  many[7] = INFINITY;
  EXPECT_DEATH(u.add(many.data(), many.size()), "non-finite observation");
}

}  // namespace
}  // namespace geosim::stats
