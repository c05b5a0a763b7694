// Maximum simulated likelihood: every evaluation simulates each case with the same seeds
// (common random numbers), so the log-likelihood is a deterministic, nearly smooth function
// of the parameters; Nelder-Mead (in-house) maximises it inside the prior's support; a
// profile likelihood gives a 95% interval per parameter; optionally a case bootstrap gives
// draws for posterior.csv.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "calibrate/methods.h"
#include "io/number.h"

namespace geosim::calibrate {
namespace {

using Fn = std::function<double(const std::vector<double>&)>;  // minimised

struct NmResult {
  std::vector<double> x;
  double f = 0;
  int evaluations = 0;
};

// Nelder-Mead (Lagarias et al. 1998 coefficients 1, 2, 0.5, 0.5) on a box: vertices are
// clamped into [lo, hi] per coordinate. Stops after `max_evals` evaluations or when the
// simplex is smaller than `xtol` in every coordinate and its values differ by < ftol.
NmResult nelder_mead(const Fn& f, std::vector<double> x0, double step,
                     const std::vector<double>& lo, const std::vector<double>& hi, int max_evals) {
  const size_t d = x0.size();
  auto clamp = [&](std::vector<double> x) {
    for (size_t j = 0; j < d; ++j) x[j] = std::min(hi[j], std::max(lo[j], x[j]));
    return x;
  };
  NmResult r;
  std::vector<std::vector<double>> s(d + 1, clamp(x0));
  std::vector<double> fs(d + 1);
  for (size_t j = 0; j < d; ++j) {
    double v = s[0][j] + step;
    if (v > hi[j]) v = s[0][j] - step;
    s[j + 1][j] = v;
    s[j + 1] = clamp(s[j + 1]);
  }
  for (size_t i = 0; i <= d; ++i) fs[i] = f(s[i]), ++r.evaluations;
  std::vector<size_t> order(d + 1);
  while (r.evaluations < max_evals) {
    for (size_t i = 0; i <= d; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return fs[a] < fs[b]; });
    {
      std::vector<std::vector<double>> s2;
      std::vector<double> f2;
      for (size_t i : order) s2.push_back(s[i]), f2.push_back(fs[i]);
      s = std::move(s2), fs = std::move(f2);
    }
    double size = 0;
    for (size_t i = 1; i <= d; ++i)
      for (size_t j = 0; j < d; ++j) size = std::max(size, std::fabs(s[i][j] - s[0][j]));
    if (size < 1e-4 && fs[d] - fs[0] < 1e-9) break;
    std::vector<double> c(d, 0);
    for (size_t i = 0; i < d; ++i)
      for (size_t j = 0; j < d; ++j) c[j] += s[i][j] / static_cast<double>(d);
    auto along = [&](double t) {
      std::vector<double> x(d);
      for (size_t j = 0; j < d; ++j) x[j] = c[j] + t * (s[d][j] - c[j]);
      return clamp(x);
    };
    std::vector<double> xr = along(-1);
    double fr = f(xr);
    ++r.evaluations;
    if (fr < fs[0]) {
      std::vector<double> xe = along(-2);
      double fe = f(xe);
      ++r.evaluations;
      if (fe < fr)
        s[d] = xe, fs[d] = fe;
      else
        s[d] = xr, fs[d] = fr;
    } else if (fr < fs[d - 1]) {
      s[d] = xr, fs[d] = fr;
    } else {
      const bool outside = fr < fs[d];
      std::vector<double> xc = along(outside ? -0.5 : 0.5);
      double fc = f(xc);
      ++r.evaluations;
      if (fc < (outside ? fr : fs[d])) {
        s[d] = xc, fs[d] = fc;
      } else {  // shrink towards the best vertex
        for (size_t i = 1; i <= d; ++i) {
          for (size_t j = 0; j < d; ++j) s[i][j] = s[0][j] + 0.5 * (s[i][j] - s[0][j]);
          fs[i] = f(s[i]);
          ++r.evaluations;
        }
      }
    }
  }
  size_t best = 0;
  for (size_t i = 1; i <= d; ++i)
    if (fs[i] < fs[best]) best = i;
  r.x = s[best];
  r.f = fs[best];
  return r;
}

}  // namespace

