// geosim run FILE... : runs each scenario's replicates and reports outcome distributions.
// One process, a shard of the work (--shard I/N, merged later by `geosim merge`), or all
// MPI ranks together (mpirun -np K geosim run ...; rank 0 writes the files).
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "cli/command.h"
#include "cli/interrupt.h"
#include "cli/scenario_args.h"
#include "cli/shard.h"
#include "core/error.h"
#include "dist/dist.h"
#include "experiment/output.h"
#include "experiment/runner.h"
#include "experiment/summary.h"
#include "outdir/outdir.h"
#if __has_include("report/report.h")
#include "report/report.h"
#define GEOSIM_HAVE_REPORT 1
#endif

namespace geosim::cli {
namespace {

// Everything `geosim run` takes.
struct RunCommandArgs {
  RunArgs run;
  std::string shard_text, given;
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

// Checks the options; returns the share of the work this process runs (a --shard, an MPI
// rank, or all of it).
ShardSpec check_run_args(const RunCommandArgs& c) {
  const RunArgs& a = c.run;
  const SourceLoc where{"geosim run"};
  if (a.files.empty())
    throw UserError(where, "no scenario file given; usage: geosim run FILE... [options]");
  a.validate();
  ShardSpec shard;
  if (!c.shard_text.empty()) {
    shard = parse_shard(c.shard_text);
    if (a.out.empty()) throw UserError(where, "--shard needs --out DIR (the shard's own folder)");
    if (dist::active())
      throw UserError(where, "--shard and mpirun both split the work; use one of them");
    if (a.report)
      throw UserError(where,
                      "--report applies to merged results; run geosim report after geosim merge");
  } else if (dist::active()) {
    shard = ShardSpec{dist::rank(), dist::size()};
    if (a.out.empty() && dist::rank() == 0)
      std::fprintf(stderr, "geosim: running on %d MPI ranks\n", dist::size());
  }
  return shard;
}

// The batch's models, with --given, --set and --posterior applied.
struct Batch {
  std::vector<std::unique_ptr<sim::Model>> models;
  PosteriorUse posterior;
};
Batch load_batch(const RunCommandArgs& c) {
  Batch b;
  b.models = load_models(c.run.files, c.given);
  // Rows of a batch are told apart by scenario id: two files with one id would mix.
  for (size_t i = 0; i < b.models.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (b.models[i]->id == b.models[j]->id)
        throw UserError(SourceLoc{b.models[i]->path},
                        "scenario id '" + b.models[i]->id + "' is also the id of " +
                            b.models[j]->path +
                            " in this batch; expected a different scenario.id for each file "
                            "(the rows of a batch are told apart by it)");
  apply_sets(c.run.sets, b.models);
  b.posterior = load_posterior(c.run.posterior, b.models, set_names(c.run.sets));
  return b;
}

// What the scenarios' runs came to: the runs that ended (ok or failed), and the id of the
// scenario an interrupt stopped ("" if none).
struct BatchRuns {
  std::vector<experiment::ScenarioRun> runs;
  std::string interrupted_in;
};

// Runs each scenario in turn (this process's share of its replicates), streaming its
// per-run rows to `runs_writer` when there is one.
BatchRuns run_batch(const Batch& b, const RunArgs& a, const ShardSpec& shard, bool root,
                    experiment::RunsWriter* runs_writer) {
  BatchRuns out;
  install_interrupt_handler();
  for (size_t s = 0; s < b.models.size(); ++s) {
    sim::Model& m = *b.models[s];
    experiment::ScenarioRun r;
    r.model = &m;
    r.uniforms = m.uniforms;
    r.posterior = b.posterior.at(s);
    r.seed = a.seed.value_or(m.default_seed);
    r.replicates = a.replicates.value_or(m.default_replicates);
    experiment::RunOptions o;
    o.replicates = r.replicates;
    o.seed = r.seed;
    o.threads = a.thread_count();
    o.progress = !a.quiet && root;
    o.progress_label = m.id;
    o.shard_index = shard.index;
    o.shard_count = shard.count;
    o.stop = &interrupt_flag();
    o.storylines = true;  // storylines.csv (docs/outputs.md)
    if (r.posterior) o.per_replicate = &r.posterior->replicate_parameters();
    const auto s0 = std::chrono::steady_clock::now();
    if (runs_writer) runs_writer->begin_scenario(s);
    try {
      experiment::RowsCallback cb;
      if (runs_writer) cb = [&](const experiment::BlockRows& rows) { runs_writer->add(rows); };
      r.stats = experiment::run_replicates(m, r.uniforms, o, cb);
      r.ok = true;
    } catch (const RunError& e) {
      r.error = e.what();
    } catch (const Interrupted&) {
      out.interrupted_in = m.id;
      if (runs_writer) runs_writer->end_scenario(false);
      break;
    }
    if (runs_writer) runs_writer->end_scenario(r.ok);
    r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - s0).count();
    out.runs.push_back(std::move(r));
  }
  return out;
}

// After an interrupt: keeps what finished (complete files for complete scenarios, in a
// plain run), drops the rest, and throws Interrupted saying which.
[[noreturn]] void keep_finished_and_stop(BatchRuns& done_runs, const RunArgs& a, bool sharded,
                                         experiment::ManifestInfo& info,
                                         std::chrono::steady_clock::time_point t0) {
  std::vector<experiment::ScenarioRun> done;
  for (auto& r : done_runs.runs)
    if (r.ok) done.push_back(std::move(r));
  std::string kept = "nothing was written";
  if (!a.out.empty() && !done.empty() && !sharded && !dist::active()) {
    info.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    experiment::write_result_folder(a.out, done, info, nullptr);
    kept = "kept the results of " + std::to_string(done.size()) + " finished scenario(s) in " +
           a.out + (a.per_run ? " (runs.csv not written)" : "");
  }
  throw Interrupted("scenario '" + done_runs.interrupted_in + "' did not finish; " + kept);
}

// A shard: its statistics and part files go to its folder for geosim merge.
int finish_shard(const RunCommandArgs& c, const ShardSpec& shard,
                 const std::vector<experiment::ScenarioRun>& runs,
                 const experiment::ManifestInfo& info, experiment::RunsWriter* runs_writer) {
  const RunArgs& a = c.run;
  write_shard_folder(
      a.out, shard, runs, a.sets, a.posterior, c.given, a.per_run, info,
      runs_writer ? runs_writer->parts() : std::vector<std::pair<size_t, std::string>>{});
  if (runs_writer) runs_writer->keep_parts();
  int code = kExitOk;
  for (const auto& r : runs)
    if (!r.ok) {
      std::fprintf(stderr, "geosim: run failed: %s\n", r.error.c_str());
      code = kExitRunFailed;
    }
  if (!a.quiet)
    std::fprintf(
        stderr, "geosim: shard %lld/%lld written to %s; combine the shards with geosim merge\n",
        static_cast<long long>(shard.index), static_cast<long long>(shard.count), a.out.c_str());
  return code;
}

// Under MPI: rank 0 folds the ranks' partial statistics in rank order (exact, so any
// order would do); per-run parts were written to the shared --out.
void gather_ranks(std::vector<experiment::ScenarioRun>& runs, experiment::RunsWriter* runs_writer,
                  bool root) {
  std::string mine;
  for (const auto& r : runs) {
    std::string bytes = experiment::encode_partial(r);
    uint64_t n = bytes.size();
    mine.append(reinterpret_cast<const char*>(&n), sizeof n);
    mine += bytes;
  }
  std::vector<std::string> all = dist::gather(mine);
  if (runs_writer) runs_writer->keep_parts();
  dist::barrier();
  if (!root) return;
  for (size_t rank = 1; rank < all.size(); ++rank) {
    std::string_view in = all[rank];
    for (auto& r : runs) {
      uint64_t n;
      std::memcpy(&n, in.data(), sizeof n);
      in.remove_prefix(sizeof n);
      experiment::ScenarioRun part;
      part.model = r.model;
      experiment::decode_partial(in.substr(0, n), part);
      in.remove_prefix(n);
      experiment::merge_partial(r, part);
    }
  }
}

// Rank 0: the result folder (with --out), the report, and the table of each scenario that
// ran (unless --quiet).
void write_and_print(const RunArgs& a, const ShardSpec& shard,
                     const std::vector<experiment::ScenarioRun>& runs,
                     const experiment::ManifestInfo& info, bool per_run_parts, bool any_ok) {
  if (!a.out.empty() && any_ok) {
    std::vector<std::pair<std::string, int>> sources;
    for (int k = 0; k < static_cast<int>(shard.count); ++k) sources.emplace_back(a.out, k);
    experiment::write_result_folder(a.out, runs, info, per_run_parts ? &sources : nullptr);
#ifdef GEOSIM_HAVE_REPORT
    if (a.report) report::write_report(a.out, a.out + "/report.html");
#endif
    if (!a.quiet) std::fprintf(stderr, "geosim: results written to %s\n", a.out.c_str());
  }
  if (a.quiet) return;
  bool first = true;  // the table, with or without --out
  for (const auto& r : runs) {
    if (!r.ok) continue;
    if (!first) std::cout << "\n";
    first = false;
    std::cout << experiment::format_table(*r.model, r.stats, r.posterior);
  }
  std::cout.flush();
}

int run_main(const std::vector<std::string>& args) {
  RunCommandArgs c;
  if (!parse_run_args(args, c)) return kExitOk;
  const ShardSpec shard = check_run_args(c);
  const RunArgs& a = c.run;
  const bool sharded = !c.shard_text.empty();
  const bool root = dist::rank() == 0;
  const Batch batch = load_batch(c);
  // One process owns --out (rank 0 for all ranks), it is writable, and what the result
  // replaces is geosim's (outdir/outdir.h): all checked before anything runs.
  outdir::FolderLock lock;
  if (!a.out.empty())
    lock = claim_out_dir(a.out, outdir::Kind::kRun, a.overwrite, !sharded, "geosim run");
  dist::barrier();

  const auto t0 = std::chrono::steady_clock::now();
  experiment::ManifestInfo info = command_manifest("run", args, a.thread_count());
  std::vector<const sim::Model*> model_ptrs;
  for (auto& m : batch.models) model_ptrs.push_back(m.get());
  std::unique_ptr<experiment::RunsWriter> runs_writer;
  if (a.per_run)
    runs_writer =
        std::make_unique<experiment::RunsWriter>(a.out, model_ptrs, static_cast<int>(shard.index));

  BatchRuns done = run_batch(batch, a, shard, root, runs_writer.get());
  if (!done.interrupted_in.empty()) keep_finished_and_stop(done, a, sharded, info, t0);
  std::vector<experiment::ScenarioRun>& runs = done.runs;
  if (sharded) return finish_shard(c, shard, runs, info, runs_writer.get());
  if (dist::active()) gather_ranks(runs, runs_writer.get(), root);

  int code = kExitOk;
  bool any_ok = false;
  for (const auto& r : runs) {
    any_ok |= r.ok;
    if (!r.ok) {
      code = kExitRunFailed;
      if (root) std::fprintf(stderr, "geosim: run failed: %s\n", r.error.c_str());
    }
  }
  info.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (root) write_and_print(a, shard, runs, info, runs_writer != nullptr, any_ok);
  return dist::max_over_ranks(code);
}

const RegisterCommand kRegister{
    Command{"run", "run FILE... [options]",
            "run each scenario's replicates and report outcome distributions", run_main}};

}  // namespace
}  // namespace geosim::cli
