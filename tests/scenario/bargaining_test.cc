// The `bargaining:` section (docs/bargaining-in-scenarios.md): a valid issue set is loaded
// as written, and each bad file in tests/data/bad-bargaining/*.yaml is refused with exactly
// the expected message at exactly the expected line and column. The bad files live in
// tests/data/bad-bargaining/ rather than tests/data/bad/, whose own test requires every
// file there to be in its table.
#include <gtest/gtest.h>

#include <filesystem>
#include <iterator>
#include <string>

#include "bad_file.h"
#include "scenario/load.h"

namespace geosim {
namespace {

const std::string kBad = std::string(GEOSIM_TEST_DATA_DIR) + "/bad-bargaining/";

TEST(Bargaining, IssueSetIsLoadedAsWritten) {
  ScenarioSpec s = load_scenario_spec_from_string(R"Y(geosim: 1
scenario: {id: t, steps: 3}
actors:
  tokayev: {state: {power: 0.5}}
  kremlin: {}
bargaining:
  order:
    dimensions: [status, alignment]
    model: {VictoryProbModel: Square, voting-rule: Binary}
    actors:
      tokayev: {capability: "100 * self.power", position: [0.2, "uniform(0.6, 0.8)"], salience: [0.6, 0.3]}
      kremlin: {capability: 80, position: [0.8, 0.9], salience: [0.2, 0.7]}
)Y",
                                                  "t.yaml");
  ASSERT_EQ(s.bargaining.size(), 1u);
  const BargainingSpec& b = s.bargaining[0];
  EXPECT_EQ(b.name, "order");
  EXPECT_EQ(b.dimensions, (std::vector<std::string>{"status", "alignment"}));
  ASSERT_EQ(b.model.size(), 2u);
  EXPECT_EQ(b.model[0].key, "VictoryProbModel");
  EXPECT_EQ(b.model[0].value, "Square");
  EXPECT_EQ(b.model[1].key, "VotingRule");  // the command-line key names KTAB's parameter
  ASSERT_EQ(b.actors.size(), 2u);
  EXPECT_EQ(b.actors[0].actor, "tokayev");
  EXPECT_EQ(b.actors[0].capability.text, "100 * self.power");
  EXPECT_EQ(b.actors[0].position[1].text, "uniform(0.6, 0.8)");
  EXPECT_EQ(b.actors[0].position[1].loc.line, 11);
  EXPECT_EQ(b.actors[1].salience[1].text, "0.7");
}

TEST(Bargaining, RemoveDropsAnIssueSet) {
  ScenarioSpec s = load_scenario_spec_from_string(
      "geosim: 1\nextends: bargaining-base.yaml\nremove: [bargaining.alignment]\n",
      std::string(GEOSIM_TEST_DATA_DIR) + "/good/child.yaml");
  ASSERT_EQ(s.bargaining.size(), 1u);
  EXPECT_EQ(s.bargaining[0].name, "order");
  EXPECT_EQ(s.bargaining[0].actors.size(), 3u);
}

TEST(Bargaining, ARemovedActorLeavesEveryIssueSet) {
  ScenarioSpec s = load_scenario_spec_from_string(
      "geosim: 1\nextends: bargaining-base.yaml\nremove: [actors.nazarbayev]\n",
      std::string(GEOSIM_TEST_DATA_DIR) + "/good/child.yaml");
  ASSERT_EQ(s.bargaining.size(), 2u);
  for (const BargainingSpec& b : s.bargaining)
    for (const auto& a : b.actors) EXPECT_NE(a.actor, "nazarbayev") << b.name;
  EXPECT_EQ(s.bargaining[0].actors.size(), 2u);
  EXPECT_EQ(s.bargaining[1].actors.size(), 2u);
  // An issue set left with one actor is refused, as if written so.
  try {
    load_scenario_spec_from_string(
        "geosim: 1\nextends: bargaining-base.yaml\nremove: [actors.kremlin]\n",
        std::string(GEOSIM_TEST_DATA_DIR) + "/good/child.yaml");
    FAIL() << "accepted";
  } catch (const UserError& e) {
    EXPECT_EQ(e.diagnostics()[0].message,
              "bargaining.alignment.actors lists 1 actor; expected at least two");
  }
}

TEST(Bargaining, RemovingAnIssueSetThatDoesNotExistNamesTheNearest) {
  try {
    load_scenario_spec_from_string(
        "geosim: 1\nextends: bargaining-base.yaml\nremove: [bargaining.alignmnet]\n",
        std::string(GEOSIM_TEST_DATA_DIR) + "/good/child.yaml");
    FAIL() << "accepted";
  } catch (const UserError& e) {
    EXPECT_EQ(e.diagnostics()[0].message,
              "remove entry 'bargaining.alignmnet' names no issue set (after merging); expected "
              "an existing issue set (did you mean 'bargaining.alignment'?)");
    EXPECT_EQ(e.diagnostics()[0].loc.line, 3);
    EXPECT_EQ(e.diagnostics()[0].loc.column, 10);
  }
}

using test::BadFile;

const BadFile kBadFiles[] = {
    // clang-format off
    {"bargaining-dimension-clash.yaml", "", 9, 26, "bargaining 'order' adds 'tokayev.power', which actor 'tokayev' already has as a state variable; expected a name that is not a state variable of any listed actor"},
    {"bargaining-dimension-in-two-sets.yaml", "", 14, 18, "bargaining 'reform' adds 'tokayev.status', which an earlier issue set already adds; expected dimension names distinct across the issue sets an actor takes part in"},
    {"bargaining-dimension-twice.yaml", "", 9, 37, "dimension 'status' listed twice in bargaining 'order'; expected each dimension once"},
    {"bargaining-no-dimensions.yaml", "", 9, 5, "bargaining 'order' has no 'dimensions'; expected dimensions: a list of dimension names"},
    {"bargaining-no-salience.yaml", "", 12, 16, "actor 'kremlin' of bargaining 'order' has no 'salience'; expected salience: a list of 1 expression, one per dimension"},
    {"bargaining-one-actor.yaml", "", 11, 7, "bargaining.order.actors lists 1 actor; expected at least two"},
    {"bargaining-position-length.yaml", "", 12, 42, "bargaining.order.actors.kremlin.position is a list of 1 value; expected a list of 2 expressions, one per dimension"},
    {"bargaining-position-not-list.yaml", "", 11, 42, "bargaining.order.actors.tokayev.position is '0.2'; expected a list of 1 expression, one per dimension"},
    {"bargaining-unknown-actor-key.yaml", "", 11, 66, "unknown key 'salince' in actor 'tokayev' of bargaining 'order' (did you mean 'salience'?)"},
    {"bargaining-unknown-actor.yaml", "", 12, 7, "unknown actor 'nazarbaev' in bargaining 'order' (did you mean 'nazarbayev'?)"},
    {"bargaining-unknown-option-value.yaml", "", 10, 49, "unknown PCEModel 'Conditionl' in bargaining 'order' (did you mean 'Conditional'?)"},
    {"bargaining-unknown-option.yaml", "", 10, 13, "unknown model parameter 'VictoryProb' in bargaining 'order' (did you mean 'VictoryProbModel'?)"},
    {"bargaining-win-clash.yaml", "", 7, 3, "bargaining 'order' adds 'tokayev.order_win', which actor 'tokayev' already has as a state variable; expected a name that is not a state variable of any listed actor"},
    // clang-format on
};

class BargainingBadFileTest : public ::testing::TestWithParam<BadFile> {};

TEST_P(BargainingBadFileTest, IsRefusedWithTheExpectedMessageAndPosition) {
  test::expect_refused(kBad, GetParam());
}

INSTANTIATE_TEST_SUITE_P(BadFiles, BargainingBadFileTest, ::testing::ValuesIn(kBadFiles),
                         test::bad_file_test_name);

TEST(Bargaining, EveryBadFileIsCoveredByTheTable) {
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kBad)) {
    std::string name = entry.path().filename().string();
    bool listed = false;
    for (const BadFile& b : kBadFiles) listed = listed || name == b.file;
    EXPECT_TRUE(listed) << name << " has no expectation";
    ++files;
  }
  EXPECT_EQ(files, std::size(kBadFiles));
}

}  // namespace
}  // namespace geosim
