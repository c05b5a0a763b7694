#include "bargain/smp.h"

#include <Random123/philox.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>
#include <thread>
#include <utility>

#include "bargain/smp_challenge.h"
#include "core/error.h"

namespace geosim::bargain {

using Eigen::MatrixXd;
using Eigen::VectorXd;

constexpr int kMarkovMaxIterations = 1000;  // KTAB aborts there; geosim stops

using detail::kMinBargainWeight;
using detail::kMinCoalition;
using detail::utility_of_distance;
using detail::vote;

namespace {

// Probabilities that sides of strength s1 and s2 win (KTAB's Model::vProb).
inline std::pair<double, double> victory_pair(VictoryProbModel m, double s1, double s2) {
  double x1 = s1, x2 = s2;
  switch (m) {
    case VictoryProbModel::kLinear:
      break;
    case VictoryProbModel::kSquare:
      x1 = s1 * s1;
      x2 = s2 * s2;
      break;
    case VictoryProbModel::kQuartic:
      x1 = (s1 * s1) * (s1 * s1);
      x2 = (s2 * s2) * (s2 * s2);
      break;
    case VictoryProbModel::kOctic: {
      double q1 = (s1 * s1) * (s1 * s1), q2 = (s2 * s2) * (s2 * s2);
      x1 = q1 * q1;
      x2 = q2 * q2;
      break;
    }
    case VictoryProbModel::kBinary: {
      constexpr double kThreshold = 1.10;
      constexpr double kMinX = 1e-6;
      if (s1 >= kThreshold * s2) {
        x1 = 1.0;
        x2 = kMinX;
      } else if (s2 >= kThreshold * s1) {
        x1 = kMinX;
        x2 = 1.0;
      } else {
        double r12 = s1 / (s1 + s2);
        double p12 = (r12 * (kThreshold + 1.0) - 1.0) / (kThreshold - 1.0);
        x1 = p12;
        x2 = 1 - p12;
      }
      break;
    }
  }
  return {x1 / (x1 + x2), x2 / (x1 + x2)};
}

// Coalition strengths c(i, j) supporting option i over j, summing the votes of the actors
// in actor order; vote_of(k, i, j) is actor k's vote for i over j.
template <class VoteFn>
MatrixXd coalitions(int num_actors, int num_options, VoteFn&& vote_of) {
  MatrixXd c(num_options, num_options);
  for (int i = 0; i < num_options; ++i) {
    for (int j = 0; j < i; ++j) {
      double cij = kMinCoalition, cji = kMinCoalition;
      for (int k = 0; k < num_actors; ++k) {
        double v = vote_of(k, i, j);
        if (v > 0) cij = cij + v;
        if (v < 0) cji = cji - v;
      }
      c(i, j) = cij;
      c(j, i) = cji;
    }
    c(i, i) = kMinCoalition;
  }
  return c;
}

MatrixXd victory_matrix(VictoryProbModel m, const MatrixXd& c) {
  const int n = static_cast<int>(c.rows());
  MatrixXd p(n, n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < i; ++j) {
      auto [pij, pji] = victory_pair(m, c(i, j), c(j, i));
      p(i, j) = pij;
      p(j, i) = pji;
    }
    p(i, i) = 0.5;
  }
  return p;
}

// Probability that each option beats all the others, conditional on one doing so. When
// the products underflow (hundreds of options), the same ratio is taken in logarithms.
VectorXd conditional_pce(const MatrixXd& pv) {
  const int n = static_cast<int>(pv.rows());
  VectorXd p(n);
  for (int i = 0; i < n; ++i) {
    double pi = 1.0;
    for (int j = 0; j < n; ++j) pi = pi * pv(i, j);
    p(i) = pi;
  }
  double total = 0.0;
  for (int i = 0; i < n; ++i) total = total + p(i);
  if (total >= DBL_MIN) {
    for (int i = 0; i < n; ++i) p(i) = p(i) / total;
    return p;
  }
  VectorXd lp(n);
  for (int i = 0; i < n; ++i) {
    double s = 0.0;
    for (int j = 0; j < n; ++j) s += std::log(pv(i, j));
    lp(i) = s;
  }
  double top = lp.maxCoeff();
  if (!std::isfinite(top)) return VectorXd::Constant(n, 1.0 / n);
  for (int i = 0; i < n; ++i) p(i) = std::exp(lp(i) - top);
  return p / p.sum();
}

VectorXd markov_uniform_pce(const MatrixXd& pv) {
  const int n = static_cast<int>(pv.rows());
  VectorXd p = VectorXd::Constant(n, 1.0 / n);
  VectorXd q = p;
  double change = 1.0;
  for (int iter = 0; 1e-6 < change && iter < kMarkovMaxIterations; ++iter) {
    change = 0;
    for (int i = 0; i < n; ++i) {
      double pi = 0.0;
      for (int j = 0; j < n; ++j) pi = pi + pv(i, j) * (p(i) + p(j));
      q(i) = pi / n;
      change = std::max(change, std::fabs(q(i) - p(i)));
    }
    p = (p + q) / 2.0;
  }
  return p;
}

VectorXd markov_incentive_pce(const MatrixXd& c, const MatrixXd& pv) {
  const int n = static_cast<int>(c.rows());
  MatrixXd incentive(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) incentive(i, j) = c(i, j) * pv(i, j) + (i == j ? 1e-10 : 0.0);
  MatrixXd challenge(n, n);
  for (int j = 0; j < n; ++j) {
    double sum = 0.0;
    for (int k = 0; k < n; ++k) sum = sum + incentive(k, j);
    for (int i = 0; i < n; ++i) challenge(i, j) = incentive(i, j) / sum;
  }
  VectorXd p = VectorXd::Constant(n, 1.0 / n);
  VectorXd q = p;
  MatrixXd ct(n, n);
  double change = 1.0;
  for (int iter = 0; 1e-8 < change && iter < kMarkovMaxIterations; ++iter) {
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) ct(i, j) = p(i) * challenge(j, i);
    change = 0.0;
    for (int i = 0; i < n; ++i) {
      double qi = 0.0;
      for (int j = 0; j < n; ++j) qi = qi + pv(i, j) * (ct(i, j) + ct(j, i));
      q(i) = qi;
      change = std::max(change, std::fabs(q(i) - p(i)));
    }
    p = (p + q) / 2.0;
  }
  return p;
}

