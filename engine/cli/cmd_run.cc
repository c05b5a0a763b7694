// geosim run FILE... : runs each scenario's replicates and reports outcome distributions.
// One process, a shard of the work (--shard I/N, merged later by `geosim merge`), or all
// MPI ranks together (mpirun -np K geosim run ...; rank 0 writes the files). The batch,
// shards and ranks are api::run_files's (engine/api/run_files.cc); this parses the options
// and prints.
#include <cstdio>
#include <iostream>
#include <optional>

#include "api/internal.h"
#include "api/shard.h"
#include "cli/command.h"
#include "cli/interrupt.h"
#include "cli/scenario_args.h"
#include "core/error.h"
#include "dist/dist.h"
#include "geosim/api.h"

namespace geosim::cli {
namespace {

// Everything `geosim run` takes.
struct RunCommandArgs {
  RunArgs run;
  std::string shard_text, given;
  std::optional<api::ShardSpec> shard;  // --shard I/N, once checked
};

// Parses the command line; false: --help was printed.
bool parse_run_args(const std::vector<std::string>& args, RunCommandArgs& c) {
  RunArgs& a = c.run;
  po::options_description desc("run options");
  a.add_options(desc);
  desc.add_options()("shard", po::value<std::string>(&c.shard_text),
                     "I/N: run only shard I of N into --out (combine with geosim merge)")(
      "given", po::value<std::string>(&c.given),
      "EXPR: report every outcome over the replicates where EXPR held on the final state "
      "(adds given_share)");
  po::options_description hidden;
  hidden.add_options()("file", po::value<std::vector<std::string>>(&a.files), "scenario files");
  desc.add(hidden);
  po::positional_options_description pos;
  pos.add("file", -1);
  po::variables_map vm;
  return parse_options(args, desc, pos, vm, "run FILE... [options]");
}

// The command line's own checks, in the order it has always made them, before anything
// is loaded.
void check_run_args(RunCommandArgs& c) {
  const RunArgs& a = c.run;
  const SourceLoc where{"geosim run"};
  if (a.files.empty())
    throw UserError(where, "no scenario file given; usage: geosim run FILE... [options]");
  a.validate();
  if (!c.shard_text.empty()) {
    c.shard = api::parse_shard(c.shard_text);
    if (a.out.empty()) throw UserError(where, "--shard needs --out DIR (the shard's own folder)");
    if (dist::active())
      throw UserError(where, "--shard and mpirun both split the work; use one of them");
    if (a.report)
      throw UserError(where,
                      "--report applies to merged results; run geosim report after geosim merge");
  } else if (dist::active() && a.out.empty() && dist::rank() == 0) {
    std::fprintf(stderr, "geosim: running on %d MPI ranks\n", dist::size());
  }
}

// The API's options for what the command line asks.
api::RunFilesOptions run_files_options(const RunCommandArgs& c) {
  const RunArgs& a = c.run;
  api::RunFilesOptions o;
  o.files = a.files;
  o.sets = a.sets;
  o.given = c.given;
  o.posterior = a.posterior;
  o.replicates = a.replicates;
  o.seed = a.seed;
  o.threads = a.threads;
  o.per_run = a.per_run;
  if (c.shard) {
    o.shard_index = c.shard->index;
    o.shard_count = c.shard->count;
  }
  o.out = a.out;
  o.overwrite = a.overwrite;
  o.report = a.report;
  o.stop = &interrupt_flag();
  o.progress = !a.quiet;
  return o;
}

// After an interrupt: says which scenario did not finish and what was kept.
[[noreturn]] void stop_interrupted(const api::BatchRunResult& r, const RunArgs& a) {
  size_t finished = 0;
  for (const auto& e : r.scenarios) finished += e.ok;
  std::string kept = "nothing was written";
  if (!r.written.empty())
    kept = "kept the results of " + std::to_string(finished) + " finished scenario(s) in " +
           r.written + (a.per_run ? " (runs.csv not written)" : "");
  throw Interrupted("scenario '" + r.interrupted + "' did not finish; " + kept);
}

// Where the results went and the table of each scenario that ran (unless --quiet); the
// failures were said as the batch ended (RunFilesCall::failed).
int print_results(const RunCommandArgs& c, const api::BatchRunResult& r) {
  const RunArgs& a = c.run;
  const bool root = dist::rank() == 0;
  const int code = r.any_failed() ? kExitRunFailed : kExitOk;
  if (c.shard) {
    if (!a.quiet)
      std::fprintf(stderr,
                   "geosim: shard %lld/%lld written to %s; combine the shards with geosim merge\n",
                   static_cast<long long>(c.shard->index), static_cast<long long>(c.shard->count),
                   a.out.c_str());
    return code;
  }
  if (!root) return code;
  if (!r.written.empty() && !a.quiet)
    std::fprintf(stderr, "geosim: results written to %s\n", a.out.c_str());
  if (a.quiet) return code;
  bool first = true;  // the table, with or without --out
  for (const auto& e : r.scenarios) {
    if (!e.ok) continue;
    if (!first) std::cout << "\n";
    first = false;
    std::cout << e.result.table();
  }
  std::cout.flush();
  return code;
}

int run_main(const std::vector<std::string>& args) {
  RunCommandArgs c;
  if (!parse_run_args(args, c)) return kExitOk;
  check_run_args(c);
  api::detail::RunFilesCall call;
  call.command_line = full_command_line(args);
  call.before_running = install_interrupt_handler;
  call.failed = [](const std::string& error) {
    std::fprintf(stderr, "geosim: run failed: %s\n", error.c_str());
  };
  const api::BatchRunResult r = api::detail::run_files(run_files_options(c), call);
  if (!r.interrupted.empty()) stop_interrupted(r, c.run);
  const int code = print_results(c, r);
  return c.shard ? code : dist::max_over_ranks(code);
}

const RegisterCommand kRegister{
    Command{"run", "run FILE... [options]",
            "run each scenario's replicates and report outcome distributions", run_main}};

}  // namespace
}  // namespace geosim::cli
