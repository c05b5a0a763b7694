#include "experiment/sweep.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "core/error.h"
#include "core/text.h"
#include "dist/dist.h"
#include "experiment/runner.h"
#include "experiment/sensitivity.h"
#include "experiment/summary.h"
#include "expr/program.h"
#include "io/atomic_file.h"
#include "io/csv.h"
#include "io/json.h"
#include "io/number.h"
#include "io/read_file.h"
#include "io/sealed.h"
#include "io/sha256.h"
#include "outdir/outdir.h"

namespace geosim::experiment {

namespace fs = std::filesystem;

namespace {

std::string point_path(const std::string& dir, size_t p, const char* suffix) {
  return sweep_point_path(dir, p, suffix);
}

// A file of the sweep's own folder, read through the same guard as every input: someone
// may have replaced it (a link to /dev/zero is refused, not read without end).
std::string read_sweep_file(const std::string& path) {
  io::InputFile how;
  how.expected = "a file of an unfinished sweep, written by geosim";
  return io::read_input(path, how);
}

// A point file is sealed (io/sealed.h): a damaged one is refused, never assembled.
constexpr int kPointVersion = 1;
const char* point_kind(const char* suffix) {
  const std::string s = suffix;
  return s == ".csv"        ? "sweep-point"
         : s == ".traj.csv" ? "sweep-point-trajectories"
                            : "sweep-point-runs";
}
void write_point(const std::string& dir, size_t p, const char* suffix, const std::string& text) {
  io::write_file_atomically(point_path(dir, p, suffix),
                            io::seal(point_kind(suffix), kPointVersion, text));
}
std::string read_point(const std::string& dir, size_t p, const char* suffix) {
  const std::string path = point_path(dir, p, suffix);
  return std::string(io::unseal(read_sweep_file(path), point_kind(suffix), kPointVersion, path));
}

// Everything that determines a sweep's numbers; a resumed sweep must match it.
std::string sweep_key(const sim::Model& model, const Design& design, const SweepOptions& o) {
  // File contents, not paths: the same files named from another folder or copied to
  // another machine (a shard's job, its merge) give the same key.
  std::string k = "geosim-sweep 2\n";
  for (const auto& f : model.files) k += io::sha256_file(f) + "\n";
  for (double u : model.uniforms) k += io::format_double(u) + ",";
  k += "\nseed " + std::to_string(o.seed) + " replicates " + std::to_string(o.replicates) +
       " per_run " + std::to_string(o.per_run) + "\n";
  // Per-run points written before runs.csv had init: columns are not resumed into it.
  if (o.per_run && !model.init_draws.empty()) k += "runs init columns\n";
  if (o.per_point_trajectories) k += "per_point_trajectories\n";
  if (!o.given.empty()) k += "given " + o.given + "\n";  // absent without: keys unchanged
  if (design.sobol_second_order) k += "sobol second order\n";
  k += std::string(design_name(design.kind)) + "\n";
  if (o.posterior) {  // absent without a posterior: keys of such sweeps are unchanged
    k += "posterior " + o.posterior->posterior().sha256;
    for (const auto& n : o.posterior->parameters()) k += " " + n;
    k += "\n";
  }
  for (const auto& n : design.names) k += n + ",";
  k += "\n";
  for (const auto& p : design.points) {
    for (double v : p) k += io::format_double(v) + ",";
    k += "\n";
  }
  return io::sha256_hex(k);
}

bool is_sensitivity_statistic(std::string_view stat) {
  return stat == "mean" || stat == "probability" || stat == "share_reached" ||
         stat.starts_with("share:");
}

// Which per-point statistics of each outcome sensitivity.csv is computed on, in outcome
// order: each label's share of a cases outcome (never the mean of its label index); the
// probability of an outcome that is 0/1 at every point; otherwise the mean, and for a
// {first:} outcome also the share that reached it.
std::vector<std::pair<std::string, std::string>> sensitivity_series(
    const sim::Model& model,
    const std::map<std::pair<std::string, std::string>, std::vector<double>>& series,
    size_t points) {
  auto complete = [&](const std::string& name, const std::string& stat) {
    auto it = series.find({name, stat});
    return it != series.end() && it->second.size() == points &&
           std::all_of(it->second.begin(), it->second.end(),
                       [](double x) { return !std::isnan(x); });
  };
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& om : model.outcomes) {
    if (om.kind == OutcomeKind::kCases) {
      for (const auto& label : om.labels) out.emplace_back(om.name, "share:" + label);
    } else if (complete(om.name, "probability")) {
      out.emplace_back(om.name, "probability");
    } else {
      out.emplace_back(om.name, "mean");
      if (om.kind == OutcomeKind::kFirst) out.emplace_back(om.name, "share_reached");
    }
  }
  return out;
}

}  // namespace

