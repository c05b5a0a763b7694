// geosim sweep FILE --vary NAME=SPEC... : runs one scenario at many parameter points.
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "cli/command.h"
#include "cli/interrupt.h"
#include "cli/scenario_args.h"
#include "cli/shard.h"
#include "cli/sweep_command.h"
#include "core/error.h"
#include "dist/dist.h"
#include "experiment/design.h"
#include "experiment/sweep.h"
#include "experiment/vary.h"
#include "io/atomic_file.h"
#include "io/json.h"
#include "io/read_file.h"
#include "outdir/outdir.h"
#if __has_include("report/report.h")
#include "report/report.h"
#define GEOSIM_HAVE_REPORT 1
#endif

namespace geosim::cli {
namespace {

std::string absolute_path(const std::string& path) {
  return std::filesystem::absolute(path).lexically_normal().string();
}

}  // namespace

int sweep_command(const std::vector<std::string>& args, const SweepMerge* merge) {
  RunArgs a;
  std::string shard_text, given;
  std::vector<std::string> vary;
  std::string design_text = "grid", points_file;
  int64_t samples_arg = 0;
  int levels = 0;
  bool resume = false, second_order = false, per_point_trajectories = false;
  po::options_description desc("sweep options");
  a.add_options(desc);
  desc.add_options()(
      "vary", po::value<std::vector<std::string>>(&vary)->composing(),
      "NAME=SPEC: a list 0.1,0.2, a range LO:HI:STEP, LO:HI for lhs/sobol/morris, or a "
      "distribution for lhs/sobol: normal(M,SD), truncnormal(LO,HI,M,SD), triangular(LO,MODE,HI), "
      "beta(A,B[,LO,HI]), loguniform(LO,HI), lognormal(MU,SIGMA), uniform(LO,HI) (repeatable)")(
      "design", po::value<std::string>(&design_text)->default_value("grid"),
      "grid | lhs | sobol | morris")(
      "samples", po::value<int64_t>(&samples_arg)->default_value(0),
      "lhs: points; sobol: base samples N (N*(k+2) runs); morris: trajectories (0: default)")(
      "levels", po::value<int>(&levels)->default_value(0), "morris: grid levels (even; 0: 4)")(
      "points", po::value<std::string>(&points_file), "CSV of points (header: parameter names)")(
      "resume", po::bool_switch(&resume), "skip points already finished in --out")(
      "second-order", po::bool_switch(&second_order),
      "sobol: also second-order indices S2 (2k+2 runs per base sample instead of k+2)")(
      "per-point-trajectories", po::bool_switch(&per_point_trajectories),
      "also write trajectories.csv with the tracked variables of every point")(
      "shard", po::value<std::string>(&shard_text),
      "I/N: run only the points p with p % N == I into --out (combine with geosim merge)")(
      "given", po::value<std::string>(&given),
      "EXPR: report every outcome at every point over the replicates where EXPR held on the "
      "final state (adds given_share)")("file", po::value<std::vector<std::string>>(&a.files),
                                        "scenario file");
  po::positional_options_description pos;
  pos.add("file", -1);
  po::variables_map vm;
  const char* usage =
      "sweep FILE --vary NAME=SPEC... [--design grid|lhs|sobol|morris] [--samples N] --out DIR";
  if (!parse_options(args, desc, pos, vm, usage)) return kExitOk;
  const SourceLoc where{"geosim sweep"};
  if (a.files.size() != 1)
    throw UserError(where,
                    "expected exactly one scenario file; usage: geosim " + std::string(usage));
  if (a.out.empty())
    throw UserError(
        where, "a sweep needs --out DIR (it writes sweep.csv and keeps finished points there)");
  if (vary.empty() && points_file.empty())
    throw UserError(where, "nothing to vary; give --vary NAME=SPEC or --points FILE.csv");
  if (!vary.empty() && !points_file.empty())
    throw UserError(where, "give either --vary or --points, not both");
  a.validate();
  if (samples_arg < 0 || samples_arg > 1000000)
    throw UserError(SourceLoc{"--samples " + std::to_string(samples_arg)},
                    "out of range; expected 0 (the design's default) to 1000000");
  const auto samples = static_cast<size_t>(samples_arg);
  if (design_text == "grid" && points_file.empty() && (samples_arg != 0 || levels != 0))
    throw UserError(where, std::string(samples_arg ? "--samples" : "--levels") +
                               " does not apply to a grid (its points are the --vary values); "
                               "expected --design lhs, sobol or morris");
  const bool sharded = !shard_text.empty();
  ShardSpec shard;
  if (sharded) {
    shard = parse_shard(shard_text);
    if (dist::active())
      throw UserError(where, "--shard and mpirun both split the work; use one of them");
    if (a.report)
      throw UserError(where,
                      "--report applies to merged results; run geosim report after geosim merge");
  }

  auto models = load_models(a.files, given);
  apply_sets(a.sets, models);
  const sim::Model& model = *models[0];

  experiment::Design design;
  experiment::DesignOptions dopt;
  dopt.samples = samples;
  dopt.levels = levels;
  dopt.seed = a.seed.value_or(model.default_seed);
  dopt.second_order = second_order;
  if (second_order && (design_text != "sobol" || !points_file.empty()))
    throw UserError(SourceLoc{"--second-order"},
                    "second-order indices need the Saltelli points of --design sobol");
  if (!points_file.empty()) {
    if (!vm["design"].defaulted())
      throw UserError(where, "--design does not apply with --points (the file is the design)");
    design = experiment::points_design(points_file);
  } else {
    experiment::DesignKind kind = experiment::parse_design_kind(design_text);
    std::vector<experiment::VarySpec> specs;
    for (const auto& v : vary) specs.push_back(experiment::parse_vary(v));
    design = kind == experiment::DesignKind::kGrid ? experiment::grid_design(specs)
                                                   : experiment::build_design(kind, specs, dopt);
  }
  for (const auto& set : a.sets) {
    const std::string name = parse_set(set).first;
    for (const auto& varied : design.names)
      if (name == varied)
        throw UserError(SourceLoc{"--set " + set},
                        "'" + name +
                            "' is also varied by the sweep, which sets it at every "
                            "point; expected --set only for parameters the sweep does not vary");
  }
  experiment::check_design(model, design);  // before --out is created: a refusal writes nothing
  std::vector<std::pair<std::string, std::string>> taken = set_names(a.sets);
  for (const auto& name : design.names)
    taken.emplace_back(name, points_file.empty() ? "--vary " + name : "--points " + points_file);
  const PosteriorUse post = load_posterior(a.posterior, models, taken);
  // One process owns --out, it is writable, and what the sweep replaces is geosim's
  // (outdir/outdir.h); rank 0 checks for all ranks.
  outdir::FolderLock lock =
      claim_out_dir(a.out, outdir::Kind::kSweep, a.overwrite, !sharded, "geosim sweep");

  experiment::SweepOptions so;
  so.replicates = a.replicates.value_or(model.default_replicates);
  so.seed = a.seed.value_or(model.default_seed);
  so.threads = a.thread_count();
  so.out = a.out;
  so.resume = resume;
  so.per_run = a.per_run;
  so.posterior = post.at(0);
  so.per_point_trajectories = per_point_trajectories;
  so.given = given;
  so.progress = !a.quiet && isatty(STDERR_FILENO);
  install_interrupt_handler();
  so.stop = &interrupt_flag();
  so.vary_texts = vary;
  so.points_file = points_file;
  so.samples = samples;
  so.levels = levels;
  so.sharded = sharded;
  so.shard_index = shard.index;
  so.shard_count = shard.count;
  experiment::ManifestInfo info;
  info.command = "sweep";
  info.command_line = {"geosim"};
  info.command_line.insert(info.command_line.end(), args.begin(), args.end());
  if (merge) {
    so.merged_shards = merge->shards;
    info.command = "merge";
    info.command_line = merge->command_line;
  }
  info.start_time = experiment::utc_now_iso8601();
  info.threads = so.threads;
  info.ranks = dist::size();
  experiment::SweepResult r = experiment::run_sweep(model, design, so, info);
  if (sharded) {
    // What `geosim merge` needs: which share this is, the sweep's key (as in .sweep/key),
    // and the sweep's own arguments, with absolute paths, to assemble the points again.
    std::vector<std::string> sweep_args = {absolute_path(a.files[0])};
    for (const auto& v : vary) sweep_args.insert(sweep_args.end(), {"--vary", v});
    if (!points_file.empty())
      sweep_args.insert(sweep_args.end(), {"--points", absolute_path(points_file)});
    if (!vm["design"].defaulted()) sweep_args.insert(sweep_args.end(), {"--design", design_text});
    if (samples) sweep_args.insert(sweep_args.end(), {"--samples", std::to_string(samples)});
    if (levels) sweep_args.insert(sweep_args.end(), {"--levels", std::to_string(levels)});
    for (const auto& s : a.sets) sweep_args.insert(sweep_args.end(), {"--set", s});
    if (!a.posterior.empty())
      sweep_args.insert(sweep_args.end(), {"--posterior", absolute_path(a.posterior)});
    sweep_args.insert(sweep_args.end(), {"--replicates", std::to_string(so.replicates)});
    sweep_args.insert(sweep_args.end(), {"--seed", std::to_string(so.seed)});
    if (a.per_run) sweep_args.push_back("--per-run");
    if (second_order) sweep_args.push_back("--second-order");
    if (per_point_trajectories) sweep_args.push_back("--per-point-trajectories");
    if (!given.empty()) sweep_args.insert(sweep_args.end(), {"--given", given});
    io::JsonWriter w;
    w.begin_object();
    w.member("program", std::string("geosim"));
    w.member("version", std::string(GEOSIM_VERSION));
    w.member("kind", std::string("sweep-shard"));
    w.member("shard", shard.index);
    w.member("of", shard.count);
    w.member("key", r.key);
    w.member("points", static_cast<int64_t>(design.points.size()));
    w.member("per_run", a.per_run);
    w.member("start_time", info.start_time);
    w.key("command_line").begin_array();
    for (const auto& x : info.command_line) w.value(x);
    w.end_array();
    w.key("sweep_args").begin_array();
    for (const auto& x : sweep_args) w.value(x);
    w.end_array();
    w.end_object();
    outdir::Publication pub(a.out);
    pub.write("shard.json", w.str());
    pub.publish({});
    if (!a.quiet)
      std::fprintf(stderr,
                   "geosim: shard %lld/%lld: %zu of %zu points (%zu resumed, %zu failed) in %s; "
                   "combine the %lld shards with geosim merge\n",
                   static_cast<long long>(shard.index), static_cast<long long>(shard.count),
                   r.points, design.points.size(), r.resumed, r.failed, a.out.c_str(),
                   static_cast<long long>(shard.count));
    return r.failed ? kExitRunFailed : kExitOk;
  }
#ifdef GEOSIM_HAVE_REPORT
  if (a.report && dist::rank() == 0) report::write_report(a.out, a.out + "/report.html");
#endif
  if (dist::rank() == 0) {
    if (!a.quiet)
      std::fprintf(stderr, "geosim: %zu points (%zu resumed, %zu failed) written to %s\n", r.points,
                   r.resumed, r.failed, a.out.c_str());
    if (r.failed)
      std::fprintf(stderr,
                   "geosim: %zu point(s) failed; see the status and error columns of sweep.csv\n",
                   r.failed);
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
