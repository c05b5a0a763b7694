// Writes a result folder (interfaces.md): summary.csv, trajectories.csv, runs.csv and
// manifest.json. Each file is written to a temporary name and renamed when complete.
#pragma once

#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "experiment/runner.h"
#include "experiment/summary.h"
#include "posterior/posterior.h"
#include "sim/model.h"

namespace geosim::io {
class AtomicFile;
class JsonWriter;
}  // namespace geosim::io
namespace geosim::outdir {
class Publication;
}

namespace geosim::experiment {

// One scenario of a batch and what became of it.
struct ScenarioRun {
  const sim::Model* model = nullptr;
  std::vector<double> uniforms;  // parameter values used
  // Set when replicates take some parameters from a posterior (run --posterior).
  const posterior::Binding* posterior = nullptr;
  uint64_t seed = 0;
  int64_t replicates = 0;
  RunStats stats;
  bool ok = false;
  std::string error;  // when !ok
  double wall_seconds = 0;
};

struct ManifestInfo {
  std::string command;                    // "run", "sweep", ...
  std::vector<std::string> command_line;  // argv
  std::string start_time;                 // ISO 8601, UTC
  double wall_seconds = 0;
  int threads = 1;
  int ranks = 1;  // MPI ranks that ran the replicates (1: one process)
  // Writes extra top-level members (e.g. "sweep"); may be empty.
  std::function<void(io::JsonWriter&)> extra;
};

std::string utc_now_iso8601();

// Finishes the publication's staged files and writes the manifest member "outputs": each
// file's path, sha256 and size (what outdir::verify_result_set checks).
void write_outputs_json(io::JsonWriter& w, outdir::Publication& pub);

// The manifest entry of one scenario: id, title, description, step label, steps, seed,
// replicates, sources, file and every file read with its sha256, resolved parameters,
// outcomes with their kinds (and labels), tracked expressions; with a posterior, its
// file, sha256, draws and the parameters taken from it (write_posterior_json).
void write_scenario_json(io::JsonWriter& w, const sim::Model& model,
                         const std::vector<double>& uniforms, uint64_t seed, int64_t replicates,
                         const posterior::Binding* posterior = nullptr);
// The member "posterior": {path, sha256, draws, effective_draws, weighted, parameters}.
void write_posterior_json(io::JsonWriter& w, const posterior::Binding& b);

// manifest.json's text. `pub` holds the other files of the result, already staged: each
// is listed under "outputs" with its sha256 and size (outdir::verify_result_set).
std::string manifest_text(const ManifestInfo& info, const std::vector<ScenarioRun>& runs,
                          outdir::Publication& pub);
// Successful runs only: a failed run contributes nothing (no average over a NaN).
// When a run took parameters from a posterior, a last column `posterior` holds the
// posterior file's sha256 on that run's rows (empty on other runs' rows).
std::string summary_text(const std::vector<ScenarioRun>& runs);
std::string trajectories_text(const std::vector<ScenarioRun>& runs);

// runs.csv, streamed: scenario,replicate, then one column per outcome name (the union
// over the batch's scenarios, in order of first appearance), then one column
// init:VARIABLE per state variable whose init draws at random (Model::init_draws; the
// union likewise; empty for a scenario without it). A `cases` outcome holds
// its label; a never-reached {first:} or unmatched case is empty. Each scenario streams
// into a part file (DIR/.runs-<scenario>-<tag>.part; the tag is the shard or rank), and
// runs.csv is joined from the parts of the scenarios that finished, so a failed scenario
// leaves no rows and memory stays flat.
class RunsWriter {
 public:
  RunsWriter(std::string dir, const std::vector<const sim::Model*>& models, int tag = 0);
  ~RunsWriter();
  void begin_scenario(size_t scenario_index);
  void add(const BlockRows& rows);
  // Closes the current part; a failed scenario's part is deleted.
  void end_scenario(bool ok);
  // Stages runs.csv in `pub` from the parts in `sources` (folder, tag), scenario by
  // scenario, source by source, skipping scenarios with ok[s] false. A missing part is a
  // UserError (nothing is published then).
  static void join(outdir::Publication& pub, const std::vector<const sim::Model*>& models,
                   const std::vector<std::pair<std::string, int>>& sources,
                   const std::vector<bool>& ok);
  static std::string part_path(const std::string& dir, size_t scenario, int tag);
  // Keep parts on disk at destruction (they are someone else's to join).
  void keep_parts() { keep_ = true; }
  // The parts written for finished scenarios: (scenario index, path).
  const std::vector<std::pair<size_t, std::string>>& parts() const { return written_; }

 private:
  std::string dir_;
  std::vector<const sim::Model*> models_;
  int tag_;
  std::vector<std::string> columns_;
  std::vector<std::pair<size_t, std::string>> written_;
  size_t current_scenario_ = 0;
  std::string current_path_;
  std::unique_ptr<std::ofstream> current_;
  const sim::Model* model_ = nullptr;
  std::vector<int> column_of_outcome_;
  std::vector<int> column_of_input_;
  std::string line_;
  bool keep_ = false;
};

// Writes summary.csv, trajectories.csv, runs.csv (joined from `runs_sources` when given)
// and manifest.json for a batch whose runs are complete (merged), as `run` does, as one
// outdir::Publication: all or nothing, manifest last. The result files of an earlier
// command that this one does not write (outdir::result_names) are removed in the same
// publication, so the folder (and a report drawn from it) describes one result; the
// caller has checked with outdir::check_may_replace_results that they may go. Parts
// joined from `out` itself are removed once published.
void write_result_folder(const std::string& out, const std::vector<ScenarioRun>& runs,
                         const ManifestInfo& info,
                         const std::vector<std::pair<std::string, int>>* runs_sources);

// Column names of runs.csv for a batch.
std::vector<std::string> runs_columns(const std::vector<const sim::Model*>& models);

// A scenario's partial result as bytes (ok flag, error, statistics), for shards and MPI.
std::string encode_partial(const ScenarioRun& run);
// Decodes into `into` (whose model is set); GEOSIM_ASSERT on malformed bytes from geosim.
void decode_partial(std::string_view bytes, ScenarioRun& into);
// Folds `part` (the next shard in order) into `into`: statistics merge exactly; the
// first shard with an error decides the scenario's error.
void merge_partial(ScenarioRun& into, const ScenarioRun& part);

}  // namespace geosim::experiment
