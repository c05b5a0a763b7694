// The loader on valid files: the format contract's whole example, extends with remove,
// and where expressions are said to start.
#include "scenario/load.h"

#include <gtest/gtest.h>

#include <string>

namespace geosim {
namespace {

const std::string kData = GEOSIM_TEST_DATA_DIR;

std::string where(const SourceLoc& loc) {
  return loc.file.substr(loc.file.rfind('/') + 1) + ":" + std::to_string(loc.line) + ":" +
         std::to_string(loc.column);
}

class ContractExample : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    spec_ = new ScenarioSpec(load_scenario_spec(kData + "/good/contract-example.yaml"));
  }
  static void TearDownTestSuite() { delete spec_; }
  static ScenarioSpec* spec_;
};
ScenarioSpec* ContractExample::spec_ = nullptr;

TEST_F(ContractExample, ScenarioHeaderIsRead) {
  const ScenarioSpec& s = *spec_;
  EXPECT_EQ(s.path, kData + "/good/contract-example.yaml");
  EXPECT_EQ(s.files, std::vector<std::string>{s.path});
  EXPECT_EQ(s.id, "kz-2022-intervention");
  EXPECT_EQ(s.title, "Kazakhstan, January 2022: the CSTO intervention request");
  EXPECT_EQ(s.description, "Free text.\n");
  EXPECT_EQ(s.steps, 30);
  EXPECT_EQ(s.step_label, "day");
  EXPECT_EQ(s.replicates, 10000);
  EXPECT_EQ(s.seed, 2022u);
  ASSERT_EQ(s.sources.size(), 1u);
  EXPECT_EQ(s.sources[0], "Riddle, 'The meaning of Russian troops in Kazakhstan', Jan 2022");
}

TEST_F(ContractExample, ParametersKeepShortAndLongForms) {
  const auto& p = spec_->parameters;
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].name, "protest0");
  EXPECT_EQ(p[0].value, 0.55);
  EXPECT_FALSE(p[0].min.has_value());
  EXPECT_EQ(where(p[0].loc), "contract-example.yaml:16:3");
  EXPECT_EQ(p[1].name, "kremlin_resolve");
  EXPECT_EQ(p[1].value, 0.7);
  EXPECT_EQ(p[1].min, 0.3);
  EXPECT_EQ(p[1].max, 1.0);
  EXPECT_EQ(p[1].doc, "willingness to use force abroad");
}

TEST_F(ContractExample, WorldVariablesKeepExpressionTextAndBounds) {
  const auto& w = spec_->world;
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].name, "protest");
  EXPECT_EQ(w[0].init.text, "normal(protest0, 0.1)");
  EXPECT_EQ(where(w[0].init.loc), "contract-example.yaml:20:20");
  EXPECT_EQ(w[0].min, 0.0);
  EXPECT_EQ(w[0].max, 1.0);
  EXPECT_EQ(w[1].name, "regime_control");
  EXPECT_EQ(w[1].init.text, "0.8");
  EXPECT_EQ(where(w[1].init.loc), "contract-example.yaml:21:19");
}

TEST_F(ContractExample, ActorsGroupsAndStateAreInFileOrder) {
  const auto& a = spec_->actors;
  ASSERT_EQ(a.size(), 6u);
  std::vector<std::string> ids;
  for (const auto& x : a) ids.push_back(x.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"kremlin", "tokayev", "nazarbayev", "armenia", "china",
                                           "us"}));
  EXPECT_EQ(a[0].name, "Kremlin");
  EXPECT_EQ(a[0].groups, std::vector<std::string>{"csto"});
  EXPECT_EQ(where(a[0].group_locs[0]), "contract-example.yaml:26:14");
  ASSERT_EQ(a[0].state.size(), 2u);
  EXPECT_EQ(a[0].state[0].init.text, "0");
  EXPECT_EQ(a[0].state[1].name, "resolve");
  EXPECT_EQ(a[0].state[1].init.text, "kremlin_resolve");
  EXPECT_EQ(a[1].state[1].name, "requested");
  EXPECT_EQ(a[3].groups, std::vector<std::string>{"csto"});
  EXPECT_TRUE(a[4].groups.empty());
  EXPECT_EQ(a[5].name, "United States");
}

