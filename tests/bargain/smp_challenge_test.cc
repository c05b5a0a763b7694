// The vector-lane evaluation of challenges gives the scalar (KTAB-ordered) path's bits.
#include "bargain/smp_challenge.h"

#include <gtest/gtest.h>

#include <random>

namespace geosim::bargain::detail {
namespace {

TEST(SmpChallenge, LanesMatchTheScalarPathBitForBit) {
  std::mt19937_64 gen(7);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int n : {3, 4, 9, 33}) {
    Eigen::MatrixXd u(n, n);
    Eigen::VectorXd weight(n), sal(n);
    for (int a = 0; a < n; ++a) {
      for (int b = 0; b < n; ++b) u(a, b) = a == b ? 1.0 : 0.2 + 0.8 * unit(gen);
      weight(a) = 50 * unit(gen);
      sal(a) = unit(gen);
    }
    for (auto commit : {ThirdPartyCommit::kNoCommit, ThirdPartyCommit::kSemiCommit,
                        ThirdPartyCommit::kFullCommit}) {
      for (int i = 0; i < n; ++i) {
        Target lanes = best_target(u, i, weight, sal, VotingRule::kProp, commit);
        Target scalar = best_target_scalar(u, i, weight, sal, VotingRule::kProp, commit);
        ASSERT_EQ(lanes.target, scalar.target) << "n " << n << " i " << i;
        ASSERT_EQ(lanes.prob, scalar.prob) << "n " << n << " i " << i;
        ASSERT_EQ(lanes.gain, scalar.gain) << "n " << n << " i " << i;
      }
      for (int j = 1; j < n; ++j) {
        ChallengeView v = challenge_view(u, 0, 0, j, weight, sal, VotingRule::kProp, commit);
        Target t = best_target_scalar(u, 0, weight, sal, VotingRule::kProp, commit);
        if (t.target == j) {
          ASSERT_EQ(t.prob, v.prob);
        }
      }
    }
  }
}

}  // namespace
}  // namespace geosim::bargain::detail
