// Runs over a posterior (engine/posterior, run/sweep --posterior): every bad file refused
// with its message at file:line:column and nothing written; a two-point posterior gives
// the mixture probability; one draw equals --set; threads and shards change no byte.
#include "posterior/posterior.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/command.h"
#include "io/csv.h"
#include "support/files.h"

namespace geosim {
namespace {

namespace fs = std::filesystem;

// A test's own temporary folder.
class Dir : public test::TempDir {
 public:
  explicit Dir(const std::string& name) : TempDir("posterior", name) {}
};

using test::slurp;

// `hit` is 1 with probability p; `level` and `noise` depend on q and random draws.
const char* kScenario = R"Y(geosim: 1
scenario: {id: mix, steps: 5, step: day, replicates: 600, seed: 7}
parameters:
  p: {value: 0.5, min: 0, max: 1}
  q: {value: 2, min: 0, max: 10}
world: {hit: 0, level: "q * 2 + 1", noise: 0}
events:
  strike: {probability: "p", once: true, effects: ["world.hit = 1"]}
dynamics: ["world.noise = world.noise + normal(q, 1)"]
outcomes:
  hit: "world.hit"
  level: "world.level"
  noise: "world.noise"
track: [world.noise]
)Y";

int run(std::vector<std::string> args) { return cli::dispatch(args); }

double summary_value(const std::string& file, const std::string& outcome,
                     const std::string& statistic) {
  io::CsvTable t = io::read_csv(file);
  const int o = t.column("outcome"), s = t.column("statistic"), v = t.column("value");
  for (const auto& r : t.rows)
    if (r[static_cast<size_t>(o)] == outcome && r[static_cast<size_t>(s)] == statistic)
      return std::stod(r[static_cast<size_t>(v)]);
  ADD_FAILURE() << "no " << outcome << " " << statistic << " in " << file;
  return NAN;
}

TEST(PosteriorFile, DrawChoiceFollowsTheWeightsAndIsAFunctionOfSeedAndReplicate) {
  posterior::Posterior p =
      posterior::parse_posterior("draw,weight,p\n1,0,0.1\n2,1,0.2\n3,3,0.3\n4,0,0.4\n", "f.csv");
  ASSERT_EQ(p.draws(), 4u);
  std::vector<int64_t> counts(4, 0);
  const int64_t n = 40000;
  for (int64_t r = 0; r < n; ++r) ++counts[p.pick(9, static_cast<uint64_t>(r))];
  EXPECT_EQ(counts[0], 0);  // weight 0: never chosen
  EXPECT_EQ(counts[3], 0);
  // P(draw 2) = 0.75; 4 standard errors of a binomial proportion.
  const double share = static_cast<double>(counts[2]) / n;
  EXPECT_NEAR(share, 0.75, 4 * std::sqrt(0.75 * 0.25 / n));
  EXPECT_EQ(p.pick(9, 123), p.pick(9, 123));
  EXPECT_NEAR(p.effective_draws(), 1 / (0.25 * 0.25 + 0.75 * 0.75), 1e-12);
  // Without a weight column, equal weights.
  posterior::Posterior e = posterior::parse_posterior("p\n0.1\n0.2\n", "g.csv");
  EXPECT_FALSE(e.weighted);
  EXPECT_DOUBLE_EQ(e.weights[0], 0.5);
}

// One bad file per error, with its exact message; exit 2 and no output folder.
TEST(PosteriorFile, EveryBadFileIsRefusedWithItsMessageAndNothingIsWritten) {
  Dir dir("bad");
  const std::string scen = dir.write("s.yaml", kScenario);
  struct Case {
    std::string text, message;
    std::vector<std::string> extra;
  };
  const std::vector<Case> cases = {
      {"draw,weight,pp\n1,1,0.5\n",
       "post.csv:1:13: no scenario declares a parameter 'pp' (did you mean 'p'?); expected draw, "
       "weight or a parameter of the scenario"},
      {"draw,weight,p\n1,1,0.5\n2,1,1.5\n",
       "post.csv:3:5: 'p' is 1.5, outside its declared range [0, 1] in scenario 'mix'; expected a "
       "value inside it"},
      {"draw,weight,p\n1,1,nan\n", "post.csv:2:5: expected a finite number for 'p', found 'nan'"},
      {"draw,weight,p\n1,1,inf\n", "post.csv:2:5: expected a finite number for 'p', found 'inf'"},
      {"draw,weight,p\n1,-0.5,0.5\n",
       "post.csv:2:3: weight -0.5 is negative; expected a weight >= 0"},
      {"draw,weight,p\n1,0,0.5\n2,0,0.6\n",
       "post.csv:1:6: every weight is 0; expected at least one positive weight"},
      {"", "post.csv: empty CSV file; expected a header line"},
      {"draw,weight,p\n", "post.csv:1:1: no draws; expected one row per draw after the header"},
      {"draw,weight\n1,1\n",
       "post.csv:1:1: no parameter columns; expected a header such as draw,weight,NAME... (one "
       "column per parameter)"},
      {"draw,p,p\n1,0.5,0.5\n", "post.csv:1:8: column 'p' appears twice in the header"},
      {"draw,weight,p\n1,1,0.5\n",
       "post.csv:1:13: parameter 'p' is taken from this posterior and also given by --set p=0.2; "
       "expected it in one place only (drop the option or the column)",
       {"--set", "p=0.2"}},
  };
  for (const auto& c : cases) {
    const std::string post = dir.write("post.csv", c.text);
    std::vector<std::string> args = {"run", scen, "--posterior", post, "--out", dir / "o", "-q"};
    args.insert(args.end(), c.extra.begin(), c.extra.end());
    testing::internal::CaptureStderr();
    const int code = run(args);
    const std::string err = testing::internal::GetCapturedStderr();
    EXPECT_EQ(code, 2) << c.text;
    std::string expected = c.message;
    expected.replace(0, std::string("post.csv").size(), post);
    EXPECT_NE(err.find(expected), std::string::npos)
        << "expected: " << expected << "\ngot: " << err;
    EXPECT_FALSE(fs::exists(dir / "o")) << c.text;
  }
  // A sweep refuses a posterior column it also varies.
  const std::string post = dir.write("post.csv", "draw,weight,p\n1,1,0.5\n");
  testing::internal::CaptureStderr();
  EXPECT_EQ(
      run({"sweep", scen, "--vary", "p=0.1,0.2", "--posterior", post, "--out", dir / "o", "-q"}),
      2);
  EXPECT_NE(testing::internal::GetCapturedStderr().find(
                post + ":1:13: parameter 'p' is taken from this posterior and also given by "
                       "--vary p;"),
            std::string::npos);
  EXPECT_FALSE(fs::exists(dir / "o"));
  // An endless device is refused, not read for ever.
  testing::internal::CaptureStderr();
  EXPECT_EQ(run({"run", scen, "--posterior", "/dev/zero", "--out", dir / "o", "-q"}), 2);
  EXPECT_NE(testing::internal::GetCapturedStderr().find(
                "/dev/zero: is not a regular file (a character device)"),
            std::string::npos);
  EXPECT_FALSE(fs::exists(dir / "o"));
}

// Two point masses on p (0 and 1, weights 0.3 / 0.7): P(hit) is the mixture, 0.7.
TEST(PosteriorRun, TwoPointMassesGiveTheMixtureProbability) {
  Dir dir("mixture");
  const std::string scen = dir.write("s.yaml", kScenario);
  const std::string post = dir.write("post.csv", "draw,weight,p\n1,0.3,0\n2,0.7,1\n");
  const int64_t n = 20000;
  ASSERT_EQ(run({"run", scen, "--posterior", post, "-n", std::to_string(n), "--seed", "3", "--out",
                 dir / "o", "-q"}),
            0);
  const double mean = summary_value(dir / "o/summary.csv", "hit", "mean");
  EXPECT_NEAR(mean, 0.7, 4 * std::sqrt(0.7 * 0.3 / static_cast<double>(n)));
  const std::string s = slurp(dir / "o/summary.csv");
  EXPECT_EQ(s.substr(0, s.find('\n')),
            "scenario,outcome,statistic,value,ci_low,ci_high,replicates,posterior");
  const std::string m = slurp(dir / "o/manifest.json");
  EXPECT_NE(m.find("\"posterior\": {"), std::string::npos);
  EXPECT_NE(m.find("\"draws\": 2"), std::string::npos);
  EXPECT_NE(m.find("\"from_posterior\": true"), std::string::npos);
}

// The table run prints says that the run is over a posterior, and which parameters it drew.
TEST(PosteriorRun, TheTableSaysTheRunIsOverAPosterior) {
  Dir dir("table");
  const std::string scen = dir.write("s.yaml", kScenario);
  const std::string post = dir.write("post.csv", "draw,weight,p\n1,0.3,0\n2,0.7,1\n");
  testing::internal::CaptureStdout();
  ASSERT_EQ(run({"run", scen, "--posterior", post, "-n", "500"}), 0);
  const std::string with = testing::internal::GetCapturedStdout();
  EXPECT_NE(with.find("over the posterior " + post +
                      ": 2 draws (1.724 effective); p drawn per "
                      "replicate\n\noutcome"),
            std::string::npos)
      << with;
  testing::internal::CaptureStdout();
  ASSERT_EQ(run({"run", scen, "-n", "500"}), 0);
  const std::string without = testing::internal::GetCapturedStdout();
  EXPECT_EQ(without.find("posterior"), std::string::npos) << without;
}

// A one-draw posterior is --set of its values: the same bytes (but the marker column).
TEST(PosteriorRun, OneDrawEqualsSetOfTheSameValues) {
  Dir dir("one");
  const std::string scen = dir.write("s.yaml", kScenario);
  const std::string post = dir.write("post.csv", "draw,p,q\n1,0.25,3.5\n");
  ASSERT_EQ(run({"run", scen, "--posterior", post, "--out", dir / "post", "--per-run", "-q"}), 0);
  ASSERT_EQ(run({"run", scen, "--set", "p=0.25", "--set", "q=3.5", "--out", dir / "set",
                 "--per-run", "-q"}),
            0);
  EXPECT_EQ(slurp(dir / "post/runs.csv"), slurp(dir / "set/runs.csv"));
  EXPECT_EQ(slurp(dir / "post/trajectories.csv"), slurp(dir / "set/trajectories.csv"));
  // summary.csv: identical once the posterior column is dropped.
  io::CsvTable a = io::read_csv(dir / "post/summary.csv"),
               b = io::read_csv(dir / "set/summary.csv");
  ASSERT_EQ(a.rows.size(), b.rows.size());
  for (size_t i = 0; i < a.rows.size(); ++i) {
    std::vector<std::string> r = a.rows[i];
    r.pop_back();
    EXPECT_EQ(r, b.rows[i]);
  }
}

// Parameters per replicate, a derived value (q * 2 + 1), threads and shards.
TEST(PosteriorRun, ThreadsAndMergedShardsWriteIdenticalFiles) {
  Dir dir("shards");
  const std::string scen = dir.write("s.yaml", kScenario);
  const std::string post =
      dir.write("post.csv", "draw,weight,p,q\n1,1,0.1,1\n2,2,0.5,4\n3,1,0.9,7.5\n4,0.5,0.3,0\n");
  const std::string n = "1500";  // 6 blocks
  ASSERT_EQ(run({"run", scen, "--posterior", post, "-n", n, "-j", "1", "--out", dir / "one",
                 "--per-run", "-q"}),
            0);
  ASSERT_EQ(run({"run", scen, "--posterior", post, "-n", n, "-j", "2", "--out", dir / "two",
                 "--per-run", "-q"}),
            0);
  for (int k = 0; k < 3; ++k)
    ASSERT_EQ(run({"run", scen, "--posterior", post, "-n", n, "--shard", std::to_string(k) + "/3",
                   "--out", dir / ("s" + std::to_string(k)), "--per-run", "-q"}),
              0);
  ASSERT_EQ(run({"merge", dir / "s0", dir / "s1", dir / "s2", "--out", dir / "merged", "-q"}), 0);
  for (const char* f : {"summary.csv", "trajectories.csv", "runs.csv"}) {
    const std::string one = slurp(dir / (std::string("one/") + f));
    EXPECT_FALSE(one.empty()) << f;
    EXPECT_EQ(one, slurp(dir / (std::string("two/") + f))) << f;
    EXPECT_EQ(one, slurp(dir / (std::string("merged/") + f))) << f;
  }
  // Every replicate's derived `level` is 2 q + 1 of one of the draws: the derived row
  // follows the per-replicate parameter.
  io::CsvTable runs = io::read_csv(dir / "one/runs.csv");
  const int level = runs.column("level");
  std::set<std::string> seen;
  for (const auto& r : runs.rows) seen.insert(r[static_cast<size_t>(level)]);
  EXPECT_EQ(seen, (std::set<std::string>{"3", "9", "16", "1"}));
  // A changed posterior is refused by merge.
  dir.write("post.csv", "draw,weight,p,q\n1,1,0.1,1\n");
  testing::internal::CaptureStderr();
  EXPECT_EQ(run({"merge", dir / "s0", dir / "s1", dir / "s2", "--out", dir / "merged2", "-q"}), 2);
  EXPECT_NE(testing::internal::GetCapturedStderr().find("the posterior changed"),
            std::string::npos);
}

TEST(PosteriorSweep, SweepShardsMergeToTheSingleSweepAndMarkThePosterior) {
  Dir dir("sweep");
  const std::string scen = dir.write("s.yaml", kScenario);
  const std::string post = dir.write("post.csv", "draw,weight,p\n1,0.3,0\n2,0.7,1\n");
  ASSERT_EQ(run({"sweep", scen, "--vary", "q=1,2,3", "--posterior", post, "--out", dir / "one",
                 "-j", "2", "-q"}),
            0);
  for (int k = 0; k < 2; ++k)
    ASSERT_EQ(run({"sweep", scen, "--vary", "q=1,2,3", "--posterior", post, "--shard",
                   std::to_string(k) + "/2", "--out", dir / ("s" + std::to_string(k)), "-q"}),
              0);
  ASSERT_EQ(run({"merge", dir / "s0", dir / "s1", "--out", dir / "merged", "-q"}), 0);
  const std::string one = slurp(dir / "one/sweep.csv");
  EXPECT_EQ(one, slurp(dir / "merged/sweep.csv"));
  EXPECT_EQ(one.substr(0, one.find('\n')),
            "point,q,scenario,outcome,statistic,value,ci_low,ci_high,replicates,status,error,"
            "posterior");
  EXPECT_NE(slurp(dir / "one/manifest.json").find("\"posterior\": {"), std::string::npos);
}

TEST(PosteriorCompare, NotesASideRunOverAPosterior) {
  Dir dir("compare");
  const std::string scen = dir.write("s.yaml", kScenario);
  const std::string post = dir.write("post.csv", "draw,weight,p\n1,0.3,0\n2,0.7,1\n");
  ASSERT_EQ(run({"run", scen, "--posterior", post, "--out", dir / "b", "-q"}), 0);
  ASSERT_EQ(run({"run", scen, "--out", dir / "a", "-q"}), 0);
  testing::internal::CaptureStderr();
  testing::internal::CaptureStdout();
  EXPECT_EQ(run({"compare", dir / "a", dir / "b"}), 0);
  testing::internal::GetCapturedStdout();
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("scenario 'mix' drew its parameters from a posterior"), std::string::npos)
      << err;
  EXPECT_NE(err.find("A and B took their parameters differently"), std::string::npos) << err;
}

}  // namespace
}  // namespace geosim
