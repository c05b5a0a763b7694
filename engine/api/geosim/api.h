// geosim's public C++ API: load a scenario with overrides, run it, and get its results as
// typed tables, without going through the command line. The command line (engine/cli), the
// Python module (engine/python) and the explorer (engine/explore) are front ends over it,
// so one scenario, one set of overrides, one seed and one replicate count give the same
// numbers whichever is used (byte-identical summary.csv, trajectories.csv and runs.csv).
//
//   #include "geosim/api.h"            // CMake: target_link_libraries(app PRIVATE geosim_api)
//
//   geosim::api::Scenario s = geosim::api::load("scenarios/x.yaml", {{"escalation", "0.4"}});
//   geosim::api::RunOptions o;
//   o.replicates = 10000;
//   geosim::api::RunResult r = geosim::api::run(s, o);
//   for (const auto& row : r.summary) ...;         // the rows of summary.csv
//   r.write_result_folder("out");                   // what `geosim run --out out` writes
//
// Errors: a mistake in a file or an override is a geosim::UserError (core/error.h) whose
// diagnostics carry file:line:column; a run that went wrong on valid input (a NaN) is a
// geosim::RunError; a run stopped through RunOptions::stop is a geosim::Interrupted.
// Nothing is written to standard output or error unless RunOptions::progress asks for a
// progress bar. docs/api.md documents every function with an example.
//
// Threads: a Scenario or RunResult may be read from several threads at once; changing one
// (set) while another thread reads that same object is not safe. Copies are independent.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"  // geosim::UserError, RunError, Interrupted, SourceLoc

namespace geosim::api {

namespace detail {
struct Loaded;        // a scenario's checked spec and compiled model (shared by copies)
struct RunState;      // what a result folder is written from
struct SweepState;    // a sweep's files
struct CompareState;  // a comparison's inputs
struct Access;        // for the implementation and the command line
}  // namespace detail

// A parameter the scenario declares (`parameters:` in the file), with its current value.
struct Parameter {
  std::string name;
  double value = 0;                // current value (the file's, or an override's)
  double file_value = 0;           // the value the file gives
  std::optional<double> min, max;  // declared range (absent: unbounded)
  std::string doc;                 // the file's `doc:` (may be empty)
  std::string basis;               // "fitted", "sourced", "judgement", or "" (unmarked)
  std::string basis_from;          // which fit, which sources, or why (may be empty)
  SourceLoc loc;                   // where the file declares it
};

// An outcome the scenario reports (`outcomes:`).
struct Outcome {
  std::string name;
  std::string kind;                 // "final", "max", "min", "mean", "first", "cases"
  std::vector<std::string> labels;  // kind "cases": the labels, in file order
  std::string given;                // its `given:` condition as written ("" if none)
};

// A loaded, checked and compiled scenario plus the overrides applied to it. Copying is
// cheap (the compiled model is shared; only parameter values are copied), and `set` never
// re-reads or re-compiles the file, so "change a parameter, run again" costs only the run.
class Scenario {
 public:
  const std::string& id() const;     // scenario.id
  const std::string& path() const;   // the file as given to load()
  const std::string& title() const;  // scenario.title ("" if absent)
  const std::string& description() const;
  int64_t steps() const;
  uint64_t default_seed() const;                              // scenario.seed
  int64_t default_replicates() const;                         // scenario.replicates
  const std::vector<Parameter>& parameters() const;           // in file order, current values
  const Parameter& parameter(const std::string& name) const;  // UserError if undeclared
  const std::vector<Outcome>& outcomes() const;
  // Every file read, the scenario's first, then its `extends` bases.
  const std::vector<std::string>& files() const;
  // The overrides in force, in the order applied: (name, value text), a later one for the
  // same name replacing the earlier.
  const std::vector<std::pair<std::string, std::string>>& overrides() const;