std::string sweep_point_path(const std::string& sweep_dir, size_t p, const char* suffix) {
  char name[64];
  std::snprintf(name, sizeof name, "/point-%08zu%s", p, suffix);
  return sweep_dir + name;
}

std::vector<std::string> sweep_header(const Design& design, bool posterior) {
  std::vector<std::string> h = {"point"};
  h.insert(h.end(), design.names.begin(), design.names.end());
  h.insert(h.end(), summary_header().begin(), summary_header().end());
  h.push_back("status");
  h.push_back("error");
  if (posterior) h.push_back("posterior");
  return h;
}

// Every varied name is a parameter of the model, and every point lies inside every
// parameter's declared range; a design that fails is refused as a whole, naming the first
// point that does.
void check_design(const sim::Model& model, const Design& design) {
  for (size_t j = 0; j < design.names.size(); ++j) {
    const std::string& name = design.names[j];
    const sim::ParameterInfo* p = model.find_parameter(name);
    if (!p) {
      std::vector<std::string> names;
      for (const auto& q : model.parameters) names.push_back(q.name);
      const SourceLoc where =
          j < design.name_locs.size() ? design.name_locs[j] : SourceLoc{"--vary"};
      throw UserError(where, "scenario '" + model.id + "' has no parameter '" + name + "'" +
                                 did_you_mean(name, names));
    }
  }
  if (design.points.empty()) throw UserError(SourceLoc{"sweep"}, "the design has no points");
  sim::Model probe = model;
  for (size_t p = 0; p < design.points.size(); ++p)
    for (size_t j = 0; j < design.names.size(); ++j)
      probe.set_parameter(design.names[j], design.points[p][j],
                          p < design.point_locs.size()
                              ? design.point_locs[p]
                              : SourceLoc{"sweep point " + std::to_string(p) + " of " +
                                          std::to_string(design.points.size())});
}

