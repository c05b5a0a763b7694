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
  for (const char* name : {"example.cc", "example_sweep.cc"}) {
    const std::string example = slurp(std::string(GEOSIM_SOURCE_DIR) + "/tests/api/" + name);
    ASSERT_FALSE(example.empty()) << name;
    EXPECT_NE(doc.find("```cpp\n" + example + "```\n"), std::string::npos)
        << "docs/api.md's example differs from tests/api/" << name;
  }
}

// ---- sweep ----

// The API's sweep files hold the bytes `geosim sweep --out` writes, for a grid with runs
// and per-point trajectories, and for a sobol design with its sensitivity indices.
TEST(Api, SweepFilesEqualTheCommandLinesByteForByte) {
  const fs::path cli = fresh_dir("sweep-cli"), lib = fresh_dir("sweep-lib");
  ASSERT_EQ(geosim_cli("sweep " + kFlagship +
                       " --vary grievance0=0.4,0.6 --set lpg_shock=0.2 -n 150 --seed 5 "
                       "--per-run --per-point-trajectories -j 2 -q --out " +
                       cli.string()),
            0);
  api::SweepOptions o;
  o.vary = {"grievance0=0.4,0.6"};
  o.replicates = 150;
  o.seed = 5;
  o.threads = 1;
  o.per_run = true;
  o.per_point_trajectories = true;
  api::SweepResult r = api::sweep(api::load(kFlagship, {{"lpg_shock", "0.2"}}), o);
  EXPECT_EQ(r.sweep_csv(), slurp(cli / "sweep.csv"));
  EXPECT_EQ(r.runs_csv(), slurp(cli / "runs.csv"));
  EXPECT_EQ(r.trajectories_csv(), slurp(cli / "trajectories.csv"));
  EXPECT_TRUE(r.sensitivity_csv().empty());
  r.write_result_folder(lib.string());
  for (const char* f : {"sweep.csv", "runs.csv", "trajectories.csv"})
    EXPECT_EQ(slurp(cli / f), slurp(lib / f)) << f;
  EXPECT_FALSE(fs::exists(lib / "sensitivity.csv"));
  const std::string manifest = slurp(lib / "manifest.json");
  EXPECT_NE(manifest.find("\"lpg_shock=0.2\""), std::string::npos);
  EXPECT_NE(manifest.find("\"grievance0=0.4,0.6\""), std::string::npos);

  // The typed tables are the files' rows.
  EXPECT_EQ(r.points, 2);
  EXPECT_EQ(r.failed, 0);
  EXPECT_EQ(r.parameters, std::vector<std::string>{"grievance0"});
  EXPECT_EQ(r.design, "grid");
  ASSERT_FALSE(r.summary.empty());
  EXPECT_EQ(r.summary.front().point, 0);
  EXPECT_EQ(r.summary.front().parameters, std::vector<double>{0.4});
  EXPECT_EQ(r.summary.back().point, 1);
  EXPECT_EQ(r.summary.back().parameters, std::vector<double>{0.6});
  EXPECT_EQ(r.summary.front().status, "ok");
  EXPECT_EQ(r.summary.front().summary.scenario, "kz-2022-discovery");
  EXPECT_EQ(r.runs.size(), 300u);
  EXPECT_EQ(r.runs[150].point, 1);
  EXPECT_EQ(r.runs[150].run.replicate, 0u);
  // The share of deployments at point 1 is what its runs say.
  size_t k = 0;
  while (r.runs_outcomes[k] != "path") ++k;
  int deployed = 0;
  for (const auto& run : r.runs) deployed += run.point == 1 && run.run.outcomes[k] == 3.0;
  for (const auto& row : r.summary)
    if (row.point == 1 && row.summary.outcome == "path" &&
        row.summary.statistic == "share:deployment")
      EXPECT_EQ(*row.summary.value, deployed / 150.0);
  ASSERT_FALSE(r.trajectories.empty());
  EXPECT_EQ(r.trajectories.back().point, 1);

  // The point with grievance0 = 0.6 is a run with that override.
  api::RunOptions ro;
  ro.replicates = 150;
  ro.seed = 5;
  api::RunResult one =
      api::run(api::load(kFlagship, {{"lpg_shock", "0.2"}, {"grievance0", "0.6"}}), ro);
  size_t matched = 0;
  for (const auto& row : r.summary)
    if (row.point == 1)
      for (const auto& s : one.summary)
        if (s.outcome == row.summary.outcome && s.statistic == row.summary.statistic) {
          EXPECT_EQ(s.value, row.summary.value) << s.outcome << " " << s.statistic;
          ++matched;
        }
  EXPECT_EQ(matched, one.summary.size());

  // A result folder refuses to replace another command's result unless asked.
  const fs::path run_dir = fresh_dir("sweep-over-run");
  one.write_result_folder(run_dir.string());
  EXPECT_THROW(r.write_result_folder(run_dir.string()), UserError);
  EXPECT_NO_THROW(r.write_result_folder(run_dir.string(), true));
  EXPECT_EQ(slurp(run_dir / "sweep.csv"), slurp(cli / "sweep.csv"));
  EXPECT_FALSE(fs::exists(run_dir / "summary.csv"));
  for (const auto& d : {cli, lib, run_dir}) fs::remove_all(d);
}

