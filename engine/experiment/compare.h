// `geosim compare A B`: outcome-by-outcome differences between two result sets, with
// tests, so that "the results did not change" can be checked in a script (interfaces.md).
//
// Rows are matched by (outcome, statistic). When each side holds a single scenario (the
// usual case: a variant against its baseline, whose ids differ), scenario ids are
// ignored. When either side holds several scenarios, rows are matched by
// (scenario, outcome, statistic) and the outcome column reads "SCENARIO/OUTCOME"; a
// scenario present on one side only is reported as a note. Differences are B - A.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace geosim::experiment {

// One row of a summary.csv. Empty numeric fields read as NaN.
struct SummaryEntry {
  std::string scenario;
  std::string outcome;
  std::string statistic;
  double value = 0.0;
  double ci_low = 0.0;
  double ci_high = 0.0;
  int64_t replicates = 0;
  std::string posterior;  // sha256 of the posterior the run drew parameters from, or empty
  SourceLoc loc;          // file:line, for messages
};

struct SummaryTable {
  std::string path;  // the summary.csv actually read
  std::vector<SummaryEntry> rows;
};

// Reads a summary.csv, or DIR/summary.csv when `path` is a folder. A missing file, a
// missing column (scenario, outcome, statistic, value, replicates), a non-number or a
// negative replicate count is a UserError at file:line. Extra columns are ignored, so a
// sweep.csv's summary columns can be read too (the rows are then all the points').
SummaryTable read_summary(const std::string& path);
SummaryTable parse_summary(std::string_view text, const std::string& display_path);

struct CompareRow {
  std::string outcome;
  std::string statistic;
  double a = 0.0;
  double b = 0.0;
  double difference = 0.0;  // b - a
  double ci_low = 0.0;      // NaN: not a tested statistic
  double ci_high = 0.0;
  double p_value = 0.0;  // NaN: not a tested statistic
  bool significant = false;
};

struct CompareResult {
  std::vector<CompareRow> rows;  // in A's row order
  // Outcomes or scenarios present on one side only; a side whose parameters came from a
  // posterior (summary.csv column `posterior`), and sides that differ in that respect.
  std::vector<std::string> notes;
  bool any_significant() const;
};

inline constexpr double kCompareAlpha = 0.05;

// Matches and tests the rows (see the file comment).
//  - `mean`: Welch's t-test on the two means, using each side's `sd` row and the mean
//    row's `replicates` as n; 95% Welch interval for the difference. Without an sd row
//    or with n < 2 on a side, the difference only.
//  - `probability`, `share_reached`, `share:LABEL`: two-proportion z-test (pooled) with
//    n = replicates; 95% interval for the difference of proportions.
//  - any other statistic: the difference only.
// A categorical outcome (one with `share:LABEL` rows on either side) is compared per
// label share only: its mean, sd, min, quantiles and max are statistics of a label index
// and get no row. A 0/1 outcome is tested on its `probability` row (two-proportion z); its
// mean row (the same number) keeps Welch's test.
// significant is p < alpha. No row in common is a UserError: the comparison would
// silently check nothing.
CompareResult compare_summaries(const SummaryTable& a, const SummaryTable& b,
                                double alpha = kCompareAlpha);

// compare.csv's header and one row's fields (shortest round-trip numbers, NaN empty).
std::vector<std::string> compare_header();
std::vector<std::string> compare_fields(const CompareRow& row);

}  // namespace geosim::experiment