TEST_F(ContractExample, RelationEntriesAreListedRowByRow) {
  ASSERT_EQ(spec_->relations.size(), 1u);
  const RelationSpec& r = spec_->relations[0];
  EXPECT_EQ(r.name, "alignment");
  EXPECT_EQ(r.default_value, 0);
  ASSERT_EQ(r.entries.size(), 3u);
  EXPECT_EQ(r.entries[0].from, "kremlin");
  EXPECT_EQ(r.entries[0].to, "tokayev");
  EXPECT_EQ(r.entries[0].value, 0.6);
  EXPECT_EQ(r.entries[1].to, "nazarbayev");
  EXPECT_EQ(r.entries[2].from, "china");
  EXPECT_EQ(r.entries[2].value, 0.4);
  EXPECT_EQ(where(r.entries[2].to_loc), "contract-example.yaml:46:15");
}

TEST_F(ContractExample, DecisionsCarryRuleWhoAndOptions) {
  const auto& d = spec_->decisions;
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].name, "request_csto");
  EXPECT_EQ(d[0].actor, "tokayev");
  EXPECT_TRUE(d[0].group.empty());
  EXPECT_EQ(where(d[0].who_loc), "contract-example.yaml:50:12");
  EXPECT_EQ(d[0].rule, DecisionRule::kLogit);
  EXPECT_EQ(d[0].rationality.text, "5");
  EXPECT_EQ(d[0].when.text, "world.protest > 0.5 and self.requested == 0");
  EXPECT_EQ(where(d[0].when.loc), "contract-example.yaml:51:12");
  ASSERT_EQ(d[0].options.size(), 2u);
  EXPECT_EQ(d[0].options[0].name, "request");
  EXPECT_EQ(d[0].options[0].utility.text,
            "2 * world.protest - 0.5 * (1 - alignment[tokayev, kremlin])");
  ASSERT_EQ(d[0].options[0].effects.size(), 1u);
  EXPECT_EQ(d[0].options[0].effects[0].text, "self.requested = 1");
  EXPECT_TRUE(d[0].options[1].effects.empty());
  EXPECT_EQ(d[1].group, "csto");
  EXPECT_TRUE(d[1].actor.empty());
  EXPECT_EQ(d[1].options[1].utility.text, "0.4");
}

TEST_F(ContractExample, EventsKeepStepsProbabilityAndOnce) {
  const auto& e = spec_->events;
  ASSERT_EQ(e.size(), 2u);
  EXPECT_TRUE(e[0].has_at);
  EXPECT_EQ(e[0].at, std::vector<int64_t>{0});
  EXPECT_TRUE(e[0].when.empty());
  EXPECT_TRUE(e[0].probability.empty());
  EXPECT_FALSE(e[0].once);
  EXPECT_FALSE(e[1].has_at);
  EXPECT_EQ(e[1].probability.text, "0.1");
  EXPECT_TRUE(e[1].once);
  EXPECT_EQ(e[1].effects[0].text, "world.regime_control -= 0.2");
}

TEST_F(ContractExample, DynamicsMixPlainStatementsAndGroupBlocks) {
  const auto& d = spec_->dynamics;
  ASSERT_EQ(d.size(), 2u);
  EXPECT_TRUE(d[0].group.empty());
  EXPECT_EQ(d[0].statements[0].text,
            "world.protest = world.protest * 0.85 - 0.0002 * sum(csto.troops)");
  EXPECT_EQ(where(d[0].statements[0].loc), "contract-example.yaml:80:6");
  EXPECT_EQ(d[1].group, "kz_elite");
  ASSERT_EQ(d[1].statements.size(), 1u);
}