namespace {

// The steps of run_sweep, in order.

// Rank 0 prepares the working folder OUT/.sweep and its key (a --resume or a merge must
// find the same key); a refusal reaches every rank.
void prepare_work_folder(const std::string& dir, const std::string& key, const SweepOptions& o) {
  std::error_code ec;
  std::string refusal;
  if (dist::rank() == 0) {
    if (o.resume && fs::exists(dir + "/key")) {
      if (read_sweep_file(dir + "/key") != key + "\n")
        refusal =
            o.merged_shards.empty()
                ? "--resume: this folder holds a different sweep (scenario, parameters, --given, "
                  "seed, replicates or design changed); run without --resume to start again"
                : "the scenario files changed since the shards ran (their sha256 differ), "
                  "or the shards belong to another sweep; expected the files the shards ran";
    } else {
      fs::remove_all(dir, ec);
    }
    if (refusal.empty()) {
      fs::create_directories(dir, ec);
      if (ec)
        refusal = "cannot create the sweep's working folder " + dir + ": " + ec.message();
      else
        io::write_file_atomically(dir + "/key", key + "\n");
    }
  }
  refusal = dist::broadcast(refusal);
  if (!refusal.empty()) throw UserError(SourceLoc{o.out}, refusal);
}

// Which points this process runs: its rank's and shard's share, less those a --resume
// finds finished (checked readable now: a damaged point is refused before anything runs).
struct PointPlan {
  std::vector<char> todo;
  size_t mine = 0;  // the points this process is responsible for
};
PointPlan plan_points(const Design& design, const SweepOptions& o, const std::string& dir,
                      SweepResult& result) {
  const int rank = dist::rank(), ranks = dist::size();
  PointPlan plan;
  plan.todo.assign(design.points.size(), 1);
  std::string refusal;
  for (size_t p = 0; p < plan.todo.size(); ++p) {
    if (static_cast<int>(p % static_cast<size_t>(ranks)) != rank ||
        !in_shard(p, o.shard_index, o.shard_count)) {
      plan.todo[p] = 0;
      continue;
    }
    ++plan.mine;
    if (!o.merged_shards.empty() && !fs::exists(point_path(dir, p, ".csv")))
      refusal = "point " + std::to_string(p) + " of " + std::to_string(plan.todo.size()) +
                " is in none of the shards; expected shards that together hold every point";
    if (o.resume && fs::exists(point_path(dir, p, ".csv"))) {
      read_point(dir, p, ".csv");
      if (o.per_run) read_point(dir, p, ".runs.csv");
      if (o.per_point_trajectories) read_point(dir, p, ".traj.csv");
      plan.todo[p] = 0;
      ++result.resumed;
    }
  }
  // Assembling shards (geosim merge) computes nothing: a point none of them holds is an error.
  if (!refusal.empty()) throw UserError(SourceLoc{o.out}, refusal);
  return plan;
}

// runs.csv's rows of point p for one block of replicates (a cases outcome as its label).
void add_runs_rows(const sim::Model& model, size_t p, const BlockRows& br, std::ostream& out) {
  std::vector<std::string> f;
  for (int i = 0; i < br.n; ++i) {
    f = {std::to_string(p), std::to_string(br.first_replicate + static_cast<uint64_t>(i))};
    for (size_t k = 0; k < br.values.size(); ++k) {
      if (!br.present[k][static_cast<size_t>(i)]) {
        f.emplace_back();
        continue;
      }
      double v = br.values[k][static_cast<size_t>(i)];
      const auto& om = model.outcomes[k];
      f.push_back(om.kind == OutcomeKind::kCases ? om.labels[static_cast<size_t>(v)]
                                                 : io::format_double(v));
    }
    for (const auto& in : br.inputs)  // the init: columns
      f.push_back(io::format_double(in[static_cast<size_t>(i)]));
    out << io::csv_line(f) << '\n';
  }
}

// Runs point p and writes its point files (a failed run as a row with status `error`).
// Throws Interrupted when stopped: the point is then not written.
void run_point(const sim::Model& model, const Design& design, const SweepOptions& o,
               const std::string& dir, const std::vector<int32_t>& rows, size_t p,
               int threads_per_point) {
  std::vector<double> uniforms = model.uniforms;
  for (size_t j = 0; j < rows.size(); ++j)
    uniforms[static_cast<size_t>(rows[j] - model.uniform_base)] = design.points[p][j];
  RunOptions ro;
  ro.replicates = o.replicates;
  ro.seed = o.seed;
  ro.threads = threads_per_point;
  ro.stop = o.stop;
  if (o.posterior) ro.per_replicate = &o.posterior->replicate_parameters();
  const std::string post_sha = o.posterior ? o.posterior->posterior().sha256 : "";
  std::ostringstream runs_text;
  RowsCallback cb;
  if (o.per_run) cb = [&](const BlockRows& br) { add_runs_rows(model, p, br, runs_text); };
  std::vector<std::string> prefix = {std::to_string(p)};
  for (double v : design.points[p]) prefix.push_back(io::format_double(v));
  std::ostringstream text, traj_text;
  io::CsvWriter csv(text);
  try {
    RunStats stats = run_replicates(model, uniforms, ro, cb);
    if (o.per_point_trajectories) {
      io::CsvWriter traj(traj_text);
      for (const TrajectoryRow& r : trajectory_rows(model, stats)) {
        std::vector<std::string> f = {std::to_string(p)};
        for (auto& x : trajectory_fields(r)) f.push_back(std::move(x));
        traj.row(f);
      }
    }
    for (const SummaryRow& r : summary_rows(model, stats)) {
      std::vector<std::string> f = prefix;
      for (auto& x : summary_fields(r)) f.push_back(std::move(x));
      f.push_back("ok");
      f.emplace_back();
      if (o.posterior) f.push_back(post_sha);
      csv.row(f);
    }
  } catch (const RunError& e) {
    std::vector<std::string> f = prefix;
    f.push_back(model.id);
    for (int i = 0; i < 6; ++i) f.emplace_back();
    f.push_back("error");
    f.push_back(e.what());
    if (o.posterior) f.push_back(post_sha);
    csv.row(f);
    runs_text.str("");
  }
  if (o.per_run) write_point(dir, p, ".runs.csv", runs_text.str());
  if (o.per_point_trajectories) write_point(dir, p, ".traj.csv", traj_text.str());
  write_point(dir, p, ".csv", text.str());
}

// Runs the planned points: side by side, one thread each, when a point has few blocks of
// replicates, or a moderate number (up to kSideBySideBlocks) and there are enough points to
// keep every thread busy (each point's summary, files and checksum are serial work that
// would idle the other threads); else one at a time with every thread. A stop leaves
// unfinished points unwritten and throws Interrupted; any other failure is rethrown.
void run_points(const sim::Model& model, const Design& design, const SweepOptions& o,
                const std::string& dir, const PointPlan& plan, size_t resumed) {
  std::vector<int32_t> rows;
  for (const auto& name : design.names) rows.push_back(model.find_parameter(name)->row);
  const int64_t blocks = (o.replicates + expr::kLanes - 1) / expr::kLanes;
  constexpr int64_t kSideBySideBlocks = 64;  // 16,384 replicates
  const bool side_by_side =
      blocks < 2 * o.threads ||
      (blocks <= kSideBySideBlocks &&
       design.points.size() >= 4 * static_cast<size_t>(std::max(o.threads, 1)));
  const int point_workers = side_by_side ? o.threads : 1;
  const int threads_per_point = side_by_side ? 1 : o.threads;

  std::atomic<size_t> next{0};
  std::atomic<size_t> done{resumed};
  std::mutex mu;
  std::exception_ptr fatal;
  auto worker = [&] {
    for (;;) {
      if (o.stop && o.stop->load()) return;
      size_t p = next.fetch_add(1);
      if (p >= design.points.size()) return;
      if (!plan.todo[p]) continue;
      try {
        run_point(model, design, o, dir, rows, p, threads_per_point);
        size_t d = ++done;
        if (o.progress) {
          std::lock_guard<std::mutex> lock(mu);
          std::fprintf(stderr, "\rsweep: %zu/%zu points", d, design.points.size());
          std::fflush(stderr);
        }
      } catch (const Interrupted&) {
        return;  // the point is not written; --resume will run it
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu);
        if (!fatal) fatal = std::current_exception();
        next = design.points.size();
        return;
      }
    }
  };
  std::vector<std::thread> pool;
  for (int w = 1; w < point_workers; ++w) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (o.progress) std::fprintf(stderr, "\r%40s\r", "");
  if (fatal) std::rethrow_exception(fatal);
  if (o.stop && o.stop->load() && done.load() < plan.mine)
    throw Interrupted(std::to_string(done.load()) + " of " + std::to_string(plan.mine) +
                      " points finished and are kept in " + dir +
                      "; run the same command with --resume to continue");
}