VectorXd pce(PceModel model, VictoryProbModel vpm, const MatrixXd& c) {
  MatrixXd pv = victory_matrix(vpm, c);
  switch (model) {
    case PceModel::kConditional:
      return conditional_pce(pv);
    case PceModel::kMarkovIncentive:
      return markov_incentive_pce(c, pv);
    case PceModel::kMarkovUniform:
      return markov_uniform_pce(pv);
  }
  return conditional_pce(pv);
}

// Probabilities of options valued by util (actors x options), actors voting with weights w.
VectorXd scalar_pce(const VectorXd& w, const MatrixXd& util, VotingRule rule, VictoryProbModel vpm,
                    PceModel model) {
  const int na = static_cast<int>(util.rows());
  const int no = static_cast<int>(util.cols());
  MatrixXd c = coalitions(
      na, no, [&](int k, int i, int j) { return vote(rule, w(k), util(k, i), util(k, j)); });
  return pce(model, vpm, c);
}

// Risk attitudes from each actor's probability relative to the best and worst (KTAB's
// bigRfromProb). When all probabilities are equal KTAB divides 0 by 0; here every actor is
// then risk-neutral, the limit of a vanishing spread.
VectorXd risk_from_probabilities(const VectorXd& p, BigRRange range) {
  double p_min = 1.0, p_max = 0.0;
  for (int i = 0; i < p.size(); ++i) {
    p_min = p(i) < p_min ? p(i) : p_min;
    p_max = p(i) > p_max ? p(i) : p_max;
  }
  VectorXd r(p.size());
  if (!(p_max - p_min > 0.0)) return VectorXd::Zero(p.size());
  for (int i = 0; i < p.size(); ++i) {
    switch (range) {
      case BigRRange::kMin:
        r(i) = (p(i) - p_min) / (p_max - p_min);
        break;
      case BigRRange::kMid:
        r(i) = (3 * p(i) - (p_max + 2 * p_min)) / (2 * (p_max - p_min));
        break;
      case BigRRange::kMax:
        r(i) = (2 * p(i) - (p_max + p_min)) / (p_max - p_min);
        break;
    }
  }
  return r;
}

