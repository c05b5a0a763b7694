// One bad file per loader error (tests/data/bad/): each must be refused with exactly the
// expected message at exactly the expected line and column.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "bad_file.h"
#include "scenario/load.h"

namespace geosim {
namespace {

using test::BadFile;

const std::string kBad = std::string(GEOSIM_TEST_DATA_DIR) + "/bad/";

const BadFile kBadFiles[] = {
    // clang-format off
    {"empty.yaml", "", 1, 1, "the file is empty; expected a mapping with geosim: 1, scenario: and the rest of a scenario"},
    {"comments-only.yaml", "", 1, 1, "the file is empty; expected a mapping with geosim: 1, scenario: and the rest of a scenario"},
    {"binary.yaml", "", 2, 4, "binary data (byte 0x00); expected a YAML text file in UTF-8"},
    {"syntax.yaml", "", 3, 6, "YAML syntax error (end of map flow not found); expected well-formed YAML"},
    {"two-documents.yaml", "", 3, 1, "a second YAML document; expected one document per file"},
    {"top-not-map.yaml", "", 1, 1, "the file holds a list; expected a mapping with geosim: 1, scenario: and the rest of a scenario"},
    {"duplicate-key.yaml", "", 6, 3, "duplicate key 'steps' (first at line 4); expected each key once in a mapping"},
    {"unknown-top-key.yaml", "", 3, 1, "unknown key 'outcome' at the top level (did you mean 'outcomes'?)"},
    {"unknown-event-key.yaml", "", 6, 5, "unknown key 'probabilty' in event 'fuel_price_rise' (did you mean 'probability'?)"},
    {"version.yaml", "", 1, 9, "geosim is '2'; expected 1 (this program reads format version 1)"},
    {"no-version.yaml", "", 1, 1, "no 'geosim' key; expected geosim: 1 (the format version) at the top level"},
    {"no-scenario.yaml", "", 1, 1, "no 'scenario' section; expected scenario: with at least id and steps"},
    {"scenario-id.yaml", "", 3, 7, "scenario.id is 'KZ 2022'; expected lower-case letters, digits, '_' and '-' only"},
    {"steps-missing.yaml", "", 3, 3, "scenario has no 'steps'; expected steps: an integer >= 1"},
    {"steps-zero.yaml", "", 4, 10, "scenario.steps is 0; expected an integer from 1 to 100000000"},
    {"steps-limit.yaml", "", 4, 10, "scenario.steps is 200000000, above the limit of 100000000 steps; expected an integer from 1 to 100000000"},
    {"steps-not-integer.yaml", "", 4, 10, "scenario.steps is '2.5'; expected an integer from 1 to 100000000"},
    {"replicates-range.yaml", "", 5, 15, "scenario.replicates is 5000000000; expected an integer from 1 to 4294967295"},
    {"seed-range.yaml", "", 5, 9, "scenario.seed is 18446744073709551616, above 2^64-1; expected an integer from 0 to 18446744073709551615"},
    {"param-min-max.yaml", "", 4, 30, "parameters.resolve has min 1 above max 0; expected min <= max"},
    {"param-value-outside.yaml", "", 4, 20, "parameters.resolve.value is 1.5, above max 1; expected a value within min and max"},
    {"param-no-value.yaml", "", 4, 12, "parameter 'resolve' has no 'value'; expected value: a number"},
    {"non-finite.yaml", "", 4, 8, "parameters.big is '.inf', not a finite number; expected a finite number"},
    {"overflow-number.yaml", "", 4, 6, "world.x is '1e999', not a finite number; expected a finite number"},
    {"quoted-number.yaml", "", 4, 23, "world.x.min is the quoted text \"0\"; expected a number (without quotes)"},
    {"var-no-init.yaml", "", 6, 14, "variable 'us.power' has no 'init'; expected init: a number or an expression"},
    {"bad-name.yaml", "", 4, 3, "variable name '2x' is not an identifier; expected letters, digits and '_', not starting with a digit"},
    {"reserved-name.yaml", "", 4, 3, "parameter name 'steps' is reserved (a built-in name, keyword or function); expected another name"},
    {"outcome-given-alone.yaml", "", 5, 15, "outcome 'only_given' has a 'given' condition but nothing to report; expected one of 'max', 'min', 'mean', 'first', 'cases' or 'value' beside it"},
    {"case-label.yaml", "", 6, 7, "case label name 'fell apart' is not an identifier; expected letters, digits and '_', not starting with a digit"},
    {"group-actor-clash.yaml", "", 4, 17, "group 'west' has the name of an actor; expected group names distinct from actor ids"},
    {"param-actor-clash.yaml", "", 4, 3, "parameter 'china' has the name of an actor; expected parameter names distinct from actor ids and group names"},
    {"relation-unknown-actor.yaml", "", 9, 5, "unknown actor 'kremlinn' in relation 'alignment' (did you mean 'kremlin'?)"},
    {"relation-unknown-target.yaml", "", 8, 29, "unknown actor 'tokaev' in relation 'alignment' (did you mean 'tokayev'?)"},
    {"decision-both.yaml", "", 8, 12, "decision 'act' has both 'actor' and 'group'; expected exactly one of them"},
    {"decision-neither.yaml", "", 5, 5, "decision 'act' has neither 'actor' nor 'group'; expected exactly one of them"},
    {"decision-unknown-actor.yaml", "", 7, 12, "unknown actor 'tokayv' in decision 'request' (did you mean 'tokayev'?)"},
    {"decision-unknown-group.yaml", "", 7, 12, "unknown group 'cstoo' in decision 'send' (did you mean 'csto'?)"},
    {"decision-unknown-rule.yaml", "", 8, 11, "unknown rule 'logitt' in decision 'act' (did you mean 'logit'?)"},
    {"logit-no-rationality.yaml", "", 6, 3, "decision 'act' uses rule logit but has no 'rationality'; expected rationality: an expression"},
    {"rationality-argmax.yaml", "", 8, 5, "'rationality' in decision 'act' with rule argmax; expected rationality only with rule: logit"},
    {"options-empty.yaml", "", 8, 14, "decisions.act.options is empty; expected at least one option"},
    {"option-no-utility.yaml", "", 9, 7, "option 'go' of decision 'act' has no 'utility'; expected utility: an expression with rule argmax"},
    {"sample-utility.yaml", "", 11, 7, "option 'stay' of decision 'act' has no 'weight'; expected weight: an expression with rule sample"},
    {"effects-map.yaml", "", 5, 14, "events.shock.effects is a mapping; expected a statement or a list of statements"},
    {"expr-is-map.yaml", "", 5, 11, "events.shock.when is a mapping; expected an expression (text or a number)"},
    {"event-at-range.yaml", "", 5, 13, "events.shock.at[1] is 30; expected a step from 0 to 29 (scenario.steps is 30)"},
    {"event-once-not-bool.yaml", "", 5, 11, "events.shock.once is 'yes'; expected true or false"},
    {"dynamics-unknown-group.yaml", "", 7, 12, "unknown group 'kz_elit' in dynamics[1] (did you mean 'kz_elite'?)"},
    {"dynamics-not-list.yaml", "", 4, 3, "dynamics is a mapping; expected a list of statements and {group:, do:} items"},
    {"outcome-two-kinds.yaml", "", 4, 26, "outcome 'peak' has both 'max' and 'min'; expected exactly one of 'max', 'min', 'mean', 'first', 'cases' or 'value'"},
    {"outcome-unknown-kind.yaml", "", 4, 10, "unknown key 'maximum' in outcome 'peak' (did you mean 'max'?)"},
    {"outcome-empty-cases.yaml", "", 5, 12, "outcomes.end.cases is empty; expected at least one label: condition"},
    {"track-not-list.yaml", "", 3, 8, "track is 'world.x'; expected a list of expressions"},
    {"remove-unknown.yaml", "", 3, 10, "remove entry 'actors.uss' names no actor (after merging); expected an existing actor (did you mean 'actors.us', 'actors.uk' or 'actors.cn'?)"},
    {"remove-section.yaml", "", 3, 10, "unknown section 'actor' in remove entry 'actor.us' (did you mean 'actors'?)"},
    {"extends-missing.yaml", "", 2, 10, "extends names '" GEOSIM_TEST_DATA_DIR "/bad/nowhere.yaml', which does not exist; expected a scenario file"},
    {"loop-a.yaml", "loop-b.yaml", 2, 11, "extends loop: " GEOSIM_TEST_DATA_DIR "/bad/loop-a.yaml -> " GEOSIM_TEST_DATA_DIR "/bad/loop-b.yaml -> " GEOSIM_TEST_DATA_DIR "/bad/loop-a.yaml; expected a chain of extends that ends"},
    {"dynamics-no-do.yaml", "", 6, 5, "dynamics[0] has no 'do'; expected do: a list of statements"},
    {"event-at-empty.yaml", "", 4, 15, "events.shock.at is an empty list; expected a step or a list of steps"},
    {"remove-not-list.yaml", "", 4, 9, "remove is 'parameters.p'; expected a list of section.name entries"},
    {"extends-not-text.yaml", "", 2, 10, "extends is a mapping; expected the path of a base file"},
    {"state-min-max.yaml", "", 6, 31, "actors.us.state.power has min 2 above max 1; expected min <= max"},
    {"outcome-empty-map.yaml", "", 4, 8, "outcome 'end' is an empty mapping; expected exactly one of 'max', 'min', 'mean', 'first', 'cases' or 'value'"},
    {"parameter-not-number.yaml", "", 4, 6, "parameters.p is 'high'; expected a number"},
    {"relation-value-not-number.yaml", "", 6, 12, "relations.trust.a.b is the quoted text \"0.5 * 2\"; expected a number"},
    {"scenario-not-map.yaml", "", 2, 11, "scenario is a list; expected a mapping with id, steps and optional title, description, step, replicates, seed, sources"},
    {"sources-not-list.yaml", "", 5, 12, "scenario.sources is the quoted text \"one paper\"; expected a list of texts"},
    {"effect-is-list.yaml", "", 5, 30, "events.shock.effects[1] is a list; expected an expression (text or a number)"},
    {"group-reserved.yaml", "", 4, 17, "group name 'sum' is reserved (a built-in name, keyword or function); expected another name"},
    {"option-bad-name.yaml", "", 8, 7, "option name 'go-now' is not an identifier; expected letters, digits and '_', not starting with a digit"},
    {"expr-empty.yaml", "", 3, 12, "stop_when is an empty text; expected an expression"},
    {"unknown-actor-key.yaml", "", 4, 20, "unknown key 'grups' in actor 'us' (did you mean 'groups'?)"},
    {"base-with-error.yaml", "", 4, 16, "unknown key 'maxx' in variable 'world.x' (did you mean 'max'?)"},
    {"child-of-bad-base.yaml", "base-with-error.yaml", 4, 16, "unknown key 'maxx' in variable 'world.x' (did you mean 'max'?)"},
    {"child-of-unversioned-base.yaml", "base-no-version.yaml", 1, 1, "no 'geosim' key; expected geosim: 1 (the format version) at the top level"},
    {"base-no-version.yaml", "", 1, 1, "no 'geosim' key; expected geosim: 1 (the format version) at the top level"},
    {"decision-not-map.yaml", "", 4, 8, "decisions.act is the quoted text \"always\"; expected a mapping with actor or group, when, rule, options"},
    {"rule-sample-weight-in-argmax.yaml", "", 8, 24, "'weight' in option 'go' of decision 'act' with rule argmax; expected 'utility' (weight is for rule sample)"},
    {"basis-unknown.yaml", "", 4, 24, "parameters.w.basis is 'fited'; expected fitted, sourced or judgement (did you mean 'fitted'?)"},
    {"basis-no-from.yaml", "", 4, 24, "parameters.w is sourced but says nothing in 'from'; expected from: the sources it comes from"},
    {"from-no-basis.yaml", "", 4, 24, "world.x has 'from' but no 'basis'; expected basis: fitted, sourced or judgement beside it"},
    {"storyline-empty.yaml", "", 15, 3, "storyline lists no event and no decision; expected at least one, or storyline: false"},
    {"storyline-event-twice.yaml", "", 15, 19, "event 'shock' listed twice in storyline.events; expected each once"},
    {"storyline-events-map.yaml", "", 15, 11, "storyline.events is a mapping; expected a list of event names"},
    {"storyline-max-length.yaml", "", 15, 15, "storyline.max_length is '2.5'; expected an integer from 1 to 1000"},
    {"storyline-max-paths.yaml", "", 15, 14, "storyline.max_paths is 0; expected an integer from 1 to 100000"},
    {"storyline-not-map.yaml", "", 14, 12, "storyline is a list; expected a mapping with events, decisions, steps, max_length and max_paths, or false"},
    {"storyline-option-twice.yaml", "", 16, 15, "option 'go' listed twice in storyline.decisions.act; expected each once"},
    {"storyline-options-map.yaml", "", 14, 10, "storyline.decisions.act is a mapping; expected a list of option names"},
    {"storyline-steps.yaml", "", 15, 10, "storyline.steps is 'sometimes'; expected true or false"},
    {"storyline-unknown-decision.yaml", "", 15, 15, "unknown decision 'acts' in storyline.decisions (did you mean 'act'?)"},
    {"storyline-unknown-event.yaml", "", 15, 12, "unknown event 'shok' in storyline.events (did you mean 'shock'?)"},
    {"storyline-unknown-key.yaml", "", 15, 3, "unknown key 'max_path' in storyline (did you mean 'max_paths'?)"},
    {"storyline-unknown-option.yaml", "", 16, 11, "unknown option 'goo' of decision 'act' in storyline.decisions.act (did you mean 'go'?)"},
    // clang-format on
};

class BadFileTest : public ::testing::TestWithParam<BadFile> {};

TEST_P(BadFileTest, IsRefusedWithTheExpectedMessageAndPosition) {
  test::expect_refused(kBad, GetParam());
}

INSTANTIATE_TEST_SUITE_P(Loader, BadFileTest, ::testing::ValuesIn(kBadFiles),
                         test::bad_file_test_name);

TEST(BadFiles, EveryBadFileIsCoveredByTheTable) {
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kBad)) {
    std::string name = entry.path().filename().string();
    bool listed = name == "loop-b.yaml" || name == "many-errors.yaml" || name == "loop-self.yaml";
    for (const BadFile& b : kBadFiles) listed = listed || name == b.file;
    EXPECT_TRUE(listed) << name << " has no expectation";
    ++files;
  }
  EXPECT_GE(files, 25u);
}