TEST(Api, SweepSobolSensitivityEqualsTheCommandLines) {
  const fs::path cli = fresh_dir("sobol-cli");
  ASSERT_EQ(geosim_cli("sweep " + kFlagship +
                       " --vary grievance0=0.4:0.7 --vary lpg_shock=0.1:0.3 --design sobol "
                       "--samples 8 --second-order -n 100 --seed 3 -q --out " +
                       cli.string()),
            0);
  api::SweepOptions o;
  o.vary = {"grievance0=0.4:0.7", "lpg_shock=0.1:0.3"};
  o.design = "sobol";
  o.samples = 8;
  o.second_order = true;
  o.replicates = 100;
  o.seed = 3;
  api::SweepResult r = api::sweep(api::load(kFlagship), o);
  EXPECT_EQ(r.sweep_csv(), slurp(cli / "sweep.csv"));
  EXPECT_EQ(r.sensitivity_csv(), slurp(cli / "sensitivity.csv"));
  EXPECT_EQ(r.points, 8 * 6);
  bool s2 = false;
  for (const auto& row : r.sensitivity) s2 |= row.index == "S2";
  EXPECT_TRUE(s2);
  EXPECT_NE(r.report_html().find("<svg"), std::string::npos);
  fs::remove_all(cli);
}

TEST(Api, SweepRefusalsComeBeforeAnythingRuns) {
  api::Scenario s = api::load(kFlagship, {{"grievance0", "0.6"}});
  api::SweepOptions o;
  o.replicates = 50;
  EXPECT_THROW(api::sweep(s, o), UserError);  // nothing to vary
  o.vary = {"grievance0=0.4,0.5"};
  try {
    api::sweep(s, o);
    FAIL() << "an overridden parameter was also varied";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("override grievance0=0.6: 'grievance0' is also varied"),
              std::string::npos)
        << e.what();
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_NE(e.diagnostics()[0].loc.file.find("intervention-request.yaml"), std::string::npos);
    EXPECT_GT(e.diagnostics()[0].loc.line, 0);
  }
  o.vary = {"lpg_shock=0.05,0.2"};  // 0.05 is outside [0.1, 0.4]
  EXPECT_THROW(api::sweep(s, o), UserError);
  o.vary = {"nope=1,2"};
  EXPECT_THROW(api::sweep(s, o), UserError);
  o.vary = {"lpg_shock=0.1,0.2"};
  o.samples = 4;  // a grid takes no samples
  EXPECT_THROW(api::sweep(s, o), UserError);
  o.samples = 0;
  o.replicates = 0;
  EXPECT_THROW(api::sweep(s, o), UserError);
}

