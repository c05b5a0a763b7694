#include "bargain/smp_options.h"

#include <cmath>

#include "core/text.h"

namespace geosim::bargain {

namespace {

// Position of each choice in smp_choices(); the accessors below follow the same order.
enum ChoiceIndex {
  kVictoryProb,
  kVotingRule,
  kPce,
  kTransitions,
  kRange,
  kAdjust,
  kThirdParty,
  kInterVec,
  kBargn,
  kChoiceCount
};

int get_choice(const SmpOptions& o, int index) {
  switch (index) {
    case kVictoryProb:
      return static_cast<int>(o.victory_prob_model);
    case kVotingRule:
      return static_cast<int>(o.voting_rule);
    case kPce:
      return static_cast<int>(o.pce_model);
    case kTransitions:
      return static_cast<int>(o.state_transitions);
    case kRange:
      return static_cast<int>(o.big_r_range);
    case kAdjust:
      return static_cast<int>(o.big_r_adjust);
    case kThirdParty:
      return static_cast<int>(o.third_party_commit);
    case kInterVec:
      return static_cast<int>(o.inter_vec_brgn);
    case kBargn:
      return static_cast<int>(o.bargn_model);
  }
  GEOSIM_ASSERT(false, "choice index " + std::to_string(index));
  return 0;
}

void put_choice(SmpOptions& o, int index, int v) {
  switch (index) {
    case kVictoryProb:
      o.victory_prob_model = static_cast<VictoryProbModel>(v);
      return;
    case kVotingRule:
      o.voting_rule = static_cast<VotingRule>(v);
      return;
    case kPce:
      o.pce_model = static_cast<PceModel>(v);
      return;
    case kTransitions:
      o.state_transitions = static_cast<StateTransitions>(v);
      return;
    case kRange:
      o.big_r_range = static_cast<BigRRange>(v);
      return;
    case kAdjust:
      o.big_r_adjust = static_cast<BigRAdjust>(v);
      return;
    case kThirdParty:
      o.third_party_commit = static_cast<ThirdPartyCommit>(v);
      return;
    case kInterVec:
      o.inter_vec_brgn = static_cast<InterVecBrgn>(v);
      return;
    case kBargn:
      o.bargn_model = static_cast<BargnModel>(v);
      return;
  }
  GEOSIM_ASSERT(false, "choice index " + std::to_string(index));
}

int find_choice(std::string_view key, const SourceLoc& where) {
  const auto& all = smp_choices();
  std::vector<std::string> keys;
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].key == key || all[i].ktab_name == key) return static_cast<int>(i);
    keys.push_back(all[i].key);
  }
  throw UserError(where, "unknown model option '" + std::string(key) + "'" +
                             did_you_mean(key, keys) + "; expected one of " + quoted_list(keys));
}

}  // namespace

const std::vector<SmpChoice>& smp_choices() {
  static const std::vector<SmpChoice> choices = {
      {"victory-prob-model",
       "VictoryProbModel",
       {"Linear", "Square", "Quartic", "Octic", "Binary"}},
      {"voting-rule", "VotingRule", {"Binary", "PropBin", "Prop", "PropCbc", "Cubic", "ASymProsp"}},
      {"pce-model", "PCEModel", {"Conditional", "MarkovIncentive", "MarkovUniform"}},
      {"state-transitions", "StateTransitions", {"Deterministic", "Stochastic"}},
      {"big-r-range", "BigRRange", {"Min", "Mid", "Max"}},
      {"big-r-adjust", "BigRAdjust", {"None", "OneThird", "Half", "TwoThirds", "Full"}},
      {"third-party-commit", "ThirdPartyCommit", {"NoCommit", "SemiCommit", "FullCommit"}},
      {"inter-vec-brgn", "InterVecBrgn", {"S1P1", "S2P2", "S2PMax"}},
      {"bargn-model", "BargnModel", {"InitOnlyInterp", "InitRcvrInterp", "PWCompInterp"}},
  };
  GEOSIM_ASSERT(choices.size() == kChoiceCount, "choice table size");
  return choices;
}

void set_smp_choice(SmpOptions& options, std::string_view key, std::string_view value,
                    const SourceLoc& where) {
  int index = find_choice(key, where);
  const SmpChoice& c = smp_choices()[index];
  for (size_t v = 0; v < c.values.size(); ++v) {
    if (c.values[v] == value) {
      put_choice(options, index, static_cast<int>(v));
      return;
    }
  }
  throw UserError(where, "unknown " + c.ktab_name + " '" + std::string(value) + "'" +
                             did_you_mean(value, c.values) + "; expected " + quoted_list(c.values));
}

std::string smp_choice_value(const SmpOptions& options, std::string_view key) {
  int index = find_choice(key, SourceLoc{});
  int v = get_choice(options, index);
  const SmpChoice& c = smp_choices()[index];
  GEOSIM_ASSERT(v >= 0 && v < static_cast<int>(c.values.size()), c.key);
  return c.values[v];
}

void validate(const SmpOptions& o, const SourceLoc& where) {
  if (o.max_turns < 1 || o.max_turns > 100000)
    throw UserError(where, "max-turns is " + std::to_string(o.max_turns) +
                               "; expected an integer in [1, 100000]");
  if (o.min_turns < 1)
    throw UserError(where,
                    "min-turns is " + std::to_string(o.min_turns) + "; expected an integer >= 1");
  if (!(o.min_delta_ratio >= 0.0 && std::isfinite(o.min_delta_ratio)))
    throw UserError(where, "min-delta-ratio must be a finite number >= 0");
  if (!(o.min_significant_delta > 0.0 && std::isfinite(o.min_significant_delta)))
    throw UserError(where, "min-significant-delta must be a finite number > 0");
  if (!(o.position_tolerance >= 0.0 && std::isfinite(o.position_tolerance)))
    throw UserError(where, "position-tolerance must be a finite number >= 0");
  if (o.threads < 1 || o.threads > 1024)
    throw UserError(
        where, "threads is " + std::to_string(o.threads) + "; expected an integer in [1, 1024]");
}

}  // namespace geosim::bargain
