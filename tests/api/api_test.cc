// The public API against the command line: same scenario, overrides, seed and replicates
// give the same bytes; overrides are checked as --set is, with file:line:column.
#include "geosim/api.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;
using namespace geosim;

namespace {

const std::string kFlagship =
    std::string(GEOSIM_SOURCE_DIR) + "/scenarios/kazakhstan-2022/discovery.yaml";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path fresh_dir(const std::string& name) {
  fs::path d =
      fs::temp_directory_path() / ("geosim-api-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  return d;
}

int geosim_cli(const std::string& args) {
  return std::system((std::string(GEOSIM_BINARY) + " " + args + " >/dev/null 2>&1").c_str());
}

}  // namespace

TEST(Api, LoadExposesTheDeclaredParametersAndOutcomes) {
  api::Scenario s = api::load(kFlagship);
  EXPECT_EQ(s.id(), "kz-2022-discovery");
  EXPECT_EQ(s.path(), kFlagship);
  EXPECT_EQ(s.default_seed(), 2022u);
  EXPECT_EQ(s.default_replicates(), 10000);
  const api::Parameter& g = s.parameter("grievance0");
  EXPECT_EQ(g.value, 0.5);
  EXPECT_EQ(g.file_value, 0.5);
  EXPECT_EQ(g.min, 0.3);
  EXPECT_EQ(g.max, 0.8);
  EXPECT_EQ(g.basis, "judgement");
  EXPECT_NE(g.doc.find("grievance before the fuel shock"), std::string::npos);
  EXPECT_NE(g.loc.file.find("intervention-request.yaml"), std::string::npos);  // the base
  EXPECT_GT(g.loc.line, 0);
  bool found_cases = false;
  for (const auto& o : s.outcomes())
    if (o.name == "path") {
      found_cases = true;
      EXPECT_EQ(o.kind, "cases");
      EXPECT_EQ(o.labels,
                (std::vector<std::string>{"palace_coup", "no_request", "refusal", "deployment"}));
    }
  EXPECT_TRUE(found_cases);
  EXPECT_EQ(s.files().front(), kFlagship);
  EXPECT_GE(s.files().size(), 2u);  // and its bases
}

TEST(Api, OverridesSetValuesAndCopiesAreIndependent) {
  api::Scenario s = api::load(kFlagship, {{"grievance0", "0.6"}, {"lpg_shock", "0.2"}});
  EXPECT_EQ(s.parameter("grievance0").value, 0.6);
  EXPECT_EQ(s.parameter("lpg_shock").value, 0.2);
  api::Scenario t = s.with({{"grievance0", "0.7"}});
  EXPECT_EQ(t.parameter("grievance0").value, 0.7);
  EXPECT_EQ(s.parameter("grievance0").value, 0.6);
  EXPECT_EQ(t.overrides(), (std::vector<std::pair<std::string, std::string>>{
                               {"lpg_shock", "0.2"}, {"grievance0", "0.7"}}));
  t.reset();
  EXPECT_EQ(t.parameter("grievance0").value, 0.5);
  EXPECT_TRUE(t.overrides().empty());
  t.set("grievance0", 0.55);
  EXPECT_EQ(t.overrides().back(), (std::pair<std::string, std::string>{"grievance0", "0.55"}));
}

// A refusal names where the file declares the parameter, and says what --set would say.
void expect_refused(const std::string& name, const std::string& value, const std::string& what,
                    bool at_declaration) {
  api::Scenario s = api::load(kFlagship);
  try {
    s.set(name, value);
    FAIL() << name << "=" << value << " was accepted";
  } catch (const UserError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    const Diagnostic& d = e.diagnostics()[0];
    EXPECT_NE(d.message.find(what), std::string::npos) << d.str();
    EXPECT_NE(d.message.find("override " + name + "=" + value), std::string::npos) << d.str();
    if (at_declaration) {
      EXPECT_NE(d.loc.file.find("intervention-request.yaml"), std::string::npos) << d.str();
      EXPECT_GT(d.loc.line, 0) << d.str();
      EXPECT_GT(d.loc.column, 0) << d.str();
    } else {
      EXPECT_EQ(d.loc.file, kFlagship) << d.str();
    }
  }
  EXPECT_EQ(s.parameter("grievance0").value, 0.5);  // unchanged
  EXPECT_TRUE(s.overrides().empty());
}

TEST(Api, BadOverridesAreUserErrorsWithFileLineColumn) {
  expect_refused("grievance0", "0.9", "outside its declared range [0.3, 0.8]", true);
  expect_refused("grievance0", "abc", "expected a finite number", true);
  expect_refused("grievance0", "nan", "finite", true);
  expect_refused("grievence0", "0.5", "did you mean 'grievance0'", false);
  EXPECT_THROW(api::load(kFlagship, {{"grievance0", "1"}}), UserError);
}

TEST(Api, ScenarioErrorsCarryFileLineColumn) {
  const fs::path dir = fresh_dir("bad");
  fs::create_directories(dir);
  const std::string bad = (dir / "bad.yaml").string();
  std::ofstream(bad)
      << "geosim: 1\nscenario:\n  id: x\n  steps: 2\noutcomes:\n  y: \"world.nope\"\n";
  try {
    api::load(bad);
    FAIL() << "a bad file loaded";
  } catch (const UserError& e) {
    ASSERT_FALSE(e.diagnostics().empty());
    EXPECT_EQ(e.diagnostics()[0].loc.file, bad);
    EXPECT_EQ(e.diagnostics()[0].loc.line, 6);
    EXPECT_GT(e.diagnostics()[0].loc.column, 0);
  }
  fs::remove_all(dir);
}

// The API's result folder holds the bytes `geosim run --out` writes (the manifest differs
// only in time, threads and command line).
TEST(Api, RunResultEqualsTheCommandLinesFilesByteForByte) {
  const fs::path cli = fresh_dir("cli"), lib = fresh_dir("lib");
  ASSERT_EQ(
      geosim_cli("run " + kFlagship +
                 " -n 700 --seed 9 --set grievance0=0.6 --per-run -j 2 -q --out " + cli.string()),
      0);
  api::RunOptions o;
  o.replicates = 700;
  o.seed = 9;
  o.threads = 1;
  o.per_run = true;
  api::RunResult r = api::run(api::load(kFlagship, {{"grievance0", "0.6"}}), o);
  r.write_result_folder(lib.string());
  for (const char* f : {"summary.csv", "trajectories.csv", "runs.csv"})
    EXPECT_EQ(slurp(cli / f), slurp(lib / f)) << f;
  EXPECT_EQ(r.summary_csv(), slurp(cli / "summary.csv"));
  EXPECT_EQ(r.trajectories_csv(), slurp(cli / "trajectories.csv"));
  EXPECT_EQ(r.runs_csv(), slurp(cli / "runs.csv"));
  EXPECT_TRUE(fs::exists(lib / "manifest.json"));
  EXPECT_NE(slurp(lib / "manifest.json").find("\"grievance0=0.6\""), std::string::npos);

  // The typed tables are those files' rows.
  std::istringstream summary(slurp(cli / "summary.csv"));
  std::string line;
  size_t lines = 0;
  while (std::getline(summary, line)) ++lines;
  EXPECT_EQ(r.summary.size() + 1, lines);
  EXPECT_EQ(r.runs.size(), 700u);
  EXPECT_EQ(r.runs[5].replicate, 5u);
  EXPECT_EQ(r.runs_outcomes.size(), r.runs[0].outcomes.size());
  EXPECT_EQ(r.runs_inputs.size(), r.runs[0].inputs.size());
  for (const auto& row : r.summary)
    if (row.outcome == "path" && row.statistic == "share:deployment") {
      int deployed = 0;
      size_t k = 0;
      while (r.runs_outcomes[k] != "path") ++k;
      for (const auto& run : r.runs) deployed += run.outcomes[k] == 3.0;
      EXPECT_EQ(*row.value, deployed / 700.0);
    }
  EXPECT_NE(r.table().find("path"), std::string::npos);

  // A result folder refuses to replace another command's result, as the CLI does.
  EXPECT_NO_THROW(r.write_result_folder(lib.string()));  // its own result: replaced
  fs::remove_all(cli);
  fs::remove_all(lib);
}

TEST(Api, SetThenRunAgainMatchesALoadWithTheOverride) {
  api::RunOptions o;
  o.replicates = 300;
  api::Scenario s = api::load(kFlagship);
  const std::string before = api::run(s, o).summary_csv();
  s.set("grievance0", "0.7");
  const std::string moved = api::run(s, o).summary_csv();
  EXPECT_NE(before, moved);
  EXPECT_EQ(moved, api::run(api::load(kFlagship, {{"grievance0", "0.7"}}), o).summary_csv());
  s.reset();
  EXPECT_EQ(before, api::run(s, o).summary_csv());
}

TEST(Api, GivenAddsGivenShareAsTheCliDoes) {
  const fs::path cli = fresh_dir("given");
  ASSERT_EQ(
      geosim_cli("run " + kFlagship + " -n 300 -q --given 'world.coup == 0' --out " + cli.string()),
      0);
  api::RunOptions o;
  o.replicates = 300;
  o.given = "world.coup == 0";
  api::RunResult r = api::run(api::load(kFlagship), o);
  EXPECT_EQ(r.summary_csv(), slurp(cli / "summary.csv"));
  bool share = false;
  for (const auto& row : r.summary) share |= row.statistic == "given_share";
  EXPECT_TRUE(share);
  o.given = "world.nope == 0";
  EXPECT_THROW(api::run(api::load(kFlagship), o), UserError);
  fs::remove_all(cli);
}

TEST(Api, StopFlagInterrupts) {
  std::atomic<bool> stop{true};
  api::RunOptions o;
  o.replicates = 100000;
  o.stop = &stop;
  EXPECT_THROW(api::run(api::load(kFlagship), o), Interrupted);
  // Set from another thread while running.
  std::atomic<bool> later{false};
  o.stop = &later;
  o.replicates = 4000000;
  std::thread t([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    later = true;
  });
  EXPECT_THROW(api::run(api::load(kFlagship), o), Interrupted);
  t.join();
}

TEST(Api, BadRunOptionsAreRefused) {
  api::RunOptions o;
  o.replicates = 0;
  EXPECT_THROW(api::run(api::load(kFlagship), o), UserError);
  o.replicates = 10;
  o.threads = -1;
  EXPECT_THROW(api::run(api::load(kFlagship), o), UserError);
}

TEST(Api, ReportRendersFromTheResult) {
  api::RunOptions o;
  o.replicates = 200;
  std::string html = api::run(api::load(kFlagship), o).report_html();
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("kz-2022-discovery"), std::string::npos);
}

// docs/api.md shows tests/api/example.cc verbatim, so the documented example is the one
// ctest compiles and runs.
TEST(Api, DocsHoldTheExampleVerbatim) {
  const std::string doc = slurp(std::string(GEOSIM_SOURCE_DIR) + "/docs/api.md");
  const std::string example = slurp(std::string(GEOSIM_SOURCE_DIR) + "/tests/api/example.cc");
  ASSERT_FALSE(example.empty());
  EXPECT_NE(doc.find("```cpp\n" + example + "```\n"), std::string::npos)
      << "docs/api.md's example differs from tests/api/example.cc";
}