TEST(Api, SweepStopFlagInterruptsAndOutResumes) {
  std::atomic<bool> stop{true};
  api::SweepOptions o;
  o.vary = {"grievance0=0.4,0.5,0.6"};
  o.replicates = 100;
  o.stop = &stop;
  EXPECT_THROW(api::sweep(api::load(kFlagship), o), Interrupted);
  // In a folder: the stopped sweep resumes there, and its files are the uninterrupted ones.
  const fs::path dir = fresh_dir("sweep-out");
  o.out = dir.string();
  EXPECT_THROW(api::sweep(api::load(kFlagship), o), Interrupted);
  EXPECT_TRUE(fs::exists(dir / ".sweep" / "key"));
  stop = false;
  o.resume = true;
  api::SweepResult r = api::sweep(api::load(kFlagship), o);
  EXPECT_EQ(r.sweep_csv(), slurp(dir / "sweep.csv"));
  o.out.clear();
  o.resume = false;
  EXPECT_EQ(api::sweep(api::load(kFlagship), o).sweep_csv(), r.sweep_csv());
  fs::remove_all(dir);
}

// ---- compare ----

TEST(Api, CompareEqualsTheCommandLines) {
  const fs::path a = fresh_dir("cmp-a"), b = fresh_dir("cmp-b"), out = fresh_dir("cmp-out");
  ASSERT_EQ(geosim_cli("run " + kFlagship + " -n 400 -q --out " + a.string()), 0);
  ASSERT_EQ(geosim_cli("run " + kFlagship + " -n 400 -q --set grievance0=0.75 --out " + b.string()),
            0);
  ASSERT_EQ(geosim_cli("compare " + a.string() + " " + b.string() + " --out " + out.string() + "/"),
            0);
  api::CompareResult c = api::compare(a.string(), b.string());
  EXPECT_EQ(c.compare_csv(), slurp(out / "compare.csv"));
  EXPECT_TRUE(c.any_significant());
  EXPECT_NE(c.differences().find("significant difference"), std::string::npos);
  const fs::path lib = fresh_dir("cmp-lib");
  c.write(lib.string() + "/");
  EXPECT_EQ(slurp(lib / "compare.csv"), slurp(out / "compare.csv"));
  EXPECT_EQ(slurp(lib / "compare.json"), slurp(out / "compare.json"));
  EXPECT_THROW(c.write((a / "summary.csv").string()), UserError);  // never over an input

  // Two runs in memory compare as their folders do.
  api::RunOptions o;
  o.replicates = 400;
  api::CompareResult m = api::compare(api::run(api::load(kFlagship), o),
                                      api::run(api::load(kFlagship, {{"grievance0", "0.75"}}), o));
  EXPECT_EQ(m.compare_csv(), c.compare_csv());
  ASSERT_EQ(m.rows.size(), c.rows.size());
  EXPECT_EQ(m.rows[0].outcome, c.rows[0].outcome);
  for (const auto& row : c.rows)
    if (row.statistic == "probability") EXPECT_TRUE(row.p_value.has_value());
  api::CompareOptions bad;
  bad.scenario = "nope";
  EXPECT_THROW(api::compare(a.string(), b.string(), bad), UserError);
  EXPECT_THROW(api::compare(a.string(), (b / "missing.csv").string()), UserError);
  for (const auto& d : {a, b, out, lib}) fs::remove_all(d);
}

// ---- discover ----

