// storylines.csv end to end: shares against closed forms (fixed seeds, within 4 standard
// errors), outcome means along a path, option filters, caps, and the promise that threads
// and shards never change a byte.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
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
  explicit Dir(const std::string& name) : TempDir("story", name) {}
};

using test::slurp;

// Two independent once-events over two steps: a fires with probability 0.3 per step,
// b with 0.5; a adds 1 to x, b adds 10. Items on one step are in file order (a first).
const char* kTwoEvents = R"Y(geosim: 1
scenario: {id: two, steps: 2, replicates: 20000, seed: 11}
world: {x: 0}
events:
  a: {probability: 0.3, once: true, effects: ["world.x += 1"]}
  b: {probability: 0.5, once: true, effects: ["world.x += 10"]}
outcomes:
  x: "world.x"
  b_step: {first: "world.x >= 10"}
  size:
    cases:
      both: "world.x == 11"
      some: "world.x > 0"
      neither: "true"
)Y";

// Path shares of kTwoEvents by enumerating the steps at which a and b first fire.
std::map<std::string, double> two_event_shares(bool steps) {
  const double pa[3] = {0.3, 0.7 * 0.3, 0.49}, pb[3] = {0.5, 0.25, 0.25};  // step 0, 1, never
  std::map<std::string, double> p;
  for (int ta = 0; ta < 3; ++ta)
    for (int tb = 0; tb < 3; ++tb) {
      auto el = [&](const char* n, int t) {
        return std::string(n) + (steps ? "@" + std::to_string(t) : "");
      };
      std::string path;
      if (ta < 2 && tb < 2)
        path = ta <= tb ? el("a", ta) + " > " + el("b", tb) : el("b", tb) + " > " + el("a", ta);
      else if (ta < 2)
        path = el("a", ta);
      else if (tb < 2)
        path = el("b", tb);
      else
        path = "(none)";
      p[path] += pa[ta] * pb[tb];
    }
  return p;
}

struct Table {
  io::CsvTable csv;
  const std::vector<std::string>* row(const std::string& path) const {
    const int c = csv.column("path");
    for (const auto& r : csv.rows)
      if (r[static_cast<size_t>(c)] == path) return &r;
    return nullptr;
  }
  double num(const std::vector<std::string>& r, const std::string& col) const {
    return std::stod(r[static_cast<size_t>(csv.column(col))]);
  }
};

Table read(const std::string& path) { return {io::parse_csv(slurp(path), path)}; }

// Every path's share is within 4 standard errors of its closed form, and the shares sum to 1.
void expect_shares(const Table& t, const std::map<std::string, double>& expected, double n) {
  ASSERT_EQ(t.csv.rows.size(), expected.size());
  for (const auto& [path, p] : expected) {
    const auto* r = t.row(path);
    ASSERT_NE(r, nullptr) << path;
    const double se = std::sqrt(p * (1 - p) / n);
    EXPECT_NEAR(t.num(*r, "share"), p, 4 * se) << path;
    EXPECT_LE(t.num(*r, "ci_low"), t.num(*r, "share"));
    EXPECT_GE(t.num(*r, "ci_high"), t.num(*r, "share"));
  }
}

TEST(Storylines, TwoIndependentEventsGiveTheClosedFormShares) {
  Dir dir("closed");
  const std::string file = dir.write("s.yaml", kTwoEvents);
  ASSERT_EQ(cli::dispatch({"run", file, "--out", dir / "o", "-q"}), 0);
  const Table t = read(dir / "o/storylines.csv");
  expect_shares(t, two_event_shares(false), 20000);
  // Rows by decreasing share: the most likely path is b alone (p = 0.49 * 0.75 = 0.3675),
  // then a > b (0.2775).
  EXPECT_EQ(t.csv.rows[0][2], "b");
  EXPECT_EQ(t.csv.rows[0][1], "1");
  EXPECT_EQ(t.csv.rows[0][3], "1");
  EXPECT_EQ(t.csv.rows[1][2], "a > b");
  EXPECT_EQ(t.csv.rows[1][3], "2");
}