// Actor h's estimate of actor i's risk attitude (KTAB's Model::estNRA).
inline double estimated_risk(double rh, double ri, BigRAdjust adjust) {
  switch (adjust) {
    case BigRAdjust::kFull:
      return ri;
    case BigRAdjust::kTwoThirds:
      return (rh + (2.0 * ri)) / 3.0;
    case BigRAdjust::kHalf:
      return (rh + ri) / 2;
    case BigRAdjust::kOneThird:
      return ((2.0 * rh) + ri) / 3.0;
    case BigRAdjust::kNone:
      return rh;
  }
  return rh;
}

inline double round4(double x) {
  const double s = 10000.0;
  const int y = static_cast<int>(0.5 + (x * s));
  return static_cast<double>(y) / s;
}

// Per-dimension bargain between positions ti and tj (KTAB's interpBrgnSnPm / S2PMax).
inline void interpolate(InterVecBrgn rule, double ti, double si, double pi, double tj, double sj,
                        double pj, double& bi, double& bj) {
  if (rule == InterVecBrgn::kS2PMax) {
    double di = (pj > pi) ? (pj - pi) : 0;
    double dj = (pi > pj) ? (pi - pj) : 0;
    double si2 = si * si, sj2 = sj * sj;
    double dik = (di * sj2) / ((di * sj2) + kMinBargainWeight + ((1 - di) * si2));
    double djk = (dj * si2) / ((dj * si2) + kMinBargainWeight + ((1 - dj) * sj2));
    bi = ti + dik * (tj - ti);
    bj = tj + djk * (ti - tj);
    return;
  }
  const double e = rule == InterVecBrgn::kS1P1 ? 1.0 : 2.0;
  double wi = std::pow(si, e) * std::pow(pi, e);
  double wj = std::pow(sj, e) * std::pow(pj, e);
  bi = round4(((wi + kMinBargainWeight) * ti + wj * tj) / (wi + kMinBargainWeight + wj));
  bj = round4((wi * ti + (kMinBargainWeight + wj) * tj) / (wi + kMinBargainWeight + wj));
}

// Runs f(index, worker) for index in [0, n) on up to `threads` workers. Each index is
// handled by exactly one worker and writes only its own results, so the outcome does not
// depend on the number of workers.
template <class F>
void parallel_for(int n, int threads, F&& f) {
  int workers = std::min(threads, n);
  if (workers <= 1) {
    for (int i = 0; i < n; ++i) f(i, 0);
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(workers);
  for (int w = 0; w < workers; ++w)
    pool.emplace_back([&, w] {
      for (int i = w; i < n; i += workers) f(i, w);
    });
  for (auto& t : pool) t.join();
}

struct Bargain {
  int init = -1;
  int rcvr = -1;
  VectorXd pos_init;
  VectorXd pos_rcvr;
};

}  // namespace

UniformSource philox_uniforms(uint64_t seed, uint32_t stream) {
  return [seed, stream](uint32_t turn, uint32_t actor, uint32_t draw) {
    r123::Philox4x32 gen;
    r123::Philox4x32::ctr_type ctr = {{stream, turn, actor, draw}};
    r123::Philox4x32::key_type key = {
        {static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)}};
    r123::Philox4x32::ctr_type r = gen(ctr, key);
    uint64_t bits = (uint64_t{r[0]} << 32) | r[1];
    return (static_cast<double>(bits >> 11) + 0.5) * (1.0 / 9007199254740992.0);
  };
}

// What a state implies before anyone moves: distances, risk attitudes and each actor's
// own (risk-aware) utility of every position.
struct Smp::Assessment {
  MatrixXd distance;  // distance(i, j): from i's ideal to j's position, i's saliences
  VectorXd risk;      // risk attitude of each actor
  MatrixXd own_util;  // own_util(i, j): i's utility of j's position, i's own risk estimate
};

