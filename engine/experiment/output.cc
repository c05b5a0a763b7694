#include "experiment/output.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <sstream>

#include "experiment/storylines.h"
#include "io/atomic_file.h"
#include "io/csv.h"
#include "io/json.h"
#include "io/number.h"
#include "io/sha256.h"
#include "outdir/outdir.h"

namespace geosim::experiment {

std::string utc_now_iso8601() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void write_posterior_json(io::JsonWriter& w, const posterior::Binding& b) {
  const posterior::Posterior& p = b.posterior();
  w.key("posterior").begin_object();
  w.member("path", p.path);
  w.member("sha256", p.sha256);
  w.member("draws", static_cast<int64_t>(p.draws()));
  w.member("effective_draws", p.effective_draws());
  w.member("weighted", p.weighted);
  w.key("parameters").begin_array();
  for (const auto& n : b.parameters()) w.value(n);
  w.end_array();
  w.end_object();
}

void write_scenario_json(io::JsonWriter& w, const sim::Model& m,
                         const std::vector<double>& uniforms, uint64_t seed, int64_t replicates,
                         const posterior::Binding* posterior) {
  w.begin_object();
  w.member("id", m.id);
  w.member("title", m.title);
  w.member("description", m.description);
  w.member("step_label", m.step_label);
  w.member("steps", m.steps);
  w.member("seed", seed);
  w.member("replicates", replicates);
  w.key("sources").begin_array();
  for (const auto& s : m.sources) w.value(s);
  w.end_array();
  w.member("file", m.path);
  w.key("files").begin_array();
  for (const auto& f : m.files) {
    w.begin_object();
    w.member("path", f);
    w.member("sha256", io::sha256_file(f));
    w.end_object();
  }
  w.end_array();
  w.key("parameters").begin_array();
  for (const auto& p : m.parameters) {
    w.begin_object();
    w.member("name", p.name);
    w.member("value", uniforms[static_cast<size_t>(p.row - m.uniform_base)]);
    w.key("min");
    p.min ? w.value(*p.min) : w.null();
    w.key("max");
    p.max ? w.value(*p.max) : w.null();
    w.member("doc", p.doc);
    if (posterior) {
      const auto& taken = posterior->parameters();
      w.member("from_posterior", std::find(taken.begin(), taken.end(), p.name) != taken.end());
    }
    w.end_object();
  }
  w.end_array();
  if (posterior) write_posterior_json(w, *posterior);
  w.key("outcomes").begin_array();
  for (const auto& o : m.outcomes) {
    w.begin_object();
    w.member("name", o.name);
    w.member("kind", std::string(outcome_kind_name(o.kind)));
    if (o.kind == OutcomeKind::kCases) {
      w.key("labels").begin_array();
      for (const auto& l : o.labels) w.value(l);
      w.end_array();
    }
    w.end_object();
  }
  w.end_array();
  w.key("track").begin_array();
  for (const auto& t : m.track) w.value(t.name);
  w.end_array();
  w.end_object();
}

void write_outputs_json(io::JsonWriter& w, outdir::Publication& pub) {
  w.key("outputs").begin_array();
  for (const auto& o : pub.finish()) {
    w.begin_object();
    w.member("path", o.name);
    w.member("sha256", o.sha256);
    w.member("bytes", static_cast<int64_t>(o.size));
    w.end_object();
  }
  w.end_array();
}

std::string manifest_text(const ManifestInfo& info, const std::vector<ScenarioRun>& runs,
                          outdir::Publication& pub) {
  io::JsonWriter w;
  w.begin_object();
  w.member("program", std::string("geosim"));
  w.member("version", std::string(GEOSIM_VERSION));
  w.member("command", info.command);
  w.key("command_line").begin_array();
  for (const auto& a : info.command_line) w.value(a);
  w.end_array();
  w.member("start_time", info.start_time);
  w.member("wall_seconds", info.wall_seconds);
  w.member("threads", static_cast<int64_t>(info.threads));
  w.member("ranks", static_cast<int64_t>(info.ranks));
  w.key("scenarios").begin_array();
  for (const auto& r : runs)
    write_scenario_json(w, *r.model, r.uniforms, r.seed, r.replicates, r.posterior);
  w.end_array();
  w.key("failures").begin_array();
  for (const auto& r : runs)
    if (!r.ok) {
      w.begin_object();
      w.member("scenario", r.model->id);
      w.member("error", r.error);
      w.end_object();
    }
  w.end_array();
  if (info.extra) info.extra(w);
  write_outputs_json(w, pub);
  w.end_object();
  return w.str() + "\n";
}

std::string summary_text(const std::vector<ScenarioRun>& runs) {
  std::ostringstream out;
  io::CsvWriter csv(out);
  bool any_posterior = false;
  for (const auto& r : runs) any_posterior |= r.ok && r.posterior;
  std::vector<std::string> header = summary_header();
  if (any_posterior) header.push_back("posterior");
  csv.row(header);
  for (const auto& r : runs)
    if (r.ok)
      for (const auto& row : summary_rows(*r.model, r.stats)) {
        std::vector<std::string> f = summary_fields(row);
        if (any_posterior) f.push_back(r.posterior ? r.posterior->posterior().sha256 : "");
        csv.row(f);
      }
  return out.str();
}

std::string trajectories_text(const std::vector<ScenarioRun>& runs) {
  std::ostringstream out;
  io::CsvWriter csv(out);
  csv.row(trajectory_header());
  for (const auto& r : runs)
    if (r.ok)
      for (const auto& row : trajectory_rows(*r.model, r.stats)) csv.row(trajectory_fields(row));
  return out.str();
}

void write_result_folder(const std::string& out, const std::vector<ScenarioRun>& runs,
                         const ManifestInfo& info,
                         const std::vector<std::pair<std::string, int>>* runs_sources) {
  outdir::Publication pub(out);
  pub.write("summary.csv", summary_text(runs));
  pub.write("trajectories.csv", trajectories_text(runs));
  if (has_storylines(runs)) pub.write("storylines.csv", storylines_text(runs));
  std::vector<const sim::Model*> models;
  for (const auto& r : runs) models.push_back(r.model);
  if (runs_sources) {
    std::vector<bool> ok;
    for (const auto& r : runs) ok.push_back(r.ok);
    RunsWriter::join(pub, models, *runs_sources, ok);
  }
  const std::string manifest = manifest_text(info, runs, pub);
  pub.write("manifest.json", manifest);
  pub.publish(outdir::result_names());
  if (runs_sources)
    for (size_t s = 0; s < models.size(); ++s)
      for (const auto& [dir, tag] : *runs_sources)
        if (dir == out) std::remove(RunsWriter::part_path(dir, s, tag).c_str());
}

std::vector<std::string> runs_columns(const std::vector<const sim::Model*>& models) {
  std::vector<std::string> columns = {"scenario", "replicate"};
  for (const sim::Model* m : models)
    for (const auto& o : m->outcomes)
      if (std::find(columns.begin() + 2, columns.end(), o.name) == columns.end())
        columns.push_back(o.name);
  // The uncertain inputs each replicate drew (candidate inputs for geosim discover).
  for (const sim::Model* m : models)
    for (const auto& d : m->init_draws)
      if (std::find(columns.begin() + 2, columns.end(), "init:" + d.name) == columns.end())
        columns.push_back("init:" + d.name);
  return columns;
}

std::string RunsWriter::part_path(const std::string& dir, size_t scenario, int tag) {
  return dir + "/.runs-" + std::to_string(scenario) + "-" + std::to_string(tag) + ".part";
}

RunsWriter::RunsWriter(std::string dir, const std::vector<const sim::Model*>& models, int tag)
    : dir_(std::move(dir)), models_(models), tag_(tag), columns_(runs_columns(models)) {}

RunsWriter::~RunsWriter() {
  if (current_) {
    current_.reset();
    std::remove(current_path_.c_str());
  }
  if (!keep_)
    for (const auto& p : written_) std::remove(p.second.c_str());
}

void RunsWriter::begin_scenario(size_t scenario_index) {
  model_ = models_[scenario_index];
  column_of_outcome_.clear();
  for (const auto& o : model_->outcomes)
    column_of_outcome_.push_back(
        static_cast<int>(std::find(columns_.begin(), columns_.end(), o.name) - columns_.begin()));
  column_of_input_.clear();
  for (const auto& d : model_->init_draws)
    column_of_input_.push_back(static_cast<int>(
        std::find(columns_.begin(), columns_.end(), "init:" + d.name) - columns_.begin()));
  current_scenario_ = scenario_index;
  current_path_ = part_path(dir_, scenario_index, tag_);
  current_ = std::make_unique<std::ofstream>(current_path_, std::ios::binary | std::ios::trunc);
  if (!*current_)
    throw UserError(SourceLoc{current_path_}, std::string("cannot write: ") + std::strerror(errno));
}

void RunsWriter::add(const BlockRows& rows) {
  std::vector<std::string> fields(columns_.size());
  for (int i = 0; i < rows.n; ++i) {
    for (auto& f : fields) f.clear();
    fields[0] = model_->id;
    fields[1] = std::to_string(rows.first_replicate + static_cast<uint64_t>(i));
    for (size_t k = 0; k < column_of_outcome_.size(); ++k) {
      if (!rows.present[k][static_cast<size_t>(i)]) continue;
      double v = rows.values[k][static_cast<size_t>(i)];
      const sim::OutcomeModel& om = model_->outcomes[k];
      fields[static_cast<size_t>(column_of_outcome_[k])] =
          om.kind == OutcomeKind::kCases ? om.labels[static_cast<size_t>(v)] : io::format_double(v);
    }
    for (size_t k = 0; k < column_of_input_.size() && k < rows.inputs.size(); ++k)
      fields[static_cast<size_t>(column_of_input_[k])] =
          io::format_double(rows.inputs[k][static_cast<size_t>(i)]);
    line_ = io::csv_line(fields);
    line_ += '\n';
    current_->write(line_.data(), static_cast<std::streamsize>(line_.size()));
  }
}

void RunsWriter::end_scenario(bool ok) {
  current_->flush();
  bool good = static_cast<bool>(*current_);
  current_.reset();
  if (ok && good) {
    written_.emplace_back(current_scenario_, current_path_);
  } else {
    std::remove(current_path_.c_str());
    if (ok) throw UserError(SourceLoc{current_path_}, "write failed (disk full?)");
  }
}

void RunsWriter::join(outdir::Publication& pub, const std::vector<const sim::Model*>& models,
                      const std::vector<std::pair<std::string, int>>& sources,
                      const std::vector<bool>& ok) {
  io::AtomicFile& out = pub.add("runs.csv");
  out.out() << io::csv_line(runs_columns(models)) << '\n';
  for (size_t s = 0; s < models.size(); ++s) {
    if (!ok[s]) continue;
    for (const auto& [dir, tag] : sources) {
      std::ifstream in(part_path(dir, s, tag), std::ios::binary);
      if (!in)
        throw UserError(SourceLoc{part_path(dir, s, tag)},
                        "missing per-run part; expected it from the shard or rank that ran it");
      if (in.peek() != std::ifstream::traits_type::eof()) out.out() << in.rdbuf();
    }
  }
}

std::string encode_partial(const ScenarioRun& run) {
  std::string out;
  out.push_back(run.ok ? 1 : 0);
  uint64_t n = run.error.size();
  out.append(reinterpret_cast<const char*>(&n), sizeof n);
  out += run.error;
  run.stats.serialize(out);
  return out;
}

void decode_partial(std::string_view bytes, ScenarioRun& into) {
  GEOSIM_ASSERT(bytes.size() >= 9, "truncated partial result");
  into.ok = bytes[0] != 0;
  uint64_t n;
  std::memcpy(&n, bytes.data() + 1, sizeof n);
  bytes.remove_prefix(9);
  GEOSIM_ASSERT(bytes.size() >= n, "truncated partial result");
  into.error = std::string(bytes.substr(0, n));
  bytes.remove_prefix(n);
  into.stats = RunStats::deserialize(bytes);
}

void merge_partial(ScenarioRun& into, const ScenarioRun& part) {
  if (into.ok && !part.ok) {
    into.ok = false;
    into.error = part.error;
  }
  if (into.ok) into.stats.merge(part.stats);
}

}  // namespace geosim::experiment
