// geosim backtest CASES --template FILE [--free NAME[:PRIOR]]... : fits the template on all
// cases but a fold's, predicts the fold, and scores the predictions (docs/backtest.md). The
// work is engine/backtest's; this file reads the options, checks everything before any
// simulation and writes the folder.
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "backtest/backtest.h"
#include "cli/command.h"
#include "cli/interrupt.h"
#include "cli/method_args.h"
#include "cli/scenario_args.h"
#include "core/error.h"
#include "dist/dist.h"
#include "io/csv.h"
#include "io/read_file.h"
#include "outdir/outdir.h"
#if __has_include("report/report.h")
#include "report/report.h"
#define GEOSIM_HAVE_REPORT 1
#endif

namespace geosim::cli {
namespace {

const char* kUsage =
    "backtest CASES.csv --template FILE [--free NAME[:PRIOR]]... [--method mle|abc-smc|pmmh] "
    "[--folds K] [--outcome NAME] --out DIR";

int backtest_main(const std::vector<std::string>& args) {
  RunArgs a;
  MethodArgs ma;
  std::string template_file, outcome, positive;
  std::vector<std::string> free_texts, cases_files, subsets;
  int folds = 0, bins = 10;
  bool resume = false;
  po::options_description desc("backtest options");
  a.add_options(desc, false);  // no --posterior, no --per-run
  ma.add_options(desc);
  desc.add_options()("template", po::value<std::string>(&template_file),
                     "the scenario (template) each case sets with its `sets`")(
      "free", po::value<std::vector<std::string>>(&free_texts)->composing(),
      "NAME[:PRIOR]: a parameter each fold fits (as in calibrate; repeatable); none: score "
      "the template as it stands")("folds", po::value<int>(&folds)->default_value(0),
                                   "0: leave-one-out; K >= 2: K folds assigned from the seed")(
      "outcome", po::value<std::string>(&outcome),
      "the observed outcome scored and fitted (default: the file's only outcome column)")(
      "positive", po::value<std::string>(&positive),
      "for a `cases` outcome: the label scored as the binary event (default: its first label)")(
      "subset", po::value<std::vector<std::string>>(&subsets)->composing(),
      "a CSV whose `case` column names cases also scored on their own (repeatable)")(
      "bins", po::value<int>(&bins)->default_value(10), "reliability bins (equal width)")(
      "resume", po::bool_switch(&resume), "continue an interrupted backtest in --out")(
      "cases", po::value<std::vector<std::string>>(&cases_files), "cases file");
  po::positional_options_description pos;
  pos.add("cases", -1);
  po::variables_map vm;
  if (!parse_options(args, desc, pos, vm, kUsage)) return kExitOk;
  const SourceLoc where{"geosim backtest"};
  if (cases_files.size() != 1)
    throw UserError(where, "expected exactly one cases file; usage: geosim " + std::string(kUsage));
  if (template_file.empty())
    throw UserError(where, "no template; give --template FILE.yaml (the scenario the cases set)");
  if (a.out.empty())
    throw UserError(where,
                    "a backtest needs --out DIR (it writes backtest.csv and scores.csv "
                    "and keeps finished folds there)");
  if (bins < 1 || bins > 100)
    throw UserError(SourceLoc{"--bins"}, std::to_string(bins) + " bins; expected 1 to 100");
  a.validate();
  calibrate::Method m = ma.method_settings();
  a.files = {template_file};
  auto models = load_models(a.files);
  apply_sets(a.sets, models);
  const sim::Model& model = *models[0];
  m.seed = a.seed.value_or(model.default_seed);
  m.replicates = a.replicates.value_or(0);

  std::vector<calibrate::FreeParam> free;
  for (const auto& f : free_texts) {
    free.push_back(calibrate::parse_free(f, model));
    for (const auto& s : a.sets)
      if (parse_set(s).first == free.back().name)
        throw UserError(SourceLoc{"--set " + s}, "'" + free.back().name +
                                                     "' is free (being fitted); expected --set "
                                                     "only for parameters that are not --free");
  }
  backtest::Spec spec =
      backtest::prepare(model, model.uniforms, cases_files[0], free, m, folds, outcome, positive);
  spec.bins = bins;
  for (const auto& s : subsets) backtest::add_subset(spec, s);

  calibrate::Context ctx;
  ctx.threads = a.thread_count();
  ctx.state_dir = a.out + "/.backtest";
  ctx.resume = resume;
  if (resume) require_resumable(ctx.state_dir, a.out, "backtest");
  ctx.progress = !a.quiet && isatty(STDERR_FILENO);
  if (!spec.free.empty()) {  // the pilot: targets no replicate can produce, before any fit
    calibrate::Problem whole{spec.model, spec.base_uniforms, spec.cases, spec.free};
    calibrate::Context pilot = ctx;
    pilot.state_dir.clear();
    calibrate::check_problem(whole, m, pilot);
  }
  outdir::FolderLock lock =
      claim_out_dir(a.out, outdir::Kind::kBacktest, a.overwrite, true, "geosim backtest");
  install_interrupt_handler();
  ctx.stop = &interrupt_flag();

  experiment::ManifestInfo info = command_manifest("backtest", args, ctx.threads);
  backtest::Result r;
  try {
    r = backtest::run(spec, ctx);
  } catch (const Interrupted&) {
    throw Interrupted(
        "the backtest stopped; its finished folds (and the running fits' batches) "
        "are kept in " +
        ctx.state_dir + "; run the same command with --resume to continue");
  }
  if (dist::rank() == 0) {
    backtest::write_folder(a.out, spec, r, info);
    std::error_code ec;  // every fold is written: the working state is no longer needed
    std::filesystem::remove_all(ctx.state_dir, ec);
#ifdef GEOSIM_HAVE_REPORT
    if (a.report) report::write_report(a.out, a.out + "/report.html");
#endif
    if (!a.quiet) {
      std::fprintf(stderr, "geosim: backtest of %zu case(s) in %zu fold(s), %.1f s\n",
                   spec.cases.cases.size(), r.folds.size(), r.wall_seconds);
      const io::CsvTable t = io::read_csv(a.out + "/scores.csv");
      for (const auto& row : t.rows)
        if (row[0] == "all" && (row[2] == "brier" || row[2] == "log_score" || row[2] == "auc"))
          std::fprintf(stderr, "  %-10s %-10s %s\n", row[1].c_str(), row[2].c_str(),
                       row[3].c_str());
      std::fprintf(stderr,
                   "geosim: written to %s (backtest.csv, scores.csv, reliability.csv, folds.csv)\n",
                   a.out.c_str());
    }
  }
  dist::barrier();
  return kExitOk;
}

const RegisterCommand kRegister{
    Command{"backtest", kUsage,
            "score a template's predictions of held-back cases (leave-one-out or k-fold fits)",
            backtest_main}};

}  // namespace
}  // namespace geosim::cli