TEST_F(ContractExample, OutcomesHaveTheirKinds) {
  const auto& o = spec_->outcomes;
  ASSERT_EQ(o.size(), 5u);
  EXPECT_EQ(o[0].kind, OutcomeKind::kFinal);
  EXPECT_EQ(o[1].expr.text, "sum(csto.troops)");
  EXPECT_EQ(o[2].kind, OutcomeKind::kMax);
  EXPECT_EQ(o[2].expr.text, "world.protest");
  EXPECT_EQ(o[3].kind, OutcomeKind::kFirst);
  EXPECT_EQ(o[4].kind, OutcomeKind::kCases);
  ASSERT_EQ(o[4].cases.size(), 3u);
  EXPECT_EQ(o[4].cases[0].label, "stabilised");
  EXPECT_EQ(o[4].cases[2].condition.text, "true");
}

TEST_F(ContractExample, TrackAndStopWhenArePlainOrQuotedExpressions) {
  const auto& t = spec_->track;
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].text, "world.protest");
  EXPECT_EQ(where(t[0].loc), "contract-example.yaml:95:9");
  EXPECT_EQ(where(t[2].loc), "contract-example.yaml:95:47");
  EXPECT_EQ(spec_->stop_when.text, "world.regime_control <= 0.05");
}

TEST(Provenance, BasisAndFromAreKeptForParametersAndVariables) {
  ScenarioSpec s = load_scenario_spec_from_string(
      "geosim: 1\n"
      "scenario: {id: p, steps: 2}\n"
      "parameters:\n"
      "  a: {value: 0.5, min: 0, max: 1, basis: fitted, from: \"calibrate A\"}\n"
      "  b: {value: 0.2, basis: sourced, from: \"S01 S02\"}\n"
      "  c: {value: 0.1, basis: judgement}\n"
      "  d: 3\n"
      "world:\n"
      "  x: {init: \"normal(a, 0.1)\", basis: judgement, from: \"no data\"}\n"
      "outcomes: {y: \"world.x\"}\n",
      "p.yaml");
  ASSERT_EQ(s.parameters.size(), 4u);
  EXPECT_EQ(s.parameters[0].provenance.basis, Basis::kFitted);
  EXPECT_EQ(s.parameters[0].provenance.from, "calibrate A");
  EXPECT_EQ(s.parameters[1].provenance.basis, Basis::kSourced);
  EXPECT_EQ(s.parameters[2].provenance.basis, Basis::kJudgement);
  EXPECT_EQ(s.parameters[2].provenance.from, "");
  EXPECT_EQ(s.parameters[3].provenance.basis, Basis::kUnmarked);
  EXPECT_EQ(s.world[0].provenance.basis, Basis::kJudgement);
  EXPECT_EQ(s.world[0].provenance.from, "no data");
}

TEST(Extends, ChildMergesOntoBaseAndRemoves) {
  ScenarioSpec s = load_scenario_spec(kData + "/good/child-small.yaml");
  EXPECT_EQ(s.files, (std::vector<std::string>{kData + "/good/child-small.yaml",
                                               kData + "/good/base-small.yaml"}));
  EXPECT_EQ(s.id, "child");
  EXPECT_EQ(s.title, "Base");
  EXPECT_EQ(s.steps, 10);
  ASSERT_EQ(s.parameters.size(), 3u);
  EXPECT_EQ(s.parameters[0].name, "a");
  EXPECT_EQ(s.parameters[1].name, "b");
  EXPECT_EQ(s.parameters[1].value, 3);
  EXPECT_EQ(s.parameters[1].min, 0.0);
  EXPECT_EQ(s.parameters[1].max, 5.0);
  EXPECT_EQ(where(s.parameters[1].loc), "base-small.yaml:8:3");
  EXPECT_EQ(s.parameters[2].name, "c");
  EXPECT_EQ(where(s.parameters[2].loc), "child-small.yaml:7:3");
  ASSERT_EQ(s.actors.size(), 2u);
  EXPECT_EQ(s.actors[0].id, "uk");
  EXPECT_EQ(s.actors[1].id, "cn");
  EXPECT_EQ(s.actors[1].state[0].init.text, "3");
  EXPECT_EQ(where(s.actors[1].state[0].init.loc), "child-small.yaml:9:23");
}

