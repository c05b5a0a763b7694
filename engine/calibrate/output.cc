#include <cmath>
#include <sstream>

#include "calibrate/calibrate.h"
#include "io/atomic_file.h"
#include "io/csv.h"
#include "io/json.h"
#include "io/number.h"
#include "io/sha256.h"
#include "outdir/outdir.h"

namespace geosim::calibrate {
namespace {

std::string num(double x) { return std::isfinite(x) ? io::format_double(x) : std::string(); }

}  // namespace

void write_fit_folder(const std::string& out, const Problem& problem, const Method& method,
                      const FitResult& result, const std::vector<Prediction>& predictions,
                      experiment::ManifestInfo info) {
  outdir::Publication pub(out);  // all files appear together, manifest last
  {
    std::ostringstream s;
    io::CsvWriter csv(s);
    std::vector<std::string> h = {"draw", "weight"};
    for (const auto& n : result.names) h.push_back(n);
    csv.row(h);
    for (size_t i = 0; i < result.draws.size(); ++i) {
      std::vector<std::string> f = {std::to_string(i), io::format_double(result.weights[i])};
      for (double v : result.draws[i]) f.push_back(io::format_double(v));
      csv.row(f);
    }
    pub.write("posterior.csv", s.str());
  }
  {
    std::ostringstream s;
    io::CsvWriter csv(s);
    csv.row({"parameter", "statistic", "value"});
    for (size_t j = 0; j < result.params.size(); ++j) {
      const ParamSummary& p = result.params[j];
      csv.row({p.name, "prior", problem.free[j].prior.text()});
      if (p.has_estimate) {
        csv.row({p.name, "estimate", num(p.estimate)});
        if (p.has_interval) {  // --no-profile computes none: no zero-width interval
          csv.row({p.name, "ci_low", num(p.ci_low)});
          csv.row({p.name, "ci_high", num(p.ci_high)});
        }
      }
      csv.row({p.name, "mean", num(p.mean)});
      csv.row({p.name, "sd", num(p.sd)});
      csv.row({p.name, "p05", num(p.p05)});
      csv.row({p.name, "p50", num(p.p50)});
      csv.row({p.name, "p95", num(p.p95)});
      csv.row({p.name, "ess", num(p.ess)});
    }
    csv.row({"", "method", method_name(result.method)});
    csv.row({"", "cases", std::to_string(problem.observations.cases.size())});
    csv.row({"", "draws", std::to_string(result.draws.size())});
    csv.row({"", "replicates_per_evaluation", std::to_string(method.default_replicates())});
    for (const auto& [k, v] : result.diagnostics) csv.row({"", k, v});
    csv.row({"", "evaluations", std::to_string(result.evaluations)});
    csv.row({"", "simulations", std::to_string(result.simulations)});
    csv.row({"", "replicate_steps", std::to_string(result.steps_simulated)});
    csv.row({"", "wall_seconds", io::format_double(std::round(result.wall_seconds * 1000) / 1000)});
    pub.write("fit.csv", s.str());
  }
  {
    std::ostringstream s;
    io::CsvWriter csv(s);
    csv.row({"case", "outcome", "observed", "predicted_mean", "predicted_p05", "predicted_p95",
             "p_observed", "replicates"});
    for (const auto& p : predictions)
      csv.row({p.case_id, p.outcome, p.observed, num(p.mean), num(p.p05), num(p.p95),
               num(p.p_observed), std::to_string(p.replicates)});
    pub.write("predictions.csv", s.str());
  }
  experiment::ScenarioRun run;
  run.model = problem.model;
  run.uniforms = problem.base_uniforms;
  run.seed = method.seed;
  run.replicates = method.default_replicates();
  run.ok = true;
  auto user_extra = info.extra;
  info.wall_seconds = result.wall_seconds;
  info.extra = [&, user_extra](io::JsonWriter& w) {
    if (user_extra) user_extra(w);
    w.key("calibration").begin_object();
    w.member("method", std::string(method_name(method.kind)));
    w.member("seed", std::to_string(method.seed));
    w.member("replicates_per_evaluation", method.default_replicates());
    w.member("cases_file", problem.observations.path);
    w.member("cases_sha256", io::sha256_file(problem.observations.path));
    w.member("cases", static_cast<int64_t>(problem.observations.cases.size()));
    w.key("free").begin_array();
    for (const auto& f : problem.free) {
      w.begin_object();
      w.member("name", f.name);
      w.member("prior", f.prior.text());
      w.end_object();
    }
    w.end_array();
    w.key("diagnostics").begin_object();
    for (const auto& [k, v] : result.diagnostics) w.member(k, v);
    w.end_object();
    w.member("evaluations", result.evaluations);
    w.member("simulations", result.simulations);
    w.member("key", fit_key(problem, method));
    w.end_object();
  };
  const std::string manifest = experiment::manifest_text(info, {run}, pub);
  pub.write("manifest.json", manifest);
  pub.publish(outdir::result_names());
}

}  // namespace geosim::calibrate
