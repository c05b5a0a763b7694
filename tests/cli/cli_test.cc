// The commands end to end, in process: exit codes, files written or not, and the promise
// that thread count never changes a byte.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/command.h"
#include "support/files.h"

namespace geosim::cli {
namespace {

namespace fs = std::filesystem;

const std::string kSource = GEOSIM_SOURCE_DIR;

// A test's own temporary folder.
class Dir : public test::TempDir {
 public:
  explicit Dir(const std::string& name) : TempDir("cli", name) {}
};

using test::slurp;

const char* kScenario = R"Y(geosim: 1
scenario: {id: small, steps: 12, step: day, replicates: 700, seed: 5}
parameters: {p: {value: 0.2, min: 0, max: 1}}
world: {x: "normal(0, 1)", hit: 0}
actors:
  a: {groups: [g], state: {v: "uniform(0, 1)"}}
  b: {groups: [g], state: {v: "uniform(0, 1)"}}
events:
  strike: {probability: "p", once: true, effects: ["world.hit = 1"]}
decisions:
  move:
    group: g
    rule: logit
    rationality: 3
    options:
      up: {utility: "self.v", effects: ["self.v += 0.1"]}
      down: {utility: "0.5", effects: ["self.v -= 0.1"]}
dynamics: ["world.x = 0.8 * world.x + normal(0, 0.5)"]
outcomes:
  x: "world.x"
  hit: "world.hit"
  when_hit: {first: "world.hit == 1"}
  top: {max: "sum(g.v)"}
  kind:
    cases:
      high: "world.x > 0.5"
      low: "true"
track: [world.x, "sum(g.v)"]
)Y";

TEST(Run, OneAndTwoThreadsWriteIdenticalFiles) {
  Dir dir("threads");
  std::string file = dir.write("s.yaml", kScenario);
  ASSERT_EQ(dispatch({"run", file, "--threads", "1", "--out", dir / "one", "--per-run", "--quiet"}),
            0);
  ASSERT_EQ(dispatch({"run", file, "--threads", "2", "--out", dir / "two", "--per-run", "--quiet"}),
            0);
  for (const char* f : {"summary.csv", "trajectories.csv", "runs.csv"}) {
    std::string a = slurp(dir / (std::string("one/") + f));
    EXPECT_FALSE(a.empty()) << f;
    EXPECT_EQ(a, slurp(dir / (std::string("two/") + f))) << f;
  }
  EXPECT_TRUE(fs::exists(dir / "one/manifest.json"));
}

TEST(Run, TrackedSeriesSharedByTheThreadsGiveTheSameFiles) {
  // The threads of a run add to shared tracked series (putting values aside when a series
  // is locked) and settle them in shares at the end (3 tracks x 37 steps = 111 series:
  // shares of 37, 27/28 and 111/1). 1, 3 and 4 threads must write the same bytes, and so
  // must a run of more threads than blocks.
  Dir dir("track-merge");
  std::string file = dir.write("t.yaml", R"Y(geosim: 1
scenario: {id: tm, steps: 37, replicates: 2100, seed: 3}
world:
  a: {init: "normal(0, 1)", min: -9, max: 9}
  b: 0
dynamics:
  - "world.a = 0.9 * world.a + normal(0, 0.3)"
  - "world.b = world.b + uniform(0, 1)"
track: [world.a, world.b, "world.a * world.b"]
outcomes:
  final_a: "world.a"
)Y");
  for (const char* j : {"1", "3", "4"})
    ASSERT_EQ(dispatch({"run", file, "-j", j, "--out", dir / (std::string("j") + j), "-q"}), 0);
  ASSERT_EQ(dispatch({"run", file, "-n", "300", "-j", "4", "--out", dir / "few", "-q"}), 0);
  ASSERT_EQ(dispatch({"run", file, "-n", "300", "-j", "1", "--out", dir / "few1", "-q"}), 0);
  for (const std::string f : {"/summary.csv", "/trajectories.csv"}) {
    const std::string one = slurp(dir / "j1" + f);
    EXPECT_GT(std::count(one.begin(), one.end(), '\n'), f == "/summary.csv" ? 5 : 111) << f;
    EXPECT_EQ(one, slurp(dir / "j3" + f)) << f;
    EXPECT_EQ(one, slurp(dir / "j4" + f)) << f;
    EXPECT_EQ(slurp(dir / "few1" + f), slurp(dir / "few" + f)) << f;
  }
}

TEST(Run, ReplicateValuesDoNotDependOnTheReplicateCount) {
  Dir dir("count");
  std::string file = dir.write("s.yaml", kScenario);
  ASSERT_EQ(dispatch({"run", file, "-n", "300", "--out", dir / "small", "--per-run", "-q"}), 0);
  ASSERT_EQ(
      dispatch({"run", file, "-n", "1000", "-j", "2", "--out", dir / "large", "--per-run", "-q"}),
      0);
  std::string small = slurp(dir / "small/runs.csv");
  std::string large = slurp(dir / "large/runs.csv");
  ASSERT_GT(large.size(), small.size());
  EXPECT_EQ(large.substr(0, small.size()), small);
}

TEST(Run, SummaryHasTheContractColumnsAndStatistics) {
  Dir dir("summary");
  std::string file = dir.write("s.yaml", kScenario);
  ASSERT_EQ(dispatch({"run", file, "--out", dir / "o", "-q"}), 0);
  std::string s = slurp(dir / "o/summary.csv");
  EXPECT_EQ(s.substr(0, s.find('\n')),
            "scenario,outcome,statistic,value,ci_low,ci_high,replicates");
  for (const char* needle :
       {"\nsmall,x,mean,", "\nsmall,x,p95,", "\nsmall,hit,probability,",
        "\nsmall,when_hit,share_reached,", "\nsmall,kind,share:high,", "\nsmall,kind,share:low,"})
    EXPECT_NE(s.find(needle), std::string::npos) << needle;
  std::string t = slurp(dir / "o/trajectories.csv");
  EXPECT_EQ(t.substr(0, t.find('\n')), "scenario,variable,step,mean,p05,p25,p50,p75,p95");
  EXPECT_NE(t.find("\nsmall,sum(g.v),11,"), std::string::npos);
}

TEST(Run, InvalidFileExitsTwoAndWritesNothing) {
  Dir dir("invalid");
  std::string good = dir.write("good.yaml", kScenario);
  std::string bad = dir.write(
      "bad.yaml", "geosim: 1\nscenario: {id: bad, steps: 3}\noutcomes:\n  y: \"world.nope\"\n");
  EXPECT_EQ(dispatch({"run", good, bad, "--out", dir / "o", "-q"}), 2);
  EXPECT_FALSE(fs::exists(dir / "o"));
  EXPECT_EQ(dispatch({"validate", bad}), 2);
  EXPECT_EQ(dispatch({"validate", good}), 0);
}

TEST(Run, UsageErrorsExitTwo) {
  Dir dir("usage");
  std::string file = dir.write("s.yaml", kScenario);
  EXPECT_EQ(dispatch({"run"}), 2);
  EXPECT_EQ(dispatch({"run", file, "--replicas", "5"}), 2);
  EXPECT_EQ(dispatch({"run", file, "--replicates", "0"}), 2);
  EXPECT_EQ(dispatch({"run", file, "--set", "q=1"}), 2);
  EXPECT_EQ(dispatch({"run", file, "--set", "p=2"}), 2);  // outside [0, 1]
  EXPECT_EQ(dispatch({"run", file, "--per-run"}), 2);     // needs --out
  EXPECT_EQ(dispatch({"frobnicate"}), 2);
  EXPECT_EQ(dispatch({"run", dir / "missing.yaml"}), 2);
}

// Issue 13, item 17: the message says what was probably meant, and an error in a group
// decision is reported once, not once per member.
std::string stderr_of(const std::vector<std::string>& args, int expect_code) {
  testing::internal::CaptureStderr();
  EXPECT_EQ(dispatch(args), expect_code);
  return testing::internal::GetCapturedStderr();
}

TEST(Usage, AForgottenEqualsSignSaysWhatWasMeant) {
  Dir dir("equals");
  std::string file = dir.write("s.yaml", kScenario);
  EXPECT_EQ(
      stderr_of({"sweep", file, "--vary", "p", "0:1:0.5", "--out", dir / "o"}, 2),
      "--vary p: expected NAME=SPEC, found 'p' without '=' (did you mean --vary p=0:1:0.5?)\n");
  EXPECT_EQ(stderr_of({"sweep", file, "--vary", "p", "--out", dir / "o"}, 2),
            "--vary: 'p': expected NAME=SPEC, e.g. hazard.p=0.1,0.2 or x=0:1:0.25\n");
  EXPECT_EQ(stderr_of({"run", file, "--set", "p", "0.5", "-q"}, 2),
            "--set p: expected NAME=VALUE, found 'p' without '=' (did you mean --set p=0.5?)\n");
  EXPECT_FALSE(fs::exists(dir / "o"));
}

TEST(Usage, AnErrorInAGroupDecisionIsReportedOnce) {
  Dir dir("group");
  std::string text = kScenario;
  text.replace(text.find("utility: \"0.5\""), 14, "utility: \"nosuch\"");
  std::string file = dir.write("s.yaml", text);
  const std::string err = stderr_of({"validate", file}, 2);
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_NE(err.find("unknown name 'nosuch'"), std::string::npos) << err;
}

TEST(Run, ANaNFailsThatScenarioButKeepsTheOthers) {
  Dir dir("nan");
  std::string good = dir.write("good.yaml", kScenario);
  std::string bad = dir.write("nan.yaml", R"Y(geosim: 1
scenario: {id: nan, steps: 5}
world: {x: 1}
dynamics: ["world.x = log(world.x - 1)"]
outcomes: {x: "world.x"}
)Y");
  EXPECT_EQ(dispatch({"run", good, bad, "--out", dir / "o", "-q"}), 1);
  std::string s = slurp(dir / "o/summary.csv");
  EXPECT_NE(s.find("\nsmall,"), std::string::npos);
  EXPECT_EQ(s.find("\nnan,"), std::string::npos);
  EXPECT_NE(slurp(dir / "o/manifest.json").find("\"failures\""), std::string::npos);
}

TEST(Run, SetChangesTheParameter) {
  Dir dir("set");
  std::string file = dir.write("s.yaml", kScenario);
  ASSERT_EQ(dispatch({"run", file, "--set", "p=0", "--out", dir / "o", "-q"}), 0);
  std::string s = slurp(dir / "o/summary.csv");
  EXPECT_NE(s.find("\nsmall,hit,probability,0,"), std::string::npos);
}

TEST(Run, GivenConditionsEveryOutcomeAndShardsMergeToTheSameFiles) {
  Dir dir("given");
  std::string file = dir.write("s.yaml", kScenario);
  ASSERT_EQ(dispatch({"run", file, "--given", "world.hit == 1", "--out", dir / "one", "-q"}), 0);
  std::string s = slurp(dir / "one/summary.csv");
  // Given the strike happened, the strike happened: P(hit) = 1 among them.
  EXPECT_NE(s.find("\nsmall,hit,probability,1,"), std::string::npos) << s;
  EXPECT_NE(s.find("\nsmall,x,given_share,"), std::string::npos);
  EXPECT_NE(s.find("\nsmall,kind,given_share,"), std::string::npos);
  // In two shards merged: the same bytes.
  for (const char* sh : {"0/2", "1/2"})
    ASSERT_EQ(dispatch({"run", file, "--given", "world.hit == 1", "--shard", sh, "--out",
                        dir / (std::string("s") + sh[0]), "-q"}),
              0);
  ASSERT_EQ(dispatch({"merge", dir / "s0", dir / "s1", "--out", dir / "m", "-q"}), 0);
  EXPECT_EQ(slurp(dir / "m/summary.csv"), s);
  // A mistake in the condition is reported once, at --given, and nothing is written.
  EXPECT_EQ(dispatch({"run", file, "--given", "world.nope > 1", "--out", dir / "bad", "-q"}), 2);
  EXPECT_FALSE(fs::exists(dir / "bad"));
}

TEST(Sweep, GivenConditionsEveryPointAndShardsMergeToTheSameFiles) {
  Dir dir("sweep-given");
  std::string file = dir.write("s.yaml", kScenario);
  const std::vector<std::string> sweep = {"sweep",          file, "--vary", "p=0.1,0.3", "--given",
                                          "world.hit == 1", "-q"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> v = sweep;
    v.insert(v.end(), extra.begin(), extra.end());
    return dispatch(v);
  };
  ASSERT_EQ(with({"--out", dir / "one"}), 0);
  std::string s = slurp(dir / "one/sweep.csv");
  // Given the strike happened, it happened, at every point.
  EXPECT_NE(s.find("\n0,0.1,small,hit,probability,1,"), std::string::npos) << s;
  EXPECT_NE(s.find("\n1,0.3,small,hit,probability,1,"), std::string::npos) << s;
  // given_share: the share of the 700 replicates where the strike happened, with its Wilson
  // interval, which holds the closed form 1 - (1 - p)^12 (a once-event of probability p
  // a step over 12 steps) at both points.
  for (const auto& [prefix, p] :
       {std::pair<std::string, double>{"\n0,0.1,small,hit,given_share,", 0.1},
        {"\n1,0.3,small,hit,given_share,", 0.3}}) {
    const size_t at = s.find(prefix);
    ASSERT_NE(at, std::string::npos) << s;
    std::stringstream row(s.substr(at + prefix.size(), s.find('\n', at + 1) - at - prefix.size()));
    std::string value, low, high, n;
    std::getline(row, value, ',');
    std::getline(row, low, ',');
    std::getline(row, high, ',');
    std::getline(row, n, ',');
    EXPECT_EQ(n, "700");
    const double expected = 1 - std::pow(1 - p, 12);
    EXPECT_LE(std::stod(low), expected) << prefix;
    EXPECT_GE(std::stod(high), expected) << prefix;
    EXPECT_LT(std::stod(low), std::stod(value));
    EXPECT_GT(std::stod(high), std::stod(value));
  }
  EXPECT_NE(slurp(dir / "one/manifest.json").find("\"given\": \"world.hit == 1\""),
            std::string::npos);
  // In two shards merged: the same bytes (the shards record the condition, merge applies it).
  ASSERT_EQ(with({"--shard", "0/2", "--out", dir / "s0"}), 0);
  ASSERT_EQ(with({"--shard", "1/2", "--out", dir / "s1"}), 0);
  ASSERT_EQ(dispatch({"merge", dir / "s0", dir / "s1", "--out", dir / "m", "-q"}), 0);
  EXPECT_EQ(slurp(dir / "m/sweep.csv"), s);
  // A shard's points resumed under another condition are refused, not mixed.
  EXPECT_EQ(dispatch({"sweep", file, "--vary", "p=0.1,0.3", "--given", "world.hit == 0", "--shard",
                      "0/2", "--resume", "--out", dir / "s0", "-q"}),
            2);
  // A mistake in the condition is reported once, at --given, and nothing is written.
  EXPECT_EQ(dispatch({"sweep", file, "--vary", "p=0.1,0.3", "--given", "world.nope > 1", "--out",
                      dir / "bad", "-q"}),
            2);
  EXPECT_FALSE(fs::exists(dir / "bad"));
}

TEST(Run, PerRunRecordsEveryInitDrawAndDiscoverMinesThem) {
  Dir dir("init-draws");
  std::string file = dir.write("s.yaml", kScenario);
  ASSERT_EQ(dispatch({"run", file, "--per-run", "--out", dir / "o", "-q"}), 0);
  std::string runs = slurp(dir / "o/runs.csv");
  const std::string header = runs.substr(0, runs.find('\n'));
  EXPECT_EQ(header, "scenario,replicate,x,hit,when_hit,top,kind,init:world.x,init:a.v,init:b.v");
  // Replicate 0's init:world.x is the same whatever the thread count (a pure function).
  ASSERT_EQ(dispatch({"run", file, "--per-run", "-j", "2", "--out", dir / "o2", "-q"}), 0);
  EXPECT_EQ(slurp(dir / "o2/runs.csv"), runs);
  // The label of a cases outcome: replicates ending `high` (world.x > 0.5 at the end).
  ASSERT_EQ(dispatch({"discover", dir / "o", "--outcome", "kind", "--label", "high", "--out",
                      dir / "d", "-q"}),
            0);
  std::string boxes = slurp(dir / "d/boxes.csv");
  EXPECT_EQ(boxes.substr(0, 9), "box,input");
  EXPECT_EQ(dispatch({"discover", dir / "o", "--outcome", "kind", "--label", "hgh", "--out",
                      dir / "d2", "-q"}),
            2);
  EXPECT_EQ(dispatch({"discover", dir / "o", "--outcome", "x", "--out", dir / "d3", "-q"}), 2);
}

TEST(Sweep, PerRunRecordsEveryInitDrawAndDiscoverMinesThem) {
  Dir dir("sweep-init-draws");
  std::string file = dir.write("s.yaml", kScenario);
  ASSERT_EQ(dispatch({"sweep", file, "--vary", "p=0.1,0.3", "--per-run", "-n", "300", "--out",
                      dir / "o", "-q"}),
            0);
  std::string runs = slurp(dir / "o/runs.csv");
  EXPECT_EQ(runs.substr(0, runs.find('\n')),
            "point,replicate,x,hit,when_hit,top,kind,init:world.x,init:a.v,init:b.v");
  // Replicate r of every point draws the same init values as replicate r of a run (the
  // draws are a pure function of the seed and the replicate), so the columns match the
  // run's, point by point.
  ASSERT_EQ(
      dispatch({"run", file, "--per-run", "-n", "300", "--set", "p=0.3", "--out", dir / "r", "-q"}),
      0);
  auto init_cells = [](const std::string& text, const std::string& prefix) {
    std::vector<std::string> cells;
    std::stringstream in(text);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      if (!prefix.empty() && line.rfind(prefix, 0) != 0) continue;
      size_t at = line.size();
      for (int k = 0; k < 3; ++k) at = line.rfind(',', at - 1);
      cells.push_back(line.substr(at + 1));
    }
    return cells;
  };
  const auto from_run = init_cells(slurp(dir / "r/runs.csv"), "");
  ASSERT_EQ(from_run.size(), 300u);
  EXPECT_EQ(init_cells(runs, "1,"), from_run);
  EXPECT_EQ(init_cells(runs, "0,"), from_run);
  // discover mines the sweep's parameter and the init: draws of every replicate.
  ASSERT_EQ(dispatch({"discover", dir / "o", "--outcome", "kind", "--label", "high", "--out",
                      dir / "d", "-q"}),
            0);
  EXPECT_NE(slurp(dir / "d/discover.json").find("\"init:world.x\""), std::string::npos);
}