TEST(Api, DiscoverEqualsTheCommandLinesFiles) {
  const fs::path run_dir = fresh_dir("disc-run"), cli = fresh_dir("disc-cli"),
                 cart_cli = fresh_dir("disc-cart"), lib = fresh_dir("disc-lib");
  ASSERT_EQ(
      geosim_cli("run " + kFlagship + " -n 1500 --seed 4 --per-run -q --out " + run_dir.string()),
      0);
  ASSERT_EQ(geosim_cli("discover " + run_dir.string() +
                       " --outcome path --label deployment --boxes 2 --out " + cli.string()),
            0);
  ASSERT_EQ(geosim_cli("discover " + run_dir.string() +
                       " --outcome path --label deployment --method cart --max-depth 3 --out " +
                       cart_cli.string()),
            0);
  api::DiscoverOptions o;
  o.outcome = "path";
  o.label = "deployment";
  o.boxes = 2;
  api::DiscoverResult d = api::discover(run_dir.string(), o);
  EXPECT_EQ(d.boxes_csv(), slurp(cli / "boxes.csv"));
  EXPECT_EQ(d.tradeoff_csv(), slurp(cli / "tradeoff.csv"));
  EXPECT_EQ(d.unit, "replicates");
  EXPECT_EQ(d.rows, 1500);
  ASSERT_FALSE(d.boxes.empty());
  EXPECT_EQ(d.boxes[0].box, 1);
  EXPECT_EQ(d.boxes[0].method, "prim");
  EXPECT_FALSE(d.boxes[0].node.has_value());
  ASSERT_FALSE(d.tradeoff.empty());
  size_t chosen = 0;
  for (const auto& t : d.tradeoff) chosen += t.chosen;
  EXPECT_EQ(chosen, d.tradeoff.back().box);  // one chosen step per box
  EXPECT_NE(d.text().find("box 1: coverage"), std::string::npos);
  d.write_result_folder(lib.string());
  EXPECT_EQ(slurp(lib / "boxes.csv"), slurp(cli / "boxes.csv"));
  EXPECT_TRUE(fs::exists(lib / "discover.json"));
  EXPECT_TRUE(fs::exists(lib / "manifest.json"));

  o.method = "cart";
  o.boxes = 1;
  o.max_depth = 3;
  api::DiscoverResult c = api::discover(run_dir.string(), o);
  EXPECT_EQ(c.boxes_csv(), slurp(cart_cli / "boxes.csv"));
  EXPECT_EQ(c.tree_csv(), slurp(cart_cli / "tree.csv"));
  ASSERT_FALSE(c.tree.empty());
  EXPECT_FALSE(c.tree[0].parent.has_value());
  EXPECT_TRUE(c.tradeoff_csv().empty());

  // The same rows held in memory give the same boxes.
  api::RunOptions ro;
  ro.replicates = 1500;
  ro.seed = 4;
  ro.per_run = true;
  api::RunResult r = api::run(api::load(kFlagship), ro);
  EXPECT_EQ(api::discover(r, o).tree_csv(), c.tree_csv());
  ro.per_run = false;
  EXPECT_THROW(api::discover(api::run(api::load(kFlagship), ro), o), UserError);

  // Refusals, as the CLI's.
  api::DiscoverOptions bad = o;
  bad.boxes = 2;  // a prim option with cart
  EXPECT_THROW(api::discover(run_dir.string(), bad), UserError);
  bad = o;
  bad.outcome = "nope";
  EXPECT_THROW(api::discover(run_dir.string(), bad), UserError);
  bad = o;
  bad.method = "prin";
  EXPECT_THROW(api::discover(run_dir.string(), bad), UserError);
  for (const auto& x : {run_dir, cli, cart_cli, lib}) fs::remove_all(x);
}