Smp::Smp(VectorXd capability, MatrixXd salience, SmpOptions options)
    : capability_(std::move(capability)), salience_(std::move(salience)), options_(options) {
  const int n = num_actors();
  GEOSIM_ASSERT(salience_.rows() == n, "salience rows " + std::to_string(salience_.rows()));
  GEOSIM_ASSERT(n >= 2 && salience_.cols() >= 1, "actors " + std::to_string(n));
  salience_sum_.resize(n);
  salience_sq_sum_.resize(n);
  for (int i = 0; i < n; ++i) {
    GEOSIM_ASSERT(capability_(i) >= 0.0, "capability of actor " + std::to_string(i));
    double s = 0.0, s2 = 0.0;
    for (int k = 0; k < num_dimensions(); ++k) {
      double sik = salience_(i, k);
      GEOSIM_ASSERT(sik >= 0.0 && sik <= 1.0, "salience of actor " + std::to_string(i));
      s = s + sik;
      s2 = s2 + (sik * sik);
    }
    salience_sum_(i) = s;
    salience_sq_sum_(i) = s2;
  }
}

double Smp::state_distance(const MatrixXd& a, const MatrixXd& b) {
  double total = 0;
  for (int i = 0; i < a.rows(); ++i) {
    double s = 0.0;
    for (int k = 0; k < a.cols(); ++k) {
      double d = a(i, k) - b(i, k);
      s = s + (d * d);
    }
    total = total + std::sqrt(s);
  }
  return total;
}

Smp::Assessment Smp::assess(const MatrixXd& pos) const {
  const int n = num_actors(), dims = num_dimensions();
  Assessment a;
  a.distance.resize(n, n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      double ds_sq = 0;
      for (int k = 0; k < dims; ++k) {
        double ds = (pos(i, k) - pos(j, k)) * salience_(i, k);
        ds_sq = ds_sq + (ds * ds);
      }
      // An actor that cares about nothing sees every position at distance 0 (KTAB: 0/0).
      a.distance(i, j) = salience_sq_sum_(i) > 0 ? std::sqrt(ds_sq / salience_sq_sum_(i)) : 0.0;
    }
  }
  MatrixXd neutral(n, n);
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) neutral(i, j) = utility_of_distance(a.distance(i, j), 0.0);
  MatrixXd c = coalitions(n, n, [&](int k, int i, int j) {
    return vote(options_.voting_rule, capability_(k), neutral(k, i), neutral(k, j));
  });
  VectorXd p = pce(options_.pce_model, options_.victory_prob_model, c);
  a.risk = risk_from_probabilities(p, options_.big_r_range);
  a.own_util.resize(n, n);
  for (int i = 0; i < n; ++i) {
    double r = estimated_risk(a.risk(i), a.risk(i), options_.big_r_adjust);
    for (int j = 0; j < n; ++j) a.own_util(i, j) = utility_of_distance(a.distance(i, j), r);
  }
  return a;
}