TEST(Discover, CartWritesATreeAndItsBoxesInPlaceOfPrims) {
  Dir dir("discover-cart");
  std::string file = dir.write("s.yaml", kScenario);
  ASSERT_EQ(dispatch({"run", file, "--per-run", "-n", "2000", "--out", dir / "o", "-q"}), 0);
  const std::vector<std::string> cmd = {"discover", dir / "o", "--outcome", "kind", "--label",
                                        "high",     "--out",   dir / "d",   "-q"};
  auto discover = [&](std::vector<std::string> extra) {
    std::vector<std::string> v = cmd;
    v.insert(v.end(), extra.begin(), extra.end());
    return dispatch(v);
  };
  ASSERT_EQ(discover({}), 0);  // PRIM first
  EXPECT_TRUE(fs::exists(dir / "d/tradeoff.csv"));
  // CART into the same folder replaces the discovery: tree.csv, no stale tradeoff.csv.
  ASSERT_EQ(discover({"--method", "cart", "--max-depth", "3", "--density", "0.35"}), 0);
  EXPECT_FALSE(fs::exists(dir / "d/tradeoff.csv"));
  const std::string tree = slurp(dir / "d/tree.csv");
  EXPECT_EQ(tree.substr(0, tree.find('\n')),
            "node,parent,side,depth,input,threshold,rows,cases,share,box");
  // `high` is world.x > 0.5 at the end: the tree splits on the drawn init:world.x first, and
  // its leaf of the highest density (0.39, above 0.35) is a box.
  EXPECT_NE(tree.find("\n0,,,0,init:world.x,"), std::string::npos) << tree;
  const std::string boxes = slurp(dir / "d/boxes.csv");
  EXPECT_NE(boxes.find(",cart,"), std::string::npos) << boxes;
  EXPECT_NE(slurp(dir / "d/manifest.json").find("\"method\": \"cart\""), std::string::npos);
  // The report shows the CART boxes.
  ASSERT_EQ(dispatch({"report", dir / "d", "-q"}), 0);
  EXPECT_NE(slurp(dir / "d/report.html").find("Scenario discovery (CART)"), std::string::npos);
  // Options of the other method, and an unknown method, are refused.
  EXPECT_EQ(discover({"--method", "cart", "--peel-alpha", "0.1"}), 2);
  EXPECT_EQ(discover({"--max-depth", "3"}), 2);
  EXPECT_EQ(discover({"--method", "tree"}), 2);
  EXPECT_EQ(discover({"--method", "cart", "--min-leaf", "-1"}), 2);
  EXPECT_EQ(slurp(dir / "d/boxes.csv"), boxes);
}

