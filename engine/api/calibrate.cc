// geosim::api::calibrate, and the steps `geosim calibrate` shares with it (api/internal.h).
#include "calibrate/calibrate.h"

#include <cstdio>
#include <filesystem>

#include "api/batch.h"
#include "api/internal.h"
#include "dist/dist.h"
#include "io/csv.h"
#include "io/number.h"
#include "io/read_file.h"
#include "outdir/outdir.h"
#include "report/report.h"

namespace geosim::api {

namespace fs = std::filesystem;

namespace detail {
namespace {

std::optional<double> number(const std::string& field) { return field_number(field); }

// `geosim calibrate FILE ...` with the options that give this fit.
std::vector<std::string> equivalent_calibrate_command(const CalibrateCall& call,
                                                      const CalibrateOptions& o,
                                                      const calibrate::Method& m) {
  std::vector<std::string> c = {"geosim", "calibrate", call.path, "--cases", o.cases};
  for (const auto& f : o.free) c.insert(c.end(), {"--free", f});
  c.insert(c.end(), {"--method", calibrate::method_name(m.kind)});
  const CalibrateOptions d;
  const auto add = [&](const char* name, auto v, auto def) {
    if (v != def) c.insert(c.end(), {name, io::format_double(static_cast<double>(v))});
  };
  add("--evaluations", o.evaluations, d.evaluations);
  add("--bootstrap", o.bootstrap, d.bootstrap);
  if (!o.profile) c.push_back("--no-profile");
  add("--particles", o.particles, d.particles);
  add("--generations", o.generations, d.generations);
  add("--quantile", o.quantile, d.quantile);
  add("--min-acceptance", o.min_acceptance, d.min_acceptance);
  add("--chains", o.chains, d.chains);
  add("--iterations", o.iterations, d.iterations);
  add("--burn-in", o.burn_in, d.burn_in);
  for (const auto& [name, where] : call.fixed)
    if (where.starts_with("override ")) c.insert(c.end(), {"--set", where.substr(9)});
  c.insert(c.end(), {"--seed", std::to_string(m.seed)});
  if (m.replicates) c.insert(c.end(), {"--replicates", std::to_string(m.replicates)});
  return c;
}

// The summary `geosim calibrate` prints: four significant digits for a reader (fit.csv
// keeps the exact values).
std::string fit_text(const calibrate::Problem& problem, const calibrate::Method& m,
                     const calibrate::FitResult& r) {
  const auto num = [](double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", x);
    return std::string(buf);
  };
  std::string out;
  char buf[1024];
  std::snprintf(buf, sizeof buf,
                "geosim: %s fit of %zu parameter(s) to %zu case(s): %lld simulations, %.1f s\n",
                calibrate::method_name(m.kind), problem.free.size(),
                problem.observations.cases.size(), static_cast<long long>(r.simulations),
                r.wall_seconds);
  out += buf;
  for (const auto& p : r.params) {
    if (p.has_estimate && p.has_interval)
      std::snprintf(buf, sizeof buf, "  %s = %s  95%% profile interval [%s, %s]\n", p.name.c_str(),
                    num(p.estimate).c_str(), num(p.ci_low).c_str(), num(p.ci_high).c_str());
    else if (p.has_estimate)
      std::snprintf(buf, sizeof buf, "  %s = %s  (no interval: --no-profile)\n", p.name.c_str(),
                    num(p.estimate).c_str());
    else
      std::snprintf(buf, sizeof buf, "  %s: mean %s, sd %s, 90%% [%s, %s], ess %.0f\n",
                    p.name.c_str(), num(p.mean).c_str(), num(p.sd).c_str(), num(p.p05).c_str(),
                    num(p.p95).c_str(), p.ess);
    out += buf;
  }
  return out;
}

// The problem: the free parameters (none also fixed by another option), the observations.
calibrate::Problem make_problem(const CalibrateCall& call, const CalibrateOptions& o) {
  const sim::Model& model = *call.model;
  calibrate::Problem problem;
  problem.model = &model;
  problem.base_uniforms = model.uniforms;
  std::vector<std::string> free_names;
  for (const auto& f : o.free) {
    problem.free.push_back(calibrate::parse_free(f, model));
    free_names.push_back(problem.free.back().name);
    for (size_t i = 0; i < call.fixed.size(); ++i) {
      const auto& [name, where] = call.fixed[i];
      if (name != free_names.back()) continue;
      const bool located = i < call.fixed_locs.size();
      throw UserError(located ? call.fixed_locs[i] : SourceLoc{where},
                      (located ? where + ": '" : "'") + name +
                          "' is free (being fitted); expected " + call.fixed_by +
                          " only for parameters that are not --free");
    }
  }
  problem.observations = calibrate::read_observations(o.cases, model, free_names);
  return problem;
}

// The result folder's files, read back into the state and the typed tables.
void read_fit_folder(const std::string& dir, CalibrateResult& res, CalibrateState& st) {
  const auto read = [&](const char* name) { return io::read_file(dir + "/" + name, UINT64_MAX); };
  st.fit_csv = read("fit.csv");
  st.posterior_csv = read("posterior.csv");
  st.predictions_csv = read("predictions.csv");
  st.manifest = read("manifest.json");
  for (const auto& f : io::parse_csv(st.fit_csv, "fit.csv").rows)
    res.fit.push_back(FitRow{f[0], f[1], f[2], number(f[2])});
  for (const auto& f : io::parse_csv(st.posterior_csv, "posterior.csv").rows) {
    PosteriorDraw d;
    d.draw = static_cast<int64_t>(number(f[0]).value_or(0));
    d.weight = number(f[1]).value_or(0);
    for (size_t j = 2; j < f.size(); ++j) d.values.push_back(number(f[j]).value_or(0));
    res.posterior.push_back(std::move(d));
  }
  for (const auto& f : io::parse_csv(st.predictions_csv, "predictions.csv").rows)
    res.predictions.push_back(PredictionRow{f[0], f[1], f[2], number(f[3]), number(f[4]),
                                            number(f[5]), number(f[6]),
                                            static_cast<int64_t>(number(f[7]).value_or(0))});
}

}  // namespace

calibrate::Method method_of(const CalibrateOptions& o) {
  calibrate::Method m;
  m.kind = calibrate::parse_method(o.method);
  m.max_evaluations = o.evaluations;
  m.bootstrap = o.bootstrap;
  m.profile = o.profile;
  m.particles = o.particles;
  m.generations = o.generations;
  m.quantile = o.quantile;
  m.min_acceptance = o.min_acceptance;
  m.chains = o.chains;
  m.iterations = o.iterations;
  m.burn_in = o.burn_in;
  return m;
}

void check_calibrate_options(const CalibrateOptions& o) {
  const SourceLoc where{"geosim calibrate"};
  if (o.cases.empty())
    throw UserError(where, "no observations; give --cases FILE.csv (docs/calibration.md)");
  if (o.free.empty()) throw UserError(where, "nothing to fit; give --free NAME[:PRIOR]");
}

CalibrateResult calibrate_model(CalibrateCall& call, const CalibrateOptions& o) {
  check_calibrate_options(o);
  const sim::Model& model = *call.model;
  calibrate::Method m = call.method;
  m.seed = o.seed.value_or(model.default_seed);
  m.replicates = o.replicates.value_or(0);
  const calibrate::Problem problem = make_problem(call, o);

  std::unique_ptr<TemporaryFolder> temporary;
  if (o.out.empty()) temporary = std::make_unique<TemporaryFolder>();
  const std::string out = temporary ? temporary->path() : o.out;
  calibrate::Context ctx;
  ctx.threads = thread_count(o.threads);
  ctx.state_dir = out + "/.calibrate";
  ctx.resume = o.resume;
  if (o.resume) require_resumable(ctx.state_dir, out, "calibration");
  ctx.progress = o.progress;
  calibrate::check_problem(problem, m,
                           ctx);  // before the folder is claimed: a refusal writes nothing
  outdir::FolderLock lock;
  if (!temporary)
    lock = claim_out_dir(out, outdir::Kind::kCalibrate, o.overwrite, true, "geosim calibrate");
  ctx.stop = o.stop;

  experiment::ManifestInfo info;
  info.command = "calibrate";
  info.command_line =
      call.command_line.empty() ? equivalent_calibrate_command(call, o, m) : call.command_line;
  info.start_time = experiment::utc_now_iso8601();
  info.threads = ctx.threads;
  info.ranks = dist::size();
  calibrate::FitResult r;
  std::vector<calibrate::Prediction> preds;
  try {
    r = calibrate::fit(problem, m, ctx);
    preds = calibrate::predict(problem, r, m, ctx);
  } catch (const Interrupted&) {
    if (temporary)
      throw Interrupted(
          "the calibration was stopped; its finished work was discarded (set "
          "CalibrateOptions::out to keep it and resume)");
    throw Interrupted("the calibration stopped; its finished batches of simulations are kept in " +
                      ctx.state_dir + "; run the same command with --resume to continue");
  }
  CalibrateResult res;
  res.scenario = model.id;
  res.method = calibrate::method_name(m.kind);
  res.seed = m.seed;
  res.parameters = r.names;
  res.evaluations = r.evaluations;
  res.simulations = r.simulations;
  res.wall_seconds = r.wall_seconds;
  auto st = std::make_shared<CalibrateState>();
  st->text = fit_text(problem, m, r);
  if (dist::rank() == 0) {
    calibrate::write_fit_folder(out, problem, m, r, preds, info);
    std::error_code ec;  // the fit is complete: its working state is no longer needed
    fs::remove_all(ctx.state_dir, ec);
    if (call.read_result) read_fit_folder(out, res, *st);
  }
  res.state = std::move(st);
  return res;
}

}  // namespace detail

CalibrateResult calibrate(const Scenario& scenario, const CalibrateOptions& options) {
  RunOptions ro;
  ro.replicates = options.replicates;
  ro.threads = options.threads;
  check_run_options(ro);
  detail::check_calibrate_options(options);
  const detail::Loaded& loaded = detail::Access::loaded(scenario);
  sim::Model model = loaded.model;
  model.uniforms = detail::Access::uniforms(scenario, model);
  detail::CalibrateCall call;
  call.model = &model;
  call.path = scenario.path();
  detail::fix_overrides(call, scenario);
  call.method = detail::method_of(options);
  return detail::calibrate_model(call, options);
}

namespace {
const detail::CalibrateState& calibrate_state(const CalibrateResult& r) {
  return detail::state_or_refuse(r, "CalibrateResult", "fit", "calibrate");
}
}  // namespace

std::string CalibrateResult::fit_csv() const { return calibrate_state(*this).fit_csv; }
std::string CalibrateResult::posterior_csv() const { return calibrate_state(*this).posterior_csv; }
std::string CalibrateResult::predictions_csv() const {
  return calibrate_state(*this).predictions_csv;
}
std::string CalibrateResult::manifest_json() const { return calibrate_state(*this).manifest; }
std::string CalibrateResult::text() const { return calibrate_state(*this).text; }

void CalibrateResult::write_result_folder(const std::string& dir, bool overwrite,
                                          bool report) const {
  const detail::CalibrateState& st = calibrate_state(*this);
  outdir::FolderLock lock =
      claim_out_dir(dir, outdir::Kind::kCalibrate, overwrite, true, "geosim calibrate");
  outdir::Publication pub(dir);
  pub.write("posterior.csv", st.posterior_csv);
  pub.write("fit.csv", st.fit_csv);
  pub.write("predictions.csv", st.predictions_csv);
  pub.finish();
  pub.write("manifest.json", st.manifest);
  pub.publish(outdir::result_names());
  if (report) report::write_report(dir, dir + "/report.html");
}

}  // namespace geosim::api
