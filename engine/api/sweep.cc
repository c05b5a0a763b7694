// geosim::api::sweep, and the steps `geosim sweep` shares with it (api/internal.h).
#include "experiment/sweep.h"

#include <cstdlib>
#include <filesystem>

#include "api/batch.h"
#include "api/internal.h"
#include "dist/dist.h"
#include "experiment/design.h"
#include "experiment/vary.h"
#include "io/csv.h"
#include "io/number.h"
#include "io/read_file.h"
#include "outdir/outdir.h"
#include "report/report.h"

namespace geosim::api {

namespace fs = std::filesystem;

namespace detail {
namespace {

const SourceLoc kSweepWhere{"geosim sweep"};

// The design the options ask for: --points, or --vary specs laid out by --design.
experiment::Design make_design(const SweepOptions& o, uint64_t seed) {
  const std::string design_text = o.design.empty() ? "grid" : o.design;
  experiment::DesignOptions dopt;
  dopt.samples = static_cast<size_t>(o.samples);
  dopt.levels = o.levels;
  dopt.seed = seed;
  dopt.second_order = o.second_order;
  if (o.second_order && (design_text != "sobol" || !o.points.empty()))
    throw UserError(SourceLoc{"--second-order"},
                    "second-order indices need the Saltelli points of --design sobol");
  if (!o.points.empty()) {
    if (!o.design.empty())
      throw UserError(kSweepWhere,
                      "--design does not apply with --points (the file is the design)");
    return experiment::points_design(o.points);
  }
  experiment::DesignKind kind = experiment::parse_design_kind(design_text);
  std::vector<experiment::VarySpec> specs;
  for (const auto& v : o.vary) specs.push_back(experiment::parse_vary(v));
  return kind == experiment::DesignKind::kGrid ? experiment::grid_design(specs)
                                               : experiment::build_design(kind, specs, dopt);
}

// A parameter another option fixes cannot also be varied: the sweep sets it at every point.
void refuse_fixed_and_varied(const SweepCall& call, const experiment::Design& design) {
  for (size_t i = 0; i < call.fixed.size(); ++i) {
    const auto& [name, where] = call.fixed[i];
    const bool located = i < call.fixed_locs.size();
    for (const auto& varied : design.names)
      if (name == varied)
        throw UserError(located ? call.fixed_locs[i] : SourceLoc{where},
                        (located ? where + ": '" : "'") + name +
                            "' is also varied by the sweep, which sets it at every point; "
                            "expected " +
                            call.fixed_by + " only for parameters the sweep does not vary");
  }
}

// `geosim sweep FILE ...` with the options that give this sweep's numbers.
std::vector<std::string> equivalent_sweep_command(const SweepCall& call, const SweepOptions& o,
                                                  uint64_t seed, int64_t replicates) {
  std::vector<std::string> c = {"geosim", "sweep", call.path};
  for (const auto& v : o.vary) c.insert(c.end(), {"--vary", v});
  if (!o.points.empty()) c.insert(c.end(), {"--points", o.points});
  if (!o.design.empty()) c.insert(c.end(), {"--design", o.design});
  if (o.samples) c.insert(c.end(), {"--samples", std::to_string(o.samples)});
  if (o.levels) c.insert(c.end(), {"--levels", std::to_string(o.levels)});
  if (o.second_order) c.push_back("--second-order");
  for (const auto& [name, where] : call.fixed)
    if (where.starts_with("override ")) c.insert(c.end(), {"--set", where.substr(9)});
  c.insert(c.end(), {"--seed", std::to_string(seed), "--replicates", std::to_string(replicates)});
  if (!o.given.empty()) c.insert(c.end(), {"--given", o.given});
  if (!o.posterior.empty()) c.insert(c.end(), {"--posterior", o.posterior});
  if (o.per_run) c.push_back("--per-run");
  if (o.per_point_trajectories) c.push_back("--per-point-trajectories");
  return c;
}

std::optional<double> number(const std::string& field) {
  if (field.empty()) return std::nullopt;
  return io::try_parse_double(field);
}
int64_t whole(const std::string& field) {
  if (field.empty()) return 0;
  return static_cast<int64_t>(io::try_parse_double(field).value_or(0));
}

std::string read_result_file(const std::string& dir, const char* name) {
  return io::read_file(dir + "/" + name, UINT64_MAX);
}

// SweepResult's tables, parsed from the files' text (so they hold what the files hold).
void fill_sweep_rows(SweepResult& res, const SweepState& st) {
  const io::CsvTable t = io::parse_csv(st.sweep_csv, "sweep.csv");
  const size_t k = res.parameters.size();
  const int c_post = t.column("posterior");
  for (const auto& f : t.rows) {
    SweepRow row;
    row.point = whole(f[0]);
    for (size_t j = 0; j < k; ++j) row.parameters.push_back(number(f[1 + j]).value_or(0));
    const size_t b = 1 + k;
    row.summary = SummaryRow{f[b],
                             f[b + 1],
                             f[b + 2],
                             number(f[b + 3]),
                             number(f[b + 4]),
                             number(f[b + 5]),
                             whole(f[b + 6]),
                             ""};
    row.status = f[b + 7];
    row.error = f[b + 8];
    if (c_post >= 0) row.summary.posterior = f[static_cast<size_t>(c_post)];
    res.summary.push_back(std::move(row));
  }
  if (st.sensitivity)
    for (const auto& f : io::parse_csv(st.sensitivity_csv, "sensitivity.csv").rows)
      res.sensitivity.push_back(
          SensitivityRow{f[0], f[1], f[2], number(f[3]), number(f[4]), number(f[5]), f[6]});
  if (st.per_point_trajectories)
    for (const auto& f : io::parse_csv(st.trajectories_csv, "trajectories.csv").rows)
      res.trajectories.push_back(SweepTrajectoryRow{
          whole(f[0]), TrajectoryRow{f[1], f[2], whole(f[3]), number(f[4]), number(f[5]),
                                     number(f[6]), number(f[7]), number(f[8]), number(f[9])}});
}

void fill_sweep_runs(SweepResult& res, const SweepState& st, const sim::Model& model) {
  for (const auto& o : model.outcomes) res.runs_outcomes.push_back(o.name);
  for (const auto& d : model.init_draws) res.runs_inputs.push_back("init:" + d.name);
  for (const auto& f : io::parse_csv(st.runs_csv, "runs.csv").rows) {
    SweepRunRow row;
    row.point = whole(f[0]);
    row.run.scenario = model.id;
    row.run.replicate = static_cast<uint64_t>(whole(f[1]));
    for (size_t k = 0; k < model.outcomes.size(); ++k) {
      const std::string& x = f[2 + k];
      const auto& om = model.outcomes[k];
      if (x.empty()) {
        row.run.outcomes.push_back(std::nullopt);
      } else if (om.kind == OutcomeKind::kCases) {
        const auto it = std::find(om.labels.begin(), om.labels.end(), x);
        row.run.outcomes.push_back(static_cast<double>(it - om.labels.begin()));
      } else {
        row.run.outcomes.push_back(number(x));
      }
    }
    for (size_t k = 0; k < model.init_draws.size(); ++k)
      row.run.inputs.push_back(number(f[2 + model.outcomes.size() + k]).value_or(0));
    res.runs.push_back(std::move(row));
  }
}

// Reads the result folder the sweep wrote into the state and the typed tables.
void read_sweep_folder(const std::string& dir, const experiment::Design& design,
                       const SweepOptions& o, const sim::Model& model, SweepResult& res) {
  auto st = std::make_shared<SweepState>();
  st->sweep_csv = read_result_file(dir, "sweep.csv");
  st->sensitivity = design.kind == experiment::DesignKind::kSobol ||
                    design.kind == experiment::DesignKind::kMorris;
  if (st->sensitivity) st->sensitivity_csv = read_result_file(dir, "sensitivity.csv");
  st->per_run = o.per_run;
  if (o.per_run) st->runs_csv = read_result_file(dir, "runs.csv");
  st->per_point_trajectories = o.per_point_trajectories;
  if (o.per_point_trajectories) st->trajectories_csv = read_result_file(dir, "trajectories.csv");
  st->manifest = read_result_file(dir, "manifest.json");
  fill_sweep_rows(res, *st);
  if (o.per_run) fill_sweep_runs(res, *st, model);
  res.state = std::move(st);
}

}  // namespace

TemporaryFolder::TemporaryFolder() {
  path_ = (fs::temp_directory_path() / "geosim-api-XXXXXX").string();
  if (!mkdtemp(path_.data())) throw UserError(SourceLoc{path_}, "cannot create a temporary folder");
}
TemporaryFolder::~TemporaryFolder() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void check_sweep_options(const SweepOptions& o) {
  if (o.vary.empty() && o.points.empty())
    throw UserError(kSweepWhere, "nothing to vary; give --vary NAME=SPEC or --points FILE.csv");
  if (!o.vary.empty() && !o.points.empty())
    throw UserError(kSweepWhere, "give either --vary or --points, not both");
  if (o.samples < 0 || o.samples > 1000000)
    throw UserError(SourceLoc{"--samples " + std::to_string(o.samples)},
                    "out of range; expected 0 (the design's default) to 1000000");
  if ((o.design.empty() || o.design == "grid") && o.points.empty() &&
      (o.samples != 0 || o.levels != 0))
    throw UserError(kSweepWhere, std::string(o.samples ? "--samples" : "--levels") +
                                     " does not apply to a grid (its points are the --vary "
                                     "values); expected --design lhs, sobol or morris");
}

SweepResult sweep_model(SweepCall& call, const SweepOptions& o) {
  check_sweep_options(o);
  const sim::Model& model = *call.model;
  const uint64_t seed = o.seed.value_or(model.default_seed);
  const int64_t replicates = o.replicates.value_or(model.default_replicates);
  const experiment::Design design = make_design(o, seed);
  refuse_fixed_and_varied(call, design);
  experiment::check_design(model,
                           design);  // before the folder is claimed: a refusal writes nothing
  std::vector<std::pair<std::string, std::string>> taken = call.fixed;
  for (const auto& name : design.names)
    taken.emplace_back(name, o.points.empty() ? "--vary " + name : "--points " + o.points);
  const PosteriorUse post =
      load_posterior(o.posterior, std::vector<const sim::Model*>{&model}, taken);

  // One process owns the folder, and what the sweep replaces is geosim's (outdir/outdir.h);
  // without SweepOptions::out, a private temporary folder.
  std::unique_ptr<TemporaryFolder> temporary;
  outdir::FolderLock lock;
  if (o.out.empty())
    temporary = std::make_unique<TemporaryFolder>();
  else
    lock = claim_out_dir(o.out, outdir::Kind::kSweep, o.overwrite, !call.sharded, "geosim sweep");
  const std::string out = temporary ? temporary->path() : o.out;

  experiment::SweepOptions so;
  so.replicates = replicates;
  so.seed = seed;
  so.threads = thread_count(o.threads);
  so.out = out;
  so.resume = o.resume;
  so.per_run = o.per_run;
  so.posterior = post.at(0);
  so.per_point_trajectories = o.per_point_trajectories;
  so.given = o.given;
  so.progress = o.progress;
  so.stop = o.stop;
  so.vary_texts = o.vary;
  so.points_file = o.points;
  so.samples = static_cast<size_t>(o.samples);
  so.levels = o.levels;
  so.sharded = call.sharded;
  so.shard_index = call.shard_index;
  so.shard_count = call.shard_count;
  so.merged_shards = call.merged_shards;
  experiment::ManifestInfo info;
  info.command = call.command;
  info.command_line = call.command_line.empty()
                          ? equivalent_sweep_command(call, o, seed, replicates)
                          : call.command_line;
  info.start_time = experiment::utc_now_iso8601();
  info.threads = so.threads;
  info.ranks = dist::size();
  try {
    call.ran = experiment::run_sweep(model, design, so, info);
  } catch (const Interrupted& e) {
    if (!temporary) throw;
    throw Interrupted(
        "the sweep was stopped; its finished points were discarded (set SweepOptions::out to "
        "keep them and resume)");
  }
  call.design_points = design.points.size();

  SweepResult res;
  res.scenario = model.id;
  res.seed = seed;
  res.replicates = replicates;
  res.design = o.points.empty() ? experiment::design_name(design.kind) : "points";
  res.parameters = design.names;
  res.points = static_cast<int64_t>(design.points.size());
  res.failed = static_cast<int64_t>(call.ran.failed);
  res.resumed = static_cast<int64_t>(call.ran.resumed);
  res.notes = call.ran.notes;
  if (call.read_result && !call.sharded && dist::rank() == 0)
    read_sweep_folder(out, design, o, model, res);
  return res;
}

void write_sweep_folder(const SweepState& st, const std::string& dir, bool overwrite) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw UserError(SourceLoc{dir}, "names a file, not a folder; expected a folder");
  fs::create_directories(dir, ec);
  if (ec) throw UserError(SourceLoc{dir}, "cannot create the output folder: " + ec.message());
  outdir::FolderLock lock = outdir::lock_for_writing(dir, "geosim sweep");
  outdir::check_may_replace_results(dir, outdir::Kind::kSweep, overwrite, "geosim sweep");
  outdir::Publication pub(dir);
  pub.write("sweep.csv", st.sweep_csv);
  if (st.sensitivity) pub.write("sensitivity.csv", st.sensitivity_csv);
  if (st.per_run) pub.write("runs.csv", st.runs_csv);
  if (st.per_point_trajectories) pub.write("trajectories.csv", st.trajectories_csv);
  pub.finish();
  pub.write("manifest.json", st.manifest);
  pub.publish(outdir::result_names());
}

}  // namespace detail