TEST(Api, DiscoverOverASweepHeldInMemory) {
  const fs::path sw = fresh_dir("disc-sweep"), cli = fresh_dir("disc-sweep-cli");
  ASSERT_EQ(geosim_cli("sweep " + kFlagship +
                       " --vary grievance0=0.3:0.8 --vary lpg_shock=0.1:0.4 --design lhs "
                       "--samples 40 -n 100 --seed 2 -q --out " +
                       sw.string()),
            0);
  ASSERT_EQ(geosim_cli("discover " + sw.string() +
                       " --outcome path --statistic share:deployment --threshold 0.3 --out " +
                       cli.string()),
            0);
  api::SweepOptions so;
  so.vary = {"grievance0=0.3:0.8", "lpg_shock=0.1:0.4"};
  so.design = "lhs";
  so.samples = 40;
  so.replicates = 100;
  so.seed = 2;
  api::DiscoverOptions o;
  o.outcome = "path";
  o.statistic = "share:deployment";
  o.threshold = 0.3;
  api::DiscoverResult d = api::discover(api::sweep(api::load(kFlagship), so), o);
  EXPECT_EQ(d.boxes_csv(), slurp(cli / "boxes.csv"));
  EXPECT_EQ(d.tradeoff_csv(), slurp(cli / "tradeoff.csv"));
  EXPECT_EQ(d.unit, "sweep points");
  EXPECT_EQ(d.rows, 40);
  EXPECT_EQ(d.source.find("/tmp"), std::string::npos) << d.source;  // not the temporary folder
  fs::remove_all(sw);
  fs::remove_all(cli);
}

// ---- calibrate ----

TEST(Api, CalibrateEqualsTheCommandLinesFiles) {
  const std::string base =
      std::string(GEOSIM_SOURCE_DIR) + "/scenarios/kazakhstan-2022/intervention-request.yaml";
  const std::string cases =
      std::string(GEOSIM_SOURCE_DIR) + "/scenarios/kazakhstan-2022/observed.csv";
  const fs::path cli = fresh_dir("fit-cli"), lib = fresh_dir("fit-lib");
  ASSERT_EQ(geosim_cli("calibrate " + base + " --cases " + cases +
                       " --free sovereignty_cost --free consult_value --method mle "
                       "--evaluations 20 -n 64 --set grievance0=0.6 -q --out " +
                       cli.string()),
            0);
  api::CalibrateOptions o;
  o.cases = cases;
  o.free = {"sovereignty_cost", "consult_value"};
  o.evaluations = 20;
  o.replicates = 64;
  api::CalibrateResult r = api::calibrate(api::load(base, {{"grievance0", "0.6"}}), o);
  EXPECT_EQ(r.posterior_csv(), slurp(cli / "posterior.csv"));
  EXPECT_EQ(r.predictions_csv(), slurp(cli / "predictions.csv"));
  // fit.csv: the same but for its last row, the wall time.
  const auto without_wall = [](const std::string& t) {
    return t.substr(0, t.find(",wall_seconds,"));
  };
  EXPECT_EQ(without_wall(r.fit_csv()), without_wall(slurp(cli / "fit.csv")));
  EXPECT_EQ(r.method, "mle");
  EXPECT_EQ(r.parameters, (std::vector<std::string>{"sovereignty_cost", "consult_value"}));
  ASSERT_FALSE(r.posterior.empty());
  EXPECT_EQ(r.posterior[0].values.size(), 2u);
  bool estimate = false;
  for (const auto& row : r.fit)
    if (row.parameter == "sovereignty_cost" && row.statistic == "estimate")
      estimate = row.value.has_value();
  EXPECT_TRUE(estimate);
  EXPECT_FALSE(r.predictions.empty());
  EXPECT_NE(r.text().find("mle fit of 2 parameter(s)"), std::string::npos);
  r.write_result_folder(lib.string());
  EXPECT_EQ(slurp(lib / "posterior.csv"), slurp(cli / "posterior.csv"));
  EXPECT_NE(slurp(lib / "manifest.json").find("\"grievance0=0.6\""), std::string::npos);

  // The posterior feeds a run, as --posterior does.
  api::RunOptions ro;
  ro.replicates = 100;
  ro.posterior = (lib / "posterior.csv").string();
  EXPECT_NO_THROW(api::run(api::load(base), ro));

  // A free parameter that is also overridden is refused at its declaration.
  try {
    api::calibrate(api::load(base, {{"consult_value", "0.5"}}), o);
    FAIL() << "an overridden parameter was fitted";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("override consult_value=0.5: 'consult_value' is free"),
              std::string::npos)
        << e.what();
    EXPECT_GT(e.diagnostics()[0].loc.line, 0);
  }
  api::CalibrateOptions bad = o;
  bad.free = {"nope"};
  EXPECT_THROW(api::calibrate(api::load(base), bad), UserError);
  bad = o;
  bad.method = "mcmc";
  EXPECT_THROW(api::calibrate(api::load(base), bad), UserError);
  bad = o;
  bad.cases.clear();
  EXPECT_THROW(api::calibrate(api::load(base), bad), UserError);
  fs::remove_all(cli);
  fs::remove_all(lib);
}