TEST(BadFiles, EveryProblemInAFileIsReportedNotJustTheFirst) {
  try {
    load_scenario_spec(kBad + "many-errors.yaml");
    FAIL() << "accepted";
  } catch (const UserError& e) {
    std::vector<std::string> got;
    for (const Diagnostic& d : e.diagnostics()) {
      got.push_back(std::to_string(d.loc.line) + ":" + std::to_string(d.loc.column) + ": " +
                    d.message);
    }
    EXPECT_EQ(got,
              (std::vector<std::string>{
                  "5:3: unknown key 'sead' in scenario (did you mean 'seed'?)",
                  "7:14: parameters.p.value is 2, above max 1; expected a value within min "
                  "and max",
                  "9:11: events.e.at is 45; expected a step from 0 to 29 (scenario.steps is 30)",
                  "9:21: events.e.once is '1'; expected true or false"}));
  }
}

TEST(BadFiles, AWrongKeyAndAWrongValueInOneOptionAreBothReported) {
  try {
    load_scenario_spec(kBad + "sample-utility.yaml");
    FAIL() << "accepted";
  } catch (const UserError& e) {
    ASSERT_EQ(e.diagnostics().size(), 2u);
    EXPECT_EQ(e.diagnostics()[1].message,
              "'utility' in option 'stay' of decision 'act' with rule sample; expected 'weight' "
              "(utility is for argmax and logit)");
    EXPECT_EQ(e.diagnostics()[1].loc.column, 14);
  }
}