// Point p's rows of sweep.csv, parsed (with the header, for its column names).
io::CsvTable point_table(const Design& design, const SweepOptions& o, const std::string& dir,
                         size_t p, const std::string& part) {
  return io::parse_csv(io::csv_line(sweep_header(design, o.posterior != nullptr)) + "\n" + part,
                       point_path(dir, p, ".csv"));
}

// A shard keeps its points in .sweep for geosim merge; counts its failed points.
void count_shard_failures(const Design& design, const SweepOptions& o, const std::string& dir,
                          SweepResult& result, size_t mine) {
  result.points = mine;
  for (size_t p = 0; p < design.points.size(); ++p) {
    if (!in_shard(p, o.shard_index, o.shard_count)) continue;
    io::CsvTable t = point_table(design, o, dir, p, read_point(dir, p, ".csv"));
    const int c_status = t.column("status");
    if (!t.rows.empty() && t.rows[0][static_cast<size_t>(c_status)] != "ok") ++result.failed;
  }
}

// (outcome, statistic) -> value per point, for the statistics sensitivity works on.
using Series = std::map<std::pair<std::string, std::string>, std::vector<double>>;

// sweep.csv from the point files in point order; collects the series and counts failures.
std::string assemble_sweep_csv(const Design& design, const SweepOptions& o, const std::string& dir,
                               Series& series, SweepResult& result) {
  std::string sweep_text = io::csv_line(sweep_header(design, o.posterior != nullptr)) + "\n";
  for (size_t p = 0; p < design.points.size(); ++p) {
    std::string part = read_point(dir, p, ".csv");
    sweep_text += part;
    io::CsvTable t = point_table(design, o, dir, p, part);
    const int c_outcome = t.column("outcome"), c_stat = t.column("statistic"),
              c_value = t.column("value"), c_status = t.column("status");
    for (const auto& row : t.rows) {
      if (row[static_cast<size_t>(c_status)] != "ok") {
        ++result.failed;
        continue;
      }
      const std::string& stat = row[static_cast<size_t>(c_stat)];
      if (!is_sensitivity_statistic(stat)) continue;
      auto& v = series[{row[static_cast<size_t>(c_outcome)], stat}];
      v.resize(design.points.size(), NAN);
      if (auto x = io::try_parse_double(row[static_cast<size_t>(c_value)])) v[p] = *x;
    }
  }
  return sweep_text;
}

