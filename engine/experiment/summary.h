// Turns run statistics into the rows of summary.csv and trajectories.csv
// (interfaces.md), and into the readable table `run` prints without --out.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "experiment/runner.h"
#include "posterior/posterior.h"
#include "sim/model.h"

namespace geosim::experiment {

struct SummaryRow {
  std::string scenario, outcome, statistic;
  std::optional<double> value, ci_low, ci_high;
  int64_t replicates = 0;  // observations behind the statistic
};

struct TrajectoryRow {
  std::string scenario, variable;
  int64_t step = 0;
  std::optional<double> mean, p05, p25, p50, p75, p95;
};

// Per outcome, in file order: mean (with a 95% normal interval), sd, min, p05, p25, p50,
// p75, p95, max; then share_reached ({first:}), share:LABEL (cases) or probability (an
// outcome whose values were all 0/1), each with a 95% Wilson interval. An outcome with a
// `given` condition has these over the replicates where it held (their `replicates`
// column counts those), then given_share: the share of all replicates where it held.
std::vector<SummaryRow> summary_rows(const sim::Model& model, const RunStats& stats);
std::vector<TrajectoryRow> trajectory_rows(const sim::Model& model, const RunStats& stats);

inline const std::vector<std::string>& summary_header() {
  static const std::vector<std::string> h = {"scenario", "outcome", "statistic", "value",
                                             "ci_low",   "ci_high", "replicates"};
  return h;
}
inline const std::vector<std::string>& trajectory_header() {
  static const std::vector<std::string> h = {"scenario", "variable", "step", "mean", "p05",
                                             "p25",      "p50",      "p75",  "p95"};
  return h;
}
std::vector<std::string> summary_fields(const SummaryRow& r);
std::vector<std::string> trajectory_fields(const TrajectoryRow& r);

// The readable outcome table printed by `run` without --out.
// With `posterior` (a run over a posterior), a line under the heading names the file, its
// draws and the parameters taken from it.
std::string format_table(const sim::Model& model, const RunStats& stats,
                         const posterior::Binding* posterior = nullptr);

}  // namespace geosim::experiment
