#include "experiment/compare.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "cli/command.h"
#include "core/error.h"
#include "helpers.h"
#include "io/read_file.h"

namespace geosim::experiment {
namespace {

using test::error_of;

namespace fs = std::filesystem;

// A summary.csv of one scenario with one outcome: mean/sd of a 0/1 outcome with share p,
// its p05 and its probability row, over n replicates.
std::string summary_text(const std::string& scenario, double p, int n) {
  double sd = std::sqrt(p * (1 - p) * n / (n - 1.0));
  std::string s = "scenario,outcome,statistic,value,ci_low,ci_high,replicates\n";
  auto num = [](double x) {
    std::ostringstream o;
    o.precision(17);
    o << x;
    return o.str();
  };
  s += scenario + ",war,mean," + num(p) + ",,," + std::to_string(n) + "\n";
  s += scenario + ",war,sd," + num(sd) + ",,," + std::to_string(n) + "\n";
  s += scenario + ",war,p05,0,,," + std::to_string(n) + "\n";
  s += scenario + ",war,probability," + num(p) + ",0.1,0.9," + std::to_string(n) + "\n";
  return s;
}

// The text without its header line.
std::string rows_of(const std::string& text) { return text.substr(text.find('\n') + 1); }

const CompareRow& row(const CompareResult& r, const std::string& statistic) {
  for (const CompareRow& x : r.rows) {
    if (x.statistic == statistic) return x;
  }
  ADD_FAILURE() << "no row " << statistic;
  static CompareRow none;
  return none;
}

// Two-sided normal p-value, the large-n limit of both tests.
double normal_p(double z) { return std::erfc(std::fabs(z) / std::sqrt(2.0)); }

TEST(Compare, DetectsAKnownDifferenceInMeanAndProbability) {
  auto a = parse_summary(summary_text("base", 0.5, 10000), "a.csv");
  auto b = parse_summary(summary_text("variant", 0.6, 10000), "b.csv");
  CompareResult r = compare_summaries(a, b);
  ASSERT_EQ(r.rows.size(), 4u);
  for (const char* stat : {"mean", "probability"}) {
    const CompareRow& x = row(r, stat);
    EXPECT_EQ(x.outcome, "war");
    EXPECT_NEAR(x.difference, 0.1, 1e-12);
    EXPECT_TRUE(x.significant) << stat;
    EXPECT_LT(x.p_value, 1e-6) << stat;
    EXPECT_LT(x.ci_low, 0.1);
    EXPECT_GT(x.ci_low, 0.0);
    EXPECT_GT(x.ci_high, 0.1);
  }
  EXPECT_TRUE(r.any_significant());
  EXPECT_TRUE(r.notes.empty());
}

TEST(Compare, PValuesMatchTheNormalLimitForLargeSamples) {
  // 0.50 vs 0.51 with n = 10000 per side: Welch's se = sqrt(sa^2/n + sb^2/n); the pooled
  // z-test's se = sqrt(pbar (1 - pbar) 2/n). Both p-values are about 0.15.
  const int n = 10000;
  auto a = parse_summary(summary_text("s", 0.50, n), "a.csv");
  auto b = parse_summary(summary_text("s", 0.51, n), "b.csv");
  CompareResult r = compare_summaries(a, b);
  double sa2 = 0.25 * n / (n - 1.0), sb2 = 0.51 * 0.49 * n / (n - 1.0);
  double z_mean = 0.01 / std::sqrt(sa2 / n + sb2 / n);
  double z_prop = 0.01 / std::sqrt(0.505 * 0.495 * 2.0 / n);
  EXPECT_NEAR(row(r, "mean").p_value, normal_p(z_mean), 1e-3);
  EXPECT_NEAR(row(r, "probability").p_value, normal_p(z_prop), 1e-3);
  EXPECT_FALSE(row(r, "mean").significant);
  EXPECT_FALSE(r.any_significant());
  double half = 1.96 * std::sqrt(sa2 / n + sb2 / n);
  EXPECT_NEAR(row(r, "mean").ci_low, 0.01 - half, 1e-4);
  EXPECT_NEAR(row(r, "mean").ci_high, 0.01 + half, 1e-4);
}

TEST(Compare, ASummaryAgainstItselfFlagsNothing) {
  auto a = parse_summary(summary_text("base", 0.5, 10000), "a.csv");
  CompareResult r = compare_summaries(a, a);
  for (const CompareRow& x : r.rows) {
    EXPECT_EQ(x.difference, 0.0);
    EXPECT_FALSE(x.significant);
  }
  EXPECT_DOUBLE_EQ(row(r, "mean").p_value, 1.0);
  EXPECT_DOUBLE_EQ(row(r, "probability").p_value, 1.0);
  EXPECT_FALSE(r.any_significant());
}

TEST(Compare, CategoricalOutcomesAreComparedPerLabelShareNeverOnTheirIndex) {
  // A cases outcome with labels none/refusal/coup: summary.csv carries the mean of the
  // label index (0.9 vs 1.1 here: a "significant" but meaningless difference); compare
  // keeps only the shares, each with a two-proportion test.
  auto make = [](double idx_mean, double none, double refusal, double coup) {
    std::string s = "scenario,outcome,statistic,value,ci_low,ci_high,replicates\n";
    s += "s,path,mean," + std::to_string(idx_mean) + ",,,10000\n";
    s += "s,path,sd,0.5,,,10000\n";
    s += "s,path,p50,1,,,10000\n";
    s += "s,path,share:none," + std::to_string(none) + ",,,10000\n";
    s += "s,path,share:refusal," + std::to_string(refusal) + ",,,10000\n";
    s += "s,path,share:coup," + std::to_string(coup) + ",,,10000\n";
    return s;
  };
  auto a = parse_summary(make(0.9, 0.3, 0.5, 0.2), "a.csv");
  auto b = parse_summary(make(1.1, 0.3, 0.3, 0.4), "b.csv");
  CompareResult r = compare_summaries(a, b);
  ASSERT_EQ(r.rows.size(), 3u);
  for (const CompareRow& x : r.rows) EXPECT_TRUE(x.statistic.starts_with("share:"));
  EXPECT_FALSE(row(r, "share:none").significant);
  EXPECT_TRUE(row(r, "share:refusal").significant);
  EXPECT_NEAR(row(r, "share:coup").difference, 0.2, 1e-12);
  EXPECT_NEAR(row(r, "share:coup").p_value, normal_p(0.2 / std::sqrt(0.3 * 0.7 * 2.0 / 10000)),
              1e-6);
  EXPECT_TRUE(r.notes.empty());
}

TEST(Compare, OtherStatisticsGetTheDifferenceOnly) {
  auto a = parse_summary(summary_text("base", 0.5, 100), "a.csv");
  auto b = parse_summary(summary_text("base", 0.6, 100), "b.csv");
  const CompareResult r = compare_summaries(a, b);  // keeps the row alive
  const CompareRow& x = row(r, "p05");
  EXPECT_EQ(x.difference, 0.0);
  EXPECT_TRUE(std::isnan(x.p_value));
  EXPECT_TRUE(std::isnan(x.ci_low));
  EXPECT_FALSE(x.significant);
  EXPECT_EQ(compare_fields(x),
            (std::vector<std::string>{"war", "p05", "0", "0", "0", "", "", "", "0"}));
}

TEST(Compare, SeveralScenariosAreMatchedByScenarioAndNoted) {
  auto a =
      parse_summary(summary_text("x", 0.5, 100) + rows_of(summary_text("y", 0.5, 100)), "a.csv");
  auto b =
      parse_summary(summary_text("x", 0.5, 100) + rows_of(summary_text("z", 0.5, 100)), "b.csv");
  CompareResult r = compare_summaries(a, b);
  ASSERT_EQ(r.rows.size(), 4u);
  EXPECT_EQ(r.rows[0].outcome, "x/war");
  ASSERT_EQ(r.notes.size(), 2u);
  EXPECT_NE(r.notes[0].find("scenario 'y' is only in A (a.csv)"), std::string::npos);
  EXPECT_NE(r.notes[1].find("scenario 'z' is only in B (b.csv)"), std::string::npos);
}

TEST(Compare, OutcomesOnOneSideAreNotedAndNoOverlapIsAnError) {
  auto a = parse_summary(summary_text("s", 0.5, 100), "a.csv");
  std::string other = summary_text("s", 0.5, 100);
  for (size_t at; (at = other.find(",war,")) != std::string::npos;) other.replace(at, 5, ",coup,");
  auto b = parse_summary(other, "b.csv");
  EXPECT_NE(error_of([&] { compare_summaries(a, b); }).find("nothing to compare"),
            std::string::npos);
  auto both = parse_summary(summary_text("s", 0.5, 100) + rows_of(other), "c.csv");
  CompareResult r = compare_summaries(a, both);
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_EQ(r.notes[0], "outcome 'coup' is only in B (c.csv)");
}

TEST(Compare, BadSummariesAreUserErrorsWithFileAndLine) {
  EXPECT_NE(error_of([] {
              parse_summary("scenario,outcome,value,replicates\ns,o,1,2\n", "a.csv");
            }).find("a.csv:1"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              parse_summary("scenario,outcome,value,replicates\ns,o,1,2\n", "a.csv");
            }).find("statistic"),
            std::string::npos);
  const std::string header = "scenario,outcome,statistic,value,ci_low,ci_high,replicates\n";
  EXPECT_NE(
      error_of([&] { parse_summary(header + "s,o,mean,abc,,,3\n", "a.csv"); }).find("a.csv:2"),
      std::string::npos);
  EXPECT_NE(error_of([&] {
              parse_summary(header + "s,o,mean,1,,,-3\n", "a.csv");
            }).find("expected a count"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              parse_summary(header + "s,o,mean,1,,,3\ns,o,mean,2,,,3\n", "a.csv");
            }).find("appears twice (first at line 2)"),
            std::string::npos);
  EXPECT_NE(error_of([] { read_summary("/nonexistent/geosim/result"); }).find("no such file"),
            std::string::npos);
}

