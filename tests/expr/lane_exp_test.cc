// expr::exp_as_eigen must give Eigen's exp bits exactly (the interpreter's exp and logistic
// and the logit choice switched from Eigen arrays to it; every golden depends on that).
#include "expr/lane_exp.h"

#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

namespace geosim::expr {
namespace {

void expect_same_bits(const Eigen::ArrayXd& x, const char* what) {
  const Eigen::ArrayXd want = x.exp();
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double got = exp_as_eigen(x[i]);
    if (std::isnan(want[i])) {
      ASSERT_TRUE(std::isnan(got)) << what << ": x = " << x[i];
      continue;
    }
    ASSERT_EQ(std::memcmp(&got, &want[i], sizeof got), 0)
        << what << ": x = " << x[i] << ", Eigen " << want[i] << ", exp_as_eigen " << got;
  }
}

TEST(LaneExp, SameBitsAsEigenEverywhere) {
  std::mt19937_64 rng(14);
  const int n = 1 << 16;
  Eigen::ArrayXd x(n);
  std::uniform_real_distribution<double> wide(-800, 720), logit(-40, 1), small(-1e-3, 1e-3);
  for (int rep = 0; rep < 8; ++rep) {
    for (int i = 0; i < n; ++i) x[i] = wide(rng);
    expect_same_bits(x, "wide");
    for (int i = 0; i < n; ++i) x[i] = logit(rng);
    expect_same_bits(x, "logit range");
    for (int i = 0; i < n; ++i) x[i] = small(rng);
    expect_same_bits(x, "near zero");
    // Near the points where floor(x log2 e + 1/2) changes: the reduction's edge cases.
    for (int i = 0; i < n; ++i) {
      const double k = std::floor(wide(rng) * 2);
      x[i] = k * 0.34657359027997264 +
             static_cast<double>(static_cast<int>(rng() % 5) - 2) * 1e-16 * (1 + std::fabs(k));
    }
    expect_same_bits(x, "reduction edges");
    for (int i = 0; i < n; ++i) {  // any bit pattern: huge, tiny, subnormal, inf, NaN
      const uint64_t b = rng();
      std::memcpy(&x[i], &b, sizeof b);
    }
    expect_same_bits(x, "bit patterns");
  }
  for (int i = 0; i < n; ++i) x[i] = -709.9 + i * (2.0 / n);  // the clamp and subnormal results
  expect_same_bits(x, "low end");
  for (int i = 0; i < n; ++i) x[i] = 708.5 + i * (1.5 / n);  // overflow
  expect_same_bits(x, "high end");
  Eigen::ArrayXd special(6);
  special << 0.0, -0.0, std::numeric_limits<double>::infinity(),
      -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN(),
      std::numeric_limits<double>::denorm_min();
  expect_same_bits(special, "special values");
}

}  // namespace
}  // namespace geosim::expr
