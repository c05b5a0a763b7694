// Internal to engine/bargain: KTAB's elementary formulas and the challenge computation,
// shared by smp.cc and its tests. Every function follows KTAB's order of floating-point
// operations, so that results match KTAB's to the bit.
#pragma once

#include <Eigen/Dense>

#include "bargain/smp_options.h"

namespace geosim::bargain::detail {

// KTAB's constants, each where KTAB uses it.
constexpr double kMinCoalition = 1e-8;        // seed of every coalition sum (Model::coalitions)
constexpr double kMinChallengeCltn = 1e-10;   // seed of the two sides of a challenge
constexpr double kMinSignificantGain = 1e-5;  // a challenge must promise more than this
constexpr double kMinBargainWeight = 1e-6;    // keeps bargain interpolation away from 0/0
constexpr double kBinaryVoteScale = 1e-8;     // utility gap that earns a full binary vote

// Utility of a normalised distance sd to an actor with risk attitude r (KTAB's bsUtil).
inline double utility_of_distance(double sd, double r) {
  return sd <= 1 ? (1 - sd) * (1 + sd * r) : (1 - sd) * (1 + r);
}

// Influence actor with weight w exerts for option 1 over option 2 (KTAB's Model::vote).
// The rule is a template argument so that the hot loops carry no switch.
template <VotingRule R>
inline double vote_as(double w, double u1, double u2) {
  const double du = u1 - u2;
  if constexpr (R == VotingRule::kProp) {
    return w * du;
  } else if constexpr (R == VotingRule::kBinary || R == VotingRule::kPropBin) {
    double r = du / kBinaryVoteScale;
    r = r > 1 ? 1 : (r < -1 ? -1 : r);
    if constexpr (R == VotingRule::kBinary) return w * r;
    return w * ((1 - 0.2) * du + 0.2 * r);
  } else if constexpr (R == VotingRule::kPropCbc) {
    return w * ((1 - 0.5) * du + 0.5 * (du * du * du));
  } else if constexpr (R == VotingRule::kCubic) {
    return w * (du * du * du);
  } else {
    if (du < 0.0) return w * du;
    if (du > 0.0) return (2.0 * w * du) / 3.0;
    return 0.0;
  }
}

inline double vote(VotingRule rule, double w, double u1, double u2) {
  switch (rule) {
    case VotingRule::kProp:
      return vote_as<VotingRule::kProp>(w, u1, u2);
    case VotingRule::kBinary:
      return vote_as<VotingRule::kBinary>(w, u1, u2);
    case VotingRule::kPropBin:
      return vote_as<VotingRule::kPropBin>(w, u1, u2);
    case VotingRule::kPropCbc:
      return vote_as<VotingRule::kPropCbc>(w, u1, u2);
    case VotingRule::kCubic:
      return vote_as<VotingRule::kCubic>(w, u1, u2);
    case VotingRule::kASymProsp:
      return vote_as<VotingRule::kASymProsp>(w, u1, u2);
  }
  return 0.0;
}

// Third party's vote in the contest i:j (KTAB's Actor::thirdPartyVoteSU); only the sum of
// the three positions that can change matters, the others cancel.
template <VotingRule R, ThirdPartyCommit C>
inline double third_party_vote(double wk, double pik, double pjk, double uki, double ukj,
                               double ukk) {
  double u_ik_def_j = 0, u_j_def_ik = 0, u_i_def_jk = 0, u_jk_def_i = 0;
  if constexpr (C == ThirdPartyCommit::kFullCommit) {
    u_ik_def_j = uki + uki + uki;
    u_j_def_ik = ukj + ukj + ukj;
    u_i_def_jk = uki + uki + uki;
    u_jk_def_i = ukj + ukj + ukj;
  } else if constexpr (C == ThirdPartyCommit::kSemiCommit) {
    u_ik_def_j = uki + uki + ukk;
    u_j_def_ik = ukj + ukj + ukj;
    u_i_def_jk = uki + uki + uki;
    u_jk_def_i = ukj + ukj + ukk;
  } else {
    u_ik_def_j = uki + uki + ukk;
    u_j_def_ik = ukj + ukj + ukk;
    u_i_def_jk = uki + uki + ukk;
    u_jk_def_i = ukj + ukj + ukk;
  }
  double u_ik_j = (pik * u_ik_def_j) + (pjk * u_j_def_ik);
  double u_i_jk = (pik * u_i_def_jk) + (pjk * u_jk_def_i);
  return vote_as<R>(wk, u_ik_j, u_i_jk);
}

// Actor h's view of a challenge by i of j, given h's utility matrix u (u(a, b): a's
// utility of b's position, as h estimates it): the probability that i wins and the
// expected change in utility for actor k (KTAB's probEduChlg). weight(a) is a's
// salience-weighted capability, salience_sum(a) the sum of a's saliences.
struct ChallengeView {
  double prob = 0;
  double gain = 0;
};
ChallengeView challenge_view(const Eigen::MatrixXd& u, int k, int i, int j,
                             const Eigen::VectorXd& weight, const Eigen::VectorXd& salience_sum,
                             VotingRule rule, ThirdPartyCommit commit);

// The target actor i would challenge, as i sees it: the j with the largest expected gain
// above kMinSignificantGain (the lowest j on ties), or target -1.
struct Target {
  int target = -1;
  double prob = 0;  // i's probability of winning against the target
  double gain = -1;
};
Target best_target(const Eigen::MatrixXd& u, int i, const Eigen::VectorXd& weight,
                   const Eigen::VectorXd& salience_sum, VotingRule rule, ThirdPartyCommit commit);

// The same, one challenge at a time (any rule); best_target uses it except for the
// proportional rule, whose challenges it evaluates for all targets at once in vector
// lanes. Tests check that both give identical bits.
Target best_target_scalar(const Eigen::MatrixXd& u, int i, const Eigen::VectorXd& weight,
                          const Eigen::VectorXd& salience_sum, VotingRule rule,
                          ThirdPartyCommit commit);

}  // namespace geosim::bargain::detail