TEST(Discover, ClaimsItsFolderAsRunAndSweepDo) {
  Dir dir("discover-out");
  std::string file = dir.write("s.yaml", kScenario);
  ASSERT_EQ(dispatch({"run", file, "--per-run", "--out", dir / "o", "-q"}), 0);
  const std::vector<std::string> cmd = {"discover", dir / "o", "--outcome", "kind",
                                        "--label",  "high",    "-q"};
  auto discover = [&](const std::string& out, std::vector<std::string> extra = {}) {
    std::vector<std::string> v = cmd;
    v.insert(v.end(), {"--out", out});
    v.insert(v.end(), extra.begin(), extra.end());
    return dispatch(v);
  };
  // A new folder: boxes.csv, tradeoff.csv, discover.json and a manifest.json listing them.
  ASSERT_EQ(discover(dir / "d"), 0);
  const std::string manifest = slurp(dir / "d/manifest.json");
  EXPECT_NE(manifest.find("\"command\": \"discover\""), std::string::npos) << manifest;
  for (const char* f : {"boxes.csv", "tradeoff.csv", "discover.json"})
    EXPECT_NE(manifest.find(std::string("\"path\": \"") + f + "\""), std::string::npos) << f;
  // Its own result again: replaced without --overwrite.
  const std::string boxes = slurp(dir / "d/boxes.csv");
  ASSERT_EQ(discover(dir / "d"), 0);
  EXPECT_EQ(slurp(dir / "d/boxes.csv"), boxes);
  // A boxes.csv geosim did not write is refused and left alone; --overwrite replaces it.
  fs::create_directories(dir / "mine");
  std::ofstream(dir / "mine/boxes.csv") << "my notes\n";
  EXPECT_EQ(discover(dir / "mine"), 2);
  EXPECT_EQ(slurp(dir / "mine/boxes.csv"), "my notes\n");
  EXPECT_FALSE(fs::exists(dir / "mine/manifest.json"));
  ASSERT_EQ(discover(dir / "mine", {"--overwrite"}), 0);
  EXPECT_EQ(slurp(dir / "mine/boxes.csv"), boxes);
  // Another command's result folder is refused (a discovery would remove its files), and
  // so is the folder being mined.
  ASSERT_EQ(dispatch({"run", file, "--out", dir / "run2", "-q"}), 0);
  EXPECT_EQ(discover(dir / "run2"), 2);
  EXPECT_TRUE(fs::exists(dir / "run2/summary.csv"));
  EXPECT_EQ(discover(dir / "o"), 2);
  EXPECT_TRUE(fs::exists(dir / "o/summary.csv"));
  // A mistake in the options or the data writes nothing, not even the folder.
  EXPECT_EQ(dispatch({"discover", dir / "o", "--outcome", "nope", "--out", dir / "bad", "-q"}), 2);
  EXPECT_FALSE(fs::exists(dir / "bad"));
  // A run folder holding a discovery's files is refused by run too.
  EXPECT_EQ(dispatch({"run", file, "--out", dir / "d", "-q"}), 2);
  EXPECT_TRUE(fs::exists(dir / "d/boxes.csv"));
}