// sensitivity.csv (sobol, morris); a series with a point without a value gets no indices
// and a note.
std::string sensitivity_csv(const sim::Model& model, const Design& design, const SweepOptions& o,
                            Series& series, SweepResult& result) {
  std::string sens = io::csv_line(sensitivity_header()) + "\n";
  for (const auto& [name, stat] : sensitivity_series(model, series, design.points.size())) {
    const auto& v = series[{name, stat}];
    bool complete = v.size() == design.points.size();
    for (double x : v) complete = complete && std::isfinite(x);
    if (!complete) {
      result.notes.push_back("no sensitivity indices for '" + name + "' " + stat +
                             ": some points have no value");
      continue;
    }
    BootstrapOptions bo;
    bo.seed = o.seed;
    for (auto r : sensitivity_indices(design, v, name, bo)) {
      r.statistic = stat;
      sens += io::csv_line(sensitivity_fields(r)) + "\n";
    }
  }
  return sens;
}

// runs.csv and trajectories.csv, streamed from the point files into the publication.
void stage_runs(outdir::Publication& pub, const sim::Model& model, const Design& design,
                const std::string& dir) {
  io::AtomicFile& runs = pub.add("runs.csv");
  std::vector<std::string> h = {"point", "replicate"};
  for (const auto& om : model.outcomes) h.push_back(om.name);
  for (const auto& d : model.init_draws) h.push_back("init:" + d.name);
  runs.out() << io::csv_line(h) << '\n';
  for (size_t p = 0; p < design.points.size(); ++p) runs.out() << read_point(dir, p, ".runs.csv");
}
void stage_trajectories(outdir::Publication& pub, const Design& design, const std::string& dir) {
  io::AtomicFile& traj = pub.add("trajectories.csv");
  std::vector<std::string> h = {"point"};
  h.insert(h.end(), trajectory_header().begin(), trajectory_header().end());
  traj.out() << io::csv_line(h) << '\n';
  for (size_t p = 0; p < design.points.size(); ++p) traj.out() << read_point(dir, p, ".traj.csv");
}

