// The calibration section of the report (docs/calibration.md, docs/report.md): drawn from
// a `geosim calibrate` folder's posterior.csv, fit.csv and predictions.csv. Marginal
// histograms of the free parameters (weighted), pairwise scatter plots, a table of the
// fit's statistics and, per observed outcome, observed against predicted per case.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace geosim::report {

struct CalibrationPrediction {
  std::string case_id, outcome, observed;
  double mean, p05, p95, p_observed;  // NaN where empty
};

struct CalibrationResult {
  std::vector<std::string> names;          // free parameters
  std::vector<std::vector<double>> draws;  // posterior.csv rows
  std::vector<double> weights;
  std::vector<std::vector<std::string>> fit;  // fit.csv rows: parameter, statistic, value
  std::vector<CalibrationPrediction> predictions;
};

// Reads posterior.csv (and fit.csv, predictions.csv when present) from `dir`; nullopt when
// there is no posterior.csv. A malformed file is a UserError at file:line.
std::optional<CalibrationResult> read_calibration(const std::string& dir);

// The section's inner HTML (after its heading). `anchor` prefixes figure ids.
std::string calibration_html(const CalibrationResult& c, const std::string& anchor);

}  // namespace geosim::report
