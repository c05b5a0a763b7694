// The step loop: runs one block of up to kLanes replicates of a Model through every step
// (format: "One step"), lane-parallel, and hands what it observes to a sink. A block owns
// its row space; the same Block object is reused for successive blocks of a thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "expr/program.h"
#include "random/distributions.h"
#include "sim/model.h"

namespace geosim::sim {

// Receives a block's observations. Values are given for the block's valid lanes only.
class Sink {
 public:
  virtual ~Sink() = default;
  // Value of track `index` at step t for each valid lane (stopped replicates repeat their
  // final state).
  virtual void track(int index, int64_t t, const double* values, int n) = 0;
  // Outcome `index` per valid lane. For {first:} outcomes `reached[i]` says whether lane i
  // reached it (values[i] is then the step); for cases, values are label indices and
  // unmatched lanes (no condition held) have reached[i] == 0. Otherwise reached is null.
  // For an outcome with a `given` condition, held[i] says whether it held on lane i's final
  // state (the lane then counts in the outcome's statistics); otherwise held is null.
  virtual void outcome(int index, const double* values, const uint8_t* reached, const uint8_t* held,
                       int n) = 0;
  // The value drawn by the init of Model::init_draws[index], per valid lane, right after
  // the init step. Ignored unless a sink wants it.
  virtual void init_draw(int /*index*/, const double* /*values*/, int /*n*/) {}
  // The storyline items' first occurrences (Model::story), per valid lane, once per block
  // before the outcomes: steps[k][i] is 1 + the step item k first occurred on lane i (0:
  // never), labels[k][i] the option chosen then (labels[k] is null for an event).
  virtual void storyline(const double* const* /*steps*/, const double* const* /*labels*/,
                         int /*n*/) {}
};

// Parameters whose values differ between replicates (a run over a posterior,
// engine/posterior): `rows` are parameter rows of the model, and values(seed, replicate)
// gives, for that replicate, a value for each of them (parallel to `rows`). Block::run
// writes them lane by lane over the broadcast `uniforms` before the init step; lanes past
// the block's end keep the broadcast values. Only parameter rows may be listed: nothing
// else is derived from a parameter's value (the compiler folds literals only).
struct ReplicateParameters {
  std::vector<int32_t> rows;
  std::function<const double*(uint64_t seed, uint64_t replicate)> values;
};

class Block {
 public:
  explicit Block(const Model& model);
  // Runs replicates [first_replicate, first_replicate + n), n <= kLanes, with `uniforms`
  // (the model's uniform row values, possibly with swept parameters). Throws RunError on a
  // non-finite value, naming the statement, the step and the replicate. When `stop` is given
  // and becomes true, the run is abandoned within kStopCheckSteps steps and returns false
  // (what the sink received is then incomplete and must be discarded); otherwise true.
  // `per_replicate`, when given, sets parameters replicate by replicate (see above).
  bool run(const std::vector<double>& uniforms, uint64_t seed, uint64_t first_replicate, int n,
           Sink& sink, const std::atomic<bool>* stop = nullptr,
           const ReplicateParameters* per_replicate = nullptr);
  static constexpr int64_t kStopCheckSteps = 1024;

 private:
  double* row(int32_t r) { return rows_.get() + static_cast<size_t>(r) * expr::kLanes; }
  void exec(const expr::Program& p);
  [[noreturn]] void fail_at(int lane, const std::string& what, const std::string& where);
  // One step's phases after the clock (format: "One step"): events, decisions, dynamics,
  // bargaining, bounds, outcome accumulators. step() takes the instruction-set path of
  // core/isa.h; the three versions are one body compiled three ways, so that the lane
  // loops of the phases run as wide as the interpreter's.
  void step();
  void step_body();
  void step_baseline();
  void step_avx2();
  void step_avx512();
  void run_events();
  void may_fire(const EventModel& ev);
  [[noreturn]] void fail_on_probability(const EventModel& ev);
  void run_decisions();
  void run_bargaining();
  void record_first_choice(const DecisionModel& d);
  void record_outcome_accumulators();

  const Model& model_;
  struct Free {
    void operator()(double* p) const;
  };
  std::unique_ptr<double, Free> rows_;
  rnd::DrawContext draw_;
  int valid_ = 0;
  int64_t t_ = 0;
  uint64_t first_replicate_ = 0;
};

}  // namespace geosim::sim