TEST(BadFiles, ErrorsAreListedInTheUsersFileFirstThenInItsBases) {
  try {
    load_scenario_spec_from_string(
        "geosim: 1\nextends: base-with-error.yaml\nworld: {x: {init: 2, mn: 0}}\n",
        kBad + "child.yaml");
    FAIL() << "accepted";
  } catch (const UserError& e) {
    ASSERT_EQ(e.diagnostics().size(), 2u);
    EXPECT_EQ(
        e.diagnostics()[0].str(),
        kBad + "child.yaml:3:22: unknown key 'mn' in variable 'world.x' (did you mean 'min'?)");
    EXPECT_EQ(e.diagnostics()[1].loc.file, kBad + "base-with-error.yaml");
  }
}

TEST(BadFiles, AFileExtendingItselfIsALoop) {
  try {
    load_scenario_spec(kBad + "loop-self.yaml");
    FAIL() << "accepted";
  } catch (const UserError& e) {
    EXPECT_EQ(e.diagnostics().at(0).message,
              "extends loop: " + kBad + "loop-self.yaml -> " + kBad +
                  "loop-self.yaml; expected a chain of extends that ends");
  }
}

std::string first_error(const std::string& path) {
  try {
    load_scenario_spec(path);
  } catch (const UserError& e) {
    return e.diagnostics().at(0).str();
  }
  return "accepted";
}