// A result object not returned by its function holds nothing: every use is a UserError.
TEST(Api, EmptyResultsAreRefusedNotCrashed) {
  api::SweepResult s;
  EXPECT_THROW(s.sweep_csv(), UserError);
  EXPECT_THROW(s.write_result_folder(fresh_dir("empty-sweep").string()), UserError);
  api::CompareResult c;
  EXPECT_THROW(c.compare_csv(), UserError);
  EXPECT_THROW(c.write(fresh_dir("empty-cmp").string() + "/"), UserError);
  api::DiscoverResult d;
  EXPECT_THROW(d.boxes_csv(), UserError);
  api::CalibrateResult f;
  EXPECT_THROW(f.fit_csv(), UserError);
  api::DiscoverOptions o;
  o.outcome = "path";
  o.label = "deployment";
  EXPECT_THROW(api::discover(s, o), UserError);
  EXPECT_THROW(api::discover(api::RunResult{}, o), UserError);
  EXPECT_THROW(api::compare(api::RunResult{}, api::RunResult{}), UserError);
}

// ---- run_files ----

const std::string kSecond =
    std::string(GEOSIM_SOURCE_DIR) + "/scenarios/kazakhstan-2022/intervention-request.yaml";

// run_files on two files with per_run writes the folder `geosim run` writes for them: the
// same bytes in summary.csv, trajectories.csv, runs.csv and storylines.csv.
TEST(Api, RunFilesWritesTheCommandLinesFolder) {
  const fs::path cli = fresh_dir("batch-cli"), lib = fresh_dir("batch-lib");
  ASSERT_EQ(
      geosim_cli("run " + kFlagship + " " + kSecond +
                 " -n 600 --seed 5 --set grievance0=0.6 --per-run -j 2 -q --out " + cli.string()),
      0);
  api::RunFilesOptions o;
  o.files = {kFlagship, kSecond};
  o.sets = {"grievance0=0.6"};
  o.replicates = 600;
  o.seed = 5;
  o.threads = 1;
  o.per_run = true;
  o.out = lib.string();
  const api::BatchRunResult r = api::run_files(o);
  ASSERT_TRUE(fs::exists(cli / "storylines.csv"));
  for (const char* f : {"summary.csv", "trajectories.csv", "runs.csv", "storylines.csv"})
    EXPECT_EQ(slurp(cli / f), slurp(lib / f)) << f;
  EXPECT_EQ(r.written, lib.string());
  EXPECT_TRUE(r.interrupted.empty());
  EXPECT_FALSE(r.any_failed());
  ASSERT_EQ(r.scenarios.size(), 2u);
  EXPECT_EQ(r.scenarios[0].scenario, "kz-2022-discovery");
  EXPECT_EQ(r.scenarios[1].scenario, "kz-2022-intervention");
  EXPECT_EQ(r.scenarios[1].path, kSecond);
  // Each entry is that scenario's RunResult: its rows are those of the batch's files.
  const std::string summary = slurp(cli / "summary.csv");
  for (const auto& e : r.scenarios) {
    ASSERT_TRUE(e.ok);
    EXPECT_EQ(e.result.replicates, 600);
    EXPECT_EQ(e.result.seed, 5u);
    EXPECT_FALSE(e.result.table().empty());
    const std::string own = e.result.summary_csv();
    const std::string rows = own.substr(own.find('\n') + 1);
    EXPECT_NE(summary.find(rows), std::string::npos) << e.scenario;
    EXPECT_TRUE(e.result.runs.empty());
  }
  // The manifest names the equivalent command.
  const std::string manifest = slurp(lib / "manifest.json");
  EXPECT_NE(manifest.find("\"--per-run\""), std::string::npos);
  EXPECT_NE(manifest.find("\"grievance0=0.6\""), std::string::npos);
  fs::remove_all(cli);
  fs::remove_all(lib);
}