TEST(Extends, RemovingAnActorDropsItsRelationRowsAndColumnsOnly) {
  ScenarioSpec s = load_scenario_spec(kData + "/good/child-small.yaml");
  ASSERT_EQ(s.relations.size(), 1u);
  EXPECT_EQ(s.relations[0].default_value, 0.1);
  ASSERT_EQ(s.relations[0].entries.size(), 1u);  // us rows and columns are gone
  EXPECT_EQ(s.relations[0].entries[0].from, "uk");
  EXPECT_EQ(s.relations[0].entries[0].to, "cn");
  EXPECT_EQ(s.relations[0].entries[0].value, 0.1);
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].name, "drift");
  ASSERT_EQ(s.outcomes.size(), 2u);
  EXPECT_EQ(s.outcomes[1].name, "peak");
  EXPECT_EQ(s.outcomes[1].kind, OutcomeKind::kMax);
}

TEST(Extends, PathIsRelativeToTheDisplayPathOfAStringScenario) {
  ScenarioSpec s =
      load_scenario_spec_from_string("geosim: 1\nextends: base-small.yaml\nscenario: {steps: 5}\n",
                                     kData + "/good/in-memory.yaml");
  EXPECT_EQ(s.id, "base");
  EXPECT_EQ(s.steps, 5);
  EXPECT_EQ(s.files.size(), 2u);
}

TEST(Extends, AGrandchildCanAddBackWhatItsParentRemoved) {
  ScenarioSpec s = load_scenario_spec_from_string(
      "geosim: 1\nextends: child-small.yaml\nactors: {us: {state: {power: 9}}}\n",
      kData + "/good/grandchild.yaml");
  EXPECT_EQ(s.files.size(), 3u);
  EXPECT_EQ(s.id, "child");
  ASSERT_EQ(s.actors.size(), 3u);
  EXPECT_EQ(s.actors[2].id, "us");
  EXPECT_EQ(s.actors[2].name, "us");
  EXPECT_EQ(s.actors[2].state[0].init.text, "9");
  EXPECT_EQ(s.relations[0].entries.size(), 1u);
}

TEST(Extends, ALaterFileReplacesAListInsteadOfAppendingToIt) {
  ScenarioSpec s = load_scenario_spec_from_string(
      "geosim: 1\nextends: base-small.yaml\nactors: {uk: {groups: [europe]}}\n",
      kData + "/good/list-child.yaml");
  EXPECT_EQ(s.actors[1].id, "uk");
  EXPECT_EQ(s.actors[1].groups, std::vector<std::string>{"europe"});
  EXPECT_EQ(s.actors[1].state.size(), 1u);
}

