// Properties of the SMP beyond KTAB's reference runs: reproducible stochastic mode at any
// thread count, degenerate inputs, every model option, and the per-round API.
#include "bargain/smp.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "bargain/ktab_csv.h"
#include "core/error.h"

namespace geosim::bargain {
namespace {

const std::string kData = GEOSIM_TEST_DATA "/ktab/";

bool same_history(const SmpHistory& a, const SmpHistory& b) {
  if (a.num_states() != b.num_states()) return false;
  for (int t = 0; t < a.num_states(); ++t)
    if (a.positions[t] != b.positions[t] || a.probabilities[t] != b.probabilities[t]) return false;
  return true;
}

void expect_finite(const SmpHistory& h) {
  for (int t = 0; t < h.num_states(); ++t) {
    EXPECT_TRUE(h.positions[t].allFinite()) << "state " << t;
    EXPECT_TRUE(h.probabilities[t].allFinite()) << "state " << t;
    EXPECT_GE(h.probabilities[t].minCoeff(), 0.0);
    EXPECT_LE(h.probabilities[t].maxCoeff(), 1.0 + 1e-12);
  }
}

SmpHistory run_stochastic(const KtabScenario& s, uint64_t seed, int threads) {
  SmpOptions o;
  o.state_transitions = StateTransitions::kStochastic;
  o.threads = threads;
  return Smp(s.capability, s.salience, o).run(s.position, philox_uniforms(seed));
}

TEST(SmpStochastic, SameSeedGivesTheSameRunAtAnyThreadCount) {
  KtabScenario s = read_ktab_csv(kData + "SOE-Competitive.csv");
  SmpHistory one = run_stochastic(s, 2024, 1);
  EXPECT_TRUE(same_history(one, run_stochastic(s, 2024, 1)));
  EXPECT_TRUE(same_history(one, run_stochastic(s, 2024, 2)));
  EXPECT_TRUE(same_history(one, run_stochastic(s, 2024, 7)));
  expect_finite(one);
}

TEST(SmpStochastic, DifferentSeedsGiveDifferentRuns) {
  KtabScenario s = read_ktab_csv(kData + "dummyData_3Dim.csv");
  int differing = 0;
  SmpHistory base = run_stochastic(s, 1, 1);
  for (uint64_t seed = 2; seed < 6; ++seed)
    differing += same_history(base, run_stochastic(s, seed, 1)) ? 0 : 1;
  EXPECT_GE(differing, 3);
}

TEST(SmpStochastic, PhiloxUniformsAreAPureFunctionWithMeanOneHalf) {
  UniformSource u = philox_uniforms(99, 3);
  EXPECT_EQ(u(5, 6, 0), philox_uniforms(99, 3)(5, 6, 0));
  EXPECT_NE(u(5, 6, 0), philox_uniforms(99, 4)(5, 6, 0));
  EXPECT_NE(u(5, 6, 0), u(5, 7, 0));
  const int n = 100000;
  double sum = 0;
  for (int k = 0; k < n; ++k) {
    double x = u(static_cast<uint32_t>(k / 100), static_cast<uint32_t>(k % 100), 0);
    ASSERT_GT(x, 0.0);
    ASSERT_LT(x, 1.0);
    sum += x;
  }
  const double se = std::sqrt(1.0 / 12.0 / n);
  EXPECT_NEAR(sum / n, 0.5, 4 * se);
}

TEST(SmpDegenerate, IdenticalActorsGiveEqualProbabilitiesWithoutDivisionByZero) {
  Eigen::VectorXd cap = Eigen::VectorXd::Constant(4, 10.0);
  Eigen::MatrixXd sal = Eigen::MatrixXd::Constant(4, 2, 0.5);
  Eigen::MatrixXd pos = Eigen::MatrixXd::Constant(4, 2, 0.3);
  SmpHistory h = Smp(cap, sal, SmpOptions{}).run(pos);
  expect_finite(h);
  EXPECT_EQ(h.num_states(), 3);  // nothing moves: the stopping rule holds at turn 2
  EXPECT_EQ(h.positions.back(), pos);
  for (int i = 0; i < 4; ++i) EXPECT_DOUBLE_EQ(h.probabilities.back()(i), 1.0);
}

TEST(SmpDegenerate, SymmetricActorsWithAllVictoryProbabilitiesEqualStayFinite) {
  // Two pairs mirror each other around 0.5: every actor's victory probability is equal.
  Eigen::VectorXd cap = Eigen::VectorXd::Constant(4, 1.0);
  Eigen::MatrixXd sal = Eigen::MatrixXd::Constant(4, 1, 0.8);
  Eigen::MatrixXd pos(4, 1);
  pos << 0.1, 0.9, 0.1, 0.9;
  SmpHistory h = Smp(cap, sal, SmpOptions{}).run(pos);
  expect_finite(h);
  EXPECT_DOUBLE_EQ(h.probabilities[0](0), h.probabilities[0](1));
}

TEST(SmpDegenerate, ActorWithoutSalienceOrCapabilityStaysFinite) {
  Eigen::VectorXd cap(3);
  cap << 0.0, 5.0, 7.0;
  Eigen::MatrixXd sal(3, 2);
  sal << 0.0, 0.0, 0.4, 0.3, 0.2, 0.6;
  Eigen::MatrixXd pos(3, 2);
  pos << 0.5, 0.5, 0.1, 0.9, 0.8, 0.2;
  expect_finite(Smp(cap, sal, SmpOptions{}).run(pos));
}

TEST(SmpDegenerate, AllCapabilitiesZeroKeepEveryoneInPlace) {
  Eigen::VectorXd cap = Eigen::VectorXd::Zero(3);
  Eigen::MatrixXd sal = Eigen::MatrixXd::Constant(3, 1, 0.5);
  Eigen::MatrixXd pos(3, 1);
  pos << 0.2, 0.5, 0.9;
  SmpHistory h = Smp(cap, sal, SmpOptions{}).run(pos);
  expect_finite(h);
  EXPECT_EQ(h.positions.back(), pos);
}

TEST(SmpOptionsTest, MaxTurnsBoundsTheRun) {
  KtabScenario s = read_ktab_csv(kData + "SOE-Pol-Comp.csv");
  SmpOptions o;
  o.max_turns = 1;
  validate(o, SourceLoc{});
  EXPECT_EQ(Smp(s.capability, s.salience, o).run(s.position).num_states(), 2);
  o.max_turns = 5;
  EXPECT_EQ(Smp(s.capability, s.salience, o).run(s.position).num_states(), 6);
}

TEST(SmpOptionsTest, EveryKtabChoiceRunsToAFiniteResult) {
  KtabScenario s = read_ktab_csv(kData + "dummyData_3Dim.csv");
  for (const SmpChoice& c : smp_choices()) {
    for (const std::string& v : c.values) {
      SmpOptions o;
      set_smp_choice(o, c.key, v, SourceLoc{});
      EXPECT_EQ(smp_choice_value(o, c.ktab_name), v);
      SCOPED_TRACE(c.ktab_name + "=" + v);
      expect_finite(Smp(s.capability, s.salience, o).run(s.position, philox_uniforms(5)));
    }
  }
}

TEST(SmpOptionsTest, UnknownValueNamesTheNearestKtabSpelling) {
  SmpOptions o;
  try {
    set_smp_choice(o, "VotingRule", "Proportional", SourceLoc{"geosim smp"});
    FAIL();
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'Prop'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(set_smp_choice(o, "victory-model", "Linear", SourceLoc{}), UserError);
  o.max_turns = 0;
  EXPECT_THROW(validate(o, SourceLoc{}), UserError);
}

TEST(SmpRoundTest, OneRoundMatchesTheFirstStepOfARun) {
  KtabScenario s = read_ktab_csv(kData + "SOE-Pol-Comp.csv");
  Smp model(s.capability, s.salience, SmpOptions{});
  SmpHistory h = model.run(s.position);
  SmpRound r = model.round(s.position, 0);
  EXPECT_EQ(r.next_positions, h.positions[1]);
  EXPECT_EQ(r.probabilities, h.probabilities[0]);
  EXPECT_EQ(model.win_probabilities(h.positions[3]), h.probabilities[3]);
}

}  // namespace
}  // namespace geosim::bargain
