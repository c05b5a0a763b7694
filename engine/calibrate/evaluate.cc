#include "calibrate/evaluate.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <exception>
#include <filesystem>
#include <limits>
#include <mutex>
#include <thread>

#include "core/error.h"
#include "dist/dist.h"
#include "experiment/runner.h"
#include "io/atomic_file.h"
#include "io/read_file.h"
#include "io/sha256.h"
#include "random/distributions.h"
#include "random/stream.h"

namespace geosim::calibrate {
namespace fs = std::filesystem;
namespace {

constexpr uint64_t kAlgoKey = 0xCA11B7A7E5EED001ull;

uint64_t mix64(uint64_t z) {  // splitmix64's finaliser
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

void put_u64(std::string& out, uint64_t v) { out.append(reinterpret_cast<const char*>(&v), 8); }
void put_f64(std::string& out, double v) { out.append(reinterpret_cast<const char*>(&v), 8); }
uint64_t get_u64(std::string_view& in) {
  GEOSIM_ASSERT(in.size() >= 8, "truncated calibration record");
  uint64_t v;
  std::memcpy(&v, in.data(), 8);
  in.remove_prefix(8);
  return v;
}
double get_f64(std::string_view& in) {
  GEOSIM_ASSERT(in.size() >= 8, "truncated calibration record");
  double v;
  std::memcpy(&v, in.data(), 8);
  in.remove_prefix(8);
  return v;
}

void encode(std::string& out, const TaskResult& r) {
  put_f64(out, r.likelihood);
  put_u64(out, r.distance.size());
  for (double d : r.distance) put_f64(out, d);
  put_u64(out, r.values.size());
  for (double d : r.values) put_f64(out, d);
}
TaskResult decode(std::string_view& in) {
  TaskResult r;
  r.likelihood = get_f64(in);
  uint64_t n = get_u64(in);
  r.distance.resize(n);
  for (auto& d : r.distance) d = get_f64(in);
  n = get_u64(in);
  r.values.resize(n);
  for (auto& d : r.values) d = get_f64(in);
  return r;
}

std::string tasks_digest(const std::vector<Task>& tasks) {
  std::string s;
  for (const auto& t : tasks) {
    put_u64(s, t.case_index);
    put_u64(s, t.seed);
    for (double x : t.theta) put_f64(s, x);
  }
  return io::sha256_hex(s);
}

}  // namespace

double algo_uniform(uint64_t seed, uint32_t stream, uint32_t a, uint32_t b, uint32_t k) {
  return rnd::uniform(mix64(seed ^ kAlgoKey), rnd::Counter{a, b, stream, k});
}

double algo_normal(uint64_t seed, uint32_t stream, uint32_t a, uint32_t b, uint32_t k) {
  return rnd::normal_quantile(algo_uniform(seed, stream, a, b, k));
}

uint64_t derive_seed(uint64_t seed, uint64_t a, uint64_t b, uint64_t c) {
  return mix64(mix64(mix64(seed ^ 0x5EEDull) ^ a) ^ (b * 0x9E3779B97F4A7C15ull)) ^ mix64(c + 17);
}

Evaluator::Evaluator(const Problem& problem, const Context& context, int64_t replicates,
                     unsigned wants, const std::string& key)
    : problem_(problem),
      lean_(*problem.model),
      context_(context),
      replicates_(replicates),
      wants_(wants) {
  lean_.track.clear();
  if (context_.state_dir.empty() || dist::rank() != 0) return;
  std::error_code ec;
  const std::string& dir = context_.state_dir;
  if (context_.resume && fs::exists(dir + "/key")) {
    if (io::read_file(dir + "/key") != key + "\n")
      throw UserError(SourceLoc{dir},
                      "--resume: this folder holds another calibration (scenario, cases, free "
                      "parameters, method or seed changed); run without --resume to start again");
  } else {
    fs::remove_all(dir, ec);
  }
  fs::create_directories(dir, ec);
  if (ec) throw UserError(SourceLoc{dir}, "cannot create the state folder: " + ec.message());
  io::write_file_atomically(dir + "/key", key + "\n");
  log_path_ = dir + "/batches.log";
  // Records: "GCB1" | u64 payload length | 64 hex sha256 of the payload | payload. The good
  // prefix is kept; a torn or damaged tail (a kill during a write) is cut off.
  std::string text = fs::exists(log_path_) ? io::read_file(log_path_) : std::string();
  size_t pos = 0;
  while (text.size() - pos >= 4 + 8 + 64) {
    if (text.compare(pos, 4, "GCB1") != 0) break;
    uint64_t len;
    std::memcpy(&len, text.data() + pos + 4, 8);
    if (len > text.size() - pos - 76) break;
    std::string_view payload(text.data() + pos + 76, len);
    if (io::sha256_hex(payload) != std::string_view(text.data() + pos + 12, 64)) break;
    cached_.emplace_back(payload);
    pos += 76 + len;
  }
  fs::resize_file(log_path_.c_str(), pos, ec);  // no-op for a new file
  log_ = std::fopen(log_path_.c_str(), "ab");
  if (!log_) throw UserError(SourceLoc{log_path_}, "cannot open the calibration log for writing");
}

Evaluator::~Evaluator() {
  if (log_) std::fclose(log_);
}

std::string Evaluator::interrupted_message() const {
  return std::to_string(next_batch_ - 1) + " batch(es) of simulations finished" +
         (context_.state_dir.empty() ? std::string(" and were discarded")
                                     : " and are kept in " + context_.state_dir +
                                           "; run the same command with --resume to continue");
}

TaskResult Evaluator::simulate(const Task& task, int threads) const {
  const sim::Model& model = lean_;
  const Case& c = problem_.observations.cases[task.case_index];
  std::vector<double> uniforms = problem_.base_uniforms;
  for (const auto& [row, v] : c.sets) uniforms[static_cast<size_t>(row - model.uniform_base)] = v;
  for (size_t j = 0; j < problem_.free.size(); ++j)
    uniforms[static_cast<size_t>(problem_.free[j].row - model.uniform_base)] = task.theta[j];
  experiment::RunOptions ro;
  ro.replicates = replicates_;
  ro.seed = task.seed;
  ro.threads = threads;
  ro.stop = context_.stop;
  const size_t n_targets = c.targets.size();
  const size_t R = static_cast<size_t>(replicates_);
  TaskResult r;
  if (wants_ & kWantDistance) r.distance.assign(R, 0);
  if (wants_ & kWantValues) r.values.assign(n_targets * R, 0);
  // Kernel sums are added in replicate order (on_rows is ordered), so the sum is the same
  // however many threads ran the blocks.
  double kernel_sum = 0;
  const double steps = static_cast<double>(model.steps);
  const double kSqrt2Pi = std::sqrt(2 * M_PI);
  auto on_rows = [&](const experiment::BlockRows& br) {
    for (int i = 0; i < br.n; ++i) {
      const size_t rep = static_cast<size_t>(br.first_replicate) + static_cast<size_t>(i);
      double kernel = 1, d2 = 0;
      for (size_t k = 0; k < n_targets; ++k) {
        const Target& t = c.targets[k];
        const size_t o = static_cast<size_t>(t.outcome);
        const bool present = br.present[o][static_cast<size_t>(i)] != 0;
        const double v = br.values[o][static_cast<size_t>(i)];
        double value = present ? v : std::numeric_limits<double>::quiet_NaN();
        switch (t.kind) {
          case TargetKind::kExact:
            kernel *= v == t.value ? 1 : 0;
            d2 += (v - t.value) * (v - t.value);
            break;
          case TargetKind::kNumber: {
            const double z = (v - t.value) / t.sd;
            kernel *= std::exp(-0.5 * z * z) / (t.sd * kSqrt2Pi);
            d2 += z * z;
            break;
          }
          case TargetKind::kLabel: {
            const bool hit = present && v == t.value;
            kernel *= hit ? 1 : 0;
            d2 += hit ? 0 : 1;
            value = hit ? 1 : 0;
            break;
          }
          case TargetKind::kFirst: {
            const double sim = present ? v : steps, obs = t.value < 0 ? steps : t.value;
            if (t.sd > 0) {
              const double z = (sim - obs) / t.sd;
              kernel *= std::exp(-0.5 * z * z) / (t.sd * kSqrt2Pi);
              d2 += z * z;
            } else {
              kernel *= sim == obs ? 1 : 0;
              d2 += (sim - obs) * (sim - obs);
            }
            break;
          }
        }
        if (wants_ & kWantValues) r.values[k * R + rep] = value;
      }
      kernel_sum += kernel;
      if (wants_ & kWantDistance) r.distance[rep] = std::sqrt(d2);
    }
  };
  experiment::run_replicates(model, uniforms, ro, on_rows);
  r.likelihood = kernel_sum / static_cast<double>(R);
  return r;
}

std::vector<TaskResult> Evaluator::run(const std::vector<Task>& tasks) {
  const size_t batch = next_batch_++;
  evaluations += static_cast<int64_t>(tasks.size());
  simulations += static_cast<int64_t>(tasks.size()) * replicates_;
  const std::string digest = tasks_digest(tasks);
  // Rank 0 knows the log; it tells every rank whether this batch is there.
  std::string cached;
  if (dist::rank() == 0 && batch < cached_.size() &&
      std::string_view(cached_[batch]).substr(0, 64) == digest)
    cached = cached_[batch];
  if (dist::active()) cached = dist::broadcast(cached);
  std::string payload;
  if (!cached.empty()) {
    payload = std::move(cached);
    ++batches_resumed;
  } else {
    if (context_.stop && context_.stop->load()) throw Interrupted(interrupted_message());
    const int rank = dist::rank(), ranks = dist::size();
    std::vector<size_t> mine;
    for (size_t i = static_cast<size_t>(rank); i < tasks.size(); i += static_cast<size_t>(ranks))
      mine.push_back(i);
    std::vector<TaskResult> local(mine.size());
    const int threads = std::max(1, context_.threads);
    const int workers =
        static_cast<int>(std::min<size_t>(static_cast<size_t>(threads), mine.size()));
    const int per_task = workers > 0 ? std::max(1, threads / workers) : 1;
    std::atomic<size_t> next{0};
    std::mutex mu;
    std::exception_ptr failure;
    size_t failed_at = SIZE_MAX;
    auto worker = [&] {
      for (;;) {
        const size_t j = next.fetch_add(1);
        if (j >= mine.size()) return;
        try {
          local[j] = simulate(tasks[mine[j]], per_task);
        } catch (...) {
          std::lock_guard<std::mutex> lock(mu);
          if (j < failed_at) {  // the first failing task in task order decides the message
            failed_at = j;
            failure = std::current_exception();
          }
        }
      }
    };
    std::vector<std::thread> pool;
    for (int w = 1; w < workers; ++w) pool.emplace_back(worker);
    if (workers > 0) worker();
    for (auto& t : pool) t.join();
    if (failure) {
      try {
        std::rethrow_exception(failure);
      } catch (const Interrupted&) {
        throw Interrupted(interrupted_message());
      }
    }
    std::string mine_bytes;
    for (const auto& r : local) encode(mine_bytes, r);
    if (dist::active()) {
      std::vector<std::string> parts = dist::gather(mine_bytes);
      if (rank == 0) {
        std::vector<std::string_view> views(parts.begin(), parts.end());
        std::string all = digest;
        for (size_t i = 0; i < tasks.size(); ++i) {
          std::string_view& v = views[i % static_cast<size_t>(ranks)];
          TaskResult r = decode(v);
          encode(all, r);
        }
        payload = std::move(all);
      }
      payload = dist::broadcast(payload);
    } else {
      payload = digest + mine_bytes;
    }
    if (log_) {
      std::string rec = "GCB1";
      put_u64(rec, payload.size());
      rec += io::sha256_hex(payload);
      rec += payload;
      if (std::fwrite(rec.data(), 1, rec.size(), log_) != rec.size() || std::fflush(log_) != 0)
        throw UserError(SourceLoc{log_path_}, "cannot write the calibration log");
    }
  }
  std::string_view in(payload);
  in.remove_prefix(64);
  std::vector<TaskResult> out;
  out.reserve(tasks.size());
  for (size_t i = 0; i < tasks.size(); ++i) out.push_back(decode(in));
  return out;
}

double weighted_quantile(const std::vector<double>& x, const std::vector<double>& w, double q) {
  std::vector<size_t> idx(x.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return x[a] < x[b]; });
  double total = 0;
  for (double v : w) total += v;
  double cum = 0;
  for (size_t i : idx) {
    cum += w[i];
    if (cum >= q * total * (1 - 1e-12)) return x[i];
  }
  return idx.empty() ? 0 : x[idx.back()];
}

void summarise(FitResult& result) {
  const size_t d = result.names.size();
  double sum_w2 = 0;
  for (double w : result.weights) sum_w2 += w * w;
  result.params.resize(d);
  for (size_t j = 0; j < d; ++j) {
    ParamSummary& s = result.params[j];
    s.name = result.names[j];
    std::vector<double> x;
    for (const auto& row : result.draws) x.push_back(row[j]);
    double mean = 0;
    for (size_t i = 0; i < x.size(); ++i) mean += result.weights[i] * x[i];
    double var = 0;
    for (size_t i = 0; i < x.size(); ++i) var += result.weights[i] * (x[i] - mean) * (x[i] - mean);
    s.mean = mean;
    s.sd = std::sqrt(var);
    s.p05 = weighted_quantile(x, result.weights, 0.05);
    s.p50 = weighted_quantile(x, result.weights, 0.5);
    s.p95 = weighted_quantile(x, result.weights, 0.95);
    if (s.ess == 0) s.ess = sum_w2 > 0 ? 1 / sum_w2 : 0;
  }
}

}  // namespace geosim::calibrate