SweepResult sweep(const Scenario& scenario, const SweepOptions& options) {
  RunOptions ro;
  ro.replicates = options.replicates;
  ro.threads = options.threads;
  check_run_options(ro);
  const detail::Loaded& loaded = detail::Access::loaded(scenario);
  // The scenario's parameter values, in a model compiled with `given` when there is one.
  sim::Model model = options.given.empty() ? loaded.model : compile(loaded.spec, options.given);
  model.uniforms = detail::Access::uniforms(scenario, model);
  detail::SweepCall call;
  call.model = &model;
  call.path = scenario.path();
  detail::fix_overrides(call, scenario);
  return detail::sweep_model(call, options);
}

namespace {
const detail::SweepState& sweep_state(const SweepResult& r) {
  return detail::state_or_refuse(r, "SweepResult", "sweep", "sweep");
}
}  // namespace

std::string SweepResult::sweep_csv() const { return sweep_state(*this).sweep_csv; }
std::string SweepResult::sensitivity_csv() const { return sweep_state(*this).sensitivity_csv; }
std::string SweepResult::trajectories_csv() const { return sweep_state(*this).trajectories_csv; }
std::string SweepResult::runs_csv() const { return sweep_state(*this).runs_csv; }
std::string SweepResult::manifest_json() const { return sweep_state(*this).manifest; }

void SweepResult::write_result_folder(const std::string& dir, bool overwrite, bool report) const {
  detail::write_sweep_folder(sweep_state(*this), dir, overwrite);
  if (report) report::write_report(dir, dir + "/report.html");
}

std::string SweepResult::report_html() const {
  const detail::SweepState& st = sweep_state(*this);
  detail::TemporaryFolder tmp;
  detail::write_sweep_folder(st, tmp.path(), false);
  return report::render_report(tmp.path());
}

}  // namespace geosim::api