TEST(Storylines, WithStepsEachElementCarriesItsStep) {
  Dir dir("steps");
  const std::string file =
      dir.write("s.yaml", std::string(kTwoEvents) + "storyline: {steps: true}\n");
  ASSERT_EQ(cli::dispatch({"run", file, "--out", dir / "o", "-q"}), 0);
  expect_shares(read(dir / "o/storylines.csv"), two_event_shares(true), 20000);
}

TEST(Storylines, OutcomeMeansAlongAPathAreThoseOfItsReplicates) {
  Dir dir("means");
  const std::string file =
      dir.write("s.yaml", std::string(kTwoEvents) + "storyline: {steps: true}\n");
  ASSERT_EQ(cli::dispatch({"run", file, "--out", dir / "o", "-q"}), 0);
  const Table t = read(dir / "o/storylines.csv");
  // Along a path x is determined: 11 with both events, 10 with b, 1 with a, 0 with neither;
  // b_step is b's step; the cases label is the one the path implies.
  const auto* ab = t.row("a@0 > b@1");
  ASSERT_NE(ab, nullptr);
  EXPECT_EQ(t.num(*ab, "mean:x"), 11);
  EXPECT_EQ(t.num(*ab, "mean:b_step"), 1);
  EXPECT_EQ(t.num(*ab, "share:size=both"), 1);
  EXPECT_EQ(t.num(*ab, "share:size=some"), 0);
  const auto* a = t.row("a@1");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(t.num(*a, "mean:x"), 1);
  EXPECT_EQ((*a)[static_cast<size_t>(t.csv.column("mean:b_step"))], "");  // never reached
  EXPECT_EQ(t.num(*a, "share:size=some"), 1);
  const auto* none = t.row("(none)");
  ASSERT_NE(none, nullptr);
  EXPECT_EQ(t.num(*none, "mean:x"), 0);
  EXPECT_EQ(t.num(*none, "share:size=neither"), 1);
}

// A decision with P(yes) = 1/4 each step (sample rule) that counts only when it says yes:
// the item occurs at step 0 with 1/4, at step 1 with 3/16, never with 9/16.
TEST(Storylines, ADecisionCountsTheFirstChoiceOfAListedOption) {
  Dir dir("decision");
  const std::string file = dir.write("s.yaml", R"Y(geosim: 1
scenario: {id: dec, steps: 2, replicates: 20000, seed: 3}
actors:
  a: {state: {said: 0}}
decisions:
  d:
    actor: a
    rule: sample
    options:
      yes: {weight: 1, effects: ["self.said = 1"]}
      no: {weight: 3}
outcomes:
  said: "a.said"
storyline:
  decisions: {d: [yes]}
  steps: true
)Y");
  ASSERT_EQ(cli::dispatch({"run", file, "--out", dir / "o", "-q"}), 0);
  const Table t = read(dir / "o/storylines.csv");
  expect_shares(t, {{"d=yes@0", 0.25}, {"d=yes@1", 0.1875}, {"(none)", 0.5625}}, 20000);
  EXPECT_EQ(t.num(*t.row("d=yes@1"), "mean:said"), 1);
  EXPECT_EQ(t.num(*t.row("(none)"), "mean:said"), 0);
}

