// geosim calibrate FILE --cases CSV --free NAME[:PRIOR]... : fits free parameters to
// observed cases (docs/calibration.md). The work is engine/calibrate's; this file reads
// the options, checks everything before any simulation and writes the folder.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "calibrate/calibrate.h"
#include "cli/command.h"
#include "cli/interrupt.h"
#include "cli/method_args.h"
#include "cli/scenario_args.h"
#include "core/error.h"
#include "dist/dist.h"
#include "outdir/outdir.h"
#if __has_include("report/report.h")
#include "report/report.h"
#define GEOSIM_HAVE_REPORT 1
#endif

namespace geosim::cli {
namespace {

const char* kUsage =
    "calibrate FILE --cases CSV --free NAME[:PRIOR]... [--method mle|abc-smc|pmmh] --out DIR";

int calibrate_main(const std::vector<std::string>& args) {
  RunArgs a;
  std::string cases_file;
  std::vector<std::string> free_texts;
  MethodArgs ma;
  bool resume = false;
  po::options_description desc("calibrate options");
  a.add_options(desc, false);  // no --posterior, no --per-run
  ma.add_options(desc);
  desc.add_options()("cases", po::value<std::string>(&cases_file),
                     "CSV of observed cases (case, sets, one column per observed outcome)")(
      "free", po::value<std::vector<std::string>>(&free_texts)->composing(),
      "NAME[:PRIOR]: a parameter to fit; PRIOR is uniform (default, over the declared range), "
      "uniform(LO,HI), normal(MU,SD), truncnormal(MU,SD,LO,HI), beta(A,B) or "
      "loguniform(LO,HI) (repeatable)")("resume", po::bool_switch(&resume),
                                        "continue an interrupted calibration in --out")(
      "file", po::value<std::vector<std::string>>(&a.files), "scenario file");
  po::positional_options_description pos;
  pos.add("file", -1);
  po::variables_map vm;
  if (!parse_options(args, desc, pos, vm, kUsage)) return kExitOk;
  const SourceLoc where{"geosim calibrate"};
  if (a.files.size() != 1)
    throw UserError(where,
                    "expected exactly one scenario file; usage: geosim " + std::string(kUsage));
  if (cases_file.empty())
    throw UserError(where, "no observations; give --cases FILE.csv (docs/calibration.md)");
  if (free_texts.empty()) throw UserError(where, "nothing to fit; give --free NAME[:PRIOR]");
  if (a.out.empty())
    throw UserError(where,
                    "a calibration needs --out DIR (it writes posterior.csv and fit.csv "
                    "and keeps finished work there)");
  a.validate();
  calibrate::Method m = ma.method_settings();

  auto models = load_models(a.files);
  apply_sets(a.sets, models);
  const sim::Model& model = *models[0];
  m.seed = a.seed.value_or(model.default_seed);
  m.replicates = a.replicates.value_or(0);

  calibrate::Problem problem;
  problem.model = &model;
  problem.base_uniforms = model.uniforms;
  std::vector<std::string> free_names;
  for (const auto& f : free_texts) {
    problem.free.push_back(calibrate::parse_free(f, model));
    free_names.push_back(problem.free.back().name);
    for (const auto& s : a.sets)
      if (parse_set(s).first == free_names.back())
        throw UserError(SourceLoc{"--set " + s}, "'" + free_names.back() +
                                                     "' is free (being fitted); expected --set "
                                                     "only for parameters that are not --free");
  }
  problem.observations = calibrate::read_observations(cases_file, model, free_names);

  calibrate::Context ctx;
  ctx.threads = a.thread_count();
  ctx.state_dir = a.out + "/.calibrate";
  ctx.resume = resume;
  if (resume) require_resumable(ctx.state_dir, a.out, "calibration");
  ctx.progress = !a.quiet && isatty(STDERR_FILENO);
  calibrate::check_problem(problem, m, ctx);  // before --out exists: a refusal writes nothing
  outdir::FolderLock lock =
      claim_out_dir(a.out, outdir::Kind::kCalibrate, a.overwrite, true, "geosim calibrate");
  install_interrupt_handler();
  ctx.stop = &interrupt_flag();

  experiment::ManifestInfo info;
  info.command = "calibrate";
  info.command_line = {"geosim"};
  info.command_line.insert(info.command_line.end(), args.begin(), args.end());
  info.start_time = experiment::utc_now_iso8601();
  info.threads = ctx.threads;
  info.ranks = dist::size();
  calibrate::FitResult r;
  std::vector<calibrate::Prediction> preds;
  try {
    r = calibrate::fit(problem, m, ctx);
    preds = calibrate::predict(problem, r, m, ctx);
  } catch (const Interrupted&) {
    throw Interrupted("the calibration stopped; its finished batches of simulations are kept in " +
                      ctx.state_dir + "; run the same command with --resume to continue");
  }
  if (dist::rank() == 0) {
    calibrate::write_fit_folder(a.out, problem, m, r, preds, info);
    std::error_code ec;  // the fit is complete: its working state is no longer needed
    std::filesystem::remove_all(ctx.state_dir, ec);
#ifdef GEOSIM_HAVE_REPORT
    if (a.report) report::write_report(a.out, a.out + "/report.html");
#endif
    if (!a.quiet) {
      // Four significant digits for a reader; fit.csv keeps the exact values.
      const auto num = [](double x) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.4g", x);
        return std::string(buf);
      };
      std::fprintf(
          stderr, "geosim: %s fit of %zu parameter(s) to %zu case(s): %lld simulations, %.1f s\n",
          calibrate::method_name(m.kind), problem.free.size(), problem.observations.cases.size(),
          static_cast<long long>(r.simulations), r.wall_seconds);
      for (const auto& p : r.params) {
        if (p.has_estimate && p.has_interval)
          std::fprintf(stderr, "  %s = %s  95%% profile interval [%s, %s]\n", p.name.c_str(),
                       num(p.estimate).c_str(), num(p.ci_low).c_str(), num(p.ci_high).c_str());
        else if (p.has_estimate)
          std::fprintf(stderr, "  %s = %s  (no interval: --no-profile)\n", p.name.c_str(),
                       num(p.estimate).c_str());
        else
          std::fprintf(stderr, "  %s: mean %s, sd %s, 90%% [%s, %s], ess %.0f\n", p.name.c_str(),
                       num(p.mean).c_str(), num(p.sd).c_str(), num(p.p05).c_str(),
                       num(p.p95).c_str(), p.ess);
      }
      std::fprintf(stderr,
                   "geosim: written to %s (posterior.csv, fit.csv, predictions.csv, "
                   "manifest.json%s)\n",
                   a.out.c_str(), a.report ? ", report.html" : "");
    }
  }
  dist::barrier();
  return kExitOk;
}

const RegisterCommand kRegister{
    Command{"calibrate", kUsage, "fit free parameters to observed cases (mle, abc-smc, pmmh)",
            calibrate_main}};

}  // namespace
}  // namespace geosim::cli