// Issue 13, item 11: an outcome's sd above ~1e77 (its square over n squared overflows in
// Welch's degrees of freedom) aborted compare, and so did a negative sd in a hand-edited
// summary. Huge and tiny sds are tested like any other; a negative sd is refused at its line.
TEST(Compare, HugeTinyAndNegativeStandardDeviations) {
  const std::string header = "scenario,outcome,statistic,value,ci_low,ci_high,replicates\n";
  auto pair = [&](const std::string& mean_a, const std::string& sd_a, const std::string& mean_b,
                  const std::string& sd_b) {
    return compare_summaries(
        parse_summary(header + "s,o,mean," + mean_a + ",,,1000\ns,o,sd," + sd_a + ",,,1000\n",
                      "a.csv"),
        parse_summary(header + "s,o,mean," + mean_b + ",,,1000\ns,o,sd," + sd_b + ",,,1000\n",
                      "b.csv"));
  };
  // The same z = 1 / sqrt(2/1000) = 22.36 at every scale: the test is scale-free.
  for (const auto& [unit, sd] : std::vector<std::pair<std::string, std::string>>{
           {"1", "1"}, {"1e100", "1e100"}, {"1e300", "1e300"}, {"1e-300", "1e-300"}}) {
    CompareResult r = pair("0", sd, unit, sd);
    const CompareRow& m = row(r, "mean");
    EXPECT_LT(m.p_value, 1e-50) << sd;
    EXPECT_NEAR(m.ci_low / std::stod(unit), 1 - 1.962 * std::sqrt(0.002), 1e-3) << sd;
  }
  CompareResult same = pair("1e300", "1.7e308", "1e300", "1.7e308");
  EXPECT_EQ(row(same, "mean").p_value, 1);
  // Means whose difference overflows get no test, and no abort.
  CompareResult far = pair("-1.7e308", "1", "1.7e308", "1");
  EXPECT_TRUE(std::isnan(row(far, "mean").p_value));
  EXPECT_EQ(error_of([&] { pair("0", "-1", "0", "1"); }),
            "a.csv:3: 'sd' of 'o' is -1; expected a standard deviation (0 or more)");
}

class CompareCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("geosim_compare_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "base");
    fs::create_directories(dir_ / "empty");
    write(dir_ / "base" / "summary.csv", summary_text("base", 0.5, 10000));
    write(dir_ / "variant.csv", summary_text("variant", 0.6, 10000));
  }
  void TearDown() override { fs::remove_all(dir_); }
  static void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  int run(std::vector<std::string> args) {
    args.insert(args.begin(), "compare");
    ::testing::internal::CaptureStdout();
    ::testing::internal::CaptureStderr();
    int code = cli::dispatch(args);
    stdout_ = ::testing::internal::GetCapturedStdout();
    stderr_ = ::testing::internal::GetCapturedStderr();
    return code;
  }
  fs::path dir_;
  std::string stdout_, stderr_;
};

TEST_F(CompareCommand, FailOnDifferenceExitsThreeOnlyWhenARowIsSignificant) {
  EXPECT_EQ(run({path("base"), path("variant.csv"), "--fail-on-difference"}), 3);
  EXPECT_EQ(run({path("base"), path("variant.csv")}), 0);
  EXPECT_EQ(run({path("base"), path("base/summary.csv"), "--fail-on-difference"}), 0);
}

TEST_F(CompareCommand, PrintsCsvWithoutOutAndWritesTheFileWithIt) {
  EXPECT_EQ(run({path("base"), path("variant.csv")}), 0);
  EXPECT_EQ(stdout_.substr(0, stdout_.find('\n')),
            "outcome,statistic,a,b,difference,ci_low,ci_high,p_value,significant");
  EXPECT_NE(stdout_.find("\nwar,mean,0.5,0.6,"), std::string::npos);
  const std::string printed = stdout_;
  EXPECT_EQ(run({path("base"), path("variant.csv"), "--out", path("c.csv")}), 0);
  EXPECT_EQ(stdout_, "");
  EXPECT_EQ(io::read_file(path("c.csv")), printed);
  EXPECT_EQ(run({path("base"), path("variant.csv"), "--out", path("empty")}), 0);
  EXPECT_EQ(io::read_file(path("empty/compare.csv")), printed);
}

TEST_F(CompareCommand, BadInputsExitTwoWithAMessage) {
  EXPECT_EQ(run({path("base")}), 2);
  EXPECT_NE(stderr_.find("expected two inputs"), std::string::npos);
  EXPECT_EQ(run({path("empty"), path("base")}), 2);
  EXPECT_NE(stderr_.find("has no summary.csv"), std::string::npos);
  EXPECT_EQ(run({path("missing"), path("base")}), 2);
  EXPECT_NE(stderr_.find("no such file or folder"), std::string::npos);
  write(dir_ / "bad.csv", "outcome,value\nwar,1\n");
  EXPECT_EQ(run({path("bad.csv"), path("base")}), 2);
  EXPECT_NE(stderr_.find("bad.csv:1"), std::string::npos);
  EXPECT_EQ(run({path("base"), path("variant.csv"), "--fail-on-differences"}), 2);
}

}  // namespace
}  // namespace geosim::experiment