TEST(FileErrors, AMissingFileIsAUserError) {
  EXPECT_EQ(first_error(kBad + "no-such-file.yaml"),
            kBad + "no-such-file.yaml: does not exist; expected a scenario file");
}

TEST(FileErrors, ADirectoryIsAUserError) {
  EXPECT_EQ(first_error(kBad.substr(0, kBad.size() - 1)),
            kBad.substr(0, kBad.size() - 1) + ": is a directory; expected a scenario file");
}

TEST(FileErrors, ADeviceIsNotReadForever) {
  EXPECT_EQ(first_error("/dev/zero"),
            "/dev/zero: is not a regular file (a character device); expected a scenario file");
}

std::string string_error(const std::string& text) {
  try {
    load_scenario_spec_from_string(text, "s.yaml");
  } catch (const UserError& e) {
    return e.diagnostics().at(0).str();
  }
  return "accepted";
}

// Issue 13, item 15: YAML escapes ("\0", "\e", "\x9b", "\x7f") produced control characters
// that the byte check of the file never saw: describe stopped at the NUL and wrote raw
// escape sequences to the terminal. Every scalar, keys included, is checked once unescaped.
TEST(FileErrors, EscapedControlCharactersAreRefused) {
  EXPECT_EQ(string_error("geosim: 1\nscenario: {id: a, steps: 1, title: \"x\\0y\"}\n"),
            "s.yaml:2:36: the quoted text holds the control character U+0000 (written as an "
            "escape such as \\0 or \\e); expected printable text");
  EXPECT_EQ(string_error("geosim: 1\nscenario: {id: a, steps: 1, title: \"\\e[31mred\"}\n"),
            "s.yaml:2:36: the quoted text holds the control character U+001B (written as an "
            "escape such as \\0 or \\e); expected printable text");
  EXPECT_NE(string_error("geosim: 1\nscenario: {id: a, steps: 1}\nworld: {\"a\\x9bb\": 1}\n")
                .find("s.yaml:3:9: the quoted text holds the control character U+009B"),
            std::string::npos);
  EXPECT_NE(string_error("geosim: 1\nscenario: {id: a, steps: 1, description: \"\\x7f\"}\n")
                .find("U+007F"),
            std::string::npos);
  // Tabs and line breaks stay allowed.
  EXPECT_EQ(string_error("geosim: 1\nscenario: {id: a, steps: 1, description: \"a\\tb\\nc\"}\n"),
            "accepted");
}

