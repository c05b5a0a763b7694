// geosim's public C++ API: load a scenario with overrides, run it, sweep it, compare
// results, discover (PRIM, CART) and calibrate, and get the results as typed tables,
// without going through the command line. The command line (engine/cli), the
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
struct Loaded;          // a scenario's checked spec and compiled model (shared by copies)
struct RunState;        // what a result folder is written from
struct SweepState;      // a sweep's files
struct CompareState;    // a comparison's inputs
struct DiscoverState;   // a discovery's files
struct CalibrateState;  // a fit's files
struct Access;          // for the implementation and the command line
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

// ---- a batch of files (geosim run FILE...) -------------------------------------------

// What `geosim run FILE...` takes (docs/cli.md), field by field.
struct RunFilesOptions {
  std::vector<std::string> files;  // scenario files, run in this order; their ids must differ
  // "NAME=VALUE" each, as --set takes them: applied to every file that declares NAME; a
  // name no file declares is refused.
  std::vector<std::string> sets;
  std::string given;                  // as RunOptions::given, for every file (--given)
  std::string posterior;              // as RunOptions::posterior, for every file (--posterior)
  std::optional<int64_t> replicates;  // default: each file's; 1 to 4294967295
  std::optional<uint64_t> seed;       // default: each file's
  int threads = 0;                    // worker threads; 0: all cores. Never changes a number.
  // Also runs.csv in `out` (needs `out`). Its rows are streamed to the folder, not kept:
  // the RunResults of a batch have no `runs`.
  bool per_run = false;
  // shard_count > 0: a shard, as --shard I/N with I = shard_index (0 <= I < N <= 100000;
  // needs `out`, not with `report` nor under MPI): runs only its share of every scenario's
  // replicates and writes shard.json and stats.bin (and its rows of runs.csv) into `out`,
  // for `geosim merge`. 0: everything runs here (or is shared by the MPI ranks).
  int64_t shard_index = 0, shard_count = 0;
  // Non-empty: writes the result folder there as `geosim run --out DIR` does (claimed
  // before anything runs; another result is replaced only with `overwrite`); with
  // `report`, also report.html (needs `out`).
  std::string out;
  bool overwrite = false;
  bool report = false;
  // Set and becoming true: the scenario running stops (as RunOptions::stop), no later one
  // starts, and run_files returns with BatchRunResult::interrupted set; the scenarios that
  // finished are kept (written to `out` in a plain run).
  const std::atomic<bool>* stop = nullptr;
  bool progress = false;  // a progress bar per scenario on standard error (rank 0 only)
};

// One file of a batch that ran to its end.
struct BatchEntry {
  std::string path;      // the file, as given
  std::string scenario;  // its id
  bool ok = false;
  std::string error;  // !ok: why its run failed (a NaN: the RunError's message)
  // ok: its result (no `runs`: see RunFilesOptions::per_run). Under MPI, on ranks other
  // than 0, only that rank's share of the replicates.
  RunResult result;
};

struct BatchRunResult {
  std::vector<BatchEntry> scenarios;  // in file order, those that ran to their end
  // The id of the scenario a stop interrupted ("" if none); the files after it did not run.
  std::string interrupted;
  // The folder written (`out`), or "" : nothing written (no `out`, no scenario succeeded,
  // an interrupted shard or MPI run, or an MPI rank other than 0). A shard's folder holds
  // shard.json; an interrupted run's folder holds the finished scenarios without runs.csv.
  std::string written;
  bool any_failed() const;
};

// Runs each file's replicates in turn, as `geosim run FILE...` does, and writes its result
// folder (or its shard) into `out`. Every refusal (a file's errors, two files with one
// id, an undeclared --set, a posterior holding an overridden parameter, an `out` holding
// what geosim did not write) comes before anything runs; a failed scenario (a NaN) does
// not stop the others. Under MPI (mpirun), every rank calls it and the ranks share the
// replicates; rank 0 writes. Prints nothing but the progress bar.
BatchRunResult run_files(const RunFilesOptions& options);

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

// ---- discover ----------------------------------------------------------------------------

