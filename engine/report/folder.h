// A result folder read into memory for the report: whichever of manifest.json,
// summary.csv, trajectories.csv, runs.csv, sweep.csv, sensitivity.csv and compare.csv are
// present (interfaces.md describes them). Every file is checked as it is read: a missing
// column, a number that does not parse or a manifest field of the wrong type is a
// UserError at file:line, because a report drawn from a damaged file would mislead.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "report/backtest.h"
#include "report/calibration.h"
#include "report/charts.h"

namespace geosim::report {

struct FileHash {
  std::string path, sha256;
};

struct ParameterInfo {
  std::string name;
  double value = kMissing;
  double min = kMissing, max = kMissing;
  std::string doc;
  bool from_posterior = false;  // drawn per replicate from the run's posterior
};

// The posterior a run drew parameters from (run --posterior), as manifest.json says.
struct PosteriorInfo {
  std::string path, sha256;
  int64_t draws = -1;
  double effective_draws = kMissing;
  std::vector<std::string> parameters;
};

struct OutcomeInfo {
  std::string name;
  std::string kind;  // final, max, min, mean, first, cases
  std::vector<std::string> labels;
};

// One scenario as manifest.json describes it; fields absent from the file stay empty.
struct ScenarioInfo {
  std::string id, title, description, step_label = "step", file;
  int64_t steps = -1, replicates = -1;
  std::string seed;  // as written (a seed may exceed int64: up to 2^64 - 1); "" if absent
  std::vector<std::string> sources;
  std::vector<FileHash> files;
  std::vector<ParameterInfo> parameters;
  std::optional<PosteriorInfo> posterior;
  std::vector<OutcomeInfo> outcomes;
  std::vector<std::string> track;
};

struct SweepInfo {
  std::string design, points_file;
  int64_t samples = -1, levels = -1, points = -1, failed_points = -1;
  std::vector<std::pair<std::string, std::string>> vary;  // name, spec
};

struct Manifest {
  std::string program, version, command, start_time;
  std::vector<std::string> command_line;
  double wall_seconds = kMissing;
  int64_t threads = -1;
  std::vector<ScenarioInfo> scenarios;
  std::vector<std::pair<std::string, std::string>> failures;  // scenario, error
  std::optional<SweepInfo> sweep;
};

// The statistics of one outcome (summary.csv rows, or one sweep point's rows). A row with
// an empty value (no replicate had one, as for a {first:} never reached) is left out.
struct OutcomeStats {
  std::string name;
  std::map<std::string, Estimate> stats;  // "mean", "p05", "probability", "share:a", ...
  std::vector<std::string> share_labels;  // labels of share:LABEL rows, in file order
  int64_t replicates = -1;  // the largest replicate count among its rows (-1: none given)
  const Estimate* find(const std::string& statistic) const;
};

struct Trajectory {
  std::string variable;
  FanData data;
};

// One row of storylines.csv: a path (rank >= 1) or the other paths (rank 0), its share
// with the Wilson interval, and the mean:/share: columns that have a value, in file order.
struct StorylineRow {
  int rank = 0;
  std::string path;
  int64_t replicates = 0;
  Estimate share;
  std::vector<std::pair<std::string, double>> columns;  // "mean:x" / "share:y=l", value
};

// Everything the folder holds about one scenario id. An outcome found only in runs.csv
// gets an OutcomeStats computed from its values.
struct ScenarioResult {
  std::string id;
  std::vector<OutcomeStats> outcomes;  // summary.csv order
  std::vector<Trajectory> trajectories;
  // runs.csv: the numeric values of each non-`cases` outcome (empty cells skipped), and
  // for label columns that summary.csv does not describe, each label's count.
  std::map<std::string, std::vector<double>> runs;
  std::map<std::string, std::vector<std::pair<std::string, int64_t>>> run_labels;
  int64_t run_rows = 0;
  std::vector<StorylineRow> storylines;  // storylines.csv, in file order
};

struct SweepPoint {
  int64_t point = 0;
  std::vector<double> parameters;      // parallel to SweepTable::parameters
  std::vector<OutcomeStats> outcomes;  // in first-seen order
  std::string error;                   // a failed point's message (status `error`)
};

struct SweepTable {
  std::vector<std::string> parameters;
  std::vector<std::string> outcome_order;
  std::vector<SweepPoint> points;  // in file order
};

struct SensitivityRow {
  std::string outcome, parameter, index;
  Estimate estimate;
  std::string statistic = "mean";  // sensitivity.csv's statistic column (older files: mean)
};

struct CompareTableRow {
  std::string outcome, statistic;
  double a = kMissing, b = kMissing;
  Estimate difference;
  double p_value = kMissing;
  bool significant = false;
};

// `geosim discover`'s boxes.csv (one row per restricted input of a box) and tradeoff.csv.
struct DiscoveryLimit {
  int box = 0;
  std::string input;
  double low = kMissing, high = kMissing, range_low = kMissing, range_high = kMissing;
  double p_low = kMissing, p_high = kMissing;
  double coverage = kMissing, density = kMissing, mass = kMissing;
};
struct TradeoffRow {
  int box = 0, step = 0, restricted = 0;
  bool pasted = false, chosen = false;
  double coverage = kMissing, density = kMissing, mass = kMissing;
};
struct Discovery {
  std::string method = "prim";  // boxes.csv's method column: prim or cart
  std::vector<DiscoveryLimit> limits;
  std::vector<TradeoffRow> tradeoff;
};

struct ResultFolder {
  std::string dir;
  std::optional<Discovery> discovery;  // boxes.csv (and PRIM's tradeoff.csv)
  std::optional<Manifest> manifest;
  std::vector<ScenarioResult> scenarios;  // from summary.csv / trajectories.csv / runs.csv
  std::optional<SweepTable> sweep;
  std::vector<SensitivityRow> sensitivity;
  bool has_sensitivity = false;
  std::vector<CompareTableRow> compare;
  bool has_compare = false;
  // compare.json (written by compare --out DIR/): what A and B were; empty when absent.
  std::string compare_a, compare_b;
  std::optional<CalibrationResult> calibration;  // posterior.csv, fit.csv, predictions.csv
  std::optional<BacktestResult> backtest;        // scores.csv, reliability.csv

  const ScenarioInfo* scenario_info(const std::string& id) const;
};

// Reads every known file present in `dir`. Throws UserError when `dir` is not a folder,
// holds none of the known files, or a present file is malformed.
ResultFolder read_result_folder(const std::string& dir);

// Parsers for single files, given their text (used by read_result_folder and tests).
Manifest parse_manifest(const std::string& text, const std::string& display_path);

}  // namespace geosim::report
