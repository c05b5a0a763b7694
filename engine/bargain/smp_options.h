// Settings of the spatial model of politics (SMP). Every choice carries the name KTAB gives
// it (its XML <ModelParameters> element and values), so that a KTAB user can set the same
// model here; the defaults are KTAB's, which are the ones its reference runs used.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace geosim::bargain {

// How coalition strength turns into a probability of victory (KTAB: VictoryProbModel).
enum class VictoryProbModel { kLinear, kSquare, kQuartic, kOctic, kBinary };
// Probabilistic Condorcet election over options (KTAB: PCEModel).
enum class PceModel { kConditional, kMarkovIncentive, kMarkovUniform };
// How an actor picks among its bargains (KTAB: StateTransitions).
enum class StateTransitions { kDeterministic, kStochastic };
// How a utility difference becomes a vote (KTAB: VotingRule).
enum class VotingRule { kBinary, kPropBin, kProp, kPropCbc, kCubic, kASymProsp };
// How actor h estimates actor i's risk attitude (KTAB: BigRAdjust).
enum class BigRAdjust { kNone, kOneThird, kHalf, kTwoThirds, kFull };
// Range the risk attitudes are mapped onto (KTAB: BigRRange).
enum class BigRRange { kMin, kMid, kMax };
// What a third party expects to keep of its own position in a contest (KTAB: ThirdPartyCommit).
enum class ThirdPartyCommit { kNoCommit, kSemiCommit, kFullCommit };
// Weights of the per-dimension bargain interpolation (KTAB: InterVecBrgn).
enum class InterVecBrgn { kS1P1, kS2P2, kS2PMax };
// Whose interpolation becomes the proposed bargain (KTAB: BargnModel).
enum class BargnModel { kInitOnlyInterp, kInitRcvrInterp, kPWCompInterp };

struct SmpOptions {
  VictoryProbModel victory_prob_model = VictoryProbModel::kLinear;
  PceModel pce_model = PceModel::kConditional;
  StateTransitions state_transitions = StateTransitions::kDeterministic;
  VotingRule voting_rule = VotingRule::kProp;
  BigRAdjust big_r_adjust = BigRAdjust::kOneThird;
  BigRRange big_r_range = BigRRange::kMid;
  ThirdPartyCommit third_party_commit = ThirdPartyCommit::kSemiCommit;
  InterVecBrgn inter_vec_brgn = InterVecBrgn::kS2P2;
  BargnModel bargn_model = BargnModel::kInitOnlyInterp;

  // Stopping rule (KTAB's configExec): stop after max_turns, or from min_turns on when the
  // last turn moved positions less than min_delta_ratio of the first turn's movement
  // (which is padded by min_significant_delta so that a still first turn cannot give 0/0).
  int max_turns = 100;
  int min_turns = 2;
  double min_delta_ratio = 0.02;
  double min_significant_delta = 1e-4;
  // Positions closer than this (Euclidean, on the 0..1 scale) count as the same option
  // when winning probabilities are reported (KTAB's posTol).
  double position_tolerance = 1e-3;
  // Worker threads inside one model run; results do not depend on it.
  int threads = 1;
};

// One enumerated model choice as the command line and the docs present it.
struct SmpChoice {
  std::string key;                  // command-line option, e.g. "victory-prob-model"
  std::string ktab_name;            // KTAB's parameter name, e.g. "VictoryProbModel"
  std::vector<std::string> values;  // KTAB's value names, in enum order
};

// The nine enumerated choices, in KTAB's order.
const std::vector<SmpChoice>& smp_choices();

// Sets choice `key` (a command-line key or KTAB's parameter name) to the value named
// `value` (KTAB's spelling, case-sensitive). An unknown key or value is a UserError at
// `where` naming the valid ones and the nearest.
void set_smp_choice(SmpOptions& options, std::string_view key, std::string_view value,
                    const SourceLoc& where);

// KTAB's name of the current value of choice `key`.
std::string smp_choice_value(const SmpOptions& options, std::string_view key);

// Checks the numeric settings; a bad one is a UserError at `where`.
void validate(const SmpOptions& options, const SourceLoc& where);

}  // namespace geosim::bargain
