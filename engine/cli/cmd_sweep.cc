// geosim sweep FILE --vary NAME=SPEC... : runs one scenario at many parameter points.
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "api/internal.h"
#include "api/shard.h"
#include "cli/command.h"
#include "cli/interrupt.h"
#include "cli/scenario_args.h"
#include "cli/sweep_command.h"
#include "core/error.h"
#include "dist/dist.h"
#include "experiment/output.h"
#include "experiment/sweep.h"
#include "io/json.h"
#include "outdir/outdir.h"
#if __has_include("report/report.h")
#include "report/report.h"
#define GEOSIM_HAVE_REPORT 1
#endif

namespace geosim::cli {

using api::parse_shard;
using api::ShardSpec;

namespace {

std::string absolute_path(const std::string& path) {
  return std::filesystem::absolute(path).lexically_normal().string();
}

}  // namespace

namespace {

// Everything `geosim sweep` takes.
struct SweepArgs {
  RunArgs run;
  api::SweepOptions sweep;
  std::string shard_text;
  bool resume = false;
};

const char* const kSweepUsage =
    "sweep FILE --vary NAME=SPEC... [--design grid|lhs|sobol|morris] [--samples N] --out DIR";

// Parses the command line; false: --help was printed.
bool parse_sweep_args(const std::vector<std::string>& args, SweepArgs& s) {
  RunArgs& a = s.run;
  api::SweepOptions& o = s.sweep;
  std::string design_text;
  po::options_description desc("sweep options");
  a.add_options(desc);
  desc.add_options()(
      "vary", po::value<std::vector<std::string>>(&o.vary)->composing(),
      "NAME=SPEC: a list 0.1,0.2, a range LO:HI:STEP, LO:HI for lhs/sobol/morris, or a "
      "distribution for lhs/sobol: normal(M,SD), truncnormal(LO,HI,M,SD), triangular(LO,MODE,HI), "
      "beta(A,B[,LO,HI]), loguniform(LO,HI), lognormal(MU,SIGMA), uniform(LO,HI) (repeatable)")(
      "design", po::value<std::string>(&design_text)->default_value("grid"),
      "grid | lhs | sobol | morris")(
      "samples", po::value<int64_t>(&o.samples)->default_value(0),
      "lhs: points; sobol: base samples N (N*(k+2) runs); morris: trajectories (0: default)")(
      "levels", po::value<int>(&o.levels)->default_value(0), "morris: grid levels (even; 0: 4)")(
      "points", po::value<std::string>(&o.points), "CSV of points (header: parameter names)")(
      "resume", po::bool_switch(&s.resume), "skip points already finished in --out")(
      "second-order", po::bool_switch(&o.second_order),
      "sobol: also second-order indices S2 (2k+2 runs per base sample instead of k+2)")(
      "per-point-trajectories", po::bool_switch(&o.per_point_trajectories),
      "also write trajectories.csv with the tracked variables of every point")(
      "shard", po::value<std::string>(&s.shard_text),
      "I/N: run only the points p with p % N == I into --out (combine with geosim merge)")(
      "given", po::value<std::string>(&o.given),
      "EXPR: report every outcome at every point over the replicates where EXPR held on the "
      "final state (adds given_share)")("file", po::value<std::vector<std::string>>(&a.files),
                                        "scenario file");
  po::positional_options_description pos;
  pos.add("file", -1);
  po::variables_map vm;
  if (!parse_options(args, desc, pos, vm, kSweepUsage)) return false;
  if (!vm["design"].defaulted()) o.design = design_text;  // "" lets --points be the design
  return true;
}

// The command line's own checks, in the order it has always made them.
void check_sweep_args(SweepArgs& s, ShardSpec& shard) {
  const RunArgs& a = s.run;
  const SourceLoc where{"geosim sweep"};
  if (a.files.size() != 1)
    throw UserError(
        where, "expected exactly one scenario file; usage: geosim " + std::string(kSweepUsage));
  if (a.out.empty())
    throw UserError(
        where, "a sweep needs --out DIR (it writes sweep.csv and keeps finished points there)");
  if (s.sweep.vary.empty() && s.sweep.points.empty())
    throw UserError(where, "nothing to vary; give --vary NAME=SPEC or --points FILE.csv");
  if (!s.sweep.vary.empty() && !s.sweep.points.empty())
    throw UserError(where, "give either --vary or --points, not both");
  a.validate();
  api::detail::check_sweep_options(s.sweep);
  if (s.shard_text.empty()) return;
  shard = parse_shard(s.shard_text);
  if (dist::active())
    throw UserError(where, "--shard and mpirun both split the work; use one of them");
  if (a.report)
    throw UserError(where,
                    "--report applies to merged results; run geosim report after geosim merge");
}

// shard.json: what `geosim merge` needs: which share this is, the sweep's key (as in
// .sweep/key), and the sweep's own arguments, with absolute paths, to assemble the points
// again.
void write_shard_json(const SweepArgs& s, const ShardSpec& shard, const api::SweepResult& r,
                      const api::detail::SweepCall& call, const std::string& start_time,
                      const std::vector<std::string>& command_line) {
  const RunArgs& a = s.run;
  const api::SweepOptions& o = s.sweep;
  std::vector<std::string> sweep_args = {absolute_path(a.files[0])};
  for (const auto& v : o.vary) sweep_args.insert(sweep_args.end(), {"--vary", v});
  if (!o.points.empty()) sweep_args.insert(sweep_args.end(), {"--points", absolute_path(o.points)});
  if (!o.design.empty()) sweep_args.insert(sweep_args.end(), {"--design", o.design});
  if (o.samples) sweep_args.insert(sweep_args.end(), {"--samples", std::to_string(o.samples)});
  if (o.levels) sweep_args.insert(sweep_args.end(), {"--levels", std::to_string(o.levels)});
  for (const auto& x : a.sets) sweep_args.insert(sweep_args.end(), {"--set", x});
  if (!a.posterior.empty())
    sweep_args.insert(sweep_args.end(), {"--posterior", absolute_path(a.posterior)});
  sweep_args.insert(sweep_args.end(), {"--replicates", std::to_string(r.replicates)});
  sweep_args.insert(sweep_args.end(), {"--seed", std::to_string(r.seed)});
  if (a.per_run) sweep_args.push_back("--per-run");
  if (o.second_order) sweep_args.push_back("--second-order");
  if (o.per_point_trajectories) sweep_args.push_back("--per-point-trajectories");
  if (!o.given.empty()) sweep_args.insert(sweep_args.end(), {"--given", o.given});
  io::JsonWriter w;
  w.begin_object();
  w.member("program", std::string("geosim"));
  w.member("version", std::string(GEOSIM_VERSION));
  w.member("kind", std::string("sweep-shard"));
  w.member("shard", shard.index);
  w.member("of", shard.count);
  w.member("key", call.ran.key);
  w.member("points", static_cast<int64_t>(call.design_points));
  w.member("per_run", a.per_run);
  w.member("start_time", start_time);
  w.key("command_line").begin_array();
  for (const auto& x : command_line) w.value(x);
  w.end_array();
  w.key("sweep_args").begin_array();
  for (const auto& x : sweep_args) w.value(x);
  w.end_array();
  w.end_object();
  outdir::Publication pub(a.out);
  pub.write("shard.json", w.str());
  pub.publish({});
}

}  // namespace

int sweep_command(const std::vector<std::string>& args, const SweepMerge* merge) {
  SweepArgs s;
  if (!parse_sweep_args(args, s)) return kExitOk;
  ShardSpec shard;
  check_sweep_args(s, shard);
  const RunArgs& a = s.run;
  auto models = load_models(a.files, s.sweep.given);
  apply_sets(a.sets, models);

  api::SweepOptions& o = s.sweep;
  o.replicates = a.replicates;
  o.seed = a.seed;
  o.threads = a.thread_count();
  o.per_run = a.per_run;
  o.posterior = a.posterior;
  o.out = a.out;
  o.resume = s.resume;
  o.overwrite = a.overwrite;
  o.progress = !a.quiet && isatty(STDERR_FILENO);
  install_interrupt_handler();
  o.stop = &interrupt_flag();
  api::detail::SweepCall call;
  call.model = models[0].get();
  call.path = a.files[0];
  call.fixed = set_names(a.sets);
  call.sharded = !s.shard_text.empty();
  call.shard_index = shard.index;
  call.shard_count = shard.count;
  call.command_line = full_command_line(args);
  if (merge) {
    call.merged_shards = merge->shards;
    call.command = "merge";
    call.command_line = merge->command_line;
  }
  call.read_result = false;  // the files are in --out; the command prints counts only
  const std::string start_time = experiment::utc_now_iso8601();
  const api::SweepResult r = api::detail::sweep_model(call, o);
  if (call.sharded) {
    write_shard_json(s, shard, r, call, start_time, call.command_line);
    if (!a.quiet)
      std::fprintf(stderr,
                   "geosim: shard %lld/%lld: %zu of %zu points (%zu resumed, %zu failed) in %s; "
                   "combine the %lld shards with geosim merge\n",
                   static_cast<long long>(shard.index), static_cast<long long>(shard.count),
                   call.ran.points, call.design_points, call.ran.resumed, call.ran.failed,
                   a.out.c_str(), static_cast<long long>(shard.count));
    return r.failed ? kExitRunFailed : kExitOk;
  }
  if (dist::rank() == 0) {
    for (const auto& note : r.notes) std::fprintf(stderr, "geosim: %s\n", note.c_str());
#ifdef GEOSIM_HAVE_REPORT
    if (a.report) report::write_report(a.out, a.out + "/report.html");
#endif
    if (!a.quiet)
      std::fprintf(stderr, "geosim: %zu points (%zu resumed, %zu failed) written to %s\n",
                   call.ran.points, call.ran.resumed, call.ran.failed, a.out.c_str());
    if (r.failed)
      std::fprintf(stderr,
                   "geosim: %zu point(s) failed; see the status and error columns of sweep.csv\n",
                   call.ran.failed);
  }
  return dist::max_over_ranks(r.failed ? kExitRunFailed : kExitOk);
}

namespace {

int sweep_main(const std::vector<std::string>& args) { return sweep_command(args); }

const RegisterCommand kRegister{Command{
    "sweep",
    "sweep FILE --vary NAME=SPEC... [--design grid|lhs|sobol|morris] [--samples N] --out DIR",
    "run a scenario at many parameter points (grid, lhs, sobol, morris, or --points CSV)",
    sweep_main}};

}  // namespace
}  // namespace geosim::cli
