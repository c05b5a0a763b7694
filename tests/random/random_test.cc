// Distributions checked against closed forms at fixed seeds, within 4 standard errors.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "random/detmath.h"
#include "random/distributions.h"
#include "random/stream.h"

namespace geosim::rnd {
namespace {

constexpr int kN = 200000;

struct Moments {
  double mean = 0, var = 0;
};

template <typename F>
Moments sample(F draw) {
  std::vector<double> out(256);
  double s = 0, s2 = 0;
  int n = 0;
  for (int block = 0; n < kN; ++block) {
    DrawContext cx{12345, static_cast<uint32_t>(block * 256), 3};
    draw(cx, out.data());
    for (double x : out) {
      s += x;
      s2 += x * x;
      ++n;
    }
  }
  Moments m;
  m.mean = s / n;
  m.var = s2 / n - m.mean * m.mean;
  return m;
}

// |estimate - truth| within 4 standard errors of the mean.
void expect_mean(const Moments& m, double mean, double var) {
  EXPECT_NEAR(m.mean, mean, 4 * std::sqrt(var / kN));
  // variance estimate: sd of s^2 is about var * sqrt(2/n) for near-normal data; allow 6%.
  EXPECT_NEAR(m.var, var, 0.06 * var);
}

TEST(Philox, MatchesRandom123KnownAnswer) {
  r123::Philox4x32 g;
  r123::Philox4x32::ctr_type c = {{0, 0, 0, 0}};
  r123::Philox4x32::key_type k = {{0, 0}};
  auto r = g(c, k);
  EXPECT_EQ(r[0], 0x6627e8d5u);
  EXPECT_EQ(r[1], 0xe169c58du);
  EXPECT_EQ(r[2], 0xbc57ac4cu);
  EXPECT_EQ(r[3], 0x9b00dbd8u);
}

TEST(Stream, UniformIsAPureFunctionOfItsCounter) {
  Counter c{7, 3, 11, 0};
  EXPECT_EQ(uniform(99, c), uniform(99, c));
  Counter d = c;
  d.replicate = 8;
  EXPECT_NE(uniform(99, c), uniform(99, d));
  double u0, u1;
  uniform2(99, c, u0, u1);
  EXPECT_GT(u0, 0.0);
  EXPECT_LT(u0, 1.0);
  EXPECT_NE(u0, u1);
}

TEST(DetMath, LogAndExpAgreeWithLibmToAFewUlps) {
  for (double x : {1e-300, 1e-10, 0.1, 0.5, 0.7071, 1.0, 1.5, 2.0, 10.0, 12345.678, 1e300}) {
    EXPECT_NEAR(det_log(x), std::log(x), 4e-16 * std::max(1.0, std::fabs(std::log(x)))) << x;
  }
  for (double x : {-700.0, -20.0, -1.0, -1e-8, 0.0, 0.3, 1.0, 5.5, 100.0, 700.0}) {
    EXPECT_NEAR(det_exp(x) / std::exp(x), 1.0, 4e-16) << x;
  }
  EXPECT_TRUE(std::isnan(det_log(-1)));
}

TEST(NormalQuantile, MatchesKnownValues) {
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-14);
  EXPECT_NEAR(normal_quantile(0.5), 0.0, 1e-16);
  EXPECT_NEAR(normal_quantile(1e-10), -6.361340902404056, 1e-12);
}

TEST(Distributions, UniformMomentsMatchClosedForm) {
  std::vector<double> a(256, 2.0), b(256, 5.0);
  auto m = sample(
      [&](const DrawContext& cx, double* o) { draw_uniform(cx, 1, a.data(), b.data(), o, 256); });
  expect_mean(m, 3.5, 9.0 / 12.0);
}

TEST(Distributions, NormalMomentsMatchClosedForm) {
  std::vector<double> mu(256, -1.0), sd(256, 2.0);
  auto m = sample(
      [&](const DrawContext& cx, double* o) { draw_normal(cx, 2, mu.data(), sd.data(), o, 256); });
  expect_mean(m, -1.0, 4.0);
}

TEST(Distributions, LognormalMeanMatchesClosedForm) {
  std::vector<double> mu(256, 0.1), s(256, 0.5);
  auto m = sample([&](const DrawContext& cx, double* o) {
    draw_lognormal(cx, 3, mu.data(), s.data(), o, 256);
  });
  double mean = std::exp(0.1 + 0.125), var = (std::exp(0.25) - 1) * std::exp(0.2 + 0.25);
  EXPECT_NEAR(m.mean, mean, 4 * std::sqrt(var / kN));
}

TEST(Distributions, BernoulliFrequencyMatchesProbability) {
  std::vector<double> p(256, 0.3);
  auto m =
      sample([&](const DrawContext& cx, double* o) { draw_bernoulli(cx, 4, p.data(), o, 256); });
  expect_mean(m, 0.3, 0.21);
}

TEST(Distributions, BetaMomentsMatchClosedForm) {
  for (double a : {0.5, 2.0, 7.0}) {
    double b = 3.0;
    std::vector<double> av(256, a), bv(256, b);
    auto m = sample(
        [&](const DrawContext& cx, double* o) { draw_beta(cx, 5, av.data(), bv.data(), o, 256); });
    expect_mean(m, a / (a + b), a * b / ((a + b) * (a + b) * (a + b + 1)));
  }
}

TEST(Distributions, TriangularMomentsMatchClosedForm) {
  std::vector<double> lo(256, 1.0), mode(256, 2.0), hi(256, 6.0);
  auto m = sample([&](const DrawContext& cx, double* o) {
    draw_triangular(cx, 6, lo.data(), mode.data(), hi.data(), o, 256);
  });
  double mean = 3.0, var = (1 + 4 + 36 - 2 - 6 - 12) / 18.0;
  expect_mean(m, mean, var);
}

TEST(Distributions, InvalidParametersGiveNaN) {
  double neg[1] = {-1}, one[1] = {1}, out[1];
  DrawContext cx{1, 0, 0};
  draw_normal(cx, 1, one, neg, out, 1);
  EXPECT_TRUE(std::isnan(out[0]));
  double p[1] = {1.5};
  draw_bernoulli(cx, 1, p, out, 1);
  EXPECT_TRUE(std::isnan(out[0]));
  draw_beta(cx, 1, neg, one, out, 1);
  EXPECT_TRUE(std::isnan(out[0]));
}

TEST(Distributions, DrawDependsOnReplicateNotOnLanePosition) {
  // Replicate 300 drawn as lane 44 of a block starting at 256 and as lane 0 of one at 300.
  std::vector<double> mu(256, 0.0), sd(256, 1.0), a(256), b(256);
  draw_normal(DrawContext{9, 256, 5}, 7, mu.data(), sd.data(), a.data(), 256);
  draw_normal(DrawContext{9, 300, 5}, 7, mu.data(), sd.data(), b.data(), 256);
  EXPECT_EQ(a[44], b[0]);
}

}  // namespace
}  // namespace geosim::rnd

