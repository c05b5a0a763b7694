// geosim run FILE... : runs each scenario's replicates and reports outcome distributions.
#include <chrono>
#include <cstdio>
#include <iostream>

#include "cli/command.h"
#include "cli/scenario_args.h"
#include "core/error.h"
#include "experiment/output.h"
#include "experiment/runner.h"
#include "experiment/summary.h"
#if __has_include("report/report.h")
#include "report/report.h"
#define GEOSIM_HAVE_REPORT 1
#endif

namespace geosim::cli {
namespace {

int run_main(const std::vector<std::string>& args) {
  RunArgs a;
  po::options_description desc("run options");
  a.add_options(desc);
  desc.add_options()("file", po::value<std::vector<std::string>>(&a.files), "scenario files");
  po::positional_options_description pos;
  pos.add("file", -1);
  po::variables_map vm;
  if (!parse_options(args, desc, pos, vm, "run FILE... [options]")) return kExitOk;
  if (a.files.empty())
    throw UserError(SourceLoc{"geosim run"},
                    "no scenario file given; usage: geosim run FILE... [options]");
  a.validate();

  auto models = load_models(a.files);
  apply_sets(a.sets, models);
  if (!a.out.empty()) prepare_out_dir(a.out);

  const auto t0 = std::chrono::steady_clock::now();
  experiment::ManifestInfo info;
  info.command = "run";
  info.command_line = {"geosim"};
  info.command_line.insert(info.command_line.end(), args.begin(), args.end());
  info.start_time = experiment::utc_now_iso8601();
  info.threads = a.thread_count();

  std::vector<const sim::Model*> model_ptrs;
  for (auto& m : models) model_ptrs.push_back(m.get());
  std::unique_ptr<experiment::RunsWriter> runs_writer;
  if (a.per_run) runs_writer = std::make_unique<experiment::RunsWriter>(a.out, model_ptrs);

  std::vector<experiment::ScenarioRun> runs;
  bool any_failed = false;
  for (auto& m : models) {
    experiment::ScenarioRun r;
    r.model = m.get();
    r.uniforms = m->uniforms;
    r.seed = a.seed.value_or(m->default_seed);
    r.replicates = a.replicates.value_or(m->default_replicates);
    experiment::RunOptions o;
    o.replicates = r.replicates;
    o.seed = r.seed;
    o.threads = a.thread_count();
    o.progress = !a.quiet;
    o.progress_label = m->id;
    const auto s0 = std::chrono::steady_clock::now();
    if (runs_writer) runs_writer->begin_scenario(*m);
    try {
      experiment::RowsCallback cb;
      if (runs_writer) cb = [&](const experiment::BlockRows& rows) { runs_writer->add(rows); };
      r.stats = experiment::run_replicates(*m, r.uniforms, o, cb);
      r.ok = true;
    } catch (const RunError& e) {
      r.error = e.what();
      any_failed = true;
      std::fprintf(stderr, "geosim: run failed: %s\n", e.what());
    }
    if (runs_writer) runs_writer->end_scenario(r.ok);
    r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - s0).count();
    runs.push_back(std::move(r));
  }
  info.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  bool any_ok = false;
  for (const auto& r : runs) any_ok |= r.ok;
  if (!a.out.empty() && any_ok) {
    experiment::write_summary(a.out + "/summary.csv", runs);
    experiment::write_trajectories(a.out + "/trajectories.csv", runs);
    if (runs_writer) runs_writer->commit();
    experiment::write_manifest(a.out + "/manifest.json", info, runs);
#ifdef GEOSIM_HAVE_REPORT
    if (a.report) report::write_report(a.out, a.out + "/report.html");
#endif
    if (!a.quiet) std::fprintf(stderr, "geosim: results written to %s\n", a.out.c_str());
  } else if (a.out.empty() && !a.quiet) {
    bool first = true;
    for (const auto& r : runs) {
      if (!r.ok) continue;
      if (!first) std::cout << "\n";
      first = false;
      std::cout << experiment::format_table(*r.model, r.stats);
    }
    std::cout.flush();
  }
  return any_failed ? kExitRunFailed : kExitOk;
}

const RegisterCommand kRegister{
    Command{"run", "run FILE... [options]",
            "run each scenario's replicates and report outcome distributions", run_main}};

}  // namespace
}  // namespace geosim::cli
