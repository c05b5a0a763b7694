// The step semantics checked against closed forms at fixed seeds. Every Monte Carlo
// estimate must lie within 4 standard errors of its exact value (a false alarm about
// once in 16,000 checks; the seeds are fixed, so a pass is stable).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.h"
#include "experiment/runner.h"
#include "experiment/summary.h"
#include "scenario/load.h"
#include "sim/model.h"

namespace geosim {
namespace {

using experiment::RunStats;

sim::Model compile(const std::string& yaml) {
  return sim::build_model(load_scenario_spec_from_string(yaml, "test.yaml"));
}

RunStats run(const sim::Model& m, int64_t replicates, uint64_t seed = 42, int threads = 1) {
  experiment::RunOptions o;
  o.replicates = replicates;
  o.seed = seed;
  o.threads = threads;
  return experiment::run_replicates(m, m.uniforms, o);
}

const experiment::OutcomeStats& outcome(const sim::Model& m, const RunStats& s,
                                        const std::string& name) {
  for (size_t i = 0; i < m.outcomes.size(); ++i)
    if (m.outcomes[i].name == name) return s.outcomes[i];
  throw std::runtime_error("no outcome " + name);
}

double mean_of(const sim::Model& m, const RunStats& s, const std::string& name) {
  return outcome(m, s, name).values.moments.mean();
}

// |p_hat - p| <= 4 sqrt(p (1 - p) / n)
void expect_proportion(double p_hat, double p, int64_t n) {
  EXPECT_NEAR(p_hat, p, 4 * std::sqrt(p * (1 - p) / static_cast<double>(n))) << "p=" << p;
}

TEST(Hazard, FirstStepFollowsTheGeometricLaw) {
  const double p = 0.1;
  const int steps = 10;
  sim::Model m = compile(R"Y(geosim: 1
scenario: {id: hazard, steps: 10}
parameters: {p: 0.1}
world: {hit: 0}
events:
  strike: {probability: "p", once: true, effects: ["world.hit = 1"]}
outcomes:
  hit: "world.hit"
  when_hit: {first: "world.hit == 1"}
)Y");
  const int64_t n = 40000;
  RunStats s = run(m, n);
  const double p_by_end = 1 - std::pow(1 - p, steps);
  expect_proportion(mean_of(m, s, "hit"), p_by_end, n);
  const auto& first = outcome(m, s, "when_hit");
  expect_proportion(static_cast<double>(first.reached) / n, p_by_end, n);
  // E[T | T < steps] for a geometric T on {0, 1, ...}: sum t p q^t / (1 - q^steps)
  double e = 0;
  for (int t = 0; t < steps; ++t) e += t * p * std::pow(1 - p, t);
  e /= p_by_end;
  double var = 0;
  for (int t = 0; t < steps; ++t) var += (t - e) * (t - e) * p * std::pow(1 - p, t);
  var /= p_by_end;
  EXPECT_NEAR(first.values.moments.mean(), e, 4 * std::sqrt(var / first.reached));
}

TEST(Logit, ChoiceFrequencyMatchesClosedForm) {
  sim::Model m = compile(R"Y(geosim: 1
scenario: {id: logit, steps: 1}
actors:
  a: {state: {c: 0}}
decisions:
  pick:
    actor: a
    rule: logit
    rationality: 2
    options:
      low: {utility: "0", effects: ["self.c = 1"]}
      mid: {utility: "0.5", effects: ["self.c = 2"]}
      high: {utility: "self.c + 1", effects: ["self.c = 3"]}
outcomes:
  low: "a.c == 1"
  mid: "a.c == 2"
  high: "a.c == 3"
)Y");
  const int64_t n = 50000;
  RunStats s = run(m, n);
  double w[3] = {std::exp(0.0), std::exp(1.0), std::exp(2.0)};
  double z = w[0] + w[1] + w[2];
  expect_proportion(mean_of(m, s, "low"), w[0] / z, n);
  expect_proportion(mean_of(m, s, "mid"), w[1] / z, n);
  expect_proportion(mean_of(m, s, "high"), w[2] / z, n);
}

TEST(Argmax, TiesGoToTheFirstListedOption) {
  sim::Model m = compile(R"Y(geosim: 1
scenario: {id: argmax, steps: 1}
actors:
  a: {state: {c: 0}}
decisions:
  pick:
    actor: a
    options:
      first: {utility: "1", effects: ["self.c = 1"]}
      second: {utility: "1", effects: ["self.c = 2"]}
      worse: {utility: "0.5", effects: ["self.c = 3"]}
outcomes:
  c: "a.c"
)Y");
  RunStats s = run(m, 300);
  EXPECT_EQ(outcome(m, s, "c").values.moments.min(), 1);
  EXPECT_EQ(outcome(m, s, "c").values.moments.max(), 1);
}

TEST(Sample, WeightedChoiceMatchesWeights) {
  sim::Model m = compile(R"Y(geosim: 1
scenario: {id: sample, steps: 1}
actors:
  a: {state: {c: 0}}
decisions:
  pick:
    actor: a
    rule: sample
    options:
      one: {weight: "1", effects: ["self.c = 1"]}
      two: {weight: "2", effects: ["self.c = 2"]}
      three: {weight: "3", effects: ["self.c = 3"]}
outcomes:
  choice:
    cases:
      one: "a.c == 1"
      two: "a.c == 2"
      three: "a.c == 3"
)Y");
  const int64_t n = 60000;
  RunStats s = run(m, n);
  const auto& o = outcome(m, s, "choice");
  ASSERT_EQ(o.case_counts.size(), 3u);
  for (int k = 0; k < 3; ++k)
    expect_proportion(static_cast<double>(o.case_counts[k]) / n, (k + 1) / 6.0, n);
}

// Issue 13, item 2: two equal weights of exp(709.5) overflowed their sum to infinity, so
// the first option was never picked. Weights are scaled by the largest when the sum
// overflows; a third weight of the smallest positive double changes nothing visible.
TEST(Sample, HugeWeightsAreNormalisedWithoutOverflow) {
  sim::Model m = compile(R"Y(geosim: 1
scenario: {id: sample, steps: 1}
actors:
  a: {state: {c: 0}}
decisions:
  pick:
    actor: a
    rule: sample
    options:
      one: {weight: "exp(709.5)", effects: ["self.c = 1"]}
      two: {weight: "exp(709.5)", effects: ["self.c = 2"]}
      three: {weight: "1.7976931348623157e308", effects: ["self.c = 3"]}
      four: {weight: "5e-324", effects: ["self.c = 4"]}
outcomes:
  choice:
    cases:
      one: "a.c == 1"
      two: "a.c == 2"
      three: "a.c == 3"
      four: "a.c == 4"
)Y");
  const int64_t n = 60000;
  RunStats s = run(m, n);
  const auto& o = outcome(m, s, "choice");
  ASSERT_EQ(o.case_counts.size(), 4u);
  const double w = std::exp(709.5), big = 1.7976931348623157e308;
  const double total = w / big + w / big + 1;
  expect_proportion(static_cast<double>(o.case_counts[0]) / n, w / big / total, n);
  expect_proportion(static_cast<double>(o.case_counts[1]) / n, w / big / total, n);
  expect_proportion(static_cast<double>(o.case_counts[2]) / n, 1 / total, n);
  EXPECT_EQ(o.case_counts[3], 0);
}

TEST(RandomWalk, SpreadGrowsWithTheSquareRootOfTime) {
  sim::Model m = compile(R"Y(geosim: 1
scenario: {id: walk, steps: 25}
world: {x: 0}
dynamics: ["world.x += normal(0, 0.2)"]
outcomes:
  x: "world.x"
track: [world.x]
)Y");
  const int64_t n = 40000;
  RunStats s = run(m, n);
  const double sd = 0.2 * std::sqrt(25.0);
  const auto& x = outcome(m, s, "x").values.moments;
  EXPECT_NEAR(x.mean(), 0, 4 * sd / std::sqrt(n));
  // The sample sd of normal data has standard error sd / sqrt(2 (n - 1)).
  EXPECT_NEAR(x.sd(), sd, 4 * sd / std::sqrt(2.0 * (n - 1)));
  // After step t the spread is 0.2 sqrt(t + 1). Tracked values keep quantiles, not an sd:
  // the interquartile range of a normal is 1.349 sd, and the sd estimated from it has a
  // standard error of 1.166 sd / sqrt(n) (quartile variance p (1 - p) / (n f^2)).
  const auto& t9 = s.track[0][9];
  const double sd9 = 0.2 * std::sqrt(10.0);
  EXPECT_NEAR(t9.mean.mean(), 0, 4 * sd9 / std::sqrt(n));
  EXPECT_NEAR((t9.sketch.quantile(0.75) - t9.sketch.quantile(0.25)) / 1.349, sd9,
              4 * 1.166 * sd9 / std::sqrt(n) + 0.005 * sd9);
}

TEST(Groups, AggregatesOverMembersMatchClosedForm) {
  sim::Model m = compile(R"Y(geosim: 1
scenario: {id: groups, steps: 1}
actors:
  a: {groups: [g], state: {x: "uniform(0, 1)"}}
  b: {groups: [g], state: {x: "uniform(0, 1)"}}
  c: {groups: [g], state: {x: "uniform(0, 1)"}}
  d: {groups: [g], state: {x: "uniform(0, 1)"}}
  outsider: {state: {x: 5}}
outcomes:
  total: "sum(g.x)"
  average: "mean(g.x)"
  top: "max(g.x)"
  bottom: "min(g.x)"
  above_half: "count(g.x > 0.5)"
  any_high: "any(g.x > 0.9)"
  all_low: "all(g.x < 0.9)"
)Y");
  const int64_t n = 40000;
  RunStats s = run(m, n);
  EXPECT_NEAR(mean_of(m, s, "total"), 2.0, 4 * std::sqrt(4.0 / 12 / n));
  EXPECT_NEAR(mean_of(m, s, "average"), 0.5, 4 * std::sqrt(1.0 / 48 / n));
  EXPECT_NEAR(mean_of(m, s, "top"), 0.8, 4 * std::sqrt((4.0 / 6 - 0.64) / n));  // E max of 4 = 4/5
  EXPECT_NEAR(mean_of(m, s, "bottom"), 0.2, 4 * std::sqrt((2.0 / 30 - 0.04) / n));
  EXPECT_NEAR(mean_of(m, s, "above_half"), 2.0, 4 * std::sqrt(1.0 / n));  // binomial(4, 1/2)
  expect_proportion(mean_of(m, s, "any_high"), 1 - std::pow(0.9, 4), n);
  expect_proportion(mean_of(m, s, "all_low"), std::pow(0.9, 4), n);
}

class TempDir {
 public:
  TempDir() {
    path_ =
        std::filesystem::temp_directory_path() / ("geosim-sim-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string write(const std::string& name, const std::string& text) const {
    std::string p = (path_ / name).string();
    std::ofstream(p) << text;
    return p;
  }

 private:
  std::filesystem::path path_;
};

TEST(Attrition, DeterministicDecayWithExtendsMatchesClosedForm) {
  TempDir dir;
  dir.write("base.yaml", R"Y(geosim: 1
scenario: {id: attrition-base, steps: 10}
parameters: {rate: 0.1}
world: {force: 1000}
dynamics: ["world.force *= 1 - rate"]
outcomes:
  force: "world.force"
  lowest: {min: "world.force"}
  average: {mean: "world.force"}
)Y");
  std::string child = dir.write("child.yaml", R"Y(geosim: 1
extends: base.yaml
scenario: {id: attrition, steps: 20}
parameters: {rate: 0.05}
remove: [outcomes.average]
)Y");
  sim::Model m = sim::build_model(load_scenario_spec(child));
  ASSERT_EQ(m.outcomes.size(), 2u);
  RunStats s = run(m, 10);
  const double expected = 1000 * std::pow(0.95, 20);
  EXPECT_NEAR(mean_of(m, s, "force"), expected, 1e-9 * expected);
  EXPECT_NEAR(mean_of(m, s, "lowest"), expected, 1e-9 * expected);
  EXPECT_EQ(outcome(m, s, "force").values.moments.sd(), 0);
}

TEST(Steps, EventsAtListedStepsAndStopWhenFreezesTheReplicate) {
  sim::Model m = compile(R"Y(geosim: 1
scenario: {id: stop, steps: 10}
world: {x: 0, y: 0}
events:
  bump: {at: [2, 5], effects: ["world.y += 1"]}
dynamics: ["world.x += 1"]
outcomes:
  x: "world.x"
  y: "world.y"
  peak: {max: "world.x"}
  steps_run: {mean: "1"}
track: [world.x]
stop_when: "world.x >= 4"
)Y");
  RunStats s = run(m, 5);
  EXPECT_EQ(mean_of(m, s, "x"), 4);  // stops after step 3
  EXPECT_EQ(mean_of(m, s, "y"), 1);  // the bump at step 5 never happens
  EXPECT_EQ(mean_of(m, s, "peak"), 4);
  EXPECT_EQ(s.track[0][9].mean.mean(), 4);  // a stopped replicate keeps its final state
}

// Once every replicate of a block has stopped and nothing is tracked, the engine skips the
// remaining steps; outcomes must still see the last step's `t` and draw as at that step.
// The same model with a track (which runs every step) is the reference.
TEST(Steps, SkippingStepsAfterEveryReplicateStoppedChangesNoOutcome) {
  const std::string body = R"Y(geosim: 1
scenario: {id: skip, steps: 50, replicates: 600}
world: {x: 0}
dynamics: ["world.x += uniform(0, 1)"]
stop_when: "world.x >= 2"
outcomes:
  x: "world.x"
  last_t: "t"
  late_draw: "normal(0, 1) + t"
)Y";
  sim::Model skipping = compile(body);
  sim::Model full = compile(body + "track: [world.x]\n");
  RunStats a = run(skipping, 600), b = run(full, 600);
  for (const char* name : {"x", "last_t", "late_draw"}) {
    EXPECT_EQ(outcome(skipping, a, name).values.moments.mean(),
              outcome(full, b, name).values.moments.mean())
        << name;
    EXPECT_EQ(outcome(skipping, a, name).values.sketch, outcome(full, b, name).values.sketch)
        << name;
  }
  EXPECT_EQ(mean_of(skipping, a, "last_t"), 49);
}

TEST(Decisions, AllChooseOnTheSameStateThenEffectsApplyInFileOrder) {
  sim::Model m = compile(R"Y(geosim: 1
scenario: {id: order, steps: 1}
world: {x: 0, seen: -1}
actors:
  a: {state: {}}
decisions:
  first:
    actor: a
    options:
      set: {utility: "1", effects: ["world.x = 5"]}
  second:
    actor: a
    when: "world.x == 0"
    options:
      look: {utility: "1", effects: ["world.seen = world.x"]}
outcomes:
  seen: "world.seen"
)Y");
  RunStats s = run(m, 3);
  // `second` chose while x was 0, and its effect read x after `first` set it to 5.
  EXPECT_EQ(mean_of(m, s, "seen"), 5);
}

TEST(Determinism, NumbersDoNotDependOnThreadsOrReplicateCount) {
  sim::Model m = compile(R"Y(geosim: 1
scenario: {id: det, steps: 20}
world: {x: "normal(0, 1)"}
dynamics: ["world.x = 0.9 * world.x + normal(0, 0.3)"]
outcomes:
  x: "world.x"
  up: "world.x > 0"
track: [world.x]
)Y");
  std::string a, b;
  run(m, 3000, 9, 1).serialize(a);
  run(m, 3000, 9, 2).serialize(b);
  EXPECT_EQ(a, b);
  RunStats small = run(m, 1, 9);
  RunStats large = run(m, 600, 9, 2);
  (void)large;
  // Replicate 0 has the same value whether 1 or 600 replicates run.
  RunStats also = run(m, 1, 9, 2);
  EXPECT_EQ(small.outcomes[0].values.moments.mean(), also.outcomes[0].values.moments.mean());
}

TEST(Given, ConditionalOutcomesMatchClosedForms) {
  // a ~ Bernoulli(0.3); b ~ Bernoulli(0.8) when a, else Bernoulli(0.1): P(b | a) = 0.8,
  // P(b | not a) = 0.1, P(a) = 0.3. x ~ U(0, 1): E[x | x > 0.5] = 0.75, sd 1/sqrt(48).
  sim::Model m = compile(R"Y(geosim: 1
scenario: {id: given, steps: 1}
world: {a: 0, b: 0, x: 0}
dynamics:
  - "world.a = uniform(0, 1) < 0.3"
  - "world.b = uniform(0, 1) < if(world.a == 1, 0.8, 0.1)"
  - "world.x = uniform(0, 1)"
outcomes:
  b_if_a: {value: "world.b", given: "world.a == 1"}
  b_if_not_a: {value: "world.b", given: "world.a == 0"}
  x_if_high: {value: "world.x", given: "world.x > 0.5"}
  when_b: {first: "world.b == 1", given: "world.a == 1"}
  kind:
    given: "world.a == 1"
    cases: {troops: "world.b == 1", none: "true"}
  never: {max: "world.x", given: "world.x > 2"}
)Y");
  const int64_t n = 40000;
  RunStats s = run(m, n);
  const auto& ba = outcome(m, s, "b_if_a");
  EXPECT_EQ(ba.total, n);
  expect_proportion(static_cast<double>(ba.held) / n, 0.3, n);
  expect_proportion(ba.values.moments.mean(), 0.8, ba.held);
  EXPECT_EQ(ba.values.moments.count(), ba.held);
  expect_proportion(mean_of(m, s, "b_if_not_a"), 0.1, outcome(m, s, "b_if_not_a").held);
  EXPECT_EQ(ba.held + outcome(m, s, "b_if_not_a").held, n);
  const auto& x = outcome(m, s, "x_if_high");
  EXPECT_NEAR(x.values.moments.mean(), 0.75, 4 / std::sqrt(48.0 * x.held));
  EXPECT_GE(x.values.moments.min(), 0.5);
  const auto& k = outcome(m, s, "kind");
  EXPECT_EQ(k.held, ba.held);  // the same condition on the same replicates
  EXPECT_EQ(k.case_counts[0] + k.case_counts[1], k.held);
  expect_proportion(static_cast<double>(k.case_counts[0]) / k.held, 0.8, k.held);
  const auto& w = outcome(m, s, "when_b");
  EXPECT_EQ(w.reached, k.case_counts[0]);

  // The summary: statistics over the held replicates, then given_share; an empty
  // condition leaves every statistic empty (never NaN) and says 0 of n.
  bool saw_share = false, saw_never = false;
  for (const auto& r : experiment::summary_rows(m, s)) {
    if (r.outcome == "b_if_a" && r.statistic == "probability") EXPECT_EQ(r.replicates, ba.held);
    if (r.outcome == "kind" && r.statistic == "share:troops")
      EXPECT_EQ(*r.value, static_cast<double>(k.case_counts[0]) / static_cast<double>(k.held));
    if (r.outcome == "b_if_a" && r.statistic == "given_share") {
      saw_share = true;
      EXPECT_EQ(r.replicates, n);
      EXPECT_EQ(*r.value, static_cast<double>(ba.held) / n);
      EXPECT_LT(*r.ci_low, *r.value);
    }
    if (r.outcome == "never") {
      if (r.statistic == "given_share") {
        saw_never = true;
        EXPECT_EQ(*r.value, 0.0);
        EXPECT_EQ(r.replicates, n);
        EXPECT_GT(*r.ci_high, 0.0);
      } else {
        EXPECT_FALSE(r.value.has_value()) << r.statistic;
        EXPECT_EQ(r.replicates, 0);
      }
    }
  }
  EXPECT_TRUE(saw_share);
  EXPECT_TRUE(saw_never);
  // Threads do not change a digit.
  std::string one, two;
  run(m, 3000, 5, 1).serialize(one);
  run(m, 3000, 5, 2).serialize(two);
  EXPECT_EQ(one, two);
}

TEST(Errors, NonFiniteValueNamesStatementStepAndReplicate) {
  sim::Model m = compile(R"Y(geosim: 1
scenario: {id: nan, steps: 10}
world: {x: 1}
dynamics:
  - "world.x -= 0.25"
  - "world.x = log(world.x)"
outcomes:
  x: "world.x"
)Y");
  try {
    run(m, 1000, 1, 2);
    FAIL() << "expected a RunError";
  } catch (const RunError& e) {
    EXPECT_STREQ(e.what(),
                 "test.yaml:6:6: statement 'world.x = log(world.x)' gave a non-finite value (NaN "
                 "or infinity) at step 1, replicate 0 (scenario 'nan')");
  }
}

TEST(Errors, AnEventProbabilityOutsideTheUnitIntervalFailsOnlyWhereItCouldFire) {
  // On each replicate, `half` may fire only where x < 0.5, where 2x is a probability; on the
  // other lanes 2x is not, and must not matter. `spent` (once) makes its own probability
  // x + 3 on the lanes where it fired, which may not fire again; the others keep x. world.p
  // grows by 0.1 a step from 0.7 and leaves [0, 1] at step 4: `live` fails there, at
  // replicate 0, and nothing fails before.
  sim::Model m = compile(R"Y(geosim: 1
scenario: {id: badp, steps: 6}
world: {x: "uniform(0, 1)", y: 0, p: 0.7, hits: 0}
events:
  half: {when: "world.x < 0.5", probability: "world.x * 2", effects: ["world.hits += 1"]}
  spent: {probability: "world.x + world.y", once: true, effects: ["world.y += 3"]}
  live: {probability: "world.p", effects: ["world.hits += 1"]}
dynamics: ["world.p += 0.1"]
outcomes:
  hits: "world.hits"
)Y");
  try {
    run(m, 700, 1, 2);
    FAIL() << "expected a RunError";
  } catch (const RunError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("probability of event 'live' is 1.1"), std::string::npos) << what;
    EXPECT_NE(what.find("step 4, replicate 0"), std::string::npos) << what;
  }
}

TEST(Errors, AnOutOfRangeProbabilityNamesTheFirstReplicateWhereTheEventCouldFire) {
  // x ~ uniform(0, 1) per replicate. The event may fire only where x > 0.5, and there its
  // probability 3x exceeds 1; where x is in (1/3, 0.5], 3x exceeds 1 too, but the event
  // could not fire. The message must name the first replicate with x > 0.5, whatever the
  // rows that held the `when` value held after the probability was computed.
  const std::string yaml = R"Y(geosim: 1
scenario: {id: firstbad, steps: 2, seed: 9}
world: {x: "uniform(0, 1)", hits: 0}
events:
  e: {when: "world.x > 0.5", probability: "PROBABILITY", effects: ["world.hits += 1"]}
outcomes:
  hits: "world.hits"
)Y";
  auto with = [&](const std::string& probability) {
    std::string text = yaml;
    text.replace(text.find("PROBABILITY"), 11, probability);
    return compile(text);
  };
  // The same draws of x from a model whose probability is always in range.
  sim::Model fine = with("min(world.x * 3, 1)");
  ASSERT_EQ(fine.init_draws.size(), 1u);
  std::vector<double> x;
  experiment::RunOptions o;
  o.replicates = 256;
  o.seed = 9;
  experiment::run_replicates(fine, fine.uniforms, o, [&](const experiment::BlockRows& rows) {
    x.insert(x.end(), rows.inputs[0].begin(), rows.inputs[0].end());
  });
  ASSERT_EQ(x.size(), 256u);
  size_t first = 0;
  while (first < x.size() && !(x[first] > 0.5)) ++first;
  ASSERT_LT(first, x.size());
  bool masked_before = false;  // a replicate before it where 3x > 1 but the event may not fire
  for (size_t i = 0; i < first; ++i) masked_before |= x[i] * 3 > 1;
  sim::Model bad = with("world.x * 3");
  try {
    run(bad, 256, 9, 1);
    FAIL() << "expected a RunError";
  } catch (const RunError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("step 0, replicate " + std::to_string(first) + " "), std::string::npos)
        << what << " (first x > 0.5 at replicate " << first
        << "; a masked lane before it: " << masked_before << ")";
  }
}

}  // namespace
}  // namespace geosim