namespace geosim::rnd {
namespace {

TEST(Distributions, BatchedLaneUniformsEqualTheScalarReference) {
  // draw_unit runs ARS-7 over lanes in batches; it must equal lane_uniform() bit for bit.
  std::vector<double> out(300);
  DrawContext cx{0x123456789abcdefULL, 1000, 17};
  draw_unit(cx, 5, out.data(), 300);
  for (int i = 0; i < 300; ++i)
    ASSERT_EQ(out[static_cast<size_t>(i)],
              lane_uniform(cx.seed, Counter{1000u + static_cast<uint32_t>(i), 17, 5, 0}));
}

TEST(Distributions, BatchedLaneUniformsEqualTheScalarReferenceForAnyCounterAndLength) {
  // Whichever path draws (VAES: 4 blocks per register; AES-NI; software rounds), every
  // lane's uniform is lane_uniform() of its counter: short and odd lengths, replicate numbers
  // that wrap past 2^32, the init step, large sites and seeds with both halves set.
  std::vector<double> out(256);
  const uint64_t seeds[] = {0, 1, 0xFFFFFFFFull, 0xFFFFFFFF00000000ull, 0x9E3779B97F4A7C15ull};
  const uint32_t firsts[] = {0, 7, 0xFFFFFFF0u, 0xFFFFFFF1u, 123456789u, 1000u};
  const uint32_t steps[] = {0, 59, kInitStep};
  for (uint64_t seed : seeds)
    for (uint32_t first : firsts)
      for (uint32_t step : steps)
        for (int n : {1, 3, 8, 9, 31, 32, 33, 63, 64, 65, 200, 256}) {
          const uint32_t site = static_cast<uint32_t>(n) * 2654435761u;
          DrawContext cx{seed, first, step};
          draw_unit(cx, site, out.data(), n);
          for (int i = 0; i < n; ++i)
            ASSERT_EQ(out[static_cast<size_t>(i)],
                      lane_uniform(seed, Counter{first + static_cast<uint32_t>(i), step, site, 0}))
                << "seed " << seed << " first " << first << " step " << step << " n " << n;
        }
}

TEST(Distributions, BatchedQuantilesEqualTheScalarOneInBothTailsAndAtTheExtremes) {
  // The batch computes the tails apart from the centre, without branches: it must give
  // normal_quantile's bits everywhere, including both branches of the tail (r <= 5 and
  // r > 5, p below about 1.4e-11), the smallest uniform (2^-54), 1 - 2^-53 and 1 itself (the
  // largest uniform: (2^53 - 0.5) 2^-53 rounds to 1), and 0.
  std::vector<double> p;
  for (int k = 0; k < 2000; ++k) p.push_back((k + 0.5) / 2000);
  for (double e = -54; e <= -1; e += 0.125) {
    p.push_back(std::ldexp(1.0, static_cast<int>(e)) * (1 + (e - std::floor(e))));
    p.push_back(1 - p.back());
  }
  p.push_back(std::ldexp(1.0, -54));
  p.push_back(1 - std::ldexp(1.0, -53));
  p.push_back(1);
  p.push_back(0);
  for (double x : {0.075, 0.925, 0.0749999999, 0.9250000001, 0.5, 0.075000000001}) p.push_back(x);
  for (int k = 0; k < 300; ++k) p.push_back(uniform(3, Counter{static_cast<uint32_t>(k), 0, 1, 0}));
  std::vector<double> z = p;
  normal_quantile_batch(z.data(), static_cast<int>(z.size()));
  for (size_t i = 0; i < p.size(); ++i) ASSERT_EQ(z[i], normal_quantile(p[i])) << "p = " << p[i];
}

TEST(Distributions, LognormalDrawsEqualTheScalarDetExpOverItsWholeRange) {
  // draw_lognormal computes det_exp over the lanes without branches; it must give
  // det_exp(mu + sigma z) bit for bit: across the normal range, the subnormal results below
  // about -708, the underflow to 0 below -745.13, the overflow above 709.78, and NaN.
  std::vector<double> mu(256), sigma(256), out(256);
  for (int rep = 0; rep < 64; ++rep) {
    for (int i = 0; i < 256; ++i) {
      const double f = (rep * 256 + i) / 16384.0;  // [0, 1)
      mu[static_cast<size_t>(i)] = rep % 2 ? -760 + 1480 * f : -750 + 45 * f;
      sigma[static_cast<size_t>(i)] =
          (i % 4 == 0) ? 0.0 : (i % 4 == 1 ? 0.2 : (i % 4 == 2 ? 1 : 30));
    }
    if (rep == 0) mu[7] = std::numeric_limits<double>::quiet_NaN();
    DrawContext cx{0xABCDEFull + static_cast<uint64_t>(rep), 77u * static_cast<uint32_t>(rep), 4};
    draw_lognormal(cx, 6, mu.data(), sigma.data(), out.data(), 256);
    for (int i = 0; i < 256; ++i) {
      const double z = normal_quantile(
          lane_uniform(cx.seed, Counter{cx.replicate0 + static_cast<uint32_t>(i), 4, 6, 0}));
      const double want = det_exp(mu[static_cast<size_t>(i)] + sigma[static_cast<size_t>(i)] * z);
      const double got = out[static_cast<size_t>(i)];
      if (std::isnan(want)) {
        ASSERT_TRUE(std::isnan(got)) << i;
      } else {
        ASSERT_EQ(got, want) << "mu " << mu[static_cast<size_t>(i)] << " sigma "
                             << sigma[static_cast<size_t>(i)] << " z " << z;
      }
    }
  }
}

TEST(Distributions, BatchedNormalsEqualTheScalarQuantile) {
  std::vector<double> mu(256, 0.0), sd(256, 1.0), out(256);
  DrawContext cx{99, 0, 3};
  draw_normal(cx, 8, mu.data(), sd.data(), out.data(), 256);
  for (int i = 0; i < 256; ++i)
    ASSERT_EQ(out[static_cast<size_t>(i)],
              normal_quantile(lane_uniform(99, Counter{static_cast<uint32_t>(i), 3, 8, 0})));
}

TEST(Distributions, OutputMayAliasParameters) {
  std::vector<double> p(256, 0.5);
  DrawContext cx{5, 0, 0};
  draw_bernoulli(cx, 2, p.data(), p.data(), 256);
  int ones = 0;
  for (double x : p) {
    ASSERT_TRUE(x == 0 || x == 1);
    ones += x == 1;
  }
  EXPECT_GT(ones, 90);
  EXPECT_LT(ones, 166);
}

}  // namespace
}  // namespace geosim::rnd