  // Sets parameter `name` to `value`, checked exactly as `geosim run --set NAME=VALUE`: the
  // value must be a finite number (text as --set takes it) inside the declared range, and
  // the name declared (else the nearest names are suggested). A refusal is a UserError
  // located at the parameter's declaration in the file (file:line:column; the file alone
  // for an undeclared name) and leaves the scenario unchanged.
  void set(const std::string& name, const std::string& value);
  void set(const std::string& name, double value);
  // A copy with `overrides` applied in order (the same checks).
  Scenario with(const std::vector<std::pair<std::string, std::string>>& overrides) const;
  // Back to the file's values (no overrides).
  void reset();

 private:
  friend struct detail::Access;
  std::shared_ptr<const detail::Loaded> loaded_;
  std::vector<Parameter> parameters_;
  std::vector<std::pair<std::string, std::string>> overrides_;
  void apply(const std::string& name, double value, const std::string& text);
};

// Loads `path` (YAML, `extends`, every check: docs/format.md) and compiles it, then
// applies `overrides` (NAME, VALUE) in order, as Scenario::set does. Throws UserError
// holding every diagnostic the file has, each with file:line:column.
Scenario load(const std::string& path,
              const std::vector<std::pair<std::string, std::string>>& overrides = {});

struct RunOptions {
  std::optional<int64_t> replicates;  // default: the scenario's; 1 to 4294967295
  std::optional<uint64_t> seed;       // default: the scenario's
  int threads = 0;                    // worker threads; 0: all cores. Never changes a number.
  bool per_run = false;               // also fill RunResult::runs (runs.csv), one row a replicate
  // Non-empty: every outcome is reported over the replicates where this expression held on
  // the final state (as `geosim run --given EXPR`; adds the statistic given_share).
  std::string given;
  // Non-empty: a posterior.csv (docs/calibration.md); each replicate takes the parameters
  // it holds from one posterior draw (as `geosim run --posterior FILE`). A parameter that
  // is also overridden is refused.
  std::string posterior;
  // Set and becoming true (from any thread, e.g. a signal handler): no new block of
  // replicates starts, running ones are abandoned within a few steps, and run() throws
  // geosim::Interrupted. Nothing of the unfinished run is kept.
  const std::atomic<bool>* stop = nullptr;
  bool progress = false;  // draw a progress bar on standard error
};

// One row of summary.csv (docs/outputs.md): per outcome mean (with a 95% interval), sd,
// min, quantiles, max, then probability / share_reached / share:LABEL / given_share.
// An absent number (e.g. a mean when no replicate had a value) is std::nullopt, written
// as an empty field.
struct SummaryRow {
  std::string scenario, outcome, statistic;
  std::optional<double> value, ci_low, ci_high;
  int64_t replicates = 0;  // observations behind the statistic
  std::string posterior;   // the posterior file's sha256 (run over a posterior), else ""
};

// One row of trajectories.csv: a tracked expression's distribution at one step.
struct TrajectoryRow {
  std::string scenario, variable;
  int64_t step = 0;
  std::optional<double> mean, p05, p25, p50, p75, p95;
};

// One row of runs.csv: one replicate's outcomes and the inputs its init drew at random.
struct RunRow {
  std::string scenario;
  uint64_t replicate = 0;
  // Parallel to RunResult::runs_outcomes. nullopt: no value (a `first` never reached, no
  // case matched). A `cases` outcome holds the index of its label (Outcome::labels).
  std::vector<std::optional<double>> outcomes;
  std::vector<double> inputs;  // parallel to RunResult::runs_inputs
};

struct RunResult {
  std::string scenario;  // the scenario id
  uint64_t seed = 0;
  int64_t replicates = 0;
  std::vector<SummaryRow> summary;
  std::vector<TrajectoryRow> trajectories;
  // Filled with RunOptions::per_run: one row per replicate, in replicate order.
  std::vector<std::string> runs_outcomes;  // outcome names (runs.csv's columns after replicate)
  std::vector<std::string> runs_inputs;    // "init:world.x", ... (the last columns)
  std::vector<RunRow> runs;
  double wall_seconds = 0;

  // The files' text, exactly as `geosim run --out` writes them.
  std::string summary_csv() const;
  std::string trajectories_csv() const;
  std::string runs_csv() const;  // UserError unless the run had per_run
  // The readable table `geosim run` prints.
  std::string table() const;