TEST(Storylines, CapsOnRowsAndLengthAndOff) {
  Dir dir("caps");
  // max_paths: the two leading paths, then one row with the other three.
  const std::string two =
      dir.write("two.yaml", std::string(kTwoEvents) + "storyline: {max_paths: 2}\n");
  ASSERT_EQ(cli::dispatch({"run", two, "--out", dir / "two", "-q"}), 0);
  const Table t = read(dir / "two/storylines.csv");
  ASSERT_EQ(t.csv.rows.size(), 3u);
  EXPECT_EQ(t.csv.rows[2][2], "(other paths)");
  EXPECT_EQ(t.csv.rows[2][1], "");
  EXPECT_EQ(t.num(t.csv.rows[0], "replicates") + t.num(t.csv.rows[1], "replicates") +
                t.num(t.csv.rows[2], "replicates"),
            20000);
  const auto full = two_event_shares(false);
  const double p_other = full.at("(none)") + full.at("a") + full.at("b > a");
  EXPECT_NEAR(t.num(t.csv.rows[2], "share"), p_other,
              4 * std::sqrt(p_other * (1 - p_other) / 20000));
  // max_length: the first element only.
  const std::string one =
      dir.write("one.yaml", std::string(kTwoEvents) + "storyline: {max_length: 1}\n");
  ASSERT_EQ(cli::dispatch({"run", one, "--out", dir / "one", "-q"}), 0);
  // a first (alone or with b on a later or the same step), b first, or nothing.
  expect_shares(read(dir / "one/storylines.csv"),
                {{"a", full.at("a") + full.at("a > b")},
                 {"b", full.at("b") + full.at("b > a")},
                 {"(none)", full.at("(none)")}},
                20000);
  // storyline: false writes no storylines.csv.
  const std::string off = dir.write("off.yaml", std::string(kTwoEvents) + "storyline: false\n");
  ASSERT_EQ(cli::dispatch({"run", off, "--out", dir / "off", "-q"}), 0);
  EXPECT_TRUE(fs::exists(dir / "off/summary.csv"));
  EXPECT_FALSE(fs::exists(dir / "off/storylines.csv"));
}

// More distinct paths than the table keeps one by one (each replicate's steps of 12
// events): threads and shards still give the same bytes.
const char* kManyPaths = R"Y(geosim: 1
scenario: {id: many, steps: 6, replicates: 3000, seed: 9}
world: {x: 0}
events:
  e1: {probability: 0.3, once: true, effects: ["world.x += 1"]}
  e2: {probability: 0.3, once: true, effects: ["world.x += 2"]}
  e3: {probability: 0.3, once: true, effects: ["world.x += 3"]}
  e4: {probability: 0.3, once: true, effects: ["world.x += 4"]}
  e5: {probability: 0.3, once: true, effects: ["world.x += 5"]}
  e6: {probability: 0.3, once: true, effects: ["world.x += 6"]}
outcomes:
  x: "world.x"
storyline: {steps: true, max_paths: 30}
)Y";

TEST(Storylines, ThreadsAndShardsGiveIdenticalFilesEvenBeyondTheKeptPaths) {
  Dir dir("merge");
  const std::string file = dir.write("s.yaml", kManyPaths);
  ASSERT_EQ(cli::dispatch({"run", file, "-j", "1", "--out", dir / "one", "-q"}), 0);
  ASSERT_EQ(cli::dispatch({"run", file, "-j", "2", "--out", dir / "two", "-q"}), 0);
  const std::string one = slurp(dir / "one/storylines.csv");
  EXPECT_EQ(one, slurp(dir / "two/storylines.csv"));
  for (const char* sh : {"0/3", "1/3", "2/3"})
    ASSERT_EQ(cli::dispatch(
                  {"run", file, "--shard", sh, "--out", dir / (std::string("s") + sh[0]), "-q"}),
              0);
  // Merged in two orders.
  ASSERT_EQ(cli::dispatch({"merge", dir / "s2", dir / "s0", dir / "s1", "--out", dir / "m", "-q"}),
            0);
  ASSERT_EQ(cli::dispatch({"merge", dir / "s1", dir / "s2", dir / "s0", "--out", dir / "n", "-q"}),
            0);
  EXPECT_EQ(slurp(dir / "m/storylines.csv"), one);
  EXPECT_EQ(slurp(dir / "n/storylines.csv"), one);
  // The cap was reached: 30 rows, then the rest, which includes paths beyond the kept ones.
  const Table t = read(dir / "one/storylines.csv");
  ASSERT_EQ(t.csv.rows.size(), 31u);
  EXPECT_EQ(t.csv.rows.back()[2], "(other paths)");
}

}  // namespace
}  // namespace geosim
