// geosim calibrate FILE --cases CSV --free NAME[:PRIOR]... : fits free parameters to
// observed cases (docs/calibration.md). The work is engine/calibrate's; this file reads
// the options, checks everything before any simulation and writes the folder.
#include <unistd.h>

#include <cstdio>
#include <string>

#include "api/internal.h"
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

  api::CalibrateOptions o;
  o.cases = cases_file;
  o.free = free_texts;
  o.replicates = a.replicates;
  o.seed = a.seed;
  o.threads = a.thread_count();
  o.progress = !a.quiet && isatty(STDERR_FILENO);
  o.out = a.out;
  o.resume = resume;
  o.overwrite = a.overwrite;
  install_interrupt_handler();
  o.stop = &interrupt_flag();
  api::detail::CalibrateCall call;
  call.model = models[0].get();
  call.path = a.files[0];
  call.fixed = set_names(a.sets);
  call.method = m;
  call.command_line = full_command_line(args);
  call.read_result = false;  // the files are in --out; the command prints the summary only
  const api::CalibrateResult r = api::detail::calibrate_model(call, o);
  if (dist::rank() == 0) {
#ifdef GEOSIM_HAVE_REPORT
    if (a.report) report::write_report(a.out, a.out + "/report.html");
#endif
    if (!a.quiet) {
      std::fputs(r.text().c_str(), stderr);
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