// manifest.json's "sweep" member: how the design was asked for and how the points went.
void write_sweep_manifest(io::JsonWriter& w, const Design& design, const SweepOptions& o,
                          const SweepResult& result) {
  w.key("sweep").begin_object();
  w.member("design", std::string(design_name(design.kind)));
  w.member("samples", static_cast<int64_t>(o.samples));
  if (design.kind == DesignKind::kMorris)
    w.member("levels", static_cast<int64_t>(design.morris_levels));
  if (design.sobol_second_order) w.member("second_order", true);
  if (o.per_point_trajectories) w.member("per_point_trajectories", true);
  if (!o.given.empty()) w.member("given", o.given);
  w.key("vary").begin_array();
  for (const auto& v : o.vary_texts) {
    size_t eq = v.find('=');
    w.begin_object();
    w.member("name", v.substr(0, eq));
    w.member("spec", eq == std::string::npos ? std::string() : v.substr(eq + 1));
    w.end_object();
  }
  w.end_array();
  if (!o.points_file.empty()) w.member("points_file", o.points_file);
  w.member("points", static_cast<int64_t>(design.points.size()));
  w.member("failed_points", static_cast<int64_t>(result.failed));
  w.member("resumed_points", static_cast<int64_t>(o.merged_shards.empty() ? result.resumed : 0));
  if (!o.merged_shards.empty()) {
    w.key("shards").begin_array();
    for (const auto& [shard_dir, index] : o.merged_shards) {
      w.begin_object();
      w.member("dir", shard_dir);
      w.member("shard", index);
      w.end_object();
    }
    w.end_array();
  }
  w.end_object();
}

// Assembles the result files from the point files and publishes them together,
// manifest last.
void publish_sweep(const sim::Model& model, const Design& design, const SweepOptions& o,
                   const std::string& dir, ManifestInfo info,
                   std::chrono::steady_clock::time_point t0, SweepResult& result) {
  Series series;
  const std::string sweep_text = assemble_sweep_csv(design, o, dir, series, result);
  outdir::Publication pub(o.out);
  pub.write("sweep.csv", sweep_text);
  if (design.kind == DesignKind::kSobol || design.kind == DesignKind::kMorris)
    pub.write("sensitivity.csv", sensitivity_csv(model, design, o, series, result));
  if (o.per_run) stage_runs(pub, model, design, dir);
  if (o.per_point_trajectories) stage_trajectories(pub, design, dir);
  info.extra = [&](io::JsonWriter& w) { write_sweep_manifest(w, design, o, result); };
  ScenarioRun sr;
  sr.model = &model;
  sr.uniforms = model.uniforms;
  sr.posterior = o.posterior;
  sr.seed = o.seed;
  sr.replicates = o.replicates;
  sr.ok = true;
  info.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::string manifest = manifest_text(info, {sr}, pub);
  pub.write("manifest.json", manifest);
  pub.publish(outdir::result_names());
}

}  // namespace

SweepResult run_sweep(const sim::Model& model, const Design& design, const SweepOptions& o,
                      ManifestInfo info) {
  const auto t0 = std::chrono::steady_clock::now();
  check_design(model, design);
  // Under MPI, rank 0 prepares the working folder (on a file system all ranks share),
  // every rank runs the points p with p % ranks == rank, and rank 0 assembles.
  const std::string dir = o.out + "/.sweep";
  SweepResult result;
  result.points = design.points.size();
  result.key = sweep_key(model, design, o);
  prepare_work_folder(dir, result.key, o);
  const PointPlan plan = plan_points(design, o, dir, result);
  run_points(model, design, o, dir, plan, result.resumed);
  dist::barrier();
  if (dist::rank() != 0) return result;
  if (o.sharded) {
    count_shard_failures(design, o, dir, result, plan.mine);
    return result;
  }
  publish_sweep(model, design, o, dir, std::move(info), t0, result);
  std::error_code ec;
  fs::remove_all(dir, ec);
  return result;
}

}  // namespace geosim::experiment
