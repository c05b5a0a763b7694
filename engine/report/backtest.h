// The backtest section of the report (docs/backtest.md, docs/report.md): drawn from a
// `geosim backtest` folder's scores.csv and reliability.csv. Per set of cases (all, then
// each --subset): a table of the scores of each forecast and the reliability diagram
// (mean predicted probability against observed frequency per bin, with Wilson 95%
// intervals, dot area by count, the diagonal of perfect calibration).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace geosim::report {

struct BacktestScore {
  std::string cases, forecast, metric, value;
};
struct BacktestBin {
  std::string cases, forecast;
  double lo, hi;
  long long count;
  double mean_predicted, observed_frequency, ci_low, ci_high;  // NaN for an empty bin
};
struct BacktestResult {
  std::vector<BacktestScore> scores;
  std::vector<BacktestBin> bins;
};

// Reads scores.csv and reliability.csv from `dir`; nullopt without a reliability.csv. A
// malformed file is a UserError at file:line.
std::optional<BacktestResult> read_backtest(const std::string& dir);

// The section's inner HTML (after its heading). `anchor` prefixes figure ids.
std::string backtest_html(const BacktestResult& b, const std::string& anchor);

// One reliability diagram (inline SVG) of the bins of one set of cases, one series per
// forecast (the order of first appearance).
std::string reliability_chart(const std::string& cases,
                              const std::vector<const BacktestBin*>& bins);

}  // namespace geosim::report
