#include "experiment/runner.h"

#include <unistd.h>

#include <atomic>
#include <barrier>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

#include "core/error.h"
#include "core/threads.h"
#include "experiment/shared_tracks.h"
#include "expr/program.h"
#include "sim/engine.h"
#include "stats/wire.h"

namespace geosim::experiment {

using expr::kLanes;

namespace {

void put_i64(std::string& out, int64_t v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}
int64_t get_i64(std::string_view& in) {
  GEOSIM_ASSERT(in.size() >= sizeof(int64_t), "truncated statistics record");
  int64_t v;
  std::memcpy(&v, in.data(), sizeof v);
  in.remove_prefix(sizeof v);
  return v;
}

// A thread's view of a run: folds every observation into its own statistics (the tracked
// series into the run's shared ones), and keeps the current block's per-replicate rows
// when runs.csv is wanted.
class Collector : public sim::Sink {
 public:
  Collector(const sim::Model& model, bool keep_rows, SharedTracks& tracks)
      : stats_(empty_stats(model, /*with_tracks=*/false)), keep_rows_(keep_rows), tracks_(tracks) {
    rows_.values.resize(model.outcomes.size());
    rows_.present.resize(model.outcomes.size());
    rows_.inputs.resize(model.init_draws.size());
  }
  void init_draw(int index, const double* values, int n) override {
    if (keep_rows_) rows_.inputs[static_cast<size_t>(index)].assign(values, values + n);
  }
  void track(int index, int64_t t, const double* values, int n) override {
    tracks_.add(index, t, values, n);
  }
  void outcome(int index, const double* values, const uint8_t* reached, const uint8_t* held,
               int n) override {
    OutcomeStats& o = stats_.outcomes[static_cast<size_t>(index)];
    o.total += n;
    if (story_) keep_lane_values(index, values, reached, held, n);
    if (held) {  // a conditional outcome: only the replicates where its condition held count
      uint8_t both[kLanes];
      int h = 0;
      for (int i = 0; i < n; ++i) {
        h += held[i];
        both[i] = static_cast<uint8_t>(held[i] & (reached ? reached[i] : 1));
      }
      o.held += h;
      o.reached_of(values, both, n, reached != nullptr);
    } else if (!reached) {
      o.held += n;
      o.values.add(values, n);
    } else {
      o.held += n;
      o.reached_of(values, reached, n, true);
    }
    if (keep_rows_) {
      auto& v = rows_.values[static_cast<size_t>(index)];
      auto& p = rows_.present[static_cast<size_t>(index)];
      v.assign(values, values + n);
      p.assign(static_cast<size_t>(n), 1);
      for (int i = 0; i < n; ++i)
        p[static_cast<size_t>(i)] =
            static_cast<uint8_t>((reached ? reached[i] : 1) & (held ? held[i] : 1));
    }
  }
  RunStats& stats() { return stats_; }
  BlockRows& rows() { return rows_; }

  // Storylines: each lane's path key, then its outcome values, counted at the block's end.
  void count_paths(const sim::Model& model) {
    story_ = &model;
    const size_t k = model.outcomes.size();
    lane_values_.assign(k, std::vector<double>(kLanes));
    lane_held_.assign(k, std::vector<uint8_t>(kLanes));
    lane_present_.assign(k, std::vector<uint8_t>(kLanes));
  }
  void storyline(const double* const* steps, const double* const* labels, int n) override {
    if (!story_) return;
    const size_t items = story_->story.size();
    std::vector<story::Element> path;
    for (int i = 0; i < n; ++i) {
      path.clear();
      for (size_t k = 0; k < items; ++k) {
        if (steps[k][i] == 0) continue;
        story::Element e;
        e.item = static_cast<uint32_t>(k);
        e.label = labels[k] ? static_cast<uint32_t>(labels[k][i]) : story::kNoLabel;
        e.step = static_cast<uint32_t>(steps[k][i] - 1);
        // Insertion by (step, item): items arrive in item order, so only the step moves one.
        size_t at = path.size();
        while (at > 0 && path[at - 1].step > e.step) --at;
        path.insert(path.begin() + static_cast<std::ptrdiff_t>(at), e);
      }
      keys_[static_cast<size_t>(i)] =
          story::path_key(path, story_->story_steps, story_->story_max_length);
    }
  }
  void end_block(int n) {
    tracks_.flush();
    if (!story_) return;
    for (int i = 0; i < n; ++i) {
      story::PathStats& p = stats_.paths.at(keys_[static_cast<size_t>(i)]);
      ++p.replicates;
      for (size_t k = 0; k < p.outcomes.size(); ++k) {
        if (!lane_held_[k][static_cast<size_t>(i)]) continue;
        story::OutcomeSums& o = p.outcomes[k];
        ++o.held;
        if (!lane_present_[k][static_cast<size_t>(i)]) continue;
        ++o.present;
        const double v = lane_values_[k][static_cast<size_t>(i)];
        if (o.label_counts.empty())
          o.sum.add(v);
        else
          ++o.label_counts[static_cast<size_t>(v)];
      }
    }
  }

