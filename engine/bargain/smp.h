// The spatial model of politics (SMP) in KTAB's formulation: actors with a capability and,
// on each of several dimensions, a position and a salience, challenge one another, strike
// bargains and settle on new positions, turn after turn (docs/bargaining.md).
//
// With SmpOptions' defaults and a deterministic transition, a run reproduces KTAB's
// reference logs to the printed digits: the order of every floating-point sum, the
// 4-decimal rounding of bargains and the tie-breaking are KTAB's. Where KTAB divides by
// zero (all victory probabilities equal, an actor with no salience) this model takes the
// documented limit instead.
//
// The model is a value: it holds the actors' fixed attributes and options, and every call
// works on positions the caller passes in, so one Smp can serve many replicates and many
// threads at once. Randomness (stochastic transitions only) comes from a caller-supplied
// UniformSource that must be a pure function of (turn, actor, draw): results then depend on
// the source alone, never on thread timing or thread count.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <functional>
#include <vector>

#include "bargain/smp_options.h"

namespace geosim::bargain {

// A uniform in (0, 1) for draw `draw` of actor `actor` in turn `turn`. With several
// worker threads it is called concurrently, so it must not modify shared state.
using UniformSource = std::function<double(uint32_t turn, uint32_t actor, uint32_t draw)>;

// Philox4x32-10 keyed by `seed`, counter (stream, turn, actor, draw): the same arguments
// always give the same uniform. `stream` separates independent runs (a replicate number).
UniformSource philox_uniforms(uint64_t seed, uint32_t stream = 0);

// Everything about the states visited by a run. State 0 is the input.
struct SmpHistory {
  std::vector<Eigen::MatrixXd> positions;      // per state: actors x dimensions, 0..1 scale
  std::vector<Eigen::VectorXd> probabilities;  // per state: each actor's position winning
  int num_states() const { return static_cast<int>(positions.size()); }
};

// One bargaining round from given positions.
struct SmpRound {
  Eigen::MatrixXd next_positions;  // actors x dimensions after the round
  Eigen::VectorXd probabilities;   // winning probability of each actor's current position
};

class Smp {
 public:
  // capability: one per actor, >= 0. salience: actors x dimensions, each in [0, 1] (the
  // input's percentages / 100). Shapes and ranges are the caller's to have checked
  // (read_ktab_csv does); they are asserted here. options must pass validate().
  Smp(Eigen::VectorXd capability, Eigen::MatrixXd salience, SmpOptions options);

  int num_actors() const { return static_cast<int>(capability_.size()); }
  int num_dimensions() const { return static_cast<int>(salience_.cols()); }
  const SmpOptions& options() const { return options_; }

  // Runs from `initial` (actors x dimensions, 0..1) until KTAB's stopping rule holds.
  // `uniforms` is used only with StateTransitions::kStochastic and must then be set.
  SmpHistory run(const Eigen::MatrixXd& initial, const UniformSource& uniforms = {}) const;

  // One round from `positions`, numbered `turn` for the random source.
  SmpRound round(const Eigen::MatrixXd& positions, uint32_t turn,
                 const UniformSource& uniforms = {}) const;

  // Winning probability of each actor's position (actors sharing a position within
  // position_tolerance share the probability of that position).
  Eigen::VectorXd win_probabilities(const Eigen::MatrixXd& positions) const;

  // Sum over actors of the Euclidean distance each moved between two states (KTAB's
  // stateDist, used by the stopping rule).
  static double state_distance(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b);

 private:
  struct Assessment;
  Assessment assess(const Eigen::MatrixXd& positions) const;
  Eigen::MatrixXd advance(const Eigen::MatrixXd& positions, const Assessment& a, uint32_t turn,
                          const UniformSource& uniforms) const;
  Eigen::VectorXd position_probabilities(const Eigen::MatrixXd& positions,
                                         const Assessment& a) const;

  Eigen::VectorXd capability_;
  Eigen::MatrixXd salience_;
  Eigen::VectorXd salience_sum_;     // per actor, summed in dimension order
  Eigen::VectorXd salience_sq_sum_;  // per actor, sum of squared saliences
  SmpOptions options_;
};

}  // namespace geosim::bargain