  // Writes the result folder `geosim run FILE --out DIR` writes for the same scenario,
  // overrides, seed and replicates (summary.csv, trajectories.csv, runs.csv with per_run,
  // manifest.json; byte-identical except the manifest's time, threads and command line,
  // which names the equivalent `geosim run` command), published all at once. As the CLI,
  // it refuses (UserError) to replace files geosim did not write or another command's
  // result unless `overwrite`. With `report`, also report.html.
  void write_result_folder(const std::string& dir, bool overwrite = false,
                           bool report = false) const;
  // The HTML report (docs/report.md) of this result, as `geosim report` draws it from the
  // folder; self-contained (inline SVG, no script).
  std::string report_html() const;

  std::shared_ptr<const detail::RunState> state;  // for write_result_folder and the CLI
};

// Runs the scenario's replicates with its current parameter values.
RunResult run(const Scenario& scenario, const RunOptions& options = {});

// ---- sweep -----------------------------------------------------------------------------

// What `geosim sweep` takes (docs/experiments.md), field by field.
struct SweepOptions {
  // What varies: `vary` (each "NAME=SPEC" as --vary takes it: a list 0.1,0.2, a range
  // LO:HI:STEP, LO:HI for lhs/sobol/morris, or for lhs/sobol a distribution normal(M,SD),
  // truncnormal(LO,HI,M,SD), triangular(LO,MODE,HI), beta(A,B[,LO,HI]), loguniform(LO,HI),
  // lognormal(MU,SIGMA), uniform(LO,HI)), or `points` (a CSV of points, --points). One of
  // the two, not both.
  std::vector<std::string> vary;
  std::string points;
  std::string design;         // "grid", "lhs", "sobol", "morris"; "" is grid (and, unlike
                              // an explicit design, is allowed with `points`)
  int64_t samples = 0;        // lhs: points; sobol: base samples; morris: trajectories (0: default)
  int levels = 0;             // morris: grid levels (even; 0: 4)
  bool second_order = false;  // sobol: also S2 indices (2k+2 runs per base sample)
  std::optional<int64_t> replicates;    // per point; default: the scenario's
  std::optional<uint64_t> seed;         // the same at every point; default: the scenario's
  int threads = 0;                      // 0: all cores. Never changes a number.
  bool per_run = false;                 // also SweepResult::runs (runs.csv)
  bool per_point_trajectories = false;  // also SweepResult::trajectories (trajectories.csv)
  std::string given;                    // as RunOptions::given, at every point (--given)
  std::string posterior;                // as RunOptions::posterior (--posterior)
  // Set and becoming true: running points finish or are abandoned, no point starts, and
  // sweep() throws geosim::Interrupted.
  const std::atomic<bool>* stop = nullptr;
  bool progress = false;  // "sweep: N/M points" on standard error
  // Non-empty: the sweep works in this folder as `geosim sweep --out DIR` does: each
  // finished point is kept in DIR/.sweep, a stopped sweep continues with `resume`, and
  // the result folder is written there (replacing another result only with `overwrite`).
  // Empty: the sweep works in a private temporary folder, removed when it returns.
  std::string out;
  bool resume = false;
  bool overwrite = false;
};

// One row of sweep.csv: a point, its parameter values, one row of that point's summary
// (SummaryRow::posterior holds the posterior's sha256 when one is used), and whether the
// point's run succeeded ("ok") or failed ("error", with the message; the summary fields
// other than scenario are then absent).
struct SweepRow {
  int64_t point = 0;
  std::vector<double> parameters;  // parallel to SweepResult::parameters
  SummaryRow summary;
  std::string status, error;
};

// One row of sensitivity.csv (sobol and morris designs): an index of one parameter for
// one per-point statistic of one outcome.
struct SensitivityRow {
  std::string outcome, parameter;
  std::string index;  // "S1", "ST", "S2" (parameter "A:B"), "mu_star", "sigma"
  std::optional<double> value, ci_low, ci_high;
  std::string statistic;  // mean, probability, share_reached, share:LABEL
};

// One row of a sweep's trajectories.csv (per_point_trajectories).
struct SweepTrajectoryRow {
  int64_t point = 0;
  TrajectoryRow trajectory;
};

// One row of a sweep's runs.csv (per_run): one replicate at one point.
struct SweepRunRow {
  int64_t point = 0;
  RunRow run;
};

struct SweepResult {
  std::string scenario;  // the scenario id
  uint64_t seed = 0;
  int64_t replicates = 0;               // per point
  std::string design;                   // grid, lhs, sobol, morris or points
  std::vector<std::string> parameters;  // the varied parameters, in design order
  int64_t points = 0, failed = 0, resumed = 0;
  // Messages the CLI prints on standard error (a sensitivity series left out because some
  // point had no value).
  std::vector<std::string> notes;
  std::vector<SweepRow> summary;            // sweep.csv
  std::vector<SensitivityRow> sensitivity;  // sensitivity.csv (sobol, morris)
  std::vector<SweepTrajectoryRow> trajectories;
  std::vector<std::string> runs_outcomes, runs_inputs;  // as in RunResult
  std::vector<SweepRunRow> runs;
  double wall_seconds = 0;

