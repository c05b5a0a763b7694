#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>

#include "calibrate/methods.h"
#include "core/text.h"
#include "dist/dist.h"
#include "io/number.h"
#include "io/sha256.h"

namespace geosim::calibrate {

MethodKind parse_method(const std::string& text) {
  if (text == "mle") return MethodKind::kMle;
  if (text == "abc-smc") return MethodKind::kAbcSmc;
  if (text == "pmmh") return MethodKind::kPmmh;
  throw UserError(SourceLoc{"--method " + text},
                  "unknown method '" + text + "'" + did_you_mean(text, {"mle", "abc-smc", "pmmh"}) +
                      "; expected mle, abc-smc or pmmh");
}

const char* method_name(MethodKind k) {
  switch (k) {
    case MethodKind::kMle:
      return "mle";
    case MethodKind::kAbcSmc:
      return "abc-smc";
    case MethodKind::kPmmh:
      return "pmmh";
  }
  return "?";
}

int64_t Method::default_replicates() const {
  if (replicates > 0) return replicates;
  return kind == MethodKind::kAbcSmc ? 256 : 1000;
}

std::vector<Task> point_tasks(const Problem& problem, const std::vector<double>& theta,
                              uint64_t seed, uint64_t a, uint64_t b) {
  std::vector<Task> tasks;
  for (size_t c = 0; c < problem.observations.cases.size(); ++c) {
    Task t;
    t.theta = theta;
    t.case_index = static_cast<uint32_t>(c);
    t.seed = derive_seed(seed, a, b, c);
    tasks.push_back(std::move(t));
  }
  return tasks;
}

double kernel_max(const Case& c) {
  double k = 1;
  for (const auto& t : c.targets)
    if (t.sd > 0) k /= t.sd * std::sqrt(2 * M_PI);
  return k;
}

std::vector<double> cholesky(std::vector<double> a, size_t d) {
  double trace = 0;
  for (size_t i = 0; i < d; ++i) trace += std::fabs(a[i * d + i]);
  const double ridge =
      std::max(1e-300, 1e-10 * trace / static_cast<double>(std::max<size_t>(1, d)));
  for (int attempt = 0; attempt < 60; ++attempt) {
    std::vector<double> l(d * d, 0);
    bool ok = true;
    for (size_t i = 0; i < d && ok; ++i)
      for (size_t j = 0; j <= i; ++j) {
        double s = a[i * d + j];
        for (size_t k = 0; k < j; ++k) s -= l[i * d + k] * l[j * d + k];
        if (i == j) {
          if (!(s > 0)) {
            ok = false;
            break;
          }
          l[i * d + i] = std::sqrt(s);
        } else {
          l[i * d + j] = s / l[j * d + j];
        }
      }
    if (ok) return l;
    for (size_t i = 0; i < d; ++i) a[i * d + i] += ridge * std::pow(10.0, attempt / 2);
  }
  std::vector<double> l(d * d, 0);
  for (size_t i = 0; i < d; ++i) l[i * d + i] = 1e-6;
  return l;
}

double log_prior(const Problem& problem, const std::vector<double>& theta) {
  double s = 0;
  for (size_t j = 0; j < theta.size(); ++j) s += problem.free[j].prior.log_density(theta[j]);
  return s;
}

Scale::Scale(const Problem& problem) {
  for (const auto& f : problem.free) {
    const Prior& p = f.prior;
    if (std::isfinite(p.lo) && std::isfinite(p.hi)) {
      offset.push_back(p.lo);
      width.push_back(p.hi - p.lo);
    } else {
      offset.push_back(p.a - 2 * p.b);
      width.push_back(4 * p.b);
    }
  }
}

double chain_ess(const std::vector<double>& x) {
  const size_t n = x.size();
  if (n < 4) return static_cast<double>(n);
  double m = 0;
  for (double v : x) m += v;
  m /= static_cast<double>(n);
  auto acov = [&](size_t lag) {
    double s = 0;
    for (size_t i = 0; i + lag < n; ++i) s += (x[i] - m) * (x[i + lag] - m);
    return s / static_cast<double>(n);
  };
  const double g0 = acov(0);
  if (!(g0 > 0)) return static_cast<double>(n);
  // Geyer (1992): sums of adjacent pairs of autocovariances, positive and monotone.
  double sum = 0, prev = std::numeric_limits<double>::infinity();
  for (size_t k = 0; 2 * k + 1 < n; ++k) {
    double pair = acov(2 * k) + acov(2 * k + 1);
    if (pair <= 0) break;
    pair = std::min(pair, prev);
    prev = pair;
    sum += pair;
  }
  const double tau = (2 * sum - g0) / g0;
  return std::min(static_cast<double>(n), static_cast<double>(n) / std::max(tau, 1e-9));
}

void progress_line(const Context& context, const std::string& text) {
  if (context.progress && dist::rank() == 0) {
    std::fprintf(stderr, "%s\n", text.c_str());
    std::fflush(stderr);
  }
}

std::string fit_key(const Problem& problem, const Method& method) {
  std::string s = "geosim-calibrate-1\n";
  const sim::Model& m = *problem.model;
  for (const auto& f : m.files) s += f + " " + io::sha256_file(f) + "\n";
  for (double v : problem.base_uniforms) s += io::format_double(v) + ",";
  s += "\n";
  for (const auto& c : problem.observations.cases) {
    s += c.id + "|";
    for (const auto& t : c.set_texts) s += t + " ";
    for (const auto& t : c.targets) s += std::to_string(t.outcome) + "=" + t.text + ";";
    s += "\n";
  }
  for (const auto& f : problem.free) s += f.name + ":" + f.prior.text() + "\n";
  s += std::string(method_name(method.kind)) + " seed=" + std::to_string(method.seed) +
       " replicates=" + std::to_string(method.default_replicates()) +
       " evals=" + std::to_string(method.max_evaluations) +
       " bootstrap=" + std::to_string(method.bootstrap) +
       " profile=" + std::to_string(method.profile) +
       " particles=" + std::to_string(method.particles) +
       " generations=" + std::to_string(method.generations) +
       " quantile=" + io::format_double(method.quantile) +
       " min_acceptance=" + io::format_double(method.min_acceptance) +
       " chains=" + std::to_string(method.chains) +
       " iterations=" + std::to_string(method.iterations) +
       " burn_in=" + std::to_string(method.burn_in) + "\n";
  return io::sha256_hex(s);
}

void check_problem(const Problem& problem, const Method& method, const Context& context) {
  const SourceLoc where{"geosim calibrate"};
  if (problem.free.empty()) throw UserError(where, "nothing to fit; give --free NAME[:PRIOR]");
  for (size_t i = 0; i < problem.free.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (problem.free[i].name == problem.free[j].name)
        throw UserError(problem.free[i].loc, "'" + problem.free[i].name + "' is free twice");
  auto range = [&](const char* name, double v, double lo, double hi) {
    if (!(v >= lo && v <= hi))
      throw UserError(SourceLoc{std::string("--") + name},
                      io::format_double(v) + " is out of range; expected " + io::format_double(lo) +
                          " to " + io::format_double(hi));
  };
  range("replicates", static_cast<double>(method.replicates), 0, 1e7);
  range("evaluations", method.max_evaluations, 10, 1e6);
  range("bootstrap", method.bootstrap, 0, 10000);
  range("particles", method.particles, 10, 1e6);
  range("generations", method.generations, 1, 1000);
  range("quantile", method.quantile, 0.05, 0.95);
  range("min-acceptance", method.min_acceptance, 1e-5, 1);
  range("chains", method.chains, 1, 256);
  range("iterations", method.iterations, 10, 1e7);
  range("burn-in", method.burn_in, 0, 1e7);
  if (method.kind == MethodKind::kMle && method.bootstrap > 0 &&
      problem.observations.cases.size() < 2)
    throw UserError(SourceLoc{"--bootstrap"},
                    "a case bootstrap needs at least 2 cases; the file has 1");

  // Pilot: 16 prior draws (the first is the scenario's own point where it lies inside the
  // prior) x 256 replicates per case; an exact target none of them matches is refused.
  const size_t d = problem.free.size();
  const int draws = 16;
  Context pilot_ctx = context;
  pilot_ctx.state_dir.clear();
  pilot_ctx.progress = false;
  Evaluator ev(problem, pilot_ctx, 256, kWantValues, "");
  std::vector<Task> tasks;
  for (int i = 0; i < draws; ++i) {
    std::vector<double> theta(d);
    for (size_t j = 0; j < d; ++j) {
      const Prior& p = problem.free[j].prior;
      const double own = problem.base_uniforms[static_cast<size_t>(problem.free[j].row -
                                                                   problem.model->uniform_base)];
      theta[j] = i == 0 && p.contains(own)
                     ? own
                     : p.quantile(algo_uniform(method.seed ^ 0x9170u, kStreamPrior, 7,
                                               static_cast<uint32_t>(i), static_cast<uint32_t>(j)));
    }
    for (auto& t : point_tasks(problem, theta, method.seed ^ 0x9170u, 7, static_cast<uint64_t>(i)))
      tasks.push_back(std::move(t));
  }
  std::vector<TaskResult> res = ev.run(tasks);
  const size_t C = problem.observations.cases.size();
  DiagnosticList diags;
  for (size_t c = 0; c < C; ++c) {
    const Case& cs = problem.observations.cases[c];
    for (size_t k = 0; k < cs.targets.size(); ++k) {
      const Target& t = cs.targets[k];
      if (t.sd > 0 || t.kind == TargetKind::kFirst) continue;  // any step in range may occur
      // A label no pilot replicate shows, or a number of a kind the outcome never takes (not
      // 0/1 for a 0/1 outcome, a fraction for a whole-number outcome), is refused; a rare
      // but possible value is not (it is only improbable).
      bool hit = false, binary = true, whole = true;
      double lo = std::numeric_limits<double>::infinity(), hi = -lo;
      for (int i = 0; i < draws && !hit; ++i) {
        const auto& vals = res[static_cast<size_t>(i) * C + c].values;
        for (size_t r = 0; r < 256; ++r) {
          const double v = vals[k * 256 + r];
          hit = t.kind == TargetKind::kLabel ? v == 1 : v == t.value;
          if (std::isfinite(v)) {
            lo = std::min(lo, v), hi = std::max(hi, v);
            binary = binary && (v == 0 || v == 1);
            whole = whole && v == std::floor(v);
          }
          if (hit) break;
        }
      }
      const bool impossible =
          !hit && (t.kind == TargetKind::kLabel || (binary && t.value != 0 && t.value != 1) ||
                   (whole && t.value != std::floor(t.value)));
      if (impossible) {
        const std::string& name = problem.model->outcomes[static_cast<size_t>(t.outcome)].name;
        std::string seen = lo <= hi ? " (values seen: " + io::format_double(lo) + " to " +
                                          io::format_double(hi) +
                                          (binary  ? ", all 0 or 1"
                                           : whole ? ", all whole numbers"
                                                   : "") +
                                          ")"
                                    : "";
        diags.add(t.loc,
                  "no replicate produces '" + t.text + "' for outcome '" + name + "' in case '" +
                      cs.id + "': none of " + std::to_string(draws * 256) +
                      " pilot replicates at " + std::to_string(draws) + " prior draws did" +
                      (t.kind == TargetKind::kExact ? seen : std::string()) +
                      "; expected a value the scenario can produce" +
                      (t.kind == TargetKind::kExact ? " (or VALUE~SD for a measured number)" : ""));
      }
    }
  }
  diags.throw_if_any();
}

FitResult fit(const Problem& problem, const Method& method, const Context& context) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::string key = fit_key(problem, method);
  FitResult r;
  switch (method.kind) {
    case MethodKind::kMle:
      r = fit_mle(problem, method, context, key);
      break;
    case MethodKind::kAbcSmc:
      r = fit_abc_smc(problem, method, context, key);
      break;
    case MethodKind::kPmmh:
      r = fit_pmmh(problem, method, context, key);
      break;
  }
  r.steps_simulated = r.simulations * problem.model->steps;
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

std::vector<Prediction> predict(const Problem& problem, const FitResult& result,
                                const Method& method, const Context& context) {
  // Up to 32 draws by systematic resampling of the weights.
  const size_t n = result.draws.size();
  const size_t D = std::min<size_t>(32, n);
  std::vector<size_t> picks;
  {
    const double u0 = algo_uniform(method.seed, kStreamPredict, 0, 0);
    double cum = 0;
    size_t i = 0;
    for (size_t k = 0; k < D; ++k) {
      const double target = (static_cast<double>(k) + u0) / static_cast<double>(D);
      while (i + 1 < n && cum + result.weights[i] < target) cum += result.weights[i++];
      picks.push_back(i);
    }
  }
  const int64_t per_draw = std::max<int64_t>(64, 2048 / static_cast<int64_t>(D));
  Context ctx = context;
  ctx.state_dir.clear();
  Evaluator ev(problem, ctx, per_draw, kWantValues, "");
  std::vector<Task> tasks;
  for (size_t k = 0; k < D; ++k)
    for (auto& t : point_tasks(problem, result.draws[picks[k]], method.seed ^ 0x77u, 9, k))
      tasks.push_back(std::move(t));
  std::vector<TaskResult> res = ev.run(tasks);
  const size_t C = problem.observations.cases.size();
  std::vector<Prediction> out;
  for (size_t c = 0; c < C; ++c) {
    const Case& cs = problem.observations.cases[c];
    for (size_t k = 0; k < cs.targets.size(); ++k) {
      const Target& t = cs.targets[k];
      std::vector<double> vals;
      size_t matched = 0, total = 0;
      for (size_t dd = 0; dd < D; ++dd) {
        const auto& v = res[dd * C + c].values;
        for (int64_t r = 0; r < per_draw; ++r) {
          const double x = v[k * static_cast<size_t>(per_draw) + static_cast<size_t>(r)];
          ++total;
          bool hit;
          switch (t.kind) {
            case TargetKind::kLabel:
              hit = x == 1;
              break;
            case TargetKind::kFirst:
              if (t.value < 0)
                hit = std::isnan(x);
              else
                hit = !std::isnan(x) && (t.sd > 0 ? std::fabs(x - t.value) <= t.sd : x == t.value);
              break;
            case TargetKind::kNumber:
              hit = std::fabs(x - t.value) <= t.sd;
              break;
            default:
              hit = x == t.value;
          }
          matched += hit ? 1 : 0;
          if (!std::isnan(x)) vals.push_back(x);
        }
      }
      Prediction p;
      p.case_id = cs.id;
      p.outcome = problem.model->outcomes[static_cast<size_t>(t.outcome)].name;
      p.observed = t.text;
      p.replicates = static_cast<int64_t>(total);
      p.p_observed = static_cast<double>(matched) / static_cast<double>(std::max<size_t>(1, total));
      if (!vals.empty()) {
        std::sort(vals.begin(), vals.end());
        double s = 0;
        for (double v : vals) s += v;
        p.mean = s / static_cast<double>(vals.size());
        auto q = [&](double f) {
          return vals[std::min(vals.size() - 1,
                               static_cast<size_t>(f * static_cast<double>(vals.size())))];
        };
        p.p05 = q(0.05);
        p.p95 = q(0.95);
      } else {
        p.mean = p.p05 = p.p95 = std::numeric_limits<double>::quiet_NaN();
      }
      out.push_back(std::move(p));
    }
  }
  return out;
}

}  // namespace geosim::calibrate
