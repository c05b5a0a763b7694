// Pseudo-marginal Metropolis-Hastings (Andrieu and Roberts 2009): a random-walk chain whose
// likelihood is the simulated estimate (the product over cases of the mean kernel over
// replicates, unbiased), fresh random numbers at every proposal, the current estimate kept
// until a proposal is accepted. The chain then targets the exact posterior. Several chains
// run side by side (one batch per iteration); the proposal covariance adapts during
// burn-in only (2.38^2 / d times the chains' covariance, Roberts and Rosenthal 2001).
#include <algorithm>
#include <cmath>
#include <limits>

#include "calibrate/methods.h"
#include "core/error.h"
#include "io/number.h"

namespace geosim::calibrate {

FitResult fit_pmmh(const Problem& problem, const Method& method, const Context& context,
                   const std::string& key) {
  const size_t d = problem.free.size(), C = problem.observations.cases.size();
  const size_t K = static_cast<size_t>(method.chains);
  Evaluator ev(problem, context, method.default_replicates(), 0, key);
  const double kNegInf = -std::numeric_limits<double>::infinity();
  const Scale scale(problem);

  auto log_lik = [&](const std::vector<TaskResult>& res, size_t first) {
    double s = 0;
    for (size_t c = 0; c < C; ++c) {
      const double l = res[first + c].likelihood;
      if (!(l > 0)) return kNegInf;
      s += std::log(l);
    }
    return s;
  };

  // Start each chain at a prior draw with a positive likelihood estimate (up to 100 tries).
  std::vector<std::vector<double>> state(K, std::vector<double>(d));
  std::vector<double> state_lp(K, kNegInf);  // log prior + log likelihood estimate
  uint32_t iter = 0;                         // numbers every batch of the chains
  for (int attempt = 0; attempt < 100; ++attempt, ++iter) {
    std::vector<size_t> todo;
    for (size_t k = 0; k < K; ++k)
      if (state_lp[k] == kNegInf) todo.push_back(k);
    if (todo.empty()) break;
    std::vector<Task> tasks;
    std::vector<std::vector<double>> th;
    for (size_t k : todo) {
      std::vector<double> t(d);
      for (size_t j = 0; j < d; ++j)
        t[j] = problem.free[j].prior.quantile(algo_uniform(
            method.seed, kStreamPrior, iter, static_cast<uint32_t>(k), static_cast<uint32_t>(j)));
      for (auto& x : point_tasks(problem, t, method.seed, iter, k)) tasks.push_back(std::move(x));
      th.push_back(t);
    }
    std::vector<TaskResult> res = ev.run(tasks);
    for (size_t i = 0; i < todo.size(); ++i) {
      const double ll = log_lik(res, i * C);
      if (ll > kNegInf) {
        state[todo[i]] = th[i];
        state_lp[todo[i]] = ll + log_prior(problem, th[i]);
      }
    }
  }
  for (size_t k = 0; k < K; ++k)
    if (state_lp[k] == kNegInf)
      throw RunError("pmmh: no prior draw of 100 gave chain " + std::to_string(k) +
                     " a positive simulated likelihood; use more --replicates, observations "
                     "with measurement error (VALUE~SD), or abc-smc");

  std::vector<double> cov(d * d, 0);
  for (size_t j = 0; j < d; ++j) cov[j * d + j] = std::pow(0.1 * scale.width[j], 2);
  std::vector<double> L = cholesky(cov, d);
  const int total = method.burn_in + method.iterations;
  std::vector<std::vector<std::vector<double>>> kept(K);  // [chain][draw][param]
  std::vector<std::vector<std::vector<double>>> burn(K);
  int64_t accepted = 0, proposed = 0;
  for (int t = 0; t < total; ++t, ++iter) {
    if (t < method.burn_in && t >= 50 && t % 50 == 0) {
      // Adapt: the chains' pooled covariance over the second half of the burn-in so far.
      std::vector<double> mean(d, 0), c2(d * d, 0);
      double n = 0;
      for (size_t k = 0; k < K; ++k)
        for (size_t i = burn[k].size() / 2; i < burn[k].size(); ++i, n += 1)
          for (size_t a = 0; a < d; ++a) mean[a] += burn[k][i][a];
      for (double& m : mean) m /= n;
      for (size_t k = 0; k < K; ++k)
        for (size_t i = burn[k].size() / 2; i < burn[k].size(); ++i)
          for (size_t a = 0; a < d; ++a)
            for (size_t b = 0; b < d; ++b)
              c2[a * d + b] += (burn[k][i][a] - mean[a]) * (burn[k][i][b] - mean[b]) / n;
      const double f = 2.38 * 2.38 / static_cast<double>(d);
      for (size_t a = 0; a < d; ++a) {
        for (size_t b = 0; b < d; ++b) c2[a * d + b] *= f;
        c2[a * d + a] += std::pow(1e-3 * scale.width[a], 2);
      }
      L = cholesky(c2, d);
    }
    std::vector<std::vector<double>> prop(K, std::vector<double>(d));
    std::vector<char> inside(K, 1);
    std::vector<Task> tasks;
    for (size_t k = 0; k < K; ++k) {
      std::vector<double> z(d);
      for (size_t a = 0; a < d; ++a)
        z[a] = algo_normal(method.seed, kStreamPerturb, iter, static_cast<uint32_t>(k),
                           static_cast<uint32_t>(a));
      for (size_t a = 0; a < d; ++a) {
        double s = state[k][a];
        for (size_t b = 0; b <= a; ++b) s += L[a * d + b] * z[b];
        prop[k][a] = s;
        if (!problem.free[a].prior.contains(s)) inside[k] = 0;
      }
      if (inside[k])
        for (auto& x : point_tasks(problem, prop[k], method.seed, iter, k))
          tasks.push_back(std::move(x));
    }
    std::vector<TaskResult> res = ev.run(tasks);
    size_t r = 0;
    for (size_t k = 0; k < K; ++k) {
      ++proposed;
      if (inside[k]) {
        const double lp = log_lik(res, r) + log_prior(problem, prop[k]);
        r += C;
        const double u = algo_uniform(method.seed, kStreamAccept, iter, static_cast<uint32_t>(k));
        if (lp > kNegInf && std::log(u) < lp - state_lp[k]) {
          state[k] = prop[k];
          state_lp[k] = lp;
          ++accepted;
        }
      }
      (t < method.burn_in ? burn : kept)[k].push_back(state[k]);
    }
    if ((t + 1) % 100 == 0)
      progress_line(context, "calibrate: iteration " + std::to_string(t + 1) + "/" +
                                 std::to_string(total) + ", acceptance " +
                                 io::format_double(static_cast<double>(accepted) /
                                                   static_cast<double>(proposed)));
  }

  FitResult result;
  result.method = MethodKind::kPmmh;
  for (const auto& f : problem.free) result.names.push_back(f.name);
  for (size_t k = 0; k < K; ++k)
    for (const auto& x : kept[k]) result.draws.push_back(x);
  result.weights.assign(result.draws.size(), 1.0 / static_cast<double>(result.draws.size()));
  summarise(result);
  result.point.assign(d, 0);
  for (size_t j = 0; j < d; ++j) {
    result.point[j] = result.params[j].mean;
    // ESS: Geyer's estimator per chain, summed; R-hat (Gelman-Rubin) over the chains.
    double ess = 0;
    std::vector<double> means(K), vars(K);
    const double n = static_cast<double>(method.iterations);
    for (size_t k = 0; k < K; ++k) {
      std::vector<double> x;
      for (const auto& v : kept[k]) x.push_back(v[j]);
      ess += chain_ess(x);
      double m = 0;
      for (double v : x) m += v / n;
      double s = 0;
      for (double v : x) s += (v - m) * (v - m) / std::max(1.0, n - 1);
      means[k] = m, vars[k] = s;
    }
    result.params[j].ess = ess;
    double gm = 0, W = 0, B = 0;
    for (size_t k = 0; k < K; ++k)
      gm += means[k] / static_cast<double>(K), W += vars[k] / static_cast<double>(K);
    for (size_t k = 0; k < K; ++k)
      B += n * (means[k] - gm) * (means[k] - gm) / std::max(1.0, static_cast<double>(K) - 1);
    const double rhat = W > 0 ? std::sqrt(((n - 1) / n * W + B / n) / W) : 1;
    result.diagnostics.emplace_back("rhat:" + result.names[j], io::format_double(rhat));
  }
  result.diagnostics.emplace_back(
      "acceptance_rate", io::format_double(static_cast<double>(accepted) /
                                           static_cast<double>(std::max<int64_t>(1, proposed))));
  result.diagnostics.emplace_back("chains", std::to_string(K));
  result.diagnostics.emplace_back("burn_in", std::to_string(method.burn_in));
  result.evaluations = ev.evaluations;
  result.simulations = ev.simulations;
  return result;
}

}  // namespace geosim::calibrate