 private:
  void keep_lane_values(int index, const double* values, const uint8_t* reached,
                        const uint8_t* held, int n) {
    const size_t k = static_cast<size_t>(index);
    for (int i = 0; i < n; ++i) {
      lane_values_[k][static_cast<size_t>(i)] = values[i];
      lane_held_[k][static_cast<size_t>(i)] = held ? held[i] : 1;
      lane_present_[k][static_cast<size_t>(i)] = reached ? reached[i] : 1;
    }
  }

  RunStats stats_;
  bool keep_rows_;
  TrackWriter tracks_;
  BlockRows rows_;
  const sim::Model* story_ = nullptr;  // set when storylines are counted
  std::string keys_[kLanes];
  std::vector<std::vector<double>> lane_values_;
  std::vector<std::vector<uint8_t>> lane_held_, lane_present_;
};

}  // namespace

void SeriesStats::add(const double* v, int n) {
  if (n <= 0) return;
  moments.add(v, static_cast<size_t>(n));
  sketch.add(v, static_cast<size_t>(n));
  if (all_binary)
    for (int i = 0; i < n; ++i)
      if (v[i] != 0 && v[i] != 1) {
        all_binary = false;
        break;
      }
}

void SeriesStats::merge(const SeriesStats& o) {
  moments.merge(o.moments);
  sketch.merge(o.sketch);
  all_binary = all_binary && o.all_binary;
}

void SeriesStats::serialize(std::string& out) const {
  moments.serialize(out);
  sketch.serialize(out);
  out.push_back(all_binary ? 1 : 0);
}

SeriesStats SeriesStats::deserialize(std::string_view& in) {
  SeriesStats s;
  s.moments = stats::ExactMoments::deserialize(in);
  s.sketch = stats::QuantileSketch::deserialize(in);
  GEOSIM_ASSERT(!in.empty(), "truncated statistics record");
  s.all_binary = in[0] != 0;
  in.remove_prefix(1);
  return s;
}

void TrackStats::add(const double* v, int n) {
  if (n <= 0) return;
  mean.add(v, static_cast<size_t>(n));
  sketch.add(v, static_cast<size_t>(n));
}

void TrackStats::merge(const TrackStats& o) {
  mean.merge(o.mean);
  sketch.merge(o.sketch);
}

void TrackStats::serialize(std::string& out) const {
  mean.serialize(out);
  sketch.serialize(out);
}

TrackStats TrackStats::deserialize(std::string_view& in) {
  TrackStats s;
  s.mean = stats::ExactMean::deserialize(in);
  s.sketch = stats::QuantileSketch::deserialize(in);
  if (s.mean.count() != s.sketch.count()) stats::wire::damaged("track counts disagree");
  return s;
}

void OutcomeStats::reached_of(const double* v, const uint8_t* keep, int n, bool count_reached) {
  double kept[expr::kLanes];
  int m = 0;
  for (int i = 0; i < n; ++i)
    if (keep[i]) {
      kept[m++] = v[i];
      if (!case_counts.empty()) ++case_counts[static_cast<size_t>(v[i])];
    }
  if (count_reached) reached += m;
  values.add(kept, m);
}

void OutcomeStats::merge(const OutcomeStats& o) {
  values.merge(o.values);
  total += o.total;
  held += o.held;
  reached += o.reached;
  for (size_t i = 0; i < case_counts.size() && i < o.case_counts.size(); ++i)
    case_counts[i] += o.case_counts[i];
}

void OutcomeStats::serialize(std::string& out) const {
  values.serialize(out);
  put_i64(out, total);
  put_i64(out, held);
  put_i64(out, reached);
  put_i64(out, static_cast<int64_t>(case_counts.size()));
  for (int64_t c : case_counts) put_i64(out, c);
}

OutcomeStats OutcomeStats::deserialize(std::string_view& in) {
  OutcomeStats o;
  o.values = SeriesStats::deserialize(in);
  o.total = get_i64(in);
  o.held = get_i64(in);
  o.reached = get_i64(in);
  int64_t k = get_i64(in);
  for (int64_t i = 0; i < k; ++i) o.case_counts.push_back(get_i64(in));
  return o;
}

void RunStats::merge(const RunStats& o) {
  replicates += o.replicates;
  for (size_t i = 0; i < outcomes.size(); ++i) outcomes[i].merge(o.outcomes[i]);
  for (size_t k = 0; k < track.size(); ++k)
    for (size_t t = 0; t < track[k].size(); ++t) track[k][t].merge(o.track[k][t]);
  paths.merge(o.paths);
}

void RunStats::serialize(std::string& out) const {
  put_i64(out, replicates);
  put_i64(out, static_cast<int64_t>(outcomes.size()));
  for (const auto& o : outcomes) o.serialize(out);
  put_i64(out, static_cast<int64_t>(track.size()));
  for (const auto& tr : track) {
    put_i64(out, static_cast<int64_t>(tr.size()));
    for (const auto& s : tr) s.serialize(out);
  }
  paths.serialize(out);
}

RunStats RunStats::deserialize(std::string_view& in) {
  RunStats r;
  r.replicates = get_i64(in);
  int64_t n = get_i64(in);
  for (int64_t i = 0; i < n; ++i) r.outcomes.push_back(OutcomeStats::deserialize(in));
  int64_t k = get_i64(in);
  for (int64_t i = 0; i < k; ++i) {
    int64_t steps = get_i64(in);
    std::vector<TrackStats> tr;
    for (int64_t t = 0; t < steps; ++t) tr.push_back(TrackStats::deserialize(in));
    r.track.push_back(std::move(tr));
  }
  r.paths = story::PathTable::deserialize(in);
  return r;
}

RunStats empty_stats(const sim::Model& model, bool with_tracks) {
  RunStats s;
  s.outcomes.resize(model.outcomes.size());
  for (size_t i = 0; i < model.outcomes.size(); ++i)
    if (model.outcomes[i].kind == OutcomeKind::kCases)
      s.outcomes[i].case_counts.assign(model.outcomes[i].labels.size(), 0);
  // No per-step statistics at all without `track` (a step count near the limit would
  // otherwise ask for gigabytes of empty sketches).
  s.track.resize(model.track.size());
  if (with_tracks)
    for (auto& series : s.track) series.resize(static_cast<size_t>(model.steps));
  std::vector<story::OutcomeShape> shapes;
  for (const auto& o : model.outcomes)
    shapes.push_back({o.kind == OutcomeKind::kCases ? o.labels.size() : size_t{0}});
  s.paths = story::PathTable(std::move(shapes));
  return s;
}

RunStats run_replicates(const sim::Model& model, const std::vector<double>& uniforms,
                        const RunOptions& options, const RowsCallback& on_rows) {
  const int64_t total_blocks = (options.replicates + kLanes - 1) / kLanes;
  const int64_t shard_count = std::max<int64_t>(1, options.shard_count);
  const int64_t first_block = total_blocks * options.shard_index / shard_count;
  const int64_t end_block = total_blocks * (options.shard_index + 1) / shard_count;
  const int threads = static_cast<int>(std::max<int64_t>(
      1, std::min<int64_t>(options.threads, std::max<int64_t>(1, end_block - first_block))));

  std::atomic<int64_t> next{first_block};
  std::atomic<int64_t> done{0};
  std::atomic<int64_t> failed_block{INT64_MAX};
  std::mutex mu;
  std::condition_variable cv;
  std::string failure;
  // Rows of finished blocks waiting for their predecessors (on_rows is in block order).
  std::map<int64_t, BlockRows> pending;
  int64_t next_to_emit = first_block;
  const int64_t window = 4 * threads;  // bounds `pending`: memory stays flat

  std::vector<RunStats> partial(static_cast<size_t>(threads));
  auto stopped = [&] { return options.stop && options.stop->load(); };
  // The tracked series, shared by the threads (SharedTracks). Once every thread has run
  // its last block, each settles a contiguous share of them: for thousands of series that
  // was serial work after the join.
  SharedTracks tracks(model.track.size(), static_cast<size_t>(model.steps));
  std::barrier<> all_blocks_done(threads);
  const size_t series = tracks.series();
  auto settle_tracks = [&](int w) {
    tracks.settle(series * static_cast<size_t>(w) / static_cast<size_t>(threads),
                  series * static_cast<size_t>(w + 1) / static_cast<size_t>(threads));
  };
  auto worker = [&](int w) {
    Collector collector(model, static_cast<bool>(on_rows), tracks);
    if (options.storylines && !model.story.empty()) collector.count_paths(model);
    sim::Block block(model);
    for (;;) {
      if (options.stop && options.stop->load()) break;
      int64_t b = next.fetch_add(1);
      if (b >= end_block || b > failed_block.load()) break;
      if (on_rows) {
        std::unique_lock<std::mutex> lock(mu);
        // Woken by every emission, failure and abandoned block: a thread waiting for a block
        // that was abandoned (stop) must not wait for ever.
        cv.wait(lock,
                [&] { return b < next_to_emit + window || failed_block.load() < b || stopped(); });
        if (failed_block.load() < b || stopped()) break;
      }
      const uint64_t first = static_cast<uint64_t>(b) * kLanes;
      const int n = static_cast<int>(std::min<int64_t>(kLanes, options.replicates - b * kLanes));
      try {
        // A block of a very long scenario can take minutes: the stop flag is polled inside
        // it too, and an abandoned block is neither counted nor emitted.
        if (!block.run(uniforms, options.seed, first, n, collector, options.stop,
                       options.per_replicate)) {
          std::lock_guard<std::mutex> lock(mu);
          cv.notify_all();
          break;
        }
      } catch (const RunError& e) {
        std::lock_guard<std::mutex> lock(mu);
        if (b < failed_block.load()) {
          failed_block = b;
          failure = e.what();
        }
        cv.notify_all();
        break;
      }
      collector.end_block(n);
      collector.stats().replicates += n;
      if (on_rows) {
        BlockRows rows = collector.rows();
        rows.first_replicate = first;
        rows.n = n;
        std::unique_lock<std::mutex> lock(mu);
        pending.emplace(b, std::move(rows));
        while (!pending.empty() && pending.begin()->first == next_to_emit &&
               next_to_emit < failed_block.load()) {
          on_rows(pending.begin()->second);
          pending.erase(pending.begin());
          ++next_to_emit;
        }
        cv.notify_all();
      }
      ++done;
    }
    partial[static_cast<size_t>(w)] = std::move(collector.stats());
    all_blocks_done.arrive_and_wait();
    if (failed_block.load() == INT64_MAX) settle_tracks(w);
  };

  std::vector<std::thread> pool;
  // A new thread may start on this one's CPU and stay there for milliseconds (core/threads.h).
  const int creator_cpu = core::current_cpu();
  for (int w = 1; w < threads; ++w)
    pool.emplace_back([&, w] {
      core::move_off_cpu(creator_cpu, w);
      worker(w);
    });
  std::thread progress;
  std::atomic<bool> finished{false};
  if (options.progress && isatty(STDERR_FILENO)) {
    progress = std::thread([&] {
      const int64_t blocks = end_block - first_block;
      while (!finished.load()) {
        int64_t d = done.load();
        int width = 30;
        int filled = blocks ? static_cast<int>(width * d / blocks) : width;
        std::fprintf(stderr, "\r%s [%.*s%*s] %3d%%", options.progress_label.c_str(), filled,
                     "##############################", width - filled, "",
                     blocks ? static_cast<int>(100 * d / blocks) : 100);
        std::fflush(stderr);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      std::fprintf(stderr, "\r%*s\r", static_cast<int>(options.progress_label.size()) + 40, "");
    });
  }
  worker(0);
  for (auto& t : pool) t.join();
  finished = true;
  if (progress.joinable()) progress.join();

  if (failed_block.load() != INT64_MAX) throw RunError(failure);
  if (options.stop && options.stop->load() && done.load() < end_block - first_block)
    throw Interrupted("stopped after " + std::to_string(done.load()) + " of " +
                      std::to_string(end_block - first_block) + " blocks");
  // The partials hold no tracked series (each track an empty vector), so merging them
  // merges the rest; the shared series, already settled (settle_tracks), go in after.
  RunStats result = std::move(partial[0]);
  for (size_t w = 1; w < partial.size(); ++w) result.merge(partial[w]);
  for (auto& o : result.outcomes) o.values.sketch.settle();
  result.track = std::move(tracks.track());
  return result;
}

}  // namespace geosim::experiment
