// Internal to engine/calibrate: simulating parameter points, the randomness of the
// algorithms, and the log of finished batches that makes a fit resumable.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "calibrate/calibrate.h"

namespace geosim::calibrate {

// One simulation task: the free parameters `theta`, one case, a seed.
struct Task {
  std::vector<double> theta;
  uint32_t case_index = 0;
  uint64_t seed = 0;
};

struct TaskResult {
  // Mean over replicates of the product over the case's targets of each target's kernel
  // (1/0 for an exact match, the Gaussian density for VALUE~SD): an unbiased estimate of the
  // likelihood of the case's observations.
  double likelihood = 0;
  std::vector<double> distance;  // per replicate: sqrt(sum of squared scaled differences)
  std::vector<double> values;    // per target, per replicate (target-major); NaN: no value
};

enum EvalWants : unsigned { kWantDistance = 1, kWantValues = 2 };

// Runs batches of tasks: spread over MPI ranks (task i on rank i % ranks) and threads; the
// results are the same on every rank and do not depend on either count. With a state folder,
// each finished batch is appended to a checksummed log, and a resumed fit reads the batches
// it finds there instead of simulating them again (the algorithms are deterministic, so
// batch n of a resumed fit is batch n of the interrupted one).
class Evaluator {
 public:
  Evaluator(const Problem& problem, const Context& context, int64_t replicates, unsigned wants,
            const std::string& key);
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;
  std::vector<TaskResult> run(const std::vector<Task>& tasks);
  int64_t replicates() const { return replicates_; }
  int64_t evaluations = 0;  // tasks run or read back
  int64_t simulations = 0;  // replicates of those tasks
  int64_t batches_resumed = 0;

 private:
  TaskResult simulate(const Task& task, int threads) const;
  std::string interrupted_message() const;
  const Problem& problem_;
  // The model without `track`: a calibration observes outcomes only, so per-step statistics
  // of tracked variables would be computed for nothing.
  sim::Model lean_;
  Context context_;
  int64_t replicates_;
  unsigned wants_;
  std::string log_path_;
  std::vector<std::string> cached_;  // payloads of logged batches, in order
  size_t next_batch_ = 0;
  std::FILE* log_ = nullptr;
};

// A uniform in (0, 1) for the algorithms: a pure function of (seed, stream, a, b, k), from
// a key separate from the simulations'.
double algo_uniform(uint64_t seed, uint32_t stream, uint32_t a, uint32_t b, uint32_t k = 0);
double algo_normal(uint64_t seed, uint32_t stream, uint32_t a, uint32_t b, uint32_t k = 0);
// A simulation seed derived from the fit's seed and up to three numbers.
uint64_t derive_seed(uint64_t seed, uint64_t a, uint64_t b = 0, uint64_t c = 0);

// Streams of algo_uniform (one per use, so that no two uses share numbers).
enum Stream : uint32_t {
  kStreamPrior = 1,
  kStreamPick = 2,
  kStreamPerturb = 3,
  kStreamAccept = 4,
  kStreamBootstrap = 5,
  kStreamPredict = 6,
};

// Weighted summaries of draws for fit.csv.
void summarise(FitResult& result);
double weighted_quantile(const std::vector<double>& x, const std::vector<double>& w, double q);

}  // namespace geosim::calibrate