TEST(Describe, ListsWhatTheScenarioDefines) {
  Dir dir("describe");
  std::string file = dir.write("s.yaml", kScenario);
  EXPECT_EQ(dispatch({"describe", file}), 0);
  EXPECT_EQ(dispatch({"describe"}), 2);
}

TEST(Describe, ShowsWhereEachNumberComesFrom) {
  Dir dir("describe-basis");
  std::string file = dir.write("s.yaml",
                               "geosim: 1\n"
                               "scenario: {id: p, steps: 2}\n"
                               "parameters:\n"
                               "  a: {value: 0.5, basis: fitted, from: \"calibrate A\"}\n"
                               "  b: {value: 0.2, basis: sourced, from: \"S01\"}\n"
                               "  c: 3\n"
                               "outcomes: {y: \"a\"}\n");
  testing::internal::CaptureStdout();
  EXPECT_EQ(dispatch({"describe", file}), 0);
  std::string out = testing::internal::GetCapturedStdout();
  EXPECT_NE(out.find("parameters (3: 1 fitted, 1 sourced, 1 unmarked):"), std::string::npos) << out;
  EXPECT_NE(out.find("a = 0.5    [fitted: calibrate A]"), std::string::npos) << out;
  EXPECT_NE(out.find("b = 0.2    [sourced: S01]"), std::string::npos) << out;
}

TEST(Contract, TheFormatContractExampleRuns) {
  Dir dir("contract");
  std::string f = kSource + "/tests/data/good/contract-example.yaml";
  EXPECT_EQ(dispatch({"validate", f}), 0);
  EXPECT_EQ(dispatch({"run", f, "-n", "500", "--out", dir / "o", "-q"}), 0);
}

}  // namespace
}  // namespace geosim::cli
