// ABC-SMC (population Monte Carlo, Beaumont et al. 2009) with M pseudo-samples per
// particle (Del Moral, Doucet and Jasra 2012): a particle's ABC likelihood at tolerance eps
// is estimated by the product over cases of the share of its M replicates whose distance
// is within eps, which keeps a block of replicates busy per parameter point. The next
// tolerance is a quantile of the previous generation's distances; proposals perturb a
// particle drawn by weight with a Gaussian of twice the weighted covariance.
#include <algorithm>
#include <cmath>
#include <limits>

#include "calibrate/methods.h"
#include "io/number.h"

namespace geosim::calibrate {

FitResult fit_abc_smc(const Problem& problem, const Method& method, const Context& context,
                      const std::string& key) {
  const size_t d = problem.free.size(), C = problem.observations.cases.size();
  const size_t N = static_cast<size_t>(method.particles);
  Evaluator ev(problem, context, method.default_replicates(), kWantDistance, key);
  const size_t M = static_cast<size_t>(ev.replicates());
  const double kInf = std::numeric_limits<double>::infinity();

  struct Particle {
    std::vector<double> theta;
    std::vector<double> dist;  // [case * M + replicate]
    double log_w = 0;
  };
  std::vector<Particle> pop;
  std::vector<double> weights;
  double eps = kInf;
  FitResult result;
  result.method = MethodKind::kAbcSmc;
  int64_t gens_done = 0;

  // Generation 0: the prior.
  {
    std::vector<Task> tasks;
    std::vector<std::vector<double>> thetas(N, std::vector<double>(d));
    for (size_t i = 0; i < N; ++i) {
      for (size_t j = 0; j < d; ++j)
        thetas[i][j] = problem.free[j].prior.quantile(algo_uniform(
            method.seed, kStreamPrior, 0, static_cast<uint32_t>(i), static_cast<uint32_t>(j)));
      for (auto& t : point_tasks(problem, thetas[i], method.seed, 0, i))
        tasks.push_back(std::move(t));
    }
    std::vector<TaskResult> res = ev.run(tasks);
    for (size_t i = 0; i < N; ++i) {
      Particle p;
      p.theta = thetas[i];
      for (size_t c = 0; c < C; ++c) {
        const auto& dv = res[i * C + c].distance;
        p.dist.insert(p.dist.end(), dv.begin(), dv.end());
      }
      pop.push_back(std::move(p));
    }
    weights.assign(N, 1.0 / static_cast<double>(N));
    result.diagnostics.emplace_back("tolerance:0", "inf");
    result.diagnostics.emplace_back("acceptance_rate:0", "1");
    gens_done = 1;
    progress_line(context, "calibrate: generation 0 (prior), " + std::to_string(N) + " particles");
  }

  // The joint distance of replicate j of a particle: the largest over cases.
  auto joint = [&](const Particle& p, size_t j) {
    double m = 0;
    for (size_t c = 0; c < C; ++c) m = std::max(m, p.dist[c * M + j]);
    return m;
  };
  // Share within eps, product over cases (an unbiased estimate of P(all cases within eps)).
  auto abc_likelihood = [&](const std::vector<double>& dist, double e) {
    double l = 1;
    for (size_t c = 0; c < C; ++c) {
      size_t k = 0;
      for (size_t j = 0; j < M; ++j) k += dist[c * M + j] <= e ? 1 : 0;
      l *= static_cast<double>(k) / static_cast<double>(M);
    }
    return l;
  };

  std::string stop_reason = "generations";
  for (int g = 1; g < method.generations; ++g) {
    if (eps == 0) {
      stop_reason = "tolerance reached 0";
      break;
    }
    // The next tolerance: a weighted quantile of the pooled replicate distances within eps.
    std::vector<double> pooled, pw;
    for (size_t i = 0; i < N; ++i)
      for (size_t j = 0; j < M; ++j) {
        const double v = joint(pop[i], j);
        if (v <= eps) pooled.push_back(v), pw.push_back(weights[i]);
      }
    double next = weighted_quantile(pooled, pw, method.quantile);
    if (!(next < eps)) {
      double below = -1;
      for (double v : pooled)
        if (v < eps) below = std::max(below, v);
      if (below < 0) {
        stop_reason = "no smaller tolerance";
        break;
      }
      next = below;
    }
    // Proposal: N(theta_k, 2 Sigma), Sigma the weighted covariance.
    std::vector<double> mean(d, 0), cov(d * d, 0);
    for (size_t i = 0; i < N; ++i)
      for (size_t a = 0; a < d; ++a) mean[a] += weights[i] * pop[i].theta[a];
    for (size_t i = 0; i < N; ++i)
      for (size_t a = 0; a < d; ++a)
        for (size_t b = 0; b < d; ++b)
          cov[a * d + b] +=
              2 * weights[i] * (pop[i].theta[a] - mean[a]) * (pop[i].theta[b] - mean[b]);
    const std::vector<double> L = cholesky(cov, d);
    // log of the Gaussian kernel density up to a constant (it cancels in the weights).
    std::vector<double> inv_l_diag_log(1, 0);
    double log_det = 0;
    for (size_t a = 0; a < d; ++a) log_det += std::log(L[a * d + a]);
    auto log_kernel = [&](const std::vector<double>& x, const std::vector<double>& mu) {
      // Solve L y = x - mu; density ~ exp(-|y|^2 / 2) / det L.
      std::vector<double> y(d);
      for (size_t a = 0; a < d; ++a) {
        double s = x[a] - mu[a];
        for (size_t b = 0; b < a; ++b) s -= L[a * d + b] * y[b];
        y[a] = s / L[a * d + a];
      }
      double q = 0;
      for (double v : y) q += v * v;
      return -0.5 * q - log_det;
    };
    std::vector<double> cum(N);
    double acc = 0;
    for (size_t i = 0; i < N; ++i) cum[i] = (acc += weights[i]);

    std::vector<Particle> next_pop;
    size_t candidates = 0;  // considered, up to the N-th accepted
    const size_t max_candidates =
        static_cast<size_t>(std::ceil(static_cast<double>(N) / method.min_acceptance));
    size_t cand = 0;
    while (next_pop.size() < N && cand < max_candidates) {
      // One batch: N candidates (those outside the prior's support are not simulated).
      std::vector<std::vector<double>> thetas;
      std::vector<char> inside;
      std::vector<Task> tasks;
      for (size_t b = 0; b < N; ++b, ++cand) {
        const double u = algo_uniform(method.seed, kStreamPick, static_cast<uint32_t>(g),
                                      static_cast<uint32_t>(cand)) *
                         acc;
        size_t k = static_cast<size_t>(std::lower_bound(cum.begin(), cum.end(), u) - cum.begin());
        k = std::min(k, N - 1);
        std::vector<double> z(d), th(d);
        for (size_t a = 0; a < d; ++a)
          z[a] = algo_normal(method.seed, kStreamPerturb, static_cast<uint32_t>(g),
                             static_cast<uint32_t>(cand), static_cast<uint32_t>(a));
        bool ok = true;
        for (size_t a = 0; a < d; ++a) {
          double s = pop[k].theta[a];
          for (size_t b2 = 0; b2 <= a; ++b2) s += L[a * d + b2] * z[b2];
          th[a] = s;
          ok = ok && problem.free[a].prior.contains(s) &&
               std::isfinite(problem.free[a].prior.log_density(s));
        }
        thetas.push_back(th);
        inside.push_back(ok ? 1 : 0);
        if (ok)
          for (auto& t : point_tasks(problem, th, method.seed, static_cast<uint64_t>(g), cand))
            tasks.push_back(std::move(t));
      }
      std::vector<TaskResult> res = ev.run(tasks);
      size_t r = 0;
      for (size_t b = 0; b < thetas.size(); ++b) {
        if (next_pop.size() >= N) break;
        ++candidates;
        if (!inside[b]) continue;
        Particle p;
        p.theta = thetas[b];
        for (size_t c = 0; c < C; ++c, ++r) {
          const auto& dv = res[r].distance;
          p.dist.insert(p.dist.end(), dv.begin(), dv.end());
        }
        const double l = abc_likelihood(p.dist, next);
        if (l <= 0) continue;
        // w = prior * L / sum_k w_k K(theta | theta_k), in logs.
        double mx = -kInf;
        std::vector<double> terms(N);
        for (size_t k = 0; k < N; ++k) {
          terms[k] = std::log(weights[k]) + log_kernel(p.theta, pop[k].theta);
          mx = std::max(mx, terms[k]);
        }
        double s = 0;
        for (double t : terms) s += std::exp(t - mx);
        p.log_w = log_prior(problem, p.theta) + std::log(l) - (mx + std::log(s));
        next_pop.push_back(std::move(p));
      }
    }
    const double rate =
        static_cast<double>(next_pop.size()) / static_cast<double>(std::max<size_t>(1, candidates));
    if (next_pop.size() < N) {
      result.diagnostics.emplace_back("tolerance:" + std::to_string(g) + ":abandoned",
                                      io::format_double(next));
      result.diagnostics.emplace_back("acceptance_rate:" + std::to_string(g) + ":abandoned",
                                      io::format_double(rate));
      stop_reason = "acceptance below " + io::format_double(method.min_acceptance);
      progress_line(context, "calibrate: generation " + std::to_string(g) + " accepted too few (" +
                                 std::to_string(next_pop.size()) + " of " +
                                 std::to_string(candidates) + "); keeping generation " +
                                 std::to_string(g - 1));
      break;
    }
    double mx = -kInf;
    for (const auto& p : next_pop) mx = std::max(mx, p.log_w);
    std::vector<double> w(N);
    double sw = 0;
    for (size_t i = 0; i < N; ++i) sw += (w[i] = std::exp(next_pop[i].log_w - mx));
    for (double& v : w) v /= sw;
    pop = std::move(next_pop);
    weights = std::move(w);
    eps = next;
    ++gens_done;
    result.diagnostics.emplace_back("tolerance:" + std::to_string(g), io::format_double(eps));
    result.diagnostics.emplace_back("acceptance_rate:" + std::to_string(g),
                                    io::format_double(rate));
    progress_line(context, "calibrate: generation " + std::to_string(g) + ", tolerance " +
                               io::format_double(eps) + ", acceptance " + io::format_double(rate));
  }

  for (const auto& f : problem.free) result.names.push_back(f.name);
  for (const auto& p : pop) result.draws.push_back(p.theta);
  result.weights = weights;
  summarise(result);
  result.point.assign(d, 0);
  for (size_t j = 0; j < d; ++j) result.point[j] = result.params[j].mean;
  result.diagnostics.emplace_back("generations", std::to_string(gens_done));
  result.diagnostics.emplace_back("final_tolerance",
                                  std::isinf(eps) ? "inf" : io::format_double(eps));
  result.diagnostics.emplace_back("stopped", stop_reason);
  result.evaluations = ev.evaluations;
  result.simulations = ev.simulations;
  return result;
}

}  // namespace geosim::calibrate
