// Runs a compiled Model's replicates: fixed-size blocks of expr::kLanes replicates on a
// pool of threads, each thread folding what it sees into its own statistics, merged at
// the end. Every statistic is an exactly associative monoid (engine/stats), so the
// result does not depend on which thread ran which block, nor on the thread count;
// per-replicate rows are handed out in replicate order. Memory is independent of the
// replicate count.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/engine.h"
#include "sim/model.h"
#include "stats/moments.h"
#include "stats/sketch.h"
#include "story/paths.h"

namespace geosim::experiment {

struct RunOptions {
  int64_t replicates = 1000;
  uint64_t seed = 1;
  int threads = 1;
  bool progress = false;  // draw a progress bar on standard error
  std::string progress_label;
  // Split of the work for shards and MPI ranks: this process runs the shard_index-th of
  // shard_count contiguous ranges of blocks. The default runs everything.
  int64_t shard_index = 0, shard_count = 1;
  // When set and it becomes true, no new block starts, blocks already running are abandoned
  // within sim::Block::kStopCheckSteps steps, and run_replicates throws Interrupted.
  const std::atomic<bool>* stop = nullptr;
  // When set, parameters taken replicate by replicate (a run over a posterior); see
  // sim::ReplicateParameters. Null: every replicate uses `uniforms`.
  const sim::ReplicateParameters* per_replicate = nullptr;
  // Count each replicate's storyline path (Model::story) in RunStats::paths.
  bool storylines = false;
};

// The statistics of one numeric series (an outcome, or a tracked variable at one step).
struct SeriesStats {
  stats::ExactMoments moments;
  stats::QuantileSketch sketch;
  bool all_binary = true;  // every value was 0 or 1
  void add(const double* v, int n);
  void merge(const SeriesStats& o);
  void serialize(std::string& out) const;
  static SeriesStats deserialize(std::string_view& in);
};

// A tracked variable at one step: trajectories.csv reports its mean and quantiles, so the
// exact sum and the sketch are all it keeps (no squares, min or max: see ExactMean).
struct TrackStats {
  stats::ExactMean mean;
  stats::QuantileSketch sketch;
  void add(const double* v, int n);
  void merge(const TrackStats& o);
  void serialize(std::string& out) const;
  static TrackStats deserialize(std::string_view& in);
};

struct OutcomeStats {
  SeriesStats values;                // over replicates that have a value
  int64_t total = 0;                 // replicates seen
  int64_t held = 0;                  // replicates where its `given` held (all without one)
  int64_t reached = 0;               // {first:} reached / cases matched (among held)
  std::vector<int64_t> case_counts;  // cases: per label (among held)
  // Adds the values of the lanes with keep[i] (case counts too; `reached` when asked).
  void reached_of(const double* v, const uint8_t* keep, int n, bool count_reached);
  void merge(const OutcomeStats& o);
  void serialize(std::string& out) const;
  static OutcomeStats deserialize(std::string_view& in);
};

struct RunStats {
  int64_t replicates = 0;
  std::vector<OutcomeStats> outcomes;          // per model outcome
  std::vector<std::vector<TrackStats>> track;  // [track][step]
  story::PathTable paths;  // storylines (RunOptions::storylines); empty otherwise
  void merge(const RunStats& o);
  void serialize(std::string& out) const;
  static RunStats deserialize(std::string_view& in);
};

// Statistics of no replicate for `model`: every outcome, and every tracked series unless
// with_tracks is false (then `track` has one empty vector per tracked expression).
RunStats empty_stats(const sim::Model& model, bool with_tracks = true);

// Per-replicate outcome values of one block, in replicate order, for runs.csv.
// values[k][i], present[k][i] (0 for a never-reached first or unmatched cases).
struct BlockRows {
  uint64_t first_replicate = 0;
  int n = 0;
  std::vector<std::vector<double>> values;
  std::vector<std::vector<uint8_t>> present;
  std::vector<std::vector<double>> inputs;  // inputs[k][i]: Model::init_draws[k]'s draw
};
using RowsCallback = std::function<void(const BlockRows&)>;

// Runs the model with the given uniform values (parameters). `on_rows`, when set, is
// called for every block in increasing replicate order, from one thread at a time.
// Throws RunError for the first failing block (in block order, so the message does not
// depend on the thread count).
RunStats run_replicates(const sim::Model& model, const std::vector<double>& uniforms,
                        const RunOptions& options, const RowsCallback& on_rows = nullptr);

}  // namespace geosim::experiment
