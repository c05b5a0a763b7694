#include "sim/engine.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>

#include "bargain/smp.h"
#include "core/isa.h"
#include "expr/lane_exp.h"
#include "expr/vm.h"
#include "random/distributions.h"
#include "random/stream.h"

namespace geosim::sim {

using expr::kLanes;

namespace {
using LaneArray = Eigen::Array<double, kLanes, 1>;
using Lane = Eigen::Map<LaneArray, Eigen::Aligned64>;

// Lane loops written out (rather than Eigen boolean expressions, which Eigen 3.4 does not
// vectorise) so that GCC turns them into packed compares and blends.
template <typename F>
[[gnu::always_inline]] inline void for_lanes(F f) {
  for (int i = 0; i < kLanes; ++i) f(i);
}
[[gnu::always_inline]] inline double flag(bool b) { return b ? 1.0 : 0.0; }

// A row of zeros: "fired" for an event that may fire again.
alignas(64) constexpr double kNoLanes[kLanes] = {};

[[gnu::always_inline]] inline bool any_set(const double* mask) {
  return expr::any_lane(kLanes, [&](int i) { return mask[i] != 0; });
}

// The logit choice of one decision over the lanes, in one pass per option, with the bits of
// the Eigen expressions it replaces (kept below for more than kMaxFastOptions options):
// mx = max_j u_j (Eigen's max: a NaN keeps the running value), w_j = exp(l (u_j - mx)) with
// expr::exp_as_eigen, sum = w_0 + w_1 + ..., and the choice is the number of options j < k - 1
// whose cumulative weight is at most draw * sum. Compiled for the baseline and for AVX2
// (core/isa.h), where the exp runs 4 lanes wide instead of Eigen's 2.
constexpr size_t kMaxFastOptions = 16;

[[gnu::always_inline]] inline void logit_choice_body(double* const* u, size_t k,
                                                     const double* lambda, const double* draw,
                                                     const double* act, double* target,
                                                     double* choice) {
  alignas(64) double mx[kLanes], sum[kLanes], acc[kLanes], pick[kLanes];
  const double* u0 = u[0];
  for (int i = 0; i < kLanes; ++i) mx[i] = u0[i];
  for (size_t j = 1; j < k; ++j) {
    const double* uj = u[j];
    for (int i = 0; i < kLanes; ++i) mx[i] = uj[i] > mx[i] ? uj[i] : mx[i];
  }
  for (int i = 0; i < kLanes; ++i) sum[i] = 0;
  for (size_t j = 0; j < k; ++j) {
    double* w = u[j];
    for (int i = 0; i < kLanes; ++i) {
      w[i] = expr::exp_as_eigen(lambda[i] * (w[i] - mx[i]));
      sum[i] += w[i];
    }
  }
  for (int i = 0; i < kLanes; ++i) {
    target[i] = draw[i] * sum[i];
    acc[i] = 0;
    pick[i] = 0;
  }
  for (size_t j = 0; j + 1 < k; ++j) {
    const double* w = u[j];
    for (int i = 0; i < kLanes; ++i) {
      acc[i] += w[i];
      pick[i] += expr::blend(target[i] >= acc[i], 1.0, 0.0);
    }
  }
  for (int i = 0; i < kLanes; ++i) choice[i] = act[i] != 0 ? pick[i] : choice[i];
}

[[gnu::target("avx2")]] void logit_choice_avx2(double* const* u, size_t k, const double* lambda,
                                               const double* draw, const double* act,
                                               double* target, double* choice) {
  logit_choice_body(u, k, lambda, draw, act, target, choice);
}

[[GEOSIM_AVX512]] void logit_choice_avx512(double* const* u, size_t k, const double* lambda,
                                           const double* draw, const double* act, double* target,
                                           double* choice) {
  logit_choice_body(u, k, lambda, draw, act, target, choice);
}

void logit_choice_baseline(double* const* u, size_t k, const double* lambda, const double* draw,
                           const double* act, double* target, double* choice) {
  logit_choice_body(u, k, lambda, draw, act, target, choice);
}

void logit_choice(double* const* u, size_t k, const double* lambda, const double* draw,
                  const double* act, double* target, double* choice) {
  static const auto path =
      core::pick_path(logit_choice_baseline, logit_choice_avx2, logit_choice_avx512);
  path(u, k, lambda, draw, act, target, choice);
}
}  // namespace

void Block::Free::operator()(double* p) const { std::free(p); }

Block::Block(const Model& model) : model_(model) {
  size_t bytes = static_cast<size_t>(model.n_rows) * kLanes * sizeof(double);
  bytes = (bytes + 63) / 64 * 64;
  double* p = static_cast<double*>(std::aligned_alloc(64, bytes == 0 ? 64 : bytes));
  if (!p) throw std::bad_alloc();
  std::memset(p, 0, bytes);
  rows_.reset(p);
}

void Block::fail_at(int lane, const std::string& what, const std::string& where) {
  throw RunError(where + ": " + what + " at " + model_.step_label + " " + std::to_string(t_) +
                 ", replicate " + std::to_string(first_replicate_ + static_cast<uint64_t>(lane)) +
                 " (scenario '" + model_.id + "')");
}

void Block::exec(const expr::Program& p) {
  expr::Failure f = expr::run(p, rows_.get(), draw_, valid_);
  if (f.failed()) {
    const expr::CheckInfo& c = p.checks[static_cast<size_t>(f.check)];
    fail_at(f.lane, c.what + " gave a non-finite value (NaN or infinity)", c.where);
  }
}

// The mask row: the lanes where an event may fire (alive, its `when` holds, not yet fired if
// once), in one pass after its `when` program.
[[gnu::always_inline]] inline void Block::may_fire(const EventModel& ev) {
  const double* alive = row(model_.alive_row);
  double* mask = row(model_.mask_row);
  const double* w = alive;
  if (ev.when.result >= 0) {
    exec(ev.when);
    w = row(ev.when.result);
  }
  const double* fired = ev.once ? row(ev.fired_row) : kNoLanes;
  for_lanes([&](int i) { mask[i] = flag((alive[i] != 0) & (w[i] != 0) & (fired[i] == 0)); });
}

// An event's probability is out of range on a lane where it could fire: finds the first
// such lane and fails there. The `when` and probability programs run again (they only
// write temporaries, and their draws are functions of their counters, so they give the
// same values), because the probability's temporaries may have overwritten the `when`
// value, and the lanes that fired have replaced the lanes that could fire.
void Block::fail_on_probability(const EventModel& ev) {
  const double* mask = row(model_.mask_row);
  may_fire(ev);
  exec(ev.probability);
  const double* p = row(ev.probability.result);
  for (int i = 0; i < valid_; ++i)
    if (mask[i] != 0 && !(p[i] >= 0 && p[i] <= 1))
      fail_at(i,
              "probability of event '" + ev.name + "' is " + std::to_string(p[i]) +
                  "; expected a value within [0, 1]",
              ev.loc.str());
  GEOSIM_ASSERT(false, "event '" + ev.name + "': an out-of-range probability went missing");
}

[[gnu::always_inline]] inline void Block::run_events() {
  double* mask = row(model_.mask_row);
  for (const EventModel& ev : model_.events) {
    if (!ev.at.empty() && !ev.at[static_cast<size_t>(t_)]) continue;
    may_fire(ev);
    if (ev.probability.result >= 0) {
      if (!any_set(mask)) continue;
      exec(ev.probability);
      const double* p = row(ev.probability.result);
      double* u = row(model_.scratch_row);
      rnd::draw_unit(draw_, ev.site, u, kLanes);
      // One vectorised pass: whether a lane's probability is out of range (the lane loop
      // below only then, before anything changes), the lanes it fires on, and whether any.
      double bad = 0, any = 0;
      for (int i = 0; i < kLanes; ++i) {
        const bool on = mask[i] != 0;
        bad = (on & !((p[i] >= 0) & (p[i] <= 1))) ? 1.0 : bad;
        const bool hit = on & (u[i] < p[i]);
        any = hit ? 1.0 : any;
        mask[i] = flag(hit);
      }
      if (bad != 0) fail_on_probability(ev);  // a valid lane could fire with it: never returns
      if (any == 0) continue;
    } else if (!any_set(mask)) {
      continue;
    }
    for (const auto& s : ev.effects) exec(s);
    if (ev.story_row >= 0) {  // a storyline item: the step it first fired
      double* first = row(ev.story_row);
      const double step = static_cast<double>(t_ + 1);
      for_lanes([&](int i) { first[i] = ((mask[i] != 0) & (first[i] == 0)) ? step : first[i]; });
    }
    if (ev.once) {
      double* f = row(ev.fired_row);
      for_lanes([&](int i) { f[i] = flag((f[i] != 0) | (mask[i] != 0)); });
    }
  }
}

[[gnu::always_inline]] inline void Block::run_decisions() {
  const double* alive = row(model_.alive_row);
  // Every decision chooses on the same state ...
  for (const DecisionModel& d : model_.decisions) {
    Lane active(row(d.active_row));
    double* choice = row(d.choice_row);
    active = Lane(const_cast<double*>(alive));
    if (d.when.result >= 0) {
      exec(d.when);
      const double* w = row(d.when.result);
      double* act = row(d.active_row);
      for_lanes([&](int i) { act[i] = flag((act[i] != 0) & (w[i] != 0)); });
    }
    Lane(choice).setConstant(-1);
    if (!any_set(row(d.active_row))) continue;
    const size_t k = d.options.size();
    for (const OptionModel& o : d.options) exec(o.value);
    const double* act = row(d.active_row);
    if (d.rule == DecisionRule::kArgmax) {
      Lane best(row(model_.scratch_row));
      best = Lane(row(d.options[0].value_row));
      Lane c(choice);
      const double* act = row(d.active_row);
      double* bst = row(model_.scratch_row);
      for_lanes([&](int i) { choice[i] = act[i] != 0 ? 0.0 : -1.0; });
      for (size_t j = 1; j < k; ++j) {
        Lane u(row(d.options[j].value_row));
        const double* uj = row(d.options[j].value_row);
        const double jd = static_cast<double>(j);
        for_lanes([&](int i) {
          const bool better = (act[i] != 0) & (uj[i] > bst[i]);
          choice[i] = better ? jd : choice[i];
          bst[i] = better ? uj[i] : bst[i];
        });
      }
      continue;
    }
    double* draw = row(model_.mask_row);  // free until the effects phase
    rnd::draw_unit(draw_, d.site, draw, kLanes);
    double* total = row(model_.scratch_row);
    if (d.rule == DecisionRule::kLogit) {
      exec(d.rationality);
      double* values[kMaxFastOptions];
      if (k <= kMaxFastOptions) {
        for (size_t j = 0; j < k; ++j) values[j] = row(d.options[j].value_row);
        logit_choice(values, k, row(d.rationality_row), draw, act, total, choice);
        continue;
      }
      // p_j = exp(l (u_j - max u)) / sum, shifted by the maximum so exp cannot overflow.
      // The weights overwrite the utilities, which are not needed after the choice.
      Lane lambda(row(d.rationality_row));
      LaneArray mx = Lane(row(d.options[0].value_row));
      for (size_t j = 1; j < k; ++j) mx = mx.max(Lane(row(d.options[j].value_row)));
      LaneArray sum = LaneArray::Zero();
      for (size_t j = 0; j < k; ++j) {
        Lane w(row(d.options[j].value_row));
        w = (lambda * (w - mx)).exp();
        sum += w;
      }
      // The first option whose cumulative weight exceeds draw * sum.
      Lane target(total);
      target = Lane(draw) * sum;
      LaneArray acc = LaneArray::Zero(), pick = LaneArray::Zero();
      for (size_t j = 0; j + 1 < k; ++j) {
        acc += Lane(row(d.options[j].value_row));
        const double* tg = total;
        const double* ac = acc.data();
        double* pk = pick.data();
        for_lanes([&](int i) { pk[i] += flag(tg[i] >= ac[i]); });
      }
      Lane c(choice);
      const double* pk = pick.data();
      for_lanes([&](int i) { choice[i] = act[i] != 0 ? pk[i] : choice[i]; });
    } else {  // sample: P(option) proportional to its weight
      for (int i = 0; i < valid_; ++i) {
        if (act[i] == 0) continue;
        double sum = 0;
        for (size_t j = 0; j < k; ++j) {
          double wj = row(d.options[j].value_row)[i];
          if (wj < 0)
            fail_at(i,
                    "weight of option '" + d.options[j].name + "' of decision '" + d.name +
                        "' for " + d.member + " is negative (" + std::to_string(wj) + ")",
                    d.loc.str());
          sum += wj;
        }
        if (!(sum > 0))
          fail_at(i,
                  "all option weights of decision '" + d.name + "' for " + d.member +
                      " are zero; expected at least one positive weight",
                  d.loc.str());
        // Finite weights can still sum past the largest double: then they are divided by
        // the largest weight (each is at most 1, the sum at most k), like log-sum-exp. An
        // ordinary sum is used as it is, so the draws of every other scenario stay exact.
        double scale = 1;
        if (!std::isfinite(sum)) {
          scale = 0;
          for (size_t j = 0; j < k; ++j) scale = std::max(scale, row(d.options[j].value_row)[i]);
          sum = 0;
          for (size_t j = 0; j < k; ++j) sum += row(d.options[j].value_row)[i] / scale;
        }
        double target = draw[i] * sum, acc = 0;
        size_t pick = k - 1;
        for (size_t j = 0; j < k; ++j) {
          acc += row(d.options[j].value_row)[i] / scale;
          if (target < acc) {
            pick = j;
            break;
          }
        }
        choice[i] = static_cast<double>(pick);
      }
    }
  }
  // ... then the chosen options' effects apply in file order.
  double* mask = row(model_.mask_row);
  for (const DecisionModel& d : model_.decisions) {
    const double* choice = row(d.choice_row);
    if (d.story_row >= 0) record_first_choice(d);
    for (size_t j = 0; j < d.options.size(); ++j) {
      const OptionModel& o = d.options[j];
      if (o.effects.empty()) continue;
      Lane mk(mask);
      const double jd = static_cast<double>(j);
      for_lanes([&](int i) { mask[i] = flag(choice[i] == jd); });
      if (!any_set(mask)) continue;
      for (const auto& s : o.effects) exec(s);
    }
  }
}

// A storyline item: the step and option of the decision's first choice of a counted option.
[[gnu::always_inline]] inline void Block::record_first_choice(const DecisionModel& d) {
  const double* choice = row(d.choice_row);
  double* first = row(d.story_row);
  double* label = row(d.story_label_row);
  const double step = static_cast<double>(t_ + 1);
  if (d.story_options.empty()) {
    for_lanes([&](int i) {
      const bool hit = (choice[i] >= 0) & (first[i] == 0);
      first[i] = hit ? step : first[i];
      label[i] = hit ? choice[i] : label[i];
    });
    return;
  }
  for (int i = 0; i < valid_; ++i) {
    const double c = choice[i];
    if (c >= 0 && first[i] == 0 && d.story_options[static_cast<size_t>(c)]) {
      first[i] = step;
      label[i] = c;
    }
  }
}

void Block::run_bargaining() {
  const double* alive = row(model_.alive_row);
  for (const BargainingModel& b : model_.bargaining) {
    for (const auto& p : b.capability) exec(p);
    for (const auto& p : b.salience) exec(p);
    const int na = b.n_actors, nd = b.n_dims;
    Eigen::VectorXd capability(na);
    Eigen::MatrixXd salience(na, nd), positions(na, nd);
    for (int i = 0; i < valid_; ++i) {
      if (alive[i] == 0) continue;
      for (int a = 0; a < na; ++a) {
        const double c = row(b.capability_rows[static_cast<size_t>(a)])[i];
        if (!(c >= 0))
          fail_at(i,
                  "capability of " + b.actor_ids[static_cast<size_t>(a)] + " in bargaining '" +
                      b.name + "' is " + std::to_string(c) + "; expected a value >= 0",
                  b.loc.str());
        capability(a) = c;
        double sum = 0;
        for (int d = 0; d < nd; ++d) {
          const size_t k = static_cast<size_t>(a * nd + d);
          const double s = row(b.salience_rows[k])[i];
          if (!(s >= 0 && s <= 1))
            fail_at(i,
                    "salience of " + b.actor_ids[static_cast<size_t>(a)] + " on " +
                        b.dimensions[static_cast<size_t>(d)] + " in bargaining '" + b.name +
                        "' is " + std::to_string(s) + "; expected a value within [0, 1]",
                    b.loc.str());
          sum += s;
          salience(a, d) = s;
          positions(a, d) = std::clamp(row(b.position_rows[k])[i], 0.0, 1.0);
        }
        if (sum > 1 + 1e-9)
          fail_at(i,
                  "saliences of " + b.actor_ids[static_cast<size_t>(a)] + " in bargaining '" +
                      b.name + "' sum to " + std::to_string(sum) + "; expected a sum <= 1",
                  b.loc.str());
      }
      const bargain::Smp smp(capability, salience, b.options);
      const uint64_t seed = draw_.seed;
      const rnd::Counter base{draw_.replicate0 + static_cast<uint32_t>(i), draw_.step, b.site, 0};
      // Draw `draw` of actor `actor`: counter k = actor * 2^16 + draw, so that the stream is
      // a function of (seed, replicate, step, issue set) alone.
      const bargain::UniformSource uniforms = [seed, base](uint32_t, uint32_t actor,
                                                           uint32_t draw) {
        rnd::Counter c = base;
        c.k = (actor << 16) | (draw & 0xFFFFu);
        return rnd::uniform(seed, c);
      };
      const bargain::SmpRound r = smp.round(positions, draw_.step, uniforms);
      for (int a = 0; a < na; ++a) {
        row(b.win_rows[static_cast<size_t>(a)])[i] = r.probabilities(a);
        for (int d = 0; d < nd; ++d)
          row(b.position_rows[static_cast<size_t>(a * nd + d)])[i] = r.next_positions(a, d);
      }
    }
  }
}

[[gnu::always_inline]] inline void Block::record_outcome_accumulators() {
  const double* al = row(model_.alive_row);
  for (const OutcomeModel& o : model_.outcomes) {
    if (o.kind == OutcomeKind::kFinal || o.kind == OutcomeKind::kCases) continue;
    exec(o.expr);
    const double* x = row(o.expr.result);
    double* a = row(o.acc_row);
    switch (o.kind) {
      case OutcomeKind::kMax:
        for_lanes([&](int i) { a[i] = ((al[i] != 0) & (a[i] < x[i])) ? x[i] : a[i]; });
        break;
      case OutcomeKind::kMin:
        for_lanes([&](int i) { a[i] = ((al[i] != 0) & (x[i] < a[i])) ? x[i] : a[i]; });
        break;
      case OutcomeKind::kMean: {
        double* cnt = row(o.count_row);
        for_lanes([&](int i) {
          a[i] = al[i] != 0 ? a[i] + x[i] : a[i];
          cnt[i] += flag(al[i] != 0);
        });
        break;
      }
      case OutcomeKind::kFirst: {
        const double td = static_cast<double>(t_);
        for_lanes([&](int i) { a[i] = ((al[i] != 0) & (a[i] < 0) & (x[i] != 0)) ? td : a[i]; });
      } break;
      default:
        break;
    }
  }
}

[[gnu::always_inline]] inline void Block::step_body() {
  run_events();
  run_decisions();
  for (const auto& s : model_.dynamics) exec(s);
  if (!model_.bargaining.empty()) run_bargaining();
  for (const Bound& b : model_.bounds) {
    Lane r(row(b.row));
    r = r.max(b.lo).min(b.hi);
  }
  record_outcome_accumulators();
}

void Block::step_baseline() { step_body(); }
[[gnu::target("avx2")]] void Block::step_avx2() { step_body(); }
[[GEOSIM_AVX512]] void Block::step_avx512() { step_body(); }

void Block::step() {
  static const auto path =
      core::pick_path(&Block::step_baseline, &Block::step_avx2, &Block::step_avx512);
  (this->*path)();
}

bool Block::run(const std::vector<double>& uniforms, uint64_t seed, uint64_t first_replicate, int n,
                Sink& sink, const std::atomic<bool>* stop,
                const ReplicateParameters* per_replicate) {
  valid_ = n;
  first_replicate_ = first_replicate;
  draw_.seed = seed;
  draw_.replicate0 = static_cast<uint32_t>(first_replicate);
  for (size_t u = 0; u < uniforms.size(); ++u)
    Lane(row(model_.uniform_base + static_cast<int32_t>(u))).setConstant(uniforms[u]);
  if (per_replicate)
    for (int i = 0; i < n; ++i) {
      const double* v = per_replicate->values(seed, first_replicate + static_cast<uint64_t>(i));
      for (size_t k = 0; k < per_replicate->rows.size(); ++k) row(per_replicate->rows[k])[i] = v[k];
    }
  double* alive = row(model_.alive_row);
  for (int i = 0; i < kLanes; ++i) alive[i] = i < n ? 1.0 : 0.0;
  for (int32_t r : model_.zero_rows) Lane(row(r)).setZero();
  for (const OutcomeModel& o : model_.outcomes) {
    if (o.acc_row < 0) continue;
    double init = 0;
    if (o.kind == OutcomeKind::kMax) init = -std::numeric_limits<double>::infinity();
    if (o.kind == OutcomeKind::kMin) init = std::numeric_limits<double>::infinity();
    if (o.kind == OutcomeKind::kFirst) init = -1;
    Lane(row(o.acc_row)).setConstant(init);
    if (o.count_row >= 0) Lane(row(o.count_row)).setZero();
  }

  t_ = 0;
  draw_.step = rnd::kInitStep;
  for (const auto& p : model_.init) exec(p);
  for (size_t k = 0; k < model_.init_draws.size(); ++k)
    sink.init_draw(static_cast<int>(k), row(model_.init_draws[k].row), n);

  bool any_alive = n > 0;
  for (int64_t t = 0; t < model_.steps; ++t) {
    if (stop && t % kStopCheckSteps == kStopCheckSteps - 1 && stop->load(std::memory_order_relaxed))
      return false;
    t_ = t;
    draw_.step = static_cast<uint32_t>(t);
    Lane(row(model_.t_row)).setConstant(static_cast<double>(t));
    if (any_alive) step();
    for (size_t k = 0; k < model_.track.size(); ++k) {
      exec(model_.track[k].expr);
      sink.track(static_cast<int>(k), t, row(model_.track[k].expr.result), n);
    }
    if (any_alive && model_.stop_when.result >= 0) {
      exec(model_.stop_when);
      Lane a(alive);
      const double* stop = row(model_.stop_when.result);
      for_lanes([&](int i) { alive[i] = flag((alive[i] != 0) & (stop[i] == 0)); });
      any_alive = any_set(alive);
    }
    if (!any_alive && model_.track.empty() && t + 1 < model_.steps) {
      // Every replicate has stopped and nothing is tracked: the remaining steps would change
      // nothing. Leave the step counter as the last step would, for the outcomes below.
      t_ = model_.steps - 1;
      draw_.step = static_cast<uint32_t>(t_);
      Lane(row(model_.t_row)).setConstant(static_cast<double>(t_));
      break;
    }
  }

  if (!model_.story.empty()) {
    std::vector<const double*> steps, labels;
    for (const auto& item : model_.story) {
      steps.push_back(row(item.step_row));
      labels.push_back(item.label_row >= 0 ? row(item.label_row) : nullptr);
    }
    sink.storyline(steps.data(), labels.data(), n);
  }

  // Outcomes on the final state; every valid lane counts, stopped or not.
  Lane(alive).setZero();
  for (int i = 0; i < n; ++i) alive[i] = 1.0;
  uint8_t reached[kLanes];
  uint8_t held_mask[kLanes];
  double values[kLanes];
  for (size_t k = 0; k < model_.outcomes.size(); ++k) {
    const OutcomeModel& o = model_.outcomes[k];
    const int idx = static_cast<int>(k);
    const uint8_t* held = nullptr;
    if (o.conditional()) {
      exec(o.given);
      const double* g = row(o.given.result);
      for (int i = 0; i < n; ++i) held_mask[i] = g[i] != 0;
      held = held_mask;
    }
    switch (o.kind) {
      case OutcomeKind::kFinal:
        exec(o.expr);
        sink.outcome(idx, row(o.expr.result), nullptr, held, n);
        break;
      case OutcomeKind::kMax:
      case OutcomeKind::kMin:
        sink.outcome(idx, row(o.acc_row), nullptr, held, n);
        break;
      case OutcomeKind::kMean: {
        const double* acc = row(o.acc_row);
        const double* cnt = row(o.count_row);
        for (int i = 0; i < n; ++i) values[i] = cnt[i] > 0 ? acc[i] / cnt[i] : 0.0;
        sink.outcome(idx, values, nullptr, held, n);
        break;
      }
      case OutcomeKind::kFirst: {
        const double* acc = row(o.acc_row);
        for (int i = 0; i < n; ++i) {
          reached[i] = acc[i] >= 0;
          values[i] = reached[i] ? acc[i] : 0.0;
        }
        sink.outcome(idx, values, reached, held, n);
        break;
      }
      case OutcomeKind::kCases: {
        for (int i = 0; i < n; ++i) {
          reached[i] = 0;
          values[i] = 0;
        }
        for (size_t c = 0; c < o.conditions.size(); ++c) {
          exec(o.conditions[c]);
          const double* v = row(o.conditions[c].result);
          for (int i = 0; i < n; ++i)
            if (!reached[i] && v[i] != 0) {
              reached[i] = 1;
              values[i] = static_cast<double>(c);
            }
        }
        sink.outcome(idx, values, reached, held, n);
        break;
      }
    }
  }
  return true;
}

}  // namespace geosim::sim