// Issue 13, item 15: `extends:` naming a file that is not a scenario echoed its content
// (every key of a YAML mapping as an "unknown key", or its first 40 characters). One
// message at the extends, quoting nothing of the file.
TEST(FileErrors, ExtendingAFileThatIsNotAScenarioQuotesNothingOfIt) {
  const std::string secret = kBad + "../good/long-form-base.yaml";
  auto one = [](const std::string& text) {
    try {
      load_scenario_spec_from_string(text, kBad + "child.yaml");
    } catch (const UserError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  const std::string passwd = one("geosim: 1\nextends: ../../../../../../../../etc/passwd\n");
  EXPECT_NE(passwd.find("child.yaml:2:10: extends names '"), std::string::npos) << passwd;
  EXPECT_NE(passwd.find("which is not a scenario file (it holds text, not a mapping with "
                        "geosim: 1); expected the path of a base scenario"),
            std::string::npos)
      << passwd;
  EXPECT_EQ(passwd.find("root"), std::string::npos) << passwd;
  const std::string csv = one("geosim: 1\nextends: ../../../CMakeLists.txt\n");
  EXPECT_EQ(csv.find("cmake"), std::string::npos) << csv;
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 0) << csv;
}

TEST(FileErrors, InvalidUtf8IsBinaryData) {
  EXPECT_EQ(string_error("geosim: 1\nscenario: \xff\n"),
            "s.yaml:2:11: binary data (byte 0xFF); expected a YAML text file in UTF-8");
}

TEST(FileErrors, AnAliasBombIsRefusedQuickly) {
  std::string text = "geosim: 1\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 9; ++i) {
    std::string p = "*a" + std::to_string(i - 1);
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + p + ", " + p + ", " + p +
            ", " + p + ", " + p + ", " + p + ", " + p + ", " + p + ", " + p + ", " + p + "]\n";
  }
  EXPECT_NE(string_error(text).find("more than 1000000 YAML nodes once aliases are expanded"),
            std::string::npos);
}

TEST(FileErrors, DeepNestingIsASyntaxErrorNotACrash) {
  std::string text = "geosim: 1\nx: " + std::string(100000, '[');
  EXPECT_NE(string_error(text).find("YAML syntax error"), std::string::npos);
}

TEST(FileErrors, AComplexKeyIsRefused) {
  EXPECT_EQ(string_error("geosim: 1\nscenario: {id: x, steps: 1}\n? [a, b]\n: 1\n"),
            "s.yaml:3:3: a list used as a key; expected a name");
}

}  // namespace
}  // namespace geosim