// What `geosim discover` takes besides its input and --out (docs/discovery.md).
struct DiscoverOptions {
  std::string outcome;              // required: a runs.csv or CSV column, a sweep.csv outcome
  std::optional<double> threshold;  // cases of interest: value > threshold
  bool below = false;               // with threshold: value < threshold
  std::string label;                // cases of interest: a cases outcome's label
  std::string statistic;   // sweep points: which statistic (default probability, share:L, mean)
  bool per_point = false;  // a sweep folder: its points even when runs.csv exists
  std::vector<std::string> inputs;  // only these inputs (empty: every numeric input)
  std::string method = "prim";      // "prim" (boxes by peeling) or "cart" (a tree's leaves)
  // prim
  int boxes = 1;                                 // covering: up to this many boxes (1 to 100)
  double peel_alpha = 0.05, paste_alpha = 0.05;  // in (0, 0.5)
  // both: the smallest box (prim) or leaf (cart), as a share of all rows
  double mass_min = 0.05;
  // prim: the box of highest coverage with at least this density on each trade-off curve;
  // cart: the leaves of at least this density (default: the last box; majority leaves)
  std::optional<double> density;
  // cart
  int64_t min_leaf = 0;  // fewest rows in a leaf (0: mass_min of all rows)
  int max_depth = 0;     // deepest split (0: no cap)
  double ccp_alpha = 0;  // cost-complexity pruning (0: none)
};

// One row of boxes.csv: one input a box restricts.
struct BoxRow {
  int64_t box = 0;  // 1, 2, ...
  std::string input;
  double low = 0, high = 0;              // the box's limits on the input
  double range_low = 0, range_high = 0;  // the input's range over all rows
  std::optional<double> p_low, p_high;   // quasi-p of each restricted limit
  double coverage = 0, density = 0, mass = 0;
  int64_t rows = 0, cases = 0;
  std::string method;           // prim or cart
  std::optional<int64_t> node;  // cart: the leaf
};

// One row of tradeoff.csv (prim): one step of a box's peeling and pasting trajectory.
struct TradeoffRow {
  int64_t box = 0, step = 0;
  std::string phase;  // peel or paste
  double coverage = 0, density = 0, mass = 0;
  int64_t restricted = 0, rows = 0, cases = 0;
  bool chosen = false;
};

// One row of tree.csv (cart): one node, in preorder.
struct TreeRow {
  int64_t node = 0;
  std::optional<int64_t> parent;
  std::string side;  // "<=" or ">" from its parent ("" for the root)
  int64_t depth = 0;
  std::string input;  // its split ("" for a leaf)
  std::optional<double> threshold;
  int64_t rows = 0, cases = 0;
  double share = 0;
  std::optional<int64_t> box;  // a leaf output as a box
};

struct DiscoverResult {
  std::string source;  // the file the rows came from
  std::string unit;    // "sweep points", "replicates" or "rows"
  std::string method;  // prim or cart
  int64_t rows = 0, cases = 0;
  std::vector<std::string> inputs;            // the inputs mined
  std::vector<double> range_low, range_high;  // parallel to inputs
  std::vector<BoxRow> boxes;                  // boxes.csv
  std::vector<TradeoffRow> tradeoff;          // tradeoff.csv (prim)
  std::vector<TreeRow> tree;                  // tree.csv (cart)

  std::string boxes_csv() const;
  std::string tradeoff_csv() const;  // empty for cart
  std::string tree_csv() const;      // empty for prim
  std::string text() const;          // what `geosim discover` prints (but the last line)
  // Writes the folder `geosim discover ... --out DIR` writes (boxes.csv, tradeoff.csv or
  // tree.csv, discover.json, manifest.json), claimed and published as the CLI does.
  void write_result_folder(const std::string& dir, bool overwrite = false) const;

  std::shared_ptr<const detail::DiscoverState> state;
};

// Mines a result folder (a sweep's points or replicates, a run's replicates) or a CSV, as
// `geosim discover PATH` does.
DiscoverResult discover(const std::string& path, const DiscoverOptions& options);
// Mines a result held in memory: a sweep's points (or its replicates with per_run), a
// run's replicates (it needs per_run).
DiscoverResult discover(const SweepResult& sweep, const DiscoverOptions& options);
DiscoverResult discover(const RunResult& run, const DiscoverOptions& options);

