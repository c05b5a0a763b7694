// Fitting a scenario's free parameters to observed cases (docs/calibration.md): maximum
// simulated likelihood with common random numbers, ABC-SMC, and pseudo-marginal MCMC.
// A library: `geosim calibrate` calls it once, a backtest once per fold.
//
//   calibrate::Problem p{&model, model.uniforms, observations, free};
//   calibrate::check_problem(p, method);               // UserError before any fit
//   calibrate::FitResult r = calibrate::fit(p, method, context);
//   auto preds = calibrate::predict(p_heldout, r, method, context);
//   calibrate::write_fit_folder(out, p, method, r, preds, manifest_info);
//
// Everything random comes from Method::seed through counter-based streams, so a fit is a
// pure function of the problem and the method: byte-identical on any number of threads
// and MPI ranks, and a resumed fit equals an uninterrupted one.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "calibrate/observations.h"
#include "calibrate/prior.h"
#include "experiment/output.h"
#include "sim/model.h"

namespace geosim::calibrate {

struct Problem {
  const sim::Model* model = nullptr;
  std::vector<double> base_uniforms;  // the model's uniform rows (with any global --set)
  Observations observations;
  std::vector<FreeParam> free;
};

enum class MethodKind { kMle, kAbcSmc, kPmmh };
MethodKind parse_method(const std::string& text);  // "mle" | "abc-smc" | "pmmh"
const char* method_name(MethodKind k);

struct Method {
  MethodKind kind = MethodKind::kMle;
  uint64_t seed = 1;
  int64_t replicates = 0;  // per case and evaluation; 0: the method's default
  // mle
  int max_evaluations = 300;  // Nelder-Mead evaluations (per fit)
  int bootstrap = 0;          // refits on cases resampled with replacement (posterior.csv)
  bool profile = true;        // profile-likelihood 95% intervals
  // abc-smc
  int particles = 200;
  int generations = 8;           // at most
  double quantile = 0.5;         // next tolerance: this quantile of the previous distances
  double min_acceptance = 0.01;  // stop when a generation accepts fewer
  // pmmh
  int chains = 4;
  int iterations = 1000;  // per chain, after burn-in
  int burn_in = 300;      // per chain; the proposal adapts during it
  int64_t default_replicates() const;
};

struct Context {
  int threads = 1;
  std::string state_dir;  // OUT/.calibrate: finished work, for resuming; empty: none kept
  bool resume = false;
  const std::atomic<bool>* stop = nullptr;  // set: stop after the current batch (Interrupted)
  bool progress = false;
};

struct ParamSummary {
  std::string name;
  double mean = 0, sd = 0, p05 = 0, p50 = 0, p95 = 0, ess = 0;
  bool has_estimate = false;  // mle: the optimum
  bool has_interval = false;  // mle without --no-profile: its profile interval
  double estimate = 0, ci_low = 0, ci_high = 0;
};

struct FitResult {
  MethodKind method = MethodKind::kMle;
  std::vector<std::string> names;          // free parameters, in --free order
  std::vector<std::vector<double>> draws;  // posterior.csv rows
  std::vector<double> weights;             // normalised
  std::vector<ParamSummary> params;
  std::vector<double> point;  // mle optimum, else the posterior mean
  // Fit-level rows of fit.csv (statistic, value), e.g. ("final_tolerance", "0.5").
  std::vector<std::pair<std::string, std::string>> diagnostics;
  int64_t evaluations = 0;      // parameter points simulated (all cases)
  int64_t simulations = 0;      // replicates simulated
  int64_t steps_simulated = 0;  // replicate-steps (an upper bound: replicates * steps)
  double wall_seconds = 0;
};

// Checks what can be checked before fitting (UserError, nothing simulated before it):
// method settings, and that each exact target is one some replicate can produce (a pilot
// of a few prior draws, each case).
void check_problem(const Problem& problem, const Method& method, const Context& context);

FitResult fit(const Problem& problem, const Method& method, const Context& context);

// What the fitted model predicts for each observed (case, outcome) of `problem`,
// pooled over up to 32 draws of `result` (posterior predictive).
struct Prediction {
  std::string case_id, outcome, observed;
  double mean = 0, p05 = 0, p95 = 0;  // of the outcome (a label: its share; first: the step)
  double p_observed = 0;  // share of replicates that match the observation (within 1 sd)
  int64_t replicates = 0;
};
std::vector<Prediction> predict(const Problem& problem, const FitResult& result,
                                const Method& method, const Context& context);

// posterior.csv, fit.csv, predictions.csv and manifest.json into `out`, atomically each,
// after the fit is complete.
void write_fit_folder(const std::string& out, const Problem& problem, const Method& method,
                      const FitResult& result, const std::vector<Prediction>& predictions,
                      experiment::ManifestInfo info);

// The key of a fit (sha256 over the scenario files, cases, free parameters, method and
// seed): a resume refuses a state folder with another key.
std::string fit_key(const Problem& problem, const Method& method);

}  // namespace geosim::calibrate
