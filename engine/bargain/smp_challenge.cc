#include "bargain/smp_challenge.h"

#include <algorithm>

namespace geosim::bargain::detail {

using Eigen::ArrayXd;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {

template <VotingRule R, ThirdPartyCommit C>
ChallengeView challenge_view_as(const MatrixXd& u, int k, int i, int j, const VectorXd& weight,
                                const VectorXd& salience_sum) {
  const double uii = u(i, i), uij = u(i, j), uji = u(j, i), ujj = u(j, j);
  const double eu_sq = u(k, i) + u(k, j);
  const double u_i_wins = u(k, i) + u(k, i);
  const double u_j_wins = u(k, j) + u(k, j);
  const double sj = salience_sum(j);

  const double contrib_i = vote_as<R>(weight(i), uii, uij);
  const double contrib_j = vote_as<R>(weight(j), uji, ujj);
  double chij = kMinChallengeCltn, chji = kMinChallengeCltn;
  if (contrib_i > 0.0) chij = chij + contrib_i;
  if (contrib_i < 0.0) chji = chji - contrib_i;
  if (contrib_j > 0.0) chij = chij + contrib_j;
  if (contrib_j < 0.0) chji = chji - contrib_j;
  const double base_i = chij, base_j = chji;

  const int n = static_cast<int>(u.rows());
  for (int m = 0; m < n; ++m) {
    if (m == i || m == j) continue;
    const double wm = weight(m);
    const double umi = u(m, i), umj = u(m, j), umm = u(m, m);
    // The third party first weighs the little contest of i, j and itself.
    const double little = vote_as<R>(wm, umi, umj);
    const double ci = little > 0 ? base_i + little : base_i;
    const double cj = little < 0 ? base_j - little : base_j;
    const double pin = ci / (ci + cj);
    const double v = third_party_vote<R, C>(wm, pin, 1.0 - pin, umi, umj, umm);
    chij = (v > 0) ? (chij + v) : chij;
    chji = (v < 0) ? (chji - v) : chji;
  }
  const double phij = chij / (chij + chji);
  const double phji = chji / (chij + chji);
  const double eu_contest = phij * u_i_wins + phji * u_j_wins;
  const double eu_challenge = (1 - sj) * u_i_wins + sj * eu_contest;
  return {phij, eu_challenge - eu_sq};
}

template <VotingRule R>
ChallengeView challenge_view_rule(const MatrixXd& u, int k, int i, int j, const VectorXd& weight,
                                  const VectorXd& salience_sum, ThirdPartyCommit c) {
  switch (c) {
    case ThirdPartyCommit::kNoCommit:
      return challenge_view_as<R, ThirdPartyCommit::kNoCommit>(u, k, i, j, weight, salience_sum);
    case ThirdPartyCommit::kSemiCommit:
      return challenge_view_as<R, ThirdPartyCommit::kSemiCommit>(u, k, i, j, weight, salience_sum);
    case ThirdPartyCommit::kFullCommit:
      return challenge_view_as<R, ThirdPartyCommit::kFullCommit>(u, k, i, j, weight, salience_sum);
  }
  return {};
}

// All of i's challenges at once under proportional voting: lane j carries the challenge
// of j, and every lane performs exactly the scalar path's operations in the same order
// (a lane that must skip a term adds 0.0, which leaves a positive sum unchanged).
template <ThirdPartyCommit C>
Target best_target_lanes(const MatrixXd& u, int i, const VectorXd& weight,
                         const VectorXd& salience_sum) {
  const int n = static_cast<int>(u.rows());
  const MatrixXd ut = u.transpose();  // ut.col(m) = u(m, .)
  const ArrayXd uij = ut.col(i).array();
  const ArrayXd uji = u.col(i).array();
  const ArrayXd ujj = u.diagonal().array();
  const double uii = u(i, i);
  const ArrayXd w = weight.array();
  const ArrayXd contrib_i = weight(i) * (uii - uij);
  const ArrayXd contrib_j = w * (uji - ujj);
  const ArrayXd zero = ArrayXd::Zero(n);
  ArrayXd chij = (kMinChallengeCltn + (contrib_i > 0.0).select(contrib_i, zero)) +
                 (contrib_j > 0.0).select(contrib_j, zero);
  ArrayXd chji = (kMinChallengeCltn - (contrib_i < 0.0).select(contrib_i, zero)) -
                 (contrib_j < 0.0).select(contrib_j, zero);
  const ArrayXd base_i = chij, base_j = chji;
  double* hij = chij.data();
  double* hji = chji.data();
  const double* bi = base_i.data();
  const double* bj = base_j.data();
  for (int m = 0; m < n; ++m) {
    if (m == i) continue;
    const double wm = weight(m), umi = u(m, i), umm = u(m, m);
    const double* umj = ut.col(m).data();
    double a_ikj, a_ijk;  // the two sums that do not depend on j
    if constexpr (C == ThirdPartyCommit::kFullCommit) {
      a_ikj = umi + umi + umi;
      a_ijk = umi + umi + umi;
    } else if constexpr (C == ThirdPartyCommit::kSemiCommit) {
      a_ikj = umi + umi + umm;
      a_ijk = umi + umi + umi;
    } else {
      a_ikj = umi + umi + umm;
      a_ijk = umi + umi + umm;
    }
    // Plain loops over lanes, without branches, so that the compiler emits vector
    // instructions. Adding max(x, 0) to a positive sum is the scalar path's "add x if
    // x > 0" to the bit, since adding zero leaves it unchanged.
    auto lanes = [&](int j0, int j1) {
      for (int j = j0; j < j1; ++j) {
        const double uj = umj[j];
        const double little = wm * (umi - uj);
        const double ci = bi[j] + std::max(little, 0.0);
        const double cj = bj[j] - std::min(little, 0.0);
        const double pin = ci / (ci + cj);
        const double pjn = 1.0 - pin;
        double b_jik, b_jki;  // u_j_def_ik and u_jk_def_i of the scalar path
        if constexpr (C == ThirdPartyCommit::kFullCommit) {
          b_jik = uj + uj + uj;
          b_jki = uj + uj + uj;
        } else if constexpr (C == ThirdPartyCommit::kSemiCommit) {
          b_jik = uj + uj + uj;
          b_jki = uj + uj + umm;
        } else {
          b_jik = uj + uj + umm;
          b_jki = uj + uj + umm;
        }
        const double v = wm * (((pin * a_ikj) + (pjn * b_jik)) - ((pin * a_ijk) + (pjn * b_jki)));
        hij[j] = hij[j] + std::max(v, 0.0);
        hji[j] = hji[j] - std::min(v, 0.0);
      }
    };
    lanes(0, m);  // lane m is skipped: m is a principal, not a third party, there
    lanes(m + 1, n);
  }
  const ArrayXd phij = chij / (chij + chji);
  const ArrayXd phji = chji / (chij + chji);
  const double u_i_wins = uii + uii;
  const ArrayXd u_j_wins = uij + uij;
  const ArrayXd eu_sq = uii + uij;
  const ArrayXd sj = salience_sum.array();
  const ArrayXd eu_contest = phij * u_i_wins + phji * u_j_wins;
  const ArrayXd gain = ((1 - sj) * u_i_wins + sj * eu_contest) - eu_sq;
  Target t;
  for (int j = 0; j < n; ++j) {
    if (j == i) continue;
    if (kMinSignificantGain < gain(j) && t.gain < gain(j)) t = {j, phij(j), gain(j)};
  }
  return t;
}

}  // namespace

ChallengeView challenge_view(const MatrixXd& u, int k, int i, int j, const VectorXd& weight,
                             const VectorXd& salience_sum, VotingRule rule, ThirdPartyCommit c) {
  switch (rule) {
    case VotingRule::kProp:
      return challenge_view_rule<VotingRule::kProp>(u, k, i, j, weight, salience_sum, c);
    case VotingRule::kBinary:
      return challenge_view_rule<VotingRule::kBinary>(u, k, i, j, weight, salience_sum, c);
    case VotingRule::kPropBin:
      return challenge_view_rule<VotingRule::kPropBin>(u, k, i, j, weight, salience_sum, c);
    case VotingRule::kPropCbc:
      return challenge_view_rule<VotingRule::kPropCbc>(u, k, i, j, weight, salience_sum, c);
    case VotingRule::kCubic:
      return challenge_view_rule<VotingRule::kCubic>(u, k, i, j, weight, salience_sum, c);
    case VotingRule::kASymProsp:
      return challenge_view_rule<VotingRule::kASymProsp>(u, k, i, j, weight, salience_sum, c);
  }
  return {};
}

Target best_target_scalar(const MatrixXd& u, int i, const VectorXd& weight,
                          const VectorXd& salience_sum, VotingRule rule, ThirdPartyCommit commit) {
  Target t;
  for (int j = 0; j < u.rows(); ++j) {
    if (j == i) continue;
    ChallengeView v = challenge_view(u, i, i, j, weight, salience_sum, rule, commit);
    if (kMinSignificantGain < v.gain && t.gain < v.gain) t = {j, v.prob, v.gain};
  }
  return t;
}

Target best_target(const MatrixXd& u, int i, const VectorXd& weight, const VectorXd& salience_sum,
                   VotingRule rule, ThirdPartyCommit commit) {
  if (rule != VotingRule::kProp)
    return best_target_scalar(u, i, weight, salience_sum, rule, commit);
  switch (commit) {
    case ThirdPartyCommit::kNoCommit:
      return best_target_lanes<ThirdPartyCommit::kNoCommit>(u, i, weight, salience_sum);
    case ThirdPartyCommit::kSemiCommit:
      return best_target_lanes<ThirdPartyCommit::kSemiCommit>(u, i, weight, salience_sum);
    case ThirdPartyCommit::kFullCommit:
      return best_target_lanes<ThirdPartyCommit::kFullCommit>(u, i, weight, salience_sum);
  }
  return {};
}

}  // namespace geosim::bargain::detail