MatrixXd Smp::advance(const MatrixXd& pos, const Assessment& a, uint32_t turn,
                      const UniformSource& uniforms) const {
  const int n = num_actors(), dims = num_dimensions();
  const SmpOptions& o = options_;
  GEOSIM_ASSERT(o.state_transitions == StateTransitions::kDeterministic || uniforms,
                "stochastic transitions need a UniformSource");
  VectorXd weight(n);  // salience-weighted capability, KTAB's s*c in that order
  for (int i = 0; i < n; ++i) weight(i) = salience_sum_(i) * capability_(i);

  // h's estimates of everyone's risk-aware utilities.
  auto perspective = [&](int h, MatrixXd& u) {
    u.resize(n, n);
    VectorXd r(n);
    for (int i = 0; i < n; ++i) r(i) = estimated_risk(a.risk(h), a.risk(i), o.big_r_adjust);
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) u(i, j) = utility_of_distance(a.distance(i, j), r(i));
  };

  // 1. Each actor picks the target whose challenge promises it the most.
  std::vector<int> target(n, -1);
  std::vector<double> target_prob(n, 0.0);
  std::vector<MatrixXd> scratch(std::max(1, std::min(o.threads, n)));
  parallel_for(n, o.threads, [&](int i, int w) {
    MatrixXd& u = scratch[w];
    perspective(i, u);
    detail::Target t =
        detail::best_target(u, i, weight, salience_sum_, o.voting_rule, o.third_party_commit);
    target[i] = t.target;
    target_prob[i] = t.prob;
  });

  // 2. Each challenge yields a proposed bargain for the two actors.
  auto interpolate_pair = [&](int i, int j, double pi, double pj) {
    Bargain b{i, j, VectorXd(dims), VectorXd(dims)};
    for (int k = 0; k < dims; ++k)
      interpolate(o.inter_vec_brgn, pos(i, k), salience_(i, k), pi, pos(j, k), salience_(j, k), pj,
                  b.pos_init(k), b.pos_rcvr(k));
    return b;
  };
  std::vector<Bargain> bargains;
  MatrixXd u_target;
  for (int i = 0; i < n; ++i) {
    const int j = target[i];
    if (j < 0) continue;
    Bargain from_i = interpolate_pair(i, j, target_prob[i], 1 - target_prob[i]);
    if (o.bargn_model == BargnModel::kInitOnlyInterp) {
      bargains.push_back(std::move(from_i));
      continue;
    }
    // The target's own view of the same challenge (KTAB passes the target's expected gain
    // here where it means the probability; geosim uses the probability).
    perspective(j, u_target);
    double pj = detail::challenge_view(u_target, i, i, j, weight, salience_sum_, o.voting_rule,
                                       o.third_party_commit)
                    .prob;
    Bargain from_j = interpolate_pair(i, j, pj, 1 - pj);
    if (o.bargn_model == BargnModel::kInitRcvrInterp) {
      bargains.push_back(std::move(from_i));
      bargains.push_back(std::move(from_j));
      continue;
    }
    double wi = capability_(i) * salience_sum_(i), wj = capability_(j) * salience_sum_(j);
    if (!(wi + wj > 0)) wi = wj = 1.0;
    Bargain mixed{i, j, (wi * from_i.pos_init + wj * from_j.pos_init) / (wi + wj),
                  (wi * from_i.pos_rcvr + wj * from_j.pos_rcvr) / (wi + wj)};
    bargains.push_back(std::move(mixed));
  }

  // 3. Every actor values each bargain by its mean utility over the positions it implies.
  const double dn = static_cast<double>(n);
  VectorXd status_quo(n);
  for (int m = 0; m < n; ++m) {
    double s = 0.0;
    for (int q = 0; q < n; ++q) s = s + a.own_util(m, q);
    status_quo(m) = s / dn;
  }
  auto util_of_point = [&](int m, const VectorXd& x) {
    double ds_sq = 0;
    for (int k = 0; k < dims; ++k) {
      double ds = (pos(m, k) - x(k)) * salience_(m, k);
      ds_sq = ds_sq + (ds * ds);
    }
    double d = salience_sq_sum_(m) > 0 ? std::sqrt(ds_sq / salience_sq_sum_(m)) : 0.0;
    return utility_of_distance(d, a.risk(m));
  };
  const int nb = static_cast<int>(bargains.size());
  MatrixXd bargain_util(n, nb);
  parallel_for(nb, o.threads, [&](int b, int) {
    const Bargain& g = bargains[b];
    for (int m = 0; m < n; ++m) {
      double s = 0.0;
      s = s + util_of_point(m, g.pos_init);
      s = s + util_of_point(m, g.pos_rcvr);
      for (int q = 0; q < n; ++q)
        if (q != g.init && q != g.rcvr) s = s + a.own_util(m, q);
      bargain_util(m, b) = s / dn;
    }
  });

  // 4. Each actor takes the bargain (or the status quo) the PCE over its options favours.
  std::vector<std::vector<int>> options_of(n);
  for (int b = 0; b < nb; ++b) {
    options_of[bargains[b].init].push_back(b);
    options_of[bargains[b].rcvr].push_back(b);
  }
  MatrixXd next = pos;
  parallel_for(n, o.threads, [&](int k, int) {
    const std::vector<int>& mine = options_of[k];
    const int no = static_cast<int>(mine.size()) + 1;
    MatrixXd u(n, no);
    u.col(0) = status_quo;
    for (int m = 1; m < no; ++m) u.col(m) = bargain_util.col(mine[m - 1]);
    VectorXd p = scalar_pce(capability_, u, o.voting_rule, o.victory_prob_model, o.pce_model);
    int chosen = 0;
    if (o.state_transitions == StateTransitions::kDeterministic) {
      double best = -1.0;
      for (int m = 0; m < no; ++m)
        if (best < std::fabs(p(m))) {
          best = std::fabs(p(m));
          chosen = m;
        }
    } else {
      double x = uniforms(turn, static_cast<uint32_t>(k), 0);
      double cum = 0.0;
      chosen = no - 1;
      for (int m = 0; m < no; ++m) {
        cum += p(m);
        if (x < cum) {
          chosen = m;
          break;
        }
      }
    }
    if (chosen == 0) return;
    const Bargain& g = bargains[mine[chosen - 1]];
    next.row(k) = (g.init == k ? g.pos_init : g.pos_rcvr).transpose();
  });
  return next;
}