// Issue 13, item 3 (format v1.1): a bare value overriding a parameter or a state
// variable that the base declares in long form sets only its value or init; the range,
// doc and position of the declaration stay. It once replaced the whole declaration, so a
// later --set x=5 passed and the [0, 1] clamp was lost.
TEST(Extends, ABareValueOverridesOnlyTheValueOfALongFormDeclaration) {
  const std::string dir = kData + "/good/";
  ScenarioSpec s = load_scenario_spec_from_string(R"Y(geosim: 1
extends: long-form-base.yaml
parameters: {x: 0.1, plain: 7}
world: {v: 0.2, w: "x * 2"}
actors:
  a: {state: {s: 0.9}}
)Y",
                                                  dir + "short-override.yaml");
  ASSERT_EQ(s.parameters.size(), 2u);
  const ParameterSpec& x = s.parameters[0];
  EXPECT_EQ(x.name, "x");
  EXPECT_EQ(x.value, 0.1);
  EXPECT_EQ(x.min, 0.0);
  EXPECT_EQ(x.max, 1.0);
  EXPECT_EQ(x.doc, "a share");
  EXPECT_EQ(s.parameters[1].value, 7);  // a short-form base stays short: replaced
  ASSERT_EQ(s.world.size(), 2u);
  EXPECT_EQ(s.world[0].init.text, "0.2");
  EXPECT_EQ(where(s.world[0].init.loc), "short-override.yaml:4:12");
  EXPECT_EQ(s.world[0].min, 0.0);
  EXPECT_EQ(s.world[0].max, 1.0);
  EXPECT_EQ(s.world[0].doc, "a clamped variable");
  EXPECT_EQ(s.world[1].init.text, "x * 2");
  EXPECT_EQ(s.world[1].max, 10.0);
  ASSERT_EQ(s.actors.size(), 1u);
  EXPECT_EQ(s.actors[0].state[0].init.text, "0.9");
  EXPECT_EQ(s.actors[0].state[0].min, 0.5);
  EXPECT_EQ(s.actors[0].state[0].doc, "bounded");
  // The long form in a variant still merges key by key, as any map does.
  ScenarioSpec t = load_scenario_spec_from_string(
      "geosim: 1\nextends: long-form-base.yaml\nparameters: {x: {max: 0.5}}\n",
      dir + "long-override.yaml");
  EXPECT_EQ(t.parameters[0].value, 0.3);
  EXPECT_EQ(t.parameters[0].min, 0.0);
  EXPECT_EQ(t.parameters[0].max, 0.5);
}

TEST(Defaults, AnAbsentKeyTakesTheSpecDefault) {
  ScenarioSpec s =
      load_scenario_spec_from_string("geosim: 1\nscenario: {id: x, steps: 1}\n", "d.yaml");
  EXPECT_EQ(s.replicates, 1000);
  EXPECT_EQ(s.seed, 1u);
  EXPECT_EQ(s.step_label, "step");
  EXPECT_TRUE(s.stop_when.empty());
}

TEST(Expressions, NumbersAndBooleansAreKeptAsText) {
  ScenarioSpec s = load_scenario_spec_from_string(
      "geosim: 1\nscenario: {id: x, steps: 1}\nworld: {a: 1.50, b: True, c: -2e3}\n", "n.yaml");
  ASSERT_EQ(s.world.size(), 3u);
  EXPECT_EQ(s.world[0].init.text, "1.50");
  EXPECT_EQ(s.world[1].init.text, "true");
  EXPECT_EQ(s.world[2].init.text, "-2e3");
}

TEST(Expressions, BlockScalarStartsOnItsFirstContentLine) {
  ScenarioSpec s = load_scenario_spec_from_string(
      "geosim: 1\nscenario: {id: x, steps: 1}\nstop_when: >-\n    world.a > 1\n", "b.yaml");
  EXPECT_EQ(s.stop_when.text, "world.a > 1");
  EXPECT_EQ(where(s.stop_when.loc), "b.yaml:4:5");
}

TEST(Expressions, SingleQuotedScalarStartsAfterTheQuote) {
  ScenarioSpec s = load_scenario_spec_from_string(
      "geosim: 1\nscenario: {id: x, steps: 1}\ntrack: ['world.a', &k world.b]\n", "q.yaml");
  ASSERT_EQ(s.track.size(), 2u);
  EXPECT_EQ(where(s.track[0].loc), "q.yaml:3:10");
  EXPECT_EQ(where(s.track[1].loc), "q.yaml:3:23");
}

TEST(Aliases, AnAliasCopiesTheAnchoredNode) {
  ScenarioSpec s = load_scenario_spec_from_string(
      "geosim: 1\nscenario: {id: x, steps: 1}\nworld: {a: &v {init: 1, max: 2}, b: *v}\n",
      "a.yaml");
  ASSERT_EQ(s.world.size(), 2u);
  EXPECT_EQ(s.world[1].max, 2.0);
}

}  // namespace
}  // namespace geosim
