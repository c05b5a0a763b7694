// Backtests (docs/backtest.md): for each fold of a case table, fit the template's free
// parameters on the other cases (engine/calibrate), predict the held-back cases, and score
// the predictions against the leave-one-out base rate and the unfitted template.
//
//   backtest::Spec s = backtest::prepare(model, uniforms, "cases.csv", free, method, ...);
//   backtest::Result r = backtest::run(s, context);     // the folds, over threads
//   backtest::write_folder(out, s, r, manifest_info);   // backtest.csv, scores.csv, ...
//
// A fold's fit is exactly `geosim calibrate` on the fold's training cases with the same
// method and seed; each held-back case is predicted from 2,048 replicates over up to 32
// posterior draws (calibrate::predict) with a seed derived from the case's row, the same
// for the fitted and the unfitted template (common random numbers). Results depend only on
// the files, the options and the seed: byte-identical for any number of threads.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "calibrate/calibrate.h"
#include "experiment/output.h"

namespace geosim::backtest {

struct Subset {
  std::string name;             // the file as given to --subset
  std::vector<size_t> indices;  // into Spec::cases
};

struct Spec {
  const sim::Model* model = nullptr;
  std::vector<double> base_uniforms;
  calibrate::Observations cases;  // every case, its targets restricted to the scored outcome
  std::vector<calibrate::FreeParam> free;  // empty: score the template as it stands
  calibrate::Method method;
  int folds = 0;  // 0 (or >= cases): leave-one-out
  int outcome = -1;
  bool categorical = false;
  std::vector<std::string> classes;  // the outcome's labels, or {"0", "1"}
  int positive = 1;                  // the class scored as the binary event
  std::vector<int> observed;         // the observed class, per case
  int bins = 10;                     // reliability bins
  std::vector<Subset> subsets;       // further case sets scored on their own
};

// Reads the cases file and checks everything before any simulation (UserError at
// file:line:column): the calibrate checks (unknown columns, labels, --set names...), plus
// `outcome` (empty: the file's only outcome column) observed in every case, 0/1 for an
// outcome that is not a `cases` outcome, `positive` a label of it (empty: the first label),
// at least two cases and at most as many folds as cases.
Spec prepare(const sim::Model& model, const std::vector<double>& base_uniforms,
             const std::string& cases_path, std::vector<calibrate::FreeParam> free,
             const calibrate::Method& method, int folds, const std::string& outcome,
             const std::string& positive);

// Adds a subset: a CSV whose `case` column names cases of the spec (others: UserError).
void add_subset(Spec& spec, const std::string& path);

// The fold of each of n cases: i for leave-one-out (k == 0 or k >= n), else the position
// of the case in an order shuffled by the seed, modulo k (folds of sizes differing by 1).
std::vector<int> assign_folds(size_t n, int k, uint64_t seed);

// The forecasts scored, in output order: "fitted" (absent without free parameters),
// "template" (the file's values) and "base_rate" ((k + 1) / (n + K) over the training cases
// of the fold, K classes).
std::vector<std::string> forecast_names(const Spec& spec);

struct CaseResult {
  int fold = 0;
  std::vector<std::vector<double>> probs;  // per forecast (forecast_names order), per class
};

struct FoldResult {
  std::vector<size_t> held_out;
  std::vector<double> point;  // the fit's point (mle optimum, else posterior mean)
  int64_t evaluations = 0, simulations = 0;
  double wall_seconds = 0;
  bool resumed = false;
};

struct Result {
  std::vector<CaseResult> cases;  // parallel to Spec::cases
  std::vector<FoldResult> folds;
  int64_t prediction_replicates = 0;
  double wall_seconds = 0;
};

// Runs every fold: fits over threads (each fit gets threads / concurrent folds; under MPI the
// folds run one after another on all ranks). With context.state_dir, each finished fold is
// kept there (checksummed) and each running fit keeps its calibrate batch log, so a killed
// backtest continues with context.resume.
Result run(const Spec& spec, const calibrate::Context& context);

// The key of a backtest (files, cases, outcome, free parameters, method, folds, seed).
std::string backtest_key(const Spec& spec);

// backtest.csv, scores.csv, reliability.csv, folds.csv and manifest.json, atomically each.
void write_folder(const std::string& out, const Spec& spec, const Result& result,
                  experiment::ManifestInfo info);

}  // namespace geosim::backtest
