// run_files: a batch of scenario files, as `geosim run FILE...` runs it: in one process, as
// a shard of the work (--shard I/N, merged later by `geosim merge`), or on all MPI ranks
// together (rank 0 writes the files).
#include <chrono>
#include <cstring>

#include "api/batch.h"
#include "api/internal.h"
#include "api/shard.h"
#include "dist/dist.h"
#include "experiment/output.h"
#include "experiment/runner.h"
#include "geosim/api.h"
#include "outdir/outdir.h"
#include "report/report.h"

namespace geosim::api {

bool BatchRunResult::any_failed() const {
  for (const auto& e : scenarios)
    if (!e.ok) return true;
  return false;
}

namespace {

// The checks `geosim run` makes of its options, for callers of the API.
void check_run_files_options(const RunFilesOptions& o) {
  const SourceLoc where{"geosim"};
  if (o.files.empty()) throw UserError(where, "no scenario file given; expected one or more");
  RunOptions ro;
  ro.replicates = o.replicates;
  ro.threads = o.threads;
  check_run_options(ro);
  if ((o.per_run || o.report) && o.out.empty())
    throw UserError(where, std::string(o.per_run ? "per_run" : "report") + " needs out");
  for (const auto& s : o.sets) parse_set(s);
  if (o.shard_count > 0) {
    if (o.shard_count > 100000 || o.shard_index < 0 || o.shard_index >= o.shard_count)
      throw UserError(where, "shard " + std::to_string(o.shard_index) + "/" +
                                 std::to_string(o.shard_count) +
                                 " is out of range; expected 0 <= I < N <= 100000");
    if (o.out.empty()) throw UserError(where, "a shard needs out (the shard's own folder)");
    if (dist::active())
      throw UserError(where, "a shard and mpirun both split the work; use one of them");
    if (o.report)
      throw UserError(where,
                      "report applies to merged results; run geosim report after geosim merge");
  } else if (o.shard_count < 0) {
    throw UserError(where, "shard_count " + std::to_string(o.shard_count) +
                               " is out of range; expected 0 (no shard) to 100000");
  }
}

// The `geosim run` command that does what `o` asks (manifest.json's command line).
std::vector<std::string> equivalent_batch_command(const RunFilesOptions& o) {
  std::vector<std::string> c = {"geosim", "run"};
  c.insert(c.end(), o.files.begin(), o.files.end());
  if (o.replicates) c.insert(c.end(), {"--replicates", std::to_string(*o.replicates)});
  if (o.seed) c.insert(c.end(), {"--seed", std::to_string(*o.seed)});
  for (const auto& s : o.sets) c.insert(c.end(), {"--set", s});
  if (!o.given.empty()) c.insert(c.end(), {"--given", o.given});
  if (!o.posterior.empty()) c.insert(c.end(), {"--posterior", o.posterior});
  if (o.per_run) c.push_back("--per-run");
  if (o.shard_count > 0)
    c.insert(c.end(),
             {"--shard", std::to_string(o.shard_index) + "/" + std::to_string(o.shard_count)});
  if (!o.out.empty()) c.insert(c.end(), {"--out", o.out});
  if (o.overwrite) c.push_back("--overwrite");
  if (o.report) c.push_back("--report");
  return c;
}

// The `geosim run` command of one scenario of the batch, as run() names it (for a
// BatchEntry's RunResult::write_result_folder).
std::vector<std::string> equivalent_command(const experiment::ScenarioRun& r,
                                            const RunFilesOptions& o) {
  std::vector<std::string> c = {"geosim",
                                "run",
                                r.model->path,
                                "--seed",
                                std::to_string(r.seed),
                                "--replicates",
                                std::to_string(r.replicates)};
  for (const auto& s : o.sets)
    if (r.model->find_parameter(parse_set(s).first)) c.insert(c.end(), {"--set", s});
  if (!o.given.empty()) c.insert(c.end(), {"--given", o.given});
  if (!o.posterior.empty()) c.insert(c.end(), {"--posterior", o.posterior});
  return c;
}

// The batch's models, with `given`, the sets and the posterior applied.
struct Batch {
  std::vector<std::unique_ptr<sim::Model>> models;
  PosteriorUse posterior;
};
std::shared_ptr<Batch> load_batch(const RunFilesOptions& o) {
  auto b = std::make_shared<Batch>();
  b->models = load_models(o.files, o.given);
  // Rows of a batch are told apart by scenario id: two files with one id would mix.
  for (size_t i = 0; i < b->models.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (b->models[i]->id == b->models[j]->id)
        throw UserError(SourceLoc{b->models[i]->path},
                        "scenario id '" + b->models[i]->id + "' is also the id of " +
                            b->models[j]->path +
                            " in this batch; expected a different scenario.id for each file "
                            "(the rows of a batch are told apart by it)");
  apply_sets(o.sets, b->models);
  b->posterior = load_posterior(o.posterior, b->models, set_names(o.sets));
  return b;
}

// What the scenarios' runs came to: the runs that ended (ok or failed), and the id of the
// scenario a stop interrupted ("" if none).
struct BatchRuns {
  std::vector<experiment::ScenarioRun> runs;
  std::string interrupted_in;
};

// Runs each scenario in turn (this process's share of its replicates), streaming its
// per-run rows to `runs_writer` when there is one.
BatchRuns run_batch(const Batch& b, const RunFilesOptions& a, const ShardSpec& shard, bool root,
                    int threads, experiment::RunsWriter* runs_writer) {
  BatchRuns out;
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
    o.threads = threads;
    o.progress = a.progress && root;
    o.progress_label = m.id;
    o.shard_index = shard.index;
    o.shard_count = shard.count;
    o.stop = a.stop;
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

// Under MPI: rank 0 folds the ranks' partial statistics in rank order (exact, so any
// order would do); per-run parts were written to the shared `out`.
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

void report_failures(const std::vector<experiment::ScenarioRun>& runs,
                     const detail::RunFilesCall& call) {
  if (!call.failed) return;
  for (const auto& r : runs)
    if (!r.ok) call.failed(r.error);
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// One entry per run that ended; a finished one holds its RunResult, which keeps the
// batch (its model and posterior binding) alive.
std::vector<BatchEntry> entries_of(std::vector<experiment::ScenarioRun>& runs,
                                   const std::shared_ptr<const Batch>& batch,
                                   const RunFilesOptions& o, const experiment::ManifestInfo& info) {
  std::vector<BatchEntry> entries;
  for (auto& r : runs) {
    BatchEntry e;
    e.path = r.model->path;
    e.scenario = r.model->id;
    e.ok = r.ok;
    e.error = r.error;
    if (r.ok) {
      auto st = std::make_shared<detail::RunState>();
      st->batch = batch;
      st->model = r.model;
      st->threads = info.threads;
      st->command_line = equivalent_command(r, o);
      st->start_time = info.start_time;
      st->run = std::move(r);
      e.result = detail::result_of(std::move(st));
    }
    entries.push_back(std::move(e));
  }
  return entries;
}

}  // namespace

BatchRunResult detail::run_files(const RunFilesOptions& a, const RunFilesCall& call) {
  check_run_files_options(a);
  const bool sharded = a.shard_count > 0;
  ShardSpec shard;
  if (sharded)
    shard = ShardSpec{a.shard_index, a.shard_count};
  else if (dist::active())
    shard = ShardSpec{dist::rank(), dist::size()};
  const bool root = dist::rank() == 0;
  const std::shared_ptr<Batch> batch = load_batch(a);
  // One process owns `out` (rank 0 for all ranks), it is writable, and what the result
  // replaces is geosim's (outdir/outdir.h): all checked before anything runs.
  outdir::FolderLock lock;
  if (!a.out.empty())
    lock = claim_out_dir(a.out, outdir::Kind::kRun, a.overwrite, !sharded, "geosim run");
  dist::barrier();

  const auto t0 = std::chrono::steady_clock::now();
  experiment::ManifestInfo info;
  info.command = "run";
  info.command_line = call.command_line.empty() ? equivalent_batch_command(a) : call.command_line;
  info.start_time = experiment::utc_now_iso8601();
  info.threads = thread_count(a.threads);
  info.ranks = dist::size();
  std::vector<const sim::Model*> model_ptrs;
  for (auto& m : batch->models) model_ptrs.push_back(m.get());
  std::unique_ptr<experiment::RunsWriter> runs_writer;
  if (a.per_run)
    runs_writer =
        std::make_unique<experiment::RunsWriter>(a.out, model_ptrs, static_cast<int>(shard.index));

  if (call.before_running) call.before_running();
  BatchRuns done = run_batch(*batch, a, shard, root, info.threads, runs_writer.get());
  std::vector<experiment::ScenarioRun>& runs = done.runs;
  BatchRunResult res;
  if (!done.interrupted_in.empty()) {
    // Keeps what finished (complete files for complete scenarios, in a plain run).
    res.interrupted = done.interrupted_in;
    std::vector<experiment::ScenarioRun> finished;
    for (const auto& r : runs)
      if (r.ok) finished.push_back(r);
    if (!a.out.empty() && !finished.empty() && !sharded && !dist::active()) {
      info.wall_seconds = seconds_since(t0);
      experiment::write_result_folder(a.out, finished, info, nullptr);
      res.written = a.out;
    }
  } else if (sharded) {
    // Its statistics and part files go to its folder for geosim merge.
    write_shard_folder(
        a.out, shard, runs, a.sets, a.posterior, a.given, a.per_run, info,
        runs_writer ? runs_writer->parts() : std::vector<std::pair<size_t, std::string>>{});
    if (runs_writer) runs_writer->keep_parts();
    res.written = a.out;
    report_failures(runs, call);
  } else {
    if (dist::active()) gather_ranks(runs, runs_writer.get(), root);
    if (root) report_failures(runs, call);
    bool any_ok = false;
    for (const auto& r : runs) any_ok |= r.ok;
    info.wall_seconds = seconds_since(t0);
    if (root && !a.out.empty() && any_ok) {
      std::vector<std::pair<std::string, int>> sources;
      for (int k = 0; k < static_cast<int>(shard.count); ++k) sources.emplace_back(a.out, k);
      experiment::write_result_folder(a.out, runs, info, runs_writer ? &sources : nullptr);
      if (a.report) report::write_report(a.out, a.out + "/report.html");
      res.written = a.out;
    }
  }
  res.scenarios = entries_of(runs, batch, a, info);
  return res;
}

BatchRunResult run_files(const RunFilesOptions& options) {
  return detail::run_files(options, detail::RunFilesCall{});
}

}  // namespace geosim::api
