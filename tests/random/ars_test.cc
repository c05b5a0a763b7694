// ARS-7, the lane draws' generator (random/ars.h): Random123's own ARS4x32 with 7 rounds is
// the reference for the AES-NI rounds, the AES-NI rounds for the software ones, and the
// scalar lane_uniform for every batch path. This file is compiled with -maes so that
// Random123's ars.h is available; its tests skip on a CPU without AES-NI.
#include "random/ars.h"

#include <Random123/ars.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/isa.h"
#include "random/stream.h"

namespace geosim::rnd {
namespace {

// A small deterministic sequence of 64-bit values (splitmix64) for counters and keys.
struct Mix {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
};

TEST(Ars, EqualsRandom123sArs4x32WithSevenRounds) {
  if (!core::cpu_has_aes()) GTEST_SKIP() << "no AES-NI on this CPU";
  Mix mix{1};
  for (int i = 0; i < 2000; ++i) {
    const uint64_t a = mix.next(), b = mix.next(), key_lo = mix.next();
    const uint64_t key_hi = i % 2 ? mix.next() : 0;
    r123::ARS4x32_R<7> gen;
    r123::ARS4x32_R<7>::ctr_type c = {
        {uint32_t(a), uint32_t(a >> 32), uint32_t(b), uint32_t(b >> 32)}};
    r123::ARS4x32_R<7>::key_type k = {
        {uint32_t(key_lo), uint32_t(key_lo >> 32), uint32_t(key_hi), uint32_t(key_hi >> 32)}};
    const auto r = gen(c, k);
    const Block128 got = ars7(c[0], c[1], c[2], c[3], key_lo, key_hi);
    ASSERT_EQ(got.lo, uint64_t{r[0]} | (uint64_t{r[1]} << 32)) << i;
    ASSERT_EQ(got.hi, uint64_t{r[2]} | (uint64_t{r[3]} << 32)) << i;
  }
}

TEST(Ars, SoftwareRoundsEqualTheAesInstructions) {
  if (!core::cpu_has_aes()) GTEST_SKIP() << "no AES-NI on this CPU";
  Mix mix{2};
  // Counters and keys of every byte value in every position, then random ones.
  for (int i = 0; i < 20000; ++i) {
    uint64_t a = mix.next(), b = mix.next(), key_lo = mix.next(), key_hi = mix.next();
    if (i < 4096) {
      const int byte = i % 16, value = i / 16;
      a = byte < 8 ? uint64_t(value) << (8 * byte) : 0;
      b = byte >= 8 ? uint64_t(value) << (8 * (byte - 8)) : 0;
      key_lo = key_hi = 0;
    }
    const uint32_t c0 = uint32_t(a), c1 = uint32_t(a >> 32), c2 = uint32_t(b),
                   c3 = uint32_t(b >> 32);
    const Block128 hw = ars7(c0, c1, c2, c3, key_lo, key_hi);
    const Block128 sw = ars7_software(c0, c1, c2, c3, key_lo, key_hi);
    ASSERT_EQ(sw.lo, hw.lo) << i;
    ASSERT_EQ(sw.hi, hw.hi) << i;
  }
}

TEST(Ars, EveryBatchPathGivesTheScalarLaneUniforms) {
  // Software, AES-NI and VAES batches against lane_uniform: lengths around the batch of 64
  // and the VAES register of 8, odd first replicates (the first block's even half unused),
  // replicate numbers wrapping past 2^32, the init step, seeds with both halves set.
  const LanePath paths[] = {LanePath::kSoftware, LanePath::kAesNi, LanePath::kVaes512};
  const uint64_t seeds[] = {0, 1, 0xFFFFFFFF00000000ull, 0x9E3779B97F4A7C15ull};
  const uint32_t firsts[] = {0, 1, 7, 64, 0xFFFFFFF0u, 0xFFFFFFF1u, 123456789u};
  std::vector<double> out(300);
  int tested = 0;
  for (LanePath path : paths) {
    if (!lane_path_available(path)) continue;
    ++tested;
    for (uint64_t seed : seeds)
      for (uint32_t first : firsts)
        for (uint32_t step : {0u, 59u, kInitStep})
          for (int n : {1, 2, 3, 7, 8, 9, 63, 64, 65, 127, 128, 129, 256, 300}) {
            const uint32_t site = static_cast<uint32_t>(n) * 2654435761u;
            lane_uniforms_on(path, seed, first, step, site, 0, out.data(), n);
            for (int i = 0; i < n; ++i)
              ASSERT_EQ(
                  out[static_cast<size_t>(i)],
                  lane_uniform(seed, Counter{first + static_cast<uint32_t>(i), step, site, 0}))
                  << "path " << static_cast<int>(path) << " seed " << seed << " first " << first
                  << " step " << step << " n " << n << " lane " << i;
          }
  }
  EXPECT_EQ(tested, 1 + (lane_path_available(LanePath::kAesNi) ? 1 : 0) +
                        (lane_path_available(LanePath::kVaes512) ? 1 : 0));
}

TEST(Ars, LaneUniformsAreInTheOpenUnitIntervalAndTheTwoHalvesDiffer) {
  // u = ((x >> 11) + 0.5) 2^-53 is in (0, 1) for every 64-bit x; the pair's halves are
  // different numbers (a block is a permutation of its counter, not a repeated word).
  std::vector<double> u(4096);
  lane_uniforms(5, 0, 3, 9, 0, u.data(), 4096);
  int equal_halves = 0;
  for (size_t i = 0; i < u.size(); ++i) {
    ASSERT_GT(u[i], 0.0);
    ASSERT_LT(u[i], 1.0);
    if (i % 2 == 1) equal_halves += u[i] == u[i - 1];
  }
  EXPECT_EQ(equal_halves, 0);
}

// ---- Statistical checks of the lane stream --------------------------------------------
// Published batteries are the evidence for ARS itself (docs/reproducibility.md); these
// check what is ours: the pairing of replicates on one block, the counter layout (replicate,
// step, site) and the conversion to doubles. Fixed seeds, so each result is a fixed number;
// every bound is 5 standard deviations of the statistic under independence (a false alarm
// has probability below 1e-6), and a broken layout (two replicates with the same numbers,
// a counter word ignored, a constant bit) exceeds it by orders of magnitude.

std::vector<double> lane_stream(uint64_t seed, uint32_t first, uint32_t step, uint32_t site,
                                int n) {
  std::vector<double> u(static_cast<size_t>(n));
  for (int base = 0; base < n; base += 4096)
    lane_uniforms(seed, first + static_cast<uint32_t>(base), step, site, 0, u.data() + base,
                  n - base < 4096 ? n - base : 4096);
  return u;
}

// Pearson's chi-square of counts against equal expectations; returns (chi2 - df) / sd.
double chi_square_z(const std::vector<int64_t>& counts, int64_t n) {
  const double expect = static_cast<double>(n) / static_cast<double>(counts.size());
  double chi2 = 0;
  for (int64_t c : counts)
    chi2 += (static_cast<double>(c) - expect) * (static_cast<double>(c) - expect) / expect;
  const double df = static_cast<double>(counts.size()) - 1;
  return (chi2 - df) / std::sqrt(2 * df);
}

double correlation(const std::vector<double>& x, const std::vector<double>& y) {
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  const double n = static_cast<double>(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    sx += x[i];
    sy += y[i];
    sxx += x[i] * x[i];
    syy += y[i] * y[i];
    sxy += x[i] * y[i];
  }
  return (sxy / n - sx / n * sy / n) /
         std::sqrt((sxx / n - sx / n * sx / n) * (syy / n - sy / n * sy / n));
}

TEST(LaneStream, UniformOverFourThousandBins) {
  constexpr int n = 1 << 22, bins = 4096;
  for (uint64_t seed : {1ull, 0xDEADBEEFCAFEull}) {
    const std::vector<double> u = lane_stream(seed, 0, 3, 7, n);
    std::vector<int64_t> counts(bins, 0);
    for (double x : u) ++counts[static_cast<size_t>(x * bins)];
    EXPECT_LT(std::fabs(chi_square_z(counts, n)), 5.0) << "seed " << seed;
  }
}

TEST(LaneStream, TheTwoReplicatesOfABlockAreIndependent) {
  // (u of replicate 2j, u of 2j + 1) over a 64 x 64 grid, and (2j + 1, 2j + 2) across blocks.
  constexpr int n = 1 << 22, side = 64;
  const std::vector<double> u = lane_stream(9, 0, 0, 1, n);
  for (int shift : {0, 1}) {
    std::vector<int64_t> counts(side * side, 0);
    int64_t m = 0;
    for (int i = shift; i + 1 < n; i += 2, ++m)
      ++counts[static_cast<size_t>(static_cast<int>(u[static_cast<size_t>(i)] * side) * side +
                                   static_cast<int>(u[static_cast<size_t>(i + 1)] * side))];
    EXPECT_LT(std::fabs(chi_square_z(counts, m)), 5.0) << "pairs starting at " << shift;
  }
}

TEST(LaneStream, ReplicatesStepsAndSitesAreUncorrelated) {
  // Pearson's r has standard deviation 1 / sqrt(n) under independence.
  constexpr int n = 1 << 20;
  const double bound = 5.0 / std::sqrt(static_cast<double>(n));
  const std::vector<double> base = lane_stream(4, 0, 10, 20, n);
  const std::vector<double> even(base.begin(), base.begin() + n / 2);
  std::vector<double> pair_even, pair_odd;
  for (int i = 0; i + 1 < n; i += 2) {
    pair_even.push_back(base[static_cast<size_t>(i)]);
    pair_odd.push_back(base[static_cast<size_t>(i + 1)]);
  }
  EXPECT_LT(std::fabs(correlation(pair_even, pair_odd)), bound * std::sqrt(2.0));
  EXPECT_LT(std::fabs(correlation(base, lane_stream(4, 0, 11, 20, n))), bound);  // next step
  EXPECT_LT(std::fabs(correlation(base, lane_stream(4, 0, 10, 21, n))), bound);  // next site
  EXPECT_LT(std::fabs(correlation(base, lane_stream(5, 0, 10, 20, n))), bound);  // next seed
  EXPECT_LT(std::fabs(correlation(base, lane_stream(4, 2, 10, 20, n))), bound);  // next block
  EXPECT_LT(std::fabs(correlation(base, lane_stream(4, 0, kInitStep, 20, n))), bound);
}

TEST(LaneStream, EveryBitOfTheFiftyThreeIsFair) {
  // u = (k + 0.5) 2^-53 with k the top 53 bits of a block half. Bit 52 of k is u >= 0.5;
  // below 0.5, k + 0.5 is exact and k = floor(u 2^53) gives bits 0-51 (above, the half
  // rounds away, as it must for a double).
  constexpr int n = 1 << 21;
  const std::vector<double> u = lane_stream(77, 1000, 2, 3, n);
  std::vector<int64_t> ones(52, 0);
  int64_t low = 0;
  for (double x : u) {
    if (x >= 0.5) continue;
    ++low;
    const auto k = static_cast<uint64_t>(x * 9007199254740992.0);
    for (int b = 0; b < 52; ++b) ones[static_cast<size_t>(b)] += (k >> b) & 1;
  }
  EXPECT_LT(std::fabs(static_cast<double>(low) - n / 2.0), 5 * std::sqrt(n / 4.0));
  const double sd = std::sqrt(static_cast<double>(low) / 4.0);
  for (int b = 0; b < 52; ++b)
    EXPECT_LT(std::fabs(static_cast<double>(ones[static_cast<size_t>(b)]) - low / 2.0), 5 * sd)
        << "bit " << b;
}

}  // namespace
}  // namespace geosim::rnd