  // The files' text, exactly as `geosim sweep --out` writes them. sensitivity_csv() is
  // empty for a grid, lhs or points design, trajectories_csv() without
  // per_point_trajectories, runs_csv() without per_run.
  std::string sweep_csv() const;
  std::string sensitivity_csv() const;
  std::string trajectories_csv() const;
  std::string runs_csv() const;
  std::string manifest_json() const;  // its command line is the equivalent `geosim sweep`

  // Writes the result folder `geosim sweep FILE ... --out DIR` writes (the files above and
  // manifest.json), published all at once; refuses (UserError) to replace files geosim
  // did not write or another command's result unless `overwrite`. With `report`, also
  // report.html.
  void write_result_folder(const std::string& dir, bool overwrite = false,
                           bool report = false) const;
  std::string report_html() const;  // the report of this sweep (docs/report.md)

  std::shared_ptr<const detail::SweepState> state;
};

// Runs the scenario, with its current parameter values, at every point of the design.
// Bad options (a --vary spec, a point outside a declared range, an overridden parameter
// that is also varied, ...) are UserErrors raised before anything runs.
SweepResult sweep(const Scenario& scenario, const SweepOptions& options);

// ---- compare ---------------------------------------------------------------------------

// What `geosim compare` takes besides its inputs.
struct CompareOptions {
  std::string scenario;    // --scenario ID: compare only this scenario of each side
  std::string a_scenario;  // --a ID: side A is this scenario (of A)
  std::string b_scenario;  // --b ID: side B is this scenario (of B)
};

// One row of compare.csv (docs/experiments.md): B - A, with a 95% interval and p-value for
// the tested statistics (absent for the others).
struct CompareRow {
  std::string outcome, statistic;
  double a = 0, b = 0, difference = 0;
  std::optional<double> ci_low, ci_high, p_value;
  bool significant = false;  // p < 0.05
};

struct CompareResult {
  std::string a, b;  // what each side is: the summary.csv read, and " (scenario ID)"
  std::vector<CompareRow> rows;
  std::vector<std::string> notes;  // what `geosim compare` prints as notes
  bool any_significant() const;

  std::string compare_csv() const;  // compare.csv's text
  // What `geosim compare --fail-on-difference` prints on standard error.
  std::string differences() const;
  // Writes as `geosim compare --out OUT`: a file (replaced only if geosim wrote it, unless
  // `overwrite`), or into a folder (an existing one, or a name ending in '/', created)
  // compare.csv and compare.json together.
  void write(const std::string& out, bool overwrite = false) const;

  std::shared_ptr<const detail::CompareState> state;
};

// Compares two result folders or summary.csv files outcome by outcome (as `geosim compare
// A B`); one path for both with a_scenario and b_scenario compares two scenarios of a batch.
CompareResult compare(const std::string& a, const std::string& b,
                      const CompareOptions& options = {});
// Compares two runs held in memory (their summary.csv).
CompareResult compare(const RunResult& a, const RunResult& b);

}  // namespace geosim::api
