// A sweep: one scenario run at many parameter points (a grid, a sampled design or a CSV
// of points), every point with the same seed (common random numbers: the differences
// between points are the parameters' effect, not Monte Carlo noise).
//
// Durable and resumable: each finished point is written atomically to its own file in
// OUT/.sweep/ before the next is reported done; `resume` skips points whose file exists
// (recomputing none), and the final files are assembled from the point files in point
// order, so an interrupted-then-resumed sweep writes exactly what an uninterrupted one
// does. A point that fails (a NaN) is recorded with status `error` and its message; the
// sweep goes on and reports the failure at the end.
#pragma once

#include <atomic>
#include <string>
#include <utility>
#include <vector>

#include "experiment/design.h"
#include "experiment/output.h"
#include "sim/model.h"

namespace geosim::experiment {

struct SweepOptions {
  int64_t replicates = 1000;
  uint64_t seed = 1;
  int threads = 1;
  std::string out;  // required
  bool resume = false;
  bool per_run = false;
  // Also write trajectories.csv with one block of `track` rows per point (column `point`
  // first, then trajectories.csv's columns), as BehaviorSpace records every tick.
  bool per_point_trajectories = false;
  // `sweep --given EXPR` (already applied to the model's outcomes): part of the key, so
  // that --resume and merge refuse points run under another condition; in manifest.json.
  std::string given;
  bool progress = false;
  // Set: every point's replicates take these parameters from a posterior (run
  // --posterior); sweep.csv then ends with a `posterior` column (the file's sha256).
  const posterior::Binding* posterior = nullptr;
  const std::atomic<bool>* stop = nullptr;  // set: finish running points, start no more
  // For manifest.json: how the design was asked for.
  std::vector<std::string> vary_texts;
  std::string points_file;
  size_t samples = 0;
  int levels = 0;
  // A shard (`sweep --shard I/N`): this process runs the points p with
  // p % shard_count == shard_index into OUT/.sweep and assembles nothing; `geosim merge`
  // gathers the shards' point files and assembles them as one sweep would.
  bool sharded = false;
  int64_t shard_index = 0, shard_count = 1;
  // Set by `geosim merge`: the shard folders and indices the points came from (recorded
  // in manifest.json).
  std::vector<std::pair<std::string, int64_t>> merged_shards;
};

struct SweepResult {
  size_t points = 0;
  size_t failed = 0;
  size_t resumed = 0;  // points found finished and skipped
  std::string key;     // the sweep's key (as in OUT/.sweep/key): what shards of it share
  // For standard error, one line each ("geosim: NOTE"): a sensitivity series left out
  // because some point has no value.
  std::vector<std::string> notes;
};

// The file of point p in a sweep's working folder (OUT/.sweep): suffix ".csv" (its rows of
// sweep.csv) or ".runs.csv" (its rows of runs.csv, with --per-run).
std::string sweep_point_path(const std::string& sweep_dir, size_t p, const char* suffix);

// The points a shard runs: p with p % shard_count == shard_index.
inline bool in_shard(size_t p, int64_t shard_index, int64_t shard_count) {
  return static_cast<int64_t>(p % static_cast<size_t>(shard_count)) == shard_index;
}

// Checks that every design name is a parameter of `model` and every point lies inside
// every parameter's declared range; throws UserError naming the first point that does not.
void check_design(const sim::Model& model, const Design& design);

// Checks that every design name is a parameter of `model` and every value lies in its
// range (UserError otherwise, before anything runs), then runs, writes sweep.csv,
// sensitivity.csv (sobol, morris), runs.csv (per_run), trajectories.csv
// (per_point_trajectories) and manifest.json into options.out.
SweepResult run_sweep(const sim::Model& model, const Design& design, const SweepOptions& options,
                      ManifestInfo info);

// Columns of sweep.csv: point, the varied parameters, the columns of summary.csv, then
// status (ok | error) and error (the message), and `posterior` when one is used.
std::vector<std::string> sweep_header(const Design& design, bool posterior = false);

}  // namespace geosim::experiment