// Two shards written through run_files merge (geosim merge) into the files of one run.
TEST(Api, RunFilesShardsMergeIntoTheCommandLinesFiles) {
  const fs::path cli = fresh_dir("shard-cli"), merged = fresh_dir("shard-merged");
  const fs::path s0 = fresh_dir("shard-0"), s1 = fresh_dir("shard-1");
  ASSERT_EQ(
      geosim_cli("run " + kFlagship + " " + kSecond + " -n 500 --seed 3 -q --out " + cli.string()),
      0);
  api::RunFilesOptions o;
  o.files = {kFlagship, kSecond};
  o.replicates = 500;
  o.seed = 3;
  o.shard_count = 2;
  for (int i = 0; i < 2; ++i) {
    o.shard_index = i;
    o.out = (i == 0 ? s0 : s1).string();
    const api::BatchRunResult r = api::run_files(o);
    EXPECT_EQ(r.written, o.out);
    EXPECT_TRUE(fs::exists(fs::path(o.out) / "shard.json"));
    EXPECT_FALSE(fs::exists(fs::path(o.out) / "summary.csv"));
  }
  ASSERT_EQ(geosim_cli("merge " + s0.string() + " " + s1.string() + " -q --out " + merged.string()),
            0);
  for (const char* f : {"summary.csv", "trajectories.csv", "storylines.csv"})
    EXPECT_EQ(slurp(cli / f), slurp(merged / f)) << f;
  for (const auto& d : {cli, merged, s0, s1}) fs::remove_all(d);
}

// Refusals come before anything runs or is written; a stop keeps what finished.
TEST(Api, RunFilesRefusalsAndStop) {
  const fs::path out = fresh_dir("batch-refused");
  api::RunFilesOptions o;
  o.replicates = 100;
  o.out = out.string();
  EXPECT_THROW(api::run_files(o), UserError);  // no file
  o.files = {kFlagship, kFlagship};            // one id twice
  EXPECT_THROW(api::run_files(o), UserError);
  o.files = {kFlagship};
  o.sets = {"no_such_parameter=1"};
  EXPECT_THROW(api::run_files(o), UserError);
  o.sets.clear();
  o.shard_count = 2;
  o.shard_index = 2;
  EXPECT_THROW(api::run_files(o), UserError);  // shard out of range
  o.shard_index = 0;
  o.report = true;
  EXPECT_THROW(api::run_files(o), UserError);  // a shard's report
  o.report = false;
  o.shard_count = 0;
  o.out.clear();
  o.per_run = true;
  EXPECT_THROW(api::run_files(o), UserError);  // per_run without out
  EXPECT_FALSE(fs::exists(out));

  std::atomic<bool> stop{true};
  o.per_run = false;
  o.out = out.string();
  o.stop = &stop;
  o.files = {kFlagship, kSecond};
  const api::BatchRunResult r = api::run_files(o);
  EXPECT_EQ(r.interrupted, "kz-2022-discovery");
  EXPECT_TRUE(r.scenarios.empty());
  EXPECT_TRUE(r.written.empty());
  EXPECT_FALSE(fs::exists(out / "summary.csv"));
  fs::remove_all(out);
}