// ---- calibrate ---------------------------------------------------------------------------

// What `geosim calibrate` takes (docs/calibration.md), field by field.
struct CalibrateOptions {
  std::string cases;              // required: the CSV of observed cases (--cases)
  std::vector<std::string> free;  // required: NAME[:PRIOR] of each parameter to fit (--free)
  std::string method = "mle";     // mle | abc-smc | pmmh
  // mle
  int evaluations = 300;  // Nelder-Mead evaluations at most
  int bootstrap = 0;      // case-bootstrap refits written as posterior draws
  bool profile = true;    // profile-likelihood 95% intervals (false: --no-profile)
  // abc-smc
  int particles = 200;
  int generations = 8;
  double quantile = 0.5;
  double min_acceptance = 0.01;
  // pmmh
  int chains = 4;
  int iterations = 1000;
  int burn_in = 300;
  std::optional<int64_t> replicates;        // per case and evaluation; default: the method's
  std::optional<uint64_t> seed;             // default: the scenario's
  int threads = 0;                          // 0: all cores. Never changes a number.
  const std::atomic<bool>* stop = nullptr;  // set: stop after the current batch (Interrupted)
  bool progress = false;
  // Non-empty: the fit works in this folder as `geosim calibrate --out DIR` does (finished
  // batches kept in DIR/.calibrate, continued with `resume`) and writes its result folder
  // there (replacing another result only with `overwrite`). Empty: a private temporary one.
  std::string out;
  bool resume = false;
  bool overwrite = false;
};

// One row of fit.csv: per parameter its prior, estimate (mle), ci_low and ci_high
// (profile), mean, sd, p05, p50, p95, ess; then fit-level rows (parameter "") such as
// method, cases, draws, evaluations, simulations.
struct FitRow {
  std::string parameter, statistic;
  std::string text;             // the field as written (a prior, a method name, a number)
  std::optional<double> value;  // the field as a number, when it is one
};

// One row of posterior.csv: a draw and its weight (values parallel to
// CalibrateResult::parameters).
struct PosteriorDraw {
  int64_t draw = 0;
  double weight = 0;
  std::vector<double> values;
};

// One row of predictions.csv: what the fitted model predicts for one observed outcome of
// one case (posterior predictive).
struct PredictionRow {
  std::string case_id, outcome, observed;
  std::optional<double> mean, p05, p95, p_observed;
  int64_t replicates = 0;
};

struct CalibrateResult {
  std::string scenario;  // the scenario id
  std::string method;    // mle, abc-smc or pmmh
  uint64_t seed = 0;
  std::vector<std::string> parameters;     // the free parameters, in `free` order
  std::vector<FitRow> fit;                 // fit.csv
  std::vector<PosteriorDraw> posterior;    // posterior.csv
  std::vector<PredictionRow> predictions;  // predictions.csv
  int64_t evaluations = 0, simulations = 0;
  double wall_seconds = 0;

  std::string fit_csv() const;
  std::string posterior_csv() const;  // usable as RunOptions::posterior once written
  std::string predictions_csv() const;
  std::string manifest_json() const;  // its command line is the equivalent `geosim calibrate`
  std::string text() const;           // the summary `geosim calibrate` prints
  // Writes the folder `geosim calibrate ... --out DIR` writes (posterior.csv, fit.csv,
  // predictions.csv, manifest.json), claimed and published as the CLI does; with
  // `report`, also report.html.
  void write_result_folder(const std::string& dir, bool overwrite = false,
                           bool report = false) const;

  std::shared_ptr<const detail::CalibrateState> state;
};

// Fits the free parameters of the scenario (its other parameters at their current values)
// to the observed cases. Every refusal (a bad --free, a case the model cannot produce, a
// free parameter that is also overridden) comes before anything is simulated.
CalibrateResult calibrate(const Scenario& scenario, const CalibrateOptions& options);

}  // namespace geosim::api
