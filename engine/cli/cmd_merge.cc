// geosim merge DIR... --out OUT : combines shard folders (run --shard I/N, or
// sweep --shard I/N) into exactly the files one process running everything writes.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>

#include "api/shard.h"
#include "cli/command.h"
#include "cli/scenario_args.h"
#include "cli/sweep_command.h"
#include "core/error.h"
#include "experiment/output.h"
#include "experiment/sweep.h"
#include "io/atomic_file.h"
#include "io/json.h"
#include "io/read_file.h"
#include "io/sha256.h"
#include "outdir/outdir.h"
#if __has_include("report/report.h")
#include "report/report.h"
#define GEOSIM_HAVE_REPORT 1
#endif

namespace geosim::cli {

using api::batch_key;
using api::read_shard_stats;

namespace {

struct Shard {
  std::string dir;
  io::JsonValue json;
  int64_t index = 0, count = 0;
};

std::string kind_name(const Shard& s) {
  return s.json["kind"].as_string() == "sweep-shard" ? "sweep" : "run";
}

// Sweep shards (sweep --shard I/N): every shard must hold all of its points; they are
// gathered into OUT/.sweep and the sweep is assembled by the sweep command itself, which
// finds every point finished (--resume) and writes exactly what one sweep writes.
int merge_sweep(const std::vector<Shard>& shards, const std::string& out, bool quiet, bool report,
                bool overwrite, const std::vector<std::string>& args) {
  namespace fs = std::filesystem;
  const Shard& first = shards[0];
  const int64_t declared = first.json["points"].as_int64();
  if (declared < 1 || declared > 1000000)
    throw UserError(SourceLoc{first.dir + "/shard.json"},
                    "'points' is " + std::to_string(declared) +
                        "; expected 1 to 1000000 (a damaged shard.json?)");
  const auto points = static_cast<size_t>(declared);
  for (const auto& s : shards) {
    // Gathering into a shard's own folder would delete its points before copying them.
    std::error_code ec;
    if (fs::exists(out, ec) && fs::equivalent(out, s.dir, ec))
      throw UserError(SourceLoc{out}, "--out is the shard folder " + s.dir +
                                          "; expected a folder of its own for the merged sweep");
    // shard.json and the points must belong to the same sweep (a folder can be reused).
    const std::string key_file = s.dir + "/.sweep/key";
    if (!fs::exists(key_file, ec) || io::read_file(key_file) != s.json["key"].as_string() + "\n")
      throw UserError(SourceLoc{s.dir},
                      "the points in .sweep/ are not those of this folder's shard.json (the "
                      "folder was reused, or the shard did not finish); expected a finished "
                      "shard: run its command again with --resume");
  }
  // The merge gathers the points in OUT/.sweep: never over a folder it did not make (a
  // sweep's kept points, or a shard, would be lost).
  if (fs::exists(out + "/.sweep") || fs::exists(out + "/shard.json"))
    throw UserError(SourceLoc{out},
                    "--out holds a sweep's working folder (.sweep) or a shard (shard.json); "
                    "expected a new folder, or one holding only results");
  std::vector<std::pair<std::string, std::string>> copies;  // from, to (file names)
  for (const auto& s : shards) {
    const std::string from = s.dir + "/.sweep";
    for (size_t p = 0; p < points; ++p) {
      if (!experiment::in_shard(p, s.index, s.count)) continue;
      for (const char* suffix : {".csv", ".runs.csv"}) {
        std::string f = experiment::sweep_point_path(from, p, suffix);
        if (fs::exists(f)) {
          copies.emplace_back(f, experiment::sweep_point_path(out + "/.sweep", p, suffix));
        } else if (std::string(suffix) == ".csv" || first.json["per_run"].as_bool()) {
          throw UserError(SourceLoc{s.dir}, "shard " + std::to_string(s.index) + "/" +
                                                std::to_string(s.count) + " did not finish point " +
                                                std::to_string(p) + " (no " + f +
                                                "); expected a finished shard: run its command "
                                                "again with --resume");
        }
      }
    }
  }
  const bool existed = fs::exists(out);
  prepare_out_dir(out);
  std::optional<outdir::FolderLock> lock = outdir::lock_for_writing(out, "geosim merge");
  const std::string work = out + "/.sweep";
  std::error_code ec;
  try {
    outdir::check_may_replace_results(out, outdir::Kind::kSweep, overwrite, "geosim merge");
    fs::create_directories(work, ec);
    if (ec) throw UserError(SourceLoc{work}, "cannot create the folder: " + ec.message());
    io::write_file_atomically(work + "/key", first.json["key"].as_string() + "\n");
    for (const auto& [from, to] : copies) {
      fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
      if (ec) throw UserError(SourceLoc{from}, "cannot copy the point file: " + ec.message());
    }
    std::vector<std::string> sweep_args = {"sweep"};
    for (const auto& x : first.json["sweep_args"].items()) sweep_args.push_back(x.as_string());
    sweep_args.insert(sweep_args.end(), {"--out", out, "--resume", "--quiet"});
    if (report) sweep_args.push_back("--report");
    if (overwrite) sweep_args.push_back("--overwrite");
    SweepMerge merge;
    for (const auto& s : shards) merge.shards.emplace_back(s.dir, s.index);
    merge.command_line = full_command_line(args);
    const int code = sweep_command(sweep_args, &merge);
    if (!quiet)
      std::fprintf(stderr, "geosim: merged %zu sweep shards (%zu points) into %s\n", shards.size(),
                   points, out.c_str());
    return code;
  } catch (...) {
    // Nothing partial: the gathered points go, and the folder too if this merge made it.
    fs::remove_all(work, ec);
    lock.reset();                       // its lock file goes with it
    if (!existed) fs::remove(out, ec);  // only if empty
    throw;
  }
}

// Everything `geosim merge` takes.
struct MergeArgs {
  std::vector<std::string> dirs;
  std::string out;
  bool quiet = false, report = false, overwrite = false;
};

// Parses and checks the command line; false: --help was printed.
bool parse_merge_args(const std::vector<std::string>& args, MergeArgs& m) {
  po::options_description desc("merge options");
  desc.add_options()("out,o", po::value<std::string>(&m.out), "folder for the merged result files")(
      "quiet,q", po::bool_switch(&m.quiet), "no message")("report", po::bool_switch(&m.report),
                                                          "also write OUT/report.html")(
      "overwrite", po::bool_switch(&m.overwrite),
      "replace result files in --out that geosim did not write or that belong to another "
      "command's result");
  po::options_description hidden;
  hidden.add_options()("dir", po::value<std::vector<std::string>>(&m.dirs), "shard folders");
  desc.add(hidden);
  po::positional_options_description pos;
  pos.add("dir", -1);
  po::variables_map vm;
  if (!parse_options(args, desc, pos, vm, "merge SHARD_DIR... --out DIR")) return false;
  const SourceLoc where{"geosim merge"};
  if (m.dirs.empty())
    throw UserError(where, "no shard folder given; usage: geosim merge SHARD_DIR... --out DIR");
  if (m.out.empty()) throw UserError(where, "--out DIR is required");
  return true;
}

// Reads each folder's shard.json, holding a read lock on it (no shard changes while it is
// merged).
std::vector<Shard> read_shards(const std::vector<std::string>& dirs,
                               std::vector<outdir::FolderLock>& read_locks) {
  std::vector<Shard> shards;
  for (const auto& d : dirs) {
    Shard s;
    s.dir = d;
    if (!std::filesystem::is_directory(d))
      throw UserError(SourceLoc{d},
                      "no such folder; expected a shard folder written by geosim "
                      "run or sweep --shard I/N --out DIR");
    if (!std::filesystem::exists(d + "/shard.json"))
      throw UserError(SourceLoc{d},
                      "no shard.json here; expected a finished shard: a folder written by geosim "
                      "run or sweep --shard I/N --out DIR");
    read_locks.push_back(outdir::lock_for_reading(d));
    s.json = io::read_json(d + "/shard.json");
    s.index = s.json["shard"].as_int64();
    s.count = s.json["of"].as_int64();
    if (s.count < 1 || s.count > 100000 || s.index < 0 || s.index >= s.count)
      throw UserError(SourceLoc{d + "/shard.json"},
                      "says shard " + std::to_string(s.index) + " of " + std::to_string(s.count) +
                          "; expected 0 <= shard < of <= 100000 (a damaged shard.json?)");
    shards.push_back(std::move(s));
  }
  return shards;
}

// The shards are every share of one split of one run or sweep, each once; sorts them by
// index.
void check_one_split(std::vector<Shard>& shards) {
  const Shard& first = shards[0];
  std::map<int64_t, std::string> seen;
  for (const auto& s : shards) {
    if (s.json["kind"].as_string() != first.json["kind"].as_string())
      throw UserError(SourceLoc{s.dir}, "a shard of a " + kind_name(s) + ", but " + first.dir +
                                            " is a shard of a " + kind_name(first) +
                                            "; expected shards of one run");
    if (s.count != first.count)
      throw UserError(SourceLoc{s.dir}, "shard " + std::to_string(s.index) + "/" +
                                            std::to_string(s.count) + " belongs to a split into " +
                                            std::to_string(s.count) + ", but " + first.dir +
                                            " to a split into " + std::to_string(first.count) +
                                            "; expected shards of one run");
    if (s.json["key"].as_string() != first.json["key"].as_string())
      throw UserError(SourceLoc{s.dir},
                      "this shard ran different files, parameters, seed or replicates than " +
                          first.dir + "; expected shards of one run");
    auto [it, fresh] = seen.emplace(s.index, s.dir);
    if (!fresh)
      throw UserError(SourceLoc{s.dir}, "shard " + std::to_string(s.index) + "/" +
                                            std::to_string(s.count) + " is given twice (also " +
                                            it->second + "); expected each shard once");
  }
  std::vector<std::string> missing;
  for (int64_t i = 0; i < first.count; ++i)
    if (!seen.count(i)) missing.push_back(std::to_string(i));
  if (!missing.empty()) {
    std::string list;
    for (size_t i = 0; i < missing.size() && i < 20; ++i) list += (i ? ", " : "") + missing[i];
    if (missing.size() > 20) list += ", ...";
    throw UserError(SourceLoc{"geosim merge"},
                    std::to_string(missing.size()) + " of " + std::to_string(first.count) +
                        " shards missing (" + list + "); expected every shard 0.." +
                        std::to_string(first.count - 1));
  }
  std::sort(shards.begin(), shards.end(),
            [](const Shard& x, const Shard& y) { return x.index < y.index; });
}

// Writing into a shard's folder would replace what later merges of it need.
void refuse_out_in_a_shard(const std::vector<Shard>& shards, const std::string& out) {
  for (const auto& s : shards) {
    std::error_code ec;
    if (std::filesystem::exists(out, ec) && std::filesystem::equivalent(out, s.dir, ec))
      throw UserError(SourceLoc{out}, "--out is the shard folder " + s.dir +
                                          "; expected a folder of its own for the merged result");
  }
}

// The run the shards shared, compiled again from the files they ran; nothing may have
// changed since (the batch key).
struct MergedBatch {
  std::vector<std::unique_ptr<sim::Model>> models;
  PosteriorUse posterior;
  std::vector<experiment::ScenarioRun> runs;  // statistics empty until gathered
  bool per_run = false;
};
MergedBatch recompile_batch(const Shard& first) {
  MergedBatch b;
  std::vector<std::string> files, sets;
  for (const auto& f : first.json["files"].items()) files.push_back(f.as_string());
  for (const auto& s : first.json["sets"].items()) sets.push_back(s.as_string());
  b.models = load_models(files, first.json.find("given") ? first.json["given"].as_string() : "");
  apply_sets(sets, b.models);
  const std::string posterior_path =
      first.json.find("posterior") ? first.json["posterior"].as_string() : std::string();
  b.posterior = load_posterior(posterior_path, b.models, set_names(sets));
  b.per_run = first.json["per_run"].as_bool();
  b.runs.resize(b.models.size());
  const auto& scen = first.json["scenarios"].items();
  for (size_t s = 0; s < b.models.size(); ++s) {
    b.runs[s].model = b.models[s].get();
    b.runs[s].uniforms = b.models[s]->uniforms;
    b.runs[s].posterior = b.posterior.at(s);
    b.runs[s].seed = std::stoull(scen[s]["seed"].number_text());
    b.runs[s].replicates = scen[s]["replicates"].as_int64();
  }
  if (batch_key(b.runs, b.per_run) != first.json["key"].as_string())
    throw UserError(SourceLoc{"geosim merge"},
                    "the scenario files or the posterior changed since the shards ran (their "
                    "sha256 differ); expected the same files");
  return b;
}

// With --per-run: each part file a shard lists is there with the size and sha256 its
// shard.json records, and every scenario that finished has one.
void check_part_files(const Shard& shard, const std::vector<experiment::ScenarioRun>& runs,
                      const std::vector<experiment::ScenarioRun>& parts) {
  const io::JsonValue* listed = shard.json.find("parts");
  if (!listed || !listed->is_array())
    throw UserError(SourceLoc{shard.dir + "/shard.json"},
                    "lists no per-run part files; expected a shard written by this version "
                    "of geosim: run the shard again");
  std::vector<bool> seen_part(runs.size(), false);
  for (const auto& entry : listed->items()) {
    const int64_t s = entry["scenario"].as_int64();
    const std::string file = experiment::RunsWriter::part_path(shard.dir, static_cast<size_t>(s),
                                                               static_cast<int>(shard.index));
    if (s < 0 || static_cast<size_t>(s) >= runs.size() ||
        std::filesystem::path(file).filename().string() != entry["file"].as_string())
      throw UserError(entry.loc(),
                      "a part file that is not this shard's; expected a "
                      "shard.json written by geosim");
    seen_part[static_cast<size_t>(s)] = true;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
      throw UserError(SourceLoc{file},
                      "missing; shard.json lists it (the shard's rows of "
                      "runs.csv): expected the shard folder as its run "
                      "left it");
    const auto size = std::filesystem::file_size(file, ec);
    if (static_cast<int64_t>(size) != entry["bytes"].as_int64() ||
        io::sha256_file(file) != entry["sha256"].as_string())
      throw UserError(SourceLoc{file}, "has " + std::to_string(size) +
                                           " bytes and a sha256 other than shard.json "
                                           "records (cut short or changed); expected the "
                                           "file as the shard wrote it: run the shard again");
  }
  for (size_t s = 0; s < runs.size(); ++s)
    if (parts[s].ok && !seen_part[s])
      throw UserError(SourceLoc{shard.dir + "/shard.json"},
                      "lists no part file for scenario " + runs[s].model->id +
                          "; expected one for every scenario that finished");
}

// Every input is checked before anything is written: each shard's statistics (sealed, of
// this batch) and, with --per-run, its part files; the statistics are folded in shard
// order.
void gather_statistics(const std::vector<Shard>& shards, MergedBatch& b) {
  const std::string key = shards[0].json["key"].as_string();
  for (size_t k = 0; k < shards.size(); ++k) {
    const std::string stats_path = shards[k].dir + "/stats.bin";
    std::vector<experiment::ScenarioRun> parts(b.runs.size());
    for (size_t s = 0; s < b.runs.size(); ++s) parts[s].model = b.runs[s].model;
    read_shard_stats(io::read_file(stats_path), stats_path, key, parts);
    if (b.per_run) check_part_files(shards[k], b.runs, parts);
    for (size_t s = 0; s < b.runs.size(); ++s) {
      if (k == 0) {
        b.runs[s].ok = parts[s].ok;
        b.runs[s].error = parts[s].error;
        b.runs[s].stats = std::move(parts[s].stats);
      } else {
        experiment::merge_partial(b.runs[s], parts[s]);
      }
    }
  }
}

// Claims --out and writes the merged run's result folder (and report); reports failed
// scenarios. Returns the exit code.
int write_merged_run(const MergeArgs& m, const std::vector<Shard>& shards, const MergedBatch& b,
                     const std::vector<std::string>& args) {
  prepare_out_dir(m.out);
  outdir::FolderLock lock = outdir::lock_for_writing(m.out, "geosim merge");
  outdir::check_may_replace_results(m.out, outdir::Kind::kRun, m.overwrite, "geosim merge");
  experiment::ManifestInfo info =
      command_manifest("merge", args, static_cast<int>(shards[0].json["threads"].as_int64()));
  info.ranks = 1;  // the shards' processes
  info.extra = [&](io::JsonWriter& w) {
    w.key("shards").begin_array();
    for (const auto& s : shards) {
      w.begin_object();
      w.member("dir", s.dir);
      w.member("shard", s.index);
      w.member("start_time", s.json["start_time"].as_string());
      w.end_object();
    }
    w.end_array();
  };
  std::vector<std::pair<std::string, int>> sources;
  for (const auto& s : shards) sources.emplace_back(s.dir, static_cast<int>(s.index));
  int code = kExitOk;
  bool any_ok = false;
  for (const auto& r : b.runs) {
    any_ok |= r.ok;
    if (!r.ok) {
      std::fprintf(stderr, "geosim: run failed: %s\n", r.error.c_str());
      code = kExitRunFailed;
    }
  }
  if (any_ok) {
    experiment::write_result_folder(m.out, b.runs, info, b.per_run ? &sources : nullptr);
#ifdef GEOSIM_HAVE_REPORT
    if (m.report) report::write_report(m.out, m.out + "/report.html");
#endif
  }
  return code;
}

int merge_main(const std::vector<std::string>& args) {
  MergeArgs m;
  if (!parse_merge_args(args, m)) return kExitOk;
  std::vector<outdir::FolderLock> read_locks;  // no shard changes while it is merged
  std::vector<Shard> shards = read_shards(m.dirs, read_locks);
  check_one_split(shards);
  refuse_out_in_a_shard(shards, m.out);
  if (shards[0].json["kind"].as_string() == "sweep-shard")
    return merge_sweep(shards, m.out, m.quiet, m.report, m.overwrite, args);
  MergedBatch batch = recompile_batch(shards[0]);
  gather_statistics(shards, batch);
  const int code = write_merged_run(m, shards, batch, args);
  if (!m.quiet)
    std::fprintf(stderr, "geosim: merged %zu shards into %s\n", shards.size(), m.out.c_str());
  return code;
}

const RegisterCommand kRegister{
    Command{"merge", "merge SHARD_DIR... --out DIR",
            "combine shard folders (run or sweep --shard I/N) into one result", merge_main}};

}  // namespace
}  // namespace geosim::cli