FitResult fit_mle(const Problem& problem, const Method& method, const Context& context,
                  const std::string& key) {
  const size_t d = problem.free.size(), C = problem.observations.cases.size();
  Evaluator ev(problem, context, method.default_replicates(), 0, key);
  const double R = static_cast<double>(ev.replicates());
  const Scale scale(problem);
  std::vector<double> lo(d), hi(d);
  for (size_t j = 0; j < d; ++j) {
    const Prior& p = problem.free[j].prior;
    lo[j] = std::isfinite(p.lo) ? (p.lo - scale.offset[j]) / scale.width[j] : -1e300;
    hi[j] = std::isfinite(p.hi) ? (p.hi - scale.offset[j]) / scale.width[j] : 1e300;
  }
  auto theta_of = [&](const std::vector<double>& x) {
    std::vector<double> t(d);
    for (size_t j = 0; j < d; ++j) {
      t[j] = scale.offset[j] + x[j] * scale.width[j];
      t[j] = std::min(problem.free[j].prior.hi, std::max(problem.free[j].prior.lo, t[j]));
    }
    return t;
  };
  std::vector<double> kmax(C);
  for (size_t c = 0; c < C; ++c) kmax[c] = kernel_max(problem.observations.cases[c]);
  // Per-case smoothed log-likelihoods at x (common random numbers: seeds depend on the
  // case only).
  auto case_ll = [&](const std::vector<double>& x) {
    std::vector<TaskResult> res = ev.run(point_tasks(problem, theta_of(x), method.seed, 0, 0));
    std::vector<double> ll(C);
    for (size_t c = 0; c < C; ++c)
      ll[c] = std::log((R * res[c].likelihood + 0.5 * kmax[c]) / (R + 1));
    return ll;
  };
  auto total = [](const std::vector<double>& ll, const std::vector<double>* counts) {
    double s = 0;
    for (size_t c = 0; c < ll.size(); ++c) s += (counts ? (*counts)[c] : 1.0) * ll[c];
    return s;
  };

  // Start at the scenario's own values (inside the support), simplex steps of 0.1 scaled.
  std::vector<double> x0(d);
  for (size_t j = 0; j < d; ++j) {
    const Prior& p = problem.free[j].prior;
    double v =
        problem
            .base_uniforms[static_cast<size_t>(problem.free[j].row - problem.model->uniform_base)];
    if (!p.contains(v)) v = p.quantile(0.5);
    x0[j] = (v - scale.offset[j]) / scale.width[j];
  }
  int evaluations = 0;
  NmResult best =
      nelder_mead([&](const std::vector<double>& x) { return -total(case_ll(x), nullptr); }, x0,
                  0.1, lo, hi, method.max_evaluations);
  evaluations += best.evaluations;
  {  // One restart from the optimum: a simplex can collapse early on a stepped objective.
    NmResult again =
        nelder_mead([&](const std::vector<double>& x) { return -total(case_ll(x), nullptr); },
                    best.x, 0.05, lo, hi, std::max(20, method.max_evaluations - best.evaluations));
    evaluations += again.evaluations;
    again.evaluations += best.evaluations;
    if (again.f <= best.f) best = again;
  }
  const double ll_max = -best.f;
  progress_line(context, "calibrate: maximum log-likelihood " + io::format_double(ll_max) +
                             " after " + std::to_string(best.evaluations) + " evaluations");

  FitResult result;
  result.method = MethodKind::kMle;
  for (const auto& f : problem.free) result.names.push_back(f.name);
  result.point = theta_of(best.x);

  // Profile-likelihood intervals: {v : max over the others of ll(v, others) >= max - 1.92}.
  std::vector<double> ci_low(d), ci_high(d);
  if (method.profile) {
    const double cut = ll_max - 0.5 * 3.841458820694124;  // chi-square(1) 95% / 2
    const int inner_budget = 30 + 15 * static_cast<int>(d);
    for (size_t j = 0; j < d; ++j) {
      auto profile = [&](double v) {
        if (d == 1) {
          ++evaluations;
          return total(case_ll({v}), nullptr);
        }
        std::vector<double> others, olo, ohi;
        for (size_t k = 0; k < d; ++k)
          if (k != j) others.push_back(best.x[k]), olo.push_back(lo[k]), ohi.push_back(hi[k]);
        auto full = [&](const std::vector<double>& o) {
          std::vector<double> x(d);
          for (size_t k = 0, m = 0; k < d; ++k) x[k] = k == j ? v : o[m++];
          return x;
        };
        NmResult r = nelder_mead(
            [&](const std::vector<double>& o) { return -total(case_ll(full(o)), nullptr); }, others,
            0.05, olo, ohi, inner_budget);
        evaluations += r.evaluations;
        return -r.f;
      };
      for (int side = -1; side <= 1; side += 2) {
        const double bound =
            side < 0 ? std::max(lo[j], best.x[j] - 4) : std::min(hi[j], best.x[j] + 4);
        double inside = best.x[j], outside = bound;
        bool found = false;
        for (double delta : {0.02, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2}) {
          double v = best.x[j] + side * delta;
          if ((side < 0 && v <= bound) || (side > 0 && v >= bound)) break;
          if (profile(v) < cut) {
            outside = v;
            found = true;
            break;
          }
          inside = v;
        }
        if (!found) {
          if (profile(bound) < cut)
            outside = bound, found = true;
          else
            inside = bound;
        }
        if (found)
          for (int it = 0; it < 7; ++it) {
            const double m = 0.5 * (inside + outside);
            if (profile(m) < cut)
              outside = m;
            else
              inside = m;
          }
        const double edge = scale.offset[j] + inside * scale.width[j];
        (side < 0 ? ci_low : ci_high)[j] = edge;
      }
    }
  }

  // A case bootstrap: refits on cases drawn with replacement give the draws.
  if (method.bootstrap > 0) {
    for (int b = 0; b < method.bootstrap; ++b) {
      std::vector<double> counts(C, 0);
      for (size_t i = 0; i < C; ++i) {
        size_t c =
            static_cast<size_t>(algo_uniform(method.seed, kStreamBootstrap,
                                             static_cast<uint32_t>(b), static_cast<uint32_t>(i)) *
                                static_cast<double>(C));
        counts[std::min(c, C - 1)] += 1;
      }
      NmResult r =
          nelder_mead([&](const std::vector<double>& x) { return -total(case_ll(x), &counts); },
                      best.x, 0.1, lo, hi, method.max_evaluations);
      evaluations += r.evaluations;
      result.draws.push_back(theta_of(r.x));
      progress_line(context, "calibrate: bootstrap " + std::to_string(b + 1) + "/" +
                                 std::to_string(method.bootstrap));
    }
    result.weights.assign(result.draws.size(), 1.0 / static_cast<double>(result.draws.size()));
  } else {
    result.draws.push_back(result.point);
    result.weights = {1.0};
  }
  summarise(result);
  for (size_t j = 0; j < d; ++j) {
    ParamSummary& s = result.params[j];
    s.has_estimate = true;
    s.estimate = result.point[j];
    s.has_interval = method.profile;
    s.ci_low = method.profile ? ci_low[j] : s.estimate;
    s.ci_high = method.profile ? ci_high[j] : s.estimate;
    s.ess = static_cast<double>(result.draws.size());
  }
  result.diagnostics.emplace_back("log_likelihood", io::format_double(ll_max));
  result.diagnostics.emplace_back("optimiser_evaluations", std::to_string(best.evaluations));
  result.diagnostics.emplace_back("bootstrap", std::to_string(method.bootstrap));
  result.evaluations = ev.evaluations;
  result.simulations = ev.simulations;
  return result;
}

}  // namespace geosim::calibrate
