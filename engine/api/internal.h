// What the public types of geosim/api.h hold, and helpers shared by the API's sources and
// the command line. Not part of the public API.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/batch.h"
#include "calibrate/calibrate.h"
#include "experiment/output.h"
#include "experiment/sweep.h"
#include "geosim/api.h"
#include "scenario/spec.h"
#include "sim/model.h"

namespace geosim::api {
// The worker threads `threads` asks for (0: all cores).
int thread_count(int threads);
// Replicates and threads in range (UserError otherwise).
void check_run_options(const RunOptions& o);
}  // namespace geosim::api

namespace geosim::api::detail {

// A CSV field as a number: nullopt when empty (or not a number).
std::optional<double> field_number(const std::string& field);

// The state a result object holds; a default-constructed result (no state) is refused with
// "this TYPE holds no WHAT; expected one from FUNCTION()".
template <class Result>
const auto& state_or_refuse(const Result& r, const char* type, const char* what,
                            const char* function) {
  if (!r.state)
    throw UserError(SourceLoc{"geosim::api"}, std::string("this ") + type + " holds no " + what +
                                                  "; expected one from " + function + "()");
  return *r.state;
}

// A sweep's or a fit's parameters fixed by the scenario's overrides (the experiment refuses
// to vary or fit one of them, at its declaration).
template <class Call>
void fix_overrides(Call& call, const Scenario& scenario) {
  for (const auto& [n, v] : scenario.overrides()) {
    call.fixed.emplace_back(n, "override " + n + "=" + v);
    call.fixed_locs.push_back(scenario.parameter(n).loc);
  }
  call.fixed_by = "overrides";
}

struct Loaded {
  std::string path;
  ScenarioSpec spec;  // kept to recompile with --given without reading the file again
  sim::Model model;   // compiled; parameter values are the file's (a Scenario holds its own)
  std::vector<Outcome> outcomes;
};

struct RunState {
  std::shared_ptr<const Loaded> loaded;
  std::unique_ptr<sim::Model> given_model;  // compiled with RunOptions::given
  const sim::Model* model = nullptr;        // given_model or loaded->model
  PosteriorUse posterior;
  experiment::ScenarioRun run;
  bool per_run = false;
  std::vector<experiment::BlockRows> rows;  // per_run: every block, in replicate order
  int threads = 1;
  std::vector<std::string> command_line;  // the equivalent `geosim run` command
  std::string start_time;
  std::shared_ptr<const void> batch;  // run_files: owns `model` and the posterior's binding
};

// The RunResult of a finished run: its summary and trajectories rows (and its runs rows
// when `st` kept them), holding `st`.
RunResult result_of(std::shared_ptr<const RunState> st);

struct Access {
  static Scenario make(std::shared_ptr<const Loaded> loaded);
  static const Loaded& loaded(const Scenario& s) { return *s.loaded_; }
  static const std::shared_ptr<const Loaded>& shared(const Scenario& s) { return s.loaded_; }
  // The model's uniform rows with the scenario's parameter values (by name, so that a
  // model compiled with --given, whose literals may differ, takes them too).
  static std::vector<double> uniforms(const Scenario& s, const sim::Model& model);
};

// Writes the result folder of `st` into `dir` as `geosim run --out` does: claims the folder
// (created, locked, replacing only what geosim wrote unless `overwrite`), then publishes.
void write_folder(const RunState& st, const std::string& dir, bool overwrite);

// Writes the result folder of `st` into a new private temporary folder, calls `read` on it
// and removes the folder (also when `read` throws).
std::string in_temporary_folder(const RunState& st,
                                const std::function<std::string(const std::string&)>& read);

// ---- run_files ----

// What `geosim run` adds to RunFilesOptions.
struct RunFilesCall {
  std::vector<std::string> command_line;  // manifest.json's; empty: the equivalent command
  // Called once the batch is loaded and `out` claimed, just before the first scenario runs
  // (the command line installs its Ctrl-C handler there).
  std::function<void()> before_running;
  // Called with each failed scenario's error once the batch has run, where the command
  // line has always said so: before the result folder is written (on rank 0), after a
  // shard's folder is.
  std::function<void(const std::string&)> failed;
};

BatchRunResult run_files(const RunFilesOptions& options, const RunFilesCall& call);

// ---- sweep ----

struct SweepState {
  std::string sweep_csv, sensitivity_csv, trajectories_csv, runs_csv, manifest;
  bool sensitivity = false;  // sensitivity.csv is part of the result (sobol, morris)
  bool per_run = false, per_point_trajectories = false;
};

// What `geosim sweep` (and `geosim merge` of sweep shards) adds to SweepOptions.
struct SweepCall {
  const sim::Model* model = nullptr;  // compiled with SweepOptions::given; parameters set
  std::string path;                   // the scenario file (the equivalent command's)
  // Parameters fixed by other options, (name, where): a varied one is refused at `where`
  // ("expected `fixed_by` only for parameters the sweep does not vary"), a posterior that
  // holds one is refused.
  std::vector<std::pair<std::string, std::string>> fixed;
  std::string fixed_by = "--set";
  // Parallel to `fixed` when set (the API: where the file declares each overridden
  // parameter): a refusal is located there, its message prefixed with the `where` text.
  std::vector<SourceLoc> fixed_locs;
  // A shard (`sweep --shard I/N`): runs its points into OUT/.sweep and assembles nothing.
  bool sharded = false;
  int64_t shard_index = 0, shard_count = 1;
  std::vector<std::pair<std::string, int64_t>> merged_shards;  // set by geosim merge
  std::string command = "sweep";          // manifest.json's command ("merge" for a merge)
  std::vector<std::string> command_line;  // manifest.json's; empty: the equivalent command
  bool read_result = true;  // fill SweepResult's tables and texts from the folder written
  // Filled by sweep_model: what experiment::run_sweep reported, and the design's size.
  experiment::SweepResult ran;
  size_t design_points = 0;
};

// The checks of SweepOptions that need no scenario (what varies, samples, levels).
void check_sweep_options(const SweepOptions& o);

// Writes a sweep's files into `dir` as `geosim sweep --out` publishes them.
void write_sweep_folder(const SweepState& st, const std::string& dir, bool overwrite);

// A private temporary folder, removed with everything in it when this goes.
class TemporaryFolder {
 public:
  TemporaryFolder();
  ~TemporaryFolder();
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Builds the design, checks it against the model, claims SweepOptions::out (or a
// temporary folder), runs the sweep there and reads the result back.
SweepResult sweep_model(SweepCall& call, const SweepOptions& options);

// ---- compare ----

struct CompareState {
  std::vector<std::string> inputs;  // the paths compared (folders or files); none for runs
  std::string a_path, b_path;       // the summary.csv read on each side
  std::string a_id, b_id;           // the scenario kept on each side ("" : all)
  std::string csv;                  // compare.csv's text
};

// Where `geosim compare --out OUT` writes, checked and locked before anything is read.
struct CompareOut {
  std::string file;  // compare.csv's path; "" : standard output
  bool into_folder = false;
  std::vector<outdir::FolderLock> locks;
};
// Read locks on the inputs that are folders (no input changes while it is read).
std::vector<outdir::FolderLock> lock_compare_inputs(const std::vector<std::string>& inputs);
CompareOut prepare_compare_out(std::string out, const std::vector<std::string>& inputs,
                               bool overwrite);
// Reads both sides (without locking) and compares them.
CompareResult compare_inputs(const std::string& a, const std::string& b,
                             const CompareOptions& options);
void write_compare(const CompareOut& out, const CompareResult& r, bool overwrite);

// ---- discover ----

struct DiscoverState {
  DiscoverOptions options;
  bool cart = false;
  std::string boxes_csv, tradeoff_csv, tree_csv;
  std::string source, unit;
  std::vector<std::string> names;
  std::vector<double> range_low, range_high;
  int64_t total_rows = 0, total_cases = 0, min_leaf = 0, nodes = 0;
  struct Found {
    std::vector<double> low, high;
    double coverage, density, mass;
  };
  std::vector<Found> found;  // the chosen boxes, for text()
  double read_seconds = 0, method_seconds = 0;
  std::string start_time;
  std::chrono::steady_clock::time_point t0;
  std::vector<std::string> command_line;  // the equivalent `geosim discover` (without --out)
};

// The checks of DiscoverOptions, in the order `geosim discover` makes them; `given` names
// the method options given (boxes, peel-alpha, paste-alpha, min-leaf, max-depth,
// ccp-alpha), refused when they do not apply to the method.
void check_discover_options(const DiscoverOptions& o, const std::vector<std::string>& given);
// Reads the rows of `path` and mines them (no lock taken). A non-empty `display` names
// the source in place of the folder (a result mined from memory).
DiscoverResult discover_data(const std::string& path, const DiscoverOptions& o,
                             const std::string& display);
// Claims `dir` and publishes the discovery's files; wall_seconds < 0: since it started.
void write_discover_folder(const DiscoverState& st, const std::string& dir, bool overwrite,
                           const std::vector<std::string>& command_line, double wall_seconds);

// ---- calibrate ----

struct CalibrateState {
  std::string fit_csv, posterior_csv, predictions_csv, manifest;
  std::string text;  // the summary `geosim calibrate` prints
};

// What `geosim calibrate` adds to CalibrateOptions.
struct CalibrateCall {
  const sim::Model* model = nullptr;  // parameters set
  std::string path;                   // the scenario file (the equivalent command's)
  // Parameters fixed by other options, as in SweepCall (a free one is refused).
  std::vector<std::pair<std::string, std::string>> fixed;
  std::string fixed_by = "--set";
  std::vector<SourceLoc> fixed_locs;
  calibrate::Method method;  // kind and settings (seed and replicates come from the options)
  std::vector<std::string> command_line;  // manifest.json's; empty: the equivalent command
  bool read_result = true;                // fill CalibrateResult's tables and texts from the folder
};

// The method CalibrateOptions asks for (UserError for an unknown method name).
calibrate::Method method_of(const CalibrateOptions& o);
// The checks of CalibrateOptions that need no scenario (cases and free given).
void check_calibrate_options(const CalibrateOptions& o);
// Builds and checks the problem, claims CalibrateOptions::out (or a temporary folder),
// fits, predicts, writes the result folder and reads it back.
CalibrateResult calibrate_model(CalibrateCall& call, const CalibrateOptions& o);

}  // namespace geosim::api::detail
