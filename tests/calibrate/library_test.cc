// engine/calibrate as a library, the way a backtest uses it: fit on all cases but one,
// predict the held-back case (leave-one-out), and get the same numbers every time.
#include <gtest/gtest.h>

#include <numeric>

#include "calibrate/calibrate.h"
#include "scenario/load.h"

namespace geosim::calibrate {
namespace {

const std::string kData = std::string(GEOSIM_SOURCE_DIR) + "/tests/calibrate/data/";

TEST(CalibrateLibrary, LeaveOneOutFitThenPredictTheHeldBackCase) {
  const sim::Model model = sim::build_model(load_scenario_spec(kData + "logit.yaml"));
  const Observations all = read_observations(kData + "logit-cases.csv", model, {"a", "b"});
  ASSERT_EQ(all.cases.size(), 20u);
  Method method;
  method.kind = MethodKind::kMle;
  method.seed = 3;
  method.replicates = 500;
  method.max_evaluations = 80;
  method.profile = false;
  Context context;  // one thread, no state folder
  std::vector<size_t> train(all.cases.size() - 1);
  std::iota(train.begin(), train.end(), 1);  // every case but the first
  Problem fold{&model,
               model.uniforms,
               select_cases(all, train),
               {parse_free("a", model), parse_free("b", model)}};
  check_problem(fold, method, context);
  const FitResult r = fit(fold, method, context);
  ASSERT_EQ(r.names, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(r.draws.size(), 1u);  // mle without bootstrap: the optimum
  EXPECT_EQ(r.point, r.draws[0]);
  EXPECT_EQ(r.evaluations, r.simulations / 500);

  Problem held{&model, model.uniforms, select_cases(all, {0}), fold.free};
  const std::vector<Prediction> p = predict(held, r, method, context);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].case_id, "low0");
  EXPECT_EQ(p[0].outcome, "chose_yes");
  EXPECT_EQ(p[0].observed, "1");
  // P(yes) at x = -1 is near 3/10 (2 of the other 9 low cases said yes, with x = 1 informing
  // the slope); the observation is 1, so p_observed is that probability.
  EXPECT_GT(p[0].mean, 0.1);
  EXPECT_LT(p[0].mean, 0.45);
  EXPECT_DOUBLE_EQ(p[0].p_observed, p[0].mean);

  const FitResult again = fit(fold, method, context);  // a pure function of its inputs
  EXPECT_EQ(again.draws, r.draws);
  context.threads = 2;
  EXPECT_EQ(fit(fold, method, context).draws, r.draws);
}

}  // namespace
}  // namespace geosim::calibrate