VectorXd Smp::position_probabilities(const MatrixXd& pos, const Assessment& a) const {
  const int n = num_actors();
  const double tol = options_.position_tolerance;
  auto same = [&](int i, int j) {
    double s = 0.0;
    for (int k = 0; k < pos.cols(); ++k) {
      double d = pos(i, k) - pos(j, k);
      s = s + (d * d);
    }
    return std::sqrt(s) < tol;
  };
  std::vector<int> unique;
  for (int i = 0; i < n; ++i) {
    bool found = false;
    for (size_t u = 0; !found && u < unique.size(); ++u) found = same(i, unique[u]);
    if (!found) unique.push_back(i);
  }
  const int nu = static_cast<int>(unique.size());
  MatrixXd u(n, nu);
  for (int m = 0; m < nu; ++m) u.col(m) = a.own_util.col(unique[m]);
  // KTAB reports with proportional voting whatever rule the model uses.
  VectorXd p = scalar_pce(capability_, u, VotingRule::kProp, options_.victory_prob_model,
                          options_.pce_model);
  VectorXd out(n);
  for (int i = 0; i < n; ++i) {
    int k = -1;
    for (int m = 0; m < nu; ++m)
      if (same(i, unique[m])) k = m;
    GEOSIM_ASSERT(k >= 0, "actor " + std::to_string(i) + " matches no unique position");
    out(i) = p(k);
  }
  return out;
}

SmpRound Smp::round(const MatrixXd& positions, uint32_t turn, const UniformSource& uniforms) const {
  GEOSIM_ASSERT(positions.rows() == num_actors() && positions.cols() == num_dimensions(),
                "positions shape");
  Assessment a = assess(positions);
  return {advance(positions, a, turn, uniforms), position_probabilities(positions, a)};
}

VectorXd Smp::win_probabilities(const MatrixXd& positions) const {
  GEOSIM_ASSERT(positions.rows() == num_actors() && positions.cols() == num_dimensions(),
                "positions shape");
  return position_probabilities(positions, assess(positions));
}

SmpHistory Smp::run(const MatrixXd& initial, const UniformSource& uniforms) const {
  GEOSIM_ASSERT(initial.rows() == num_actors() && initial.cols() == num_dimensions(),
                "positions shape");
  SmpHistory h;
  h.positions.push_back(initial);
  Assessment a = assess(initial);
  h.probabilities.push_back(position_probabilities(initial, a));
  for (int iter = 1;; ++iter) {
    MatrixXd next = advance(h.positions.back(), a, static_cast<uint32_t>(iter - 1), uniforms);
    a = assess(next);
    h.probabilities.push_back(position_probabilities(next, a));
    h.positions.push_back(std::move(next));
    const double first =
        state_distance(h.positions[0], h.positions[1]) + options_.min_significant_delta;
    const double last = state_distance(h.positions[iter - 1], h.positions[iter]);
    const bool quiet = (last / first) < options_.min_delta_ratio;
    if (options_.max_turns <= iter || (options_.min_turns <= iter && quiet)) break;
  }
  return h;
}

}  // namespace geosim::bargain
