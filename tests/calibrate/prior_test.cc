// Priors of `--free`: each density integrates to 1 over its support, each quantile function
// inverts the density's CDF, and parsing refuses what docs/calibration.md says it refuses.
#include "calibrate/prior.h"

#include <gtest/gtest.h>

#include <cmath>

#include "scenario/load.h"
#include "sim/model.h"

namespace geosim::calibrate {
namespace {

sim::Model hazard_model() {
  return sim::build_model(
      load_scenario_spec(std::string(GEOSIM_SOURCE_DIR) + "/tests/calibrate/data/hazard.yaml"));
}

// Midpoint rule on [lo, hi] with n cells of exp(log_density).
double mass(const Prior& p, double lo, double hi, int n = 200000) {
  double s = 0, h = (hi - lo) / n;
  for (int i = 0; i < n; ++i) s += std::exp(p.log_density(lo + (i + 0.5) * h));
  return s * h;
}

TEST(Prior, DensitiesIntegrateToOneAndQuantilesInvertTheirCdf) {
  const sim::Model m = hazard_model();  // p declared on [0, 1]
  for (const char* text :
       {"p", "p:uniform(0.2,0.7)", "p:normal(0.3,0.2)", "p:truncnormal(0.5,0.1,0.3,0.9)",
        "p:beta(2,3)", "p:loguniform(0.01,1)"}) {
    SCOPED_TRACE(text);
    const Prior pr = parse_free(text, m).prior;
    EXPECT_NEAR(mass(pr, pr.lo, pr.hi), 1.0, 1e-4);
    for (double u : {0.05, 0.25, 0.5, 0.75, 0.95}) {
      const double q = pr.quantile(u);
      ASSERT_TRUE(pr.contains(q));
      EXPECT_NEAR(mass(pr, pr.lo, q, 100000), u, 2e-4);
    }
    EXPECT_EQ(pr.log_density(pr.hi + 1), -INFINITY);
  }
}

TEST(Prior, BetaIsMappedOntoTheDeclaredRange) {
  const sim::Model m = hazard_model();
  const Prior pr = parse_free("p:beta(2,3)", m).prior;
  EXPECT_NEAR(pr.quantile(0.5), 0.3857275681323, 1e-9);  // median of beta(2, 3)
  EXPECT_EQ(pr.text(), "beta(2, 3) on [0, 1]");
}

TEST(Prior, RefusalsNameTheOption) {
  const sim::Model m = hazard_model();
  auto message = [&](const char* text) {
    try {
      parse_free(text, m);
    } catch (const UserError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message("q").find("--free q: scenario 'hazard' declares no parameter 'q'"),
            std::string::npos);
  EXPECT_NE(message("p:uniform(0.5,1.5)").find("outside the declared range [0, 1]"),
            std::string::npos);
  EXPECT_NE(message("p:beta(0,1)").find("A and B must be > 0"), std::string::npos);
  EXPECT_NE(message("p:normal(0.5)").find("takes 2 numbers"), std::string::npos);
  EXPECT_NE(message("p:loguniform(0,1)").find("LO must be > 0"), std::string::npos);
  EXPECT_NE(message("p:betta(1,1)").find("did you mean 'beta'"), std::string::npos);
}

}  // namespace
}  // namespace geosim::calibrate
