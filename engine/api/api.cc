#include "geosim/api.h"

#include <chrono>
#include <filesystem>
#include <thread>

#include "api/batch.h"
#include "api/internal.h"
#include "core/text.h"
#include "experiment/output.h"
#include "experiment/summary.h"
#include "io/csv.h"
#include "io/number.h"
#include "io/read_file.h"
#include "outdir/outdir.h"
#include "report/report.h"
#include "scenario/load.h"

namespace geosim::api {

namespace {

// The same error, every diagnostic moved to `loc` and its message prefixed: an override's
// checks (done as --set does) are reported where the scenario declares the parameter.
UserError relocated(const UserError& e, const SourceLoc& loc, const std::string& prefix) {
  std::vector<Diagnostic> d;
  for (const auto& x : e.diagnostics()) d.push_back(Diagnostic{loc, prefix + x.message});
  return UserError(std::move(d));
}

std::string shortest(double v) { return io::format_double(v); }

}  // namespace

// ---- Scenario ----------------------------------------------------------------------

const std::string& Scenario::id() const { return loaded_->model.id; }
const std::string& Scenario::path() const { return loaded_->path; }
const std::string& Scenario::title() const { return loaded_->model.title; }
const std::string& Scenario::description() const { return loaded_->model.description; }
int64_t Scenario::steps() const { return loaded_->model.steps; }
uint64_t Scenario::default_seed() const { return loaded_->model.default_seed; }
int64_t Scenario::default_replicates() const { return loaded_->model.default_replicates; }
const std::vector<Parameter>& Scenario::parameters() const { return parameters_; }
const std::vector<Outcome>& Scenario::outcomes() const { return loaded_->outcomes; }
const std::vector<std::string>& Scenario::files() const { return loaded_->model.files; }
const std::vector<std::pair<std::string, std::string>>& Scenario::overrides() const {
  return overrides_;
}

const Parameter& Scenario::parameter(const std::string& name) const {
  for (const auto& p : parameters_)
    if (p.name == name) return p;
  std::vector<std::string> names;
  for (const auto& p : parameters_) names.push_back(p.name);
  throw UserError(SourceLoc{path()}, "scenario '" + id() + "' declares no parameter '" + name +
                                         "'" + did_you_mean(name, names));
}

void Scenario::apply(const std::string& name, double value, const std::string& text) {
  const Parameter* declared = nullptr;
  for (const auto& p : parameters_)
    if (p.name == name) declared = &p;
  const SourceLoc where = declared ? declared->loc : SourceLoc{path()};
  const std::string prefix = "override " + name + "=" + text + ": ";
  try {
    loaded_->model.check_parameter(name, value, where);
  } catch (const UserError& e) {
    throw relocated(e, where, prefix);
  }
  for (auto& p : parameters_)
    if (p.name == name) p.value = value;
  for (auto it = overrides_.begin(); it != overrides_.end(); ++it)
    if (it->first == name) {
      overrides_.erase(it);
      break;
    }
  overrides_.emplace_back(name, text);
}

void Scenario::set(const std::string& name, const std::string& value) {
  double v;
  try {
    v = parse_set(name + "=" + value).second;
    if (name.empty() || name.find('=') != std::string::npos)
      throw UserError(SourceLoc{}, "expected a parameter name, found '" + name + "'");
  } catch (const UserError& e) {
    const Parameter* declared = nullptr;
    for (const auto& p : parameters_)
      if (p.name == name) declared = &p;
    throw relocated(e, declared ? declared->loc : SourceLoc{path()},
                    "override " + name + "=" + value + ": ");
  }
  apply(name, v, value);
}

void Scenario::set(const std::string& name, double value) { apply(name, value, shortest(value)); }

Scenario Scenario::with(const std::vector<std::pair<std::string, std::string>>& overrides) const {
  Scenario s = *this;
  for (const auto& [n, v] : overrides) s.set(n, v);
  return s;
}

void Scenario::reset() {
  for (auto& p : parameters_) p.value = p.file_value;
  overrides_.clear();
}

Scenario detail::Access::make(std::shared_ptr<const Loaded> loaded) {
  Scenario s;
  for (const auto& p : loaded->model.parameters) {
    Parameter q;
    q.name = p.name;
    q.value = q.file_value = p.value;
    q.min = p.min;
    q.max = p.max;
    q.doc = p.doc;
    for (const auto& ps : loaded->spec.parameters)
      if (ps.name == p.name) {
        q.basis = basis_name(ps.provenance.basis);
        q.basis_from = ps.provenance.from;
        q.loc = ps.loc;
      }
    s.parameters_.push_back(std::move(q));
  }
  s.loaded_ = std::move(loaded);
  return s;
}

std::vector<double> detail::Access::uniforms(const Scenario& s, const sim::Model& model) {
  std::vector<double> u = model.uniforms;
  for (const auto& p : s.parameters_) {
    const sim::ParameterInfo* info = model.find_parameter(p.name);
    GEOSIM_ASSERT(info, "parameter " + p.name + " missing from its own model");
    u[static_cast<size_t>(info->row - model.uniform_base)] = p.value;
  }
  return u;
}

Scenario load(const std::string& path,
              const std::vector<std::pair<std::string, std::string>>& overrides) {
  auto loaded = std::make_shared<detail::Loaded>();
  loaded->path = path;
  loaded->spec = load_scenario_spec(path);
  loaded->model = compile(loaded->spec);
  for (const auto& o : loaded->model.outcomes) {
    Outcome out;
    out.name = o.name;
    out.kind = outcome_kind_name(o.kind);
    out.labels = o.labels;
    out.given = o.given_text;
    loaded->outcomes.push_back(std::move(out));
  }
  Scenario s = detail::Access::make(std::move(loaded));
  for (const auto& [n, v] : overrides) s.set(n, v);
  return s;
}

// ---- run -----------------------------------------------------------------------------

int thread_count(int threads) {
  if (threads > 0) return threads;
  unsigned hc = std::thread::hardware_concurrency();
  return hc == 0 ? 1 : static_cast<int>(hc);
}

void check_run_options(const RunOptions& o) {
  const SourceLoc where{"geosim"};
  if (o.replicates && (*o.replicates < 1 || *o.replicates > 4294967295LL))
    throw UserError(where, "replicates " + std::to_string(*o.replicates) +
                               " is out of range; expected 1 to 4294967295");
  if (o.threads < 0 || o.threads > 1024)
    throw UserError(where, "threads " + std::to_string(o.threads) +
                               " is out of range; expected 0 (all cores) to 1024");
}

std::vector<std::string> equivalent_command(const Scenario& s, const RunOptions& o, uint64_t seed,
                                            int64_t replicates) {
  std::vector<std::string> c = {"geosim",
                                "run",
                                s.path(),
                                "--seed",
                                std::to_string(seed),
                                "--replicates",
                                std::to_string(replicates)};
  for (const auto& [n, v] : s.overrides()) {
    c.push_back("--set");
    c.push_back(n + "=" + v);
  }
  if (!o.given.empty()) c.insert(c.end(), {"--given", o.given});
  if (!o.posterior.empty()) c.insert(c.end(), {"--posterior", o.posterior});
  if (o.per_run) c.push_back("--per-run");
  return c;
}

RunResult detail::result_of(std::shared_ptr<const RunState> st) {
  const sim::Model& m = *st->model;
  const experiment::ScenarioRun& r = st->run;
  RunResult res;
  res.scenario = m.id;
  res.seed = r.seed;
  res.replicates = r.replicates;
  res.wall_seconds = r.wall_seconds;
  const std::string sha = r.posterior ? r.posterior->posterior().sha256 : "";
  for (auto& row : experiment::summary_rows(m, r.stats))
    res.summary.push_back(SummaryRow{row.scenario, row.outcome, row.statistic, row.value,
                                     row.ci_low, row.ci_high, row.replicates, sha});
  for (auto& row : experiment::trajectory_rows(m, r.stats))
    res.trajectories.push_back(TrajectoryRow{row.scenario, row.variable, row.step, row.mean,
                                             row.p05, row.p25, row.p50, row.p75, row.p95});
  if (st->per_run) {
    for (const auto& o2 : m.outcomes) res.runs_outcomes.push_back(o2.name);
    for (const auto& d : m.init_draws) res.runs_inputs.push_back("init:" + d.name);
    res.runs.reserve(static_cast<size_t>(r.replicates));
    for (const auto& b : st->rows)
      for (int i = 0; i < b.n; ++i) {
        RunRow row;
        row.scenario = m.id;
        row.replicate = b.first_replicate + static_cast<uint64_t>(i);
        for (size_t k = 0; k < m.outcomes.size(); ++k)
          row.outcomes.push_back(b.present[k][static_cast<size_t>(i)]
                                     ? std::optional<double>(b.values[k][static_cast<size_t>(i)])
                                     : std::nullopt);
        for (size_t k = 0; k < m.init_draws.size() && k < b.inputs.size(); ++k)
          row.inputs.push_back(b.inputs[k][static_cast<size_t>(i)]);
        res.runs.push_back(std::move(row));
      }
  }
  res.state = std::move(st);
  return res;
}

RunResult run(const Scenario& scenario, const RunOptions& options) {
  check_run_options(options);
  auto st = std::make_shared<detail::RunState>();
  const detail::Loaded& loaded = detail::Access::loaded(scenario);
  st->loaded = detail::Access::shared(scenario);
  if (!options.given.empty()) {
    st->given_model = std::make_unique<sim::Model>(compile(loaded.spec, options.given));
    st->model = st->given_model.get();
  } else {
    st->model = &loaded.model;
  }
  const sim::Model& m = *st->model;
  std::vector<std::pair<std::string, std::string>> taken;
  for (const auto& [n, v] : scenario.overrides()) taken.emplace_back(n, "override " + n + "=" + v);
  st->posterior = load_posterior(options.posterior, std::vector<const sim::Model*>{&m}, taken);

  experiment::ScenarioRun& r = st->run;
  r.model = &m;
  r.uniforms = detail::Access::uniforms(scenario, m);
  r.posterior = st->posterior.at(0);
  r.seed = options.seed.value_or(m.default_seed);
  r.replicates = options.replicates.value_or(m.default_replicates);
  st->per_run = options.per_run;
  st->threads = thread_count(options.threads);
  st->command_line = equivalent_command(scenario, options, r.seed, r.replicates);
  st->start_time = experiment::utc_now_iso8601();

  experiment::RunOptions o;
  o.replicates = r.replicates;
  o.seed = r.seed;
  o.threads = st->threads;
  o.progress = options.progress;
  o.progress_label = m.id;
  o.stop = options.stop;
  o.storylines = true;  // as geosim run: storylines.csv in the result folder
  if (r.posterior) o.per_replicate = &r.posterior->replicate_parameters();
  experiment::RowsCallback cb;
  if (options.per_run) cb = [&](const experiment::BlockRows& rows) { st->rows.push_back(rows); };
  const auto t0 = std::chrono::steady_clock::now();
  r.stats = experiment::run_replicates(m, r.uniforms, o, cb);
  r.ok = true;
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  return detail::result_of(std::move(st));
}

// ---- RunResult -------------------------------------------------------------------------

namespace {
const detail::RunState& state_of(const RunResult& r) {
  return detail::state_or_refuse(r, "RunResult", "run", "run");
}
}  // namespace

std::string RunResult::summary_csv() const {
  return experiment::summary_text({state_of(*this).run});
}

std::string RunResult::trajectories_csv() const {
  return experiment::trajectories_text({state_of(*this).run});
}

std::string RunResult::table() const {
  const auto& st = state_of(*this);
  return experiment::format_table(*st.run.model, st.run.stats, st.run.posterior);
}

std::string RunResult::runs_csv() const {
  const auto& st = state_of(*this);
  if (!st.per_run)
    throw UserError(SourceLoc{"geosim::api"},
                    "runs.csv needs a run with per_run; expected RunOptions::per_run = true");
  return detail::in_temporary_folder(
      st, [](const std::string& dir) { return io::read_file(dir + "/runs.csv", UINT64_MAX); });
}

void RunResult::write_result_folder(const std::string& dir, bool overwrite, bool report) const {
  const auto& st = state_of(*this);
  detail::write_folder(st, dir, overwrite);
  if (report) report::write_report(dir, dir + "/report.html");
}

std::string RunResult::report_html() const {
  return detail::in_temporary_folder(
      state_of(*this), [](const std::string& dir) { return report::render_report(dir); });
}

}  // namespace geosim::api
