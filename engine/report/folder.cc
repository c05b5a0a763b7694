#include "report/folder.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "core/error.h"
#include "io/csv.h"
#include "io/json.h"
#include "io/number.h"
#include "io/read_file.h"

namespace geosim::report {

namespace fs = std::filesystem;

const Estimate* OutcomeStats::find(const std::string& statistic) const {
  auto it = stats.find(statistic);
  return it == stats.end() ? nullptr : &it->second;
}

const ScenarioInfo* ResultFolder::scenario_info(const std::string& id) const {
  if (!manifest) return nullptr;
  for (const auto& s : manifest->scenarios) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

namespace {

// ---- manifest.json -------------------------------------------------------------------

std::string opt_string(const io::JsonValue& obj, std::string_view key) {
  const io::JsonValue* v = obj.find(key);
  return v && !v->is_null() ? v->as_string() : std::string();
}

int64_t opt_int(const io::JsonValue& obj, std::string_view key) {
  const io::JsonValue* v = obj.find(key);
  return v && !v->is_null() ? v->as_int64() : -1;
}

double opt_double(const io::JsonValue& obj, std::string_view key) {
  const io::JsonValue* v = obj.find(key);
  return v && !v->is_null() ? v->as_double() : kMissing;
}

std::vector<std::string> opt_strings(const io::JsonValue& obj, std::string_view key) {
  std::vector<std::string> out;
  const io::JsonValue* v = obj.find(key);
  if (!v || v->is_null()) return out;
  for (const auto& item : v->items()) out.push_back(item.as_string());
  return out;
}

const std::vector<io::JsonValue>& opt_items(const io::JsonValue& obj, std::string_view key) {
  static const std::vector<io::JsonValue> kNone;
  const io::JsonValue* v = obj.find(key);
  return v && !v->is_null() ? v->items() : kNone;
}

ScenarioInfo parse_scenario(const io::JsonValue& s) {
  ScenarioInfo info;
  info.id = s["id"].as_string();
  info.title = opt_string(s, "title");
  info.description = opt_string(s, "description");
  const std::string step_label = opt_string(s, "step_label");
  if (!step_label.empty()) info.step_label = step_label;
  info.file = opt_string(s, "file");
  info.steps = opt_int(s, "steps");
  if (const io::JsonValue* seed = s.find("seed"); seed && !seed->is_null())
    info.seed = seed->number_text();
  info.replicates = opt_int(s, "replicates");
  info.sources = opt_strings(s, "sources");
  info.track = opt_strings(s, "track");
  for (const auto& f : opt_items(s, "files")) {
    info.files.push_back({f["path"].as_string(), opt_string(f, "sha256")});
  }
  for (const auto& p : opt_items(s, "parameters")) {
    ParameterInfo pi;
    pi.name = p["name"].as_string();
    pi.value = opt_double(p, "value");
    pi.min = opt_double(p, "min");
    pi.max = opt_double(p, "max");
    pi.doc = opt_string(p, "doc");
    if (const io::JsonValue* fp = p.find("from_posterior"); fp && !fp->is_null())
      pi.from_posterior = fp->as_bool();
    info.parameters.push_back(std::move(pi));
  }
  if (const io::JsonValue* post = s.find("posterior"); post && !post->is_null()) {
    PosteriorInfo pi;
    pi.path = opt_string(*post, "path");
    pi.sha256 = opt_string(*post, "sha256");
    pi.draws = opt_int(*post, "draws");
    pi.effective_draws = opt_double(*post, "effective_draws");
    pi.parameters = opt_strings(*post, "parameters");
    info.posterior = std::move(pi);
  }
  for (const auto& o : opt_items(s, "outcomes")) {
    OutcomeInfo oi;
    oi.name = o["name"].as_string();
    oi.kind = opt_string(o, "kind");
    oi.labels = opt_strings(o, "labels");
    info.outcomes.push_back(std::move(oi));
  }
  return info;
}

// ---- CSV helpers ---------------------------------------------------------------------

struct Columns {
  const io::CsvTable& t;
  const std::string& cell(size_t row, int col) const {
    return t.rows[row][static_cast<size_t>(col)];
  }
  // A number; an empty cell is NaN when `optional`, else an error.
  double number(size_t row, int col, bool optional) const {
    const std::string& text = cell(row, col);
    if (text.empty() && optional) return kMissing;
    return io::parse_double(text, t.row_loc(row),
                            "a number in column '" + t.header[static_cast<size_t>(col)] + "'");
  }
  Estimate estimate(size_t row, int value, int lo, int hi, bool optional_value) const {
    return Estimate{number(row, value, optional_value), number(row, lo, true),
                    number(row, hi, true)};
  }
};

// Adds one summary-style row to `list` (outcome rows grouped by name, first-seen order).
void add_stat(std::vector<OutcomeStats>& list, const std::string& outcome,
              const std::string& statistic, Estimate e, int64_t replicates) {
  auto it = std::find_if(list.begin(), list.end(),
                         [&](const OutcomeStats& o) { return o.name == outcome; });
  if (it == list.end()) {
    list.push_back(OutcomeStats{outcome, {}, {}, -1});
    it = list.end() - 1;
  }
  if (statistic.rfind("share:", 0) == 0 && !it->stats.count(statistic)) {
    it->share_labels.push_back(statistic.substr(6));
  }
  // An empty value means "no replicate had one" (a {first:} never reached): no statistic.
  if (!std::isnan(e.value)) it->stats[statistic] = e;
  it->replicates = std::max(it->replicates, replicates);
}

ScenarioResult& scenario(ResultFolder& f, const std::string& id) {
  for (auto& s : f.scenarios) {
    if (s.id == id) return s;
  }
  ScenarioResult fresh;
  fresh.id = id;
  f.scenarios.push_back(std::move(fresh));
  return f.scenarios.back();
}

int64_t replicates_cell(const Columns& c, size_t row, int col) {
  const std::string& text = c.cell(row, col);
  if (text.empty()) return -1;
  return io::parse_int64(text, c.t.row_loc(row), "an integer in column 'replicates'");
}

void read_summary(ResultFolder& f, const std::string& path) {
  const io::CsvTable t = io::read_csv(path);
  const Columns c{t};
  const int sc = t.require_column("scenario"), oc = t.require_column("outcome"),
            st = t.require_column("statistic"), va = t.require_column("value"),
            lo = t.require_column("ci_low"), hi = t.require_column("ci_high"),
            re = t.require_column("replicates");
  for (size_t r = 0; r < t.rows.size(); ++r) {
    add_stat(scenario(f, c.cell(r, sc)).outcomes, c.cell(r, oc), c.cell(r, st),
             c.estimate(r, va, lo, hi, true), replicates_cell(c, r, re));
  }
}

void read_trajectories(ResultFolder& f, const std::string& path) {
  const io::CsvTable t = io::read_csv(path);
  const Columns c{t};
  const int sc = t.require_column("scenario"), vc = t.require_column("variable"),
            step = t.require_column("step");
  const int cols[] = {t.require_column("mean"), t.require_column("p05"), t.require_column("p25"),
                      t.require_column("p50"),  t.require_column("p75"), t.require_column("p95")};
  for (size_t r = 0; r < t.rows.size(); ++r) {
    ScenarioResult& s = scenario(f, c.cell(r, sc));
    const std::string& name = c.cell(r, vc);
    auto it = std::find_if(s.trajectories.begin(), s.trajectories.end(),
                           [&](const Trajectory& tr) { return tr.variable == name; });
    if (it == s.trajectories.end()) {
      s.trajectories.push_back(Trajectory{name, {}});
      it = s.trajectories.end() - 1;
    }
    FanData& d = it->data;
    const double x = c.number(r, step, false);
    double values[6];
    bool complete = true;
    for (int k = 0; k < 6; ++k) {
      values[k] = c.number(r, cols[k], true);
      complete = complete && !std::isnan(values[k]);
    }
    if (!d.step.empty() && x <= d.step.back()) {
      throw UserError(t.row_loc(r), "step " + c.cell(r, step) + " of '" + name +
                                        "' does not follow step " +
                                        io::format_double(d.step.back()) +
                                        "; expected increasing steps per variable");
    }
    // A step that no replicate reached (all stopped early) has empty statistics.
    if (!complete) continue;
    d.step.push_back(x);
    std::vector<double>* series[] = {&d.mean, &d.p05, &d.p25, &d.p50, &d.p75, &d.p95};
    for (int k = 0; k < 6; ++k) series[k]->push_back(values[k]);
  }
}

// What a runs.csv column of a scenario holds, as far as the manifest or summary.csv tell.
enum class ColumnKind { kNumbers, kLabels, kUnknown };

ColumnKind column_kind(const ResultFolder& f, const std::string& scenario_id,
                       const std::string& outcome) {
  if (const ScenarioInfo* info = f.scenario_info(scenario_id)) {
    for (const auto& o : info->outcomes) {
      if (o.name == outcome) return o.kind == "cases" ? ColumnKind::kLabels : ColumnKind::kNumbers;
    }
  }
  for (const auto& s : f.scenarios) {
    if (s.id != scenario_id) continue;
    for (const auto& o : s.outcomes) {
      if (o.name == outcome) {
        return o.share_labels.empty() ? ColumnKind::kNumbers : ColumnKind::kLabels;
      }
    }
  }
  return ColumnKind::kUnknown;
}

void read_runs(ResultFolder& f, const std::string& path) {
  const io::CsvTable t = io::read_csv(path);
  // A sweep's runs.csv is keyed by point, not scenario; its rows mix parameter values,
  // so the report draws sweeps from sweep.csv alone.
  if (!t.header.empty() && t.header[0] == "point") return;
  const Columns c{t};
  const int sc = t.require_column("scenario");
  const int rep = t.require_column("replicate");
  std::map<std::string, std::vector<ColumnKind>> kinds;       // scenario -> per column
  std::map<std::string, std::vector<size_t>> unknown_labels;  // scenario -> label columns
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const std::string& id = c.cell(r, sc);
    ScenarioResult& s = scenario(f, id);
    ++s.run_rows;
    auto [it, fresh] = kinds.try_emplace(id);
    if (fresh) {
      for (size_t k = 0; k < t.header.size(); ++k) {
        const bool key = static_cast<int>(k) == sc || static_cast<int>(k) == rep;
        it->second.push_back(key ? ColumnKind::kLabels : column_kind(f, id, t.header[k]));
      }
    }
    for (size_t k = 0; k < t.header.size(); ++k) {
      ColumnKind& kind = it->second[k];
      const std::string& text = t.rows[r][k];
      if (kind == ColumnKind::kLabels || text.empty()) continue;
      // A column of a known numeric outcome must hold numbers; one that neither the
      // manifest nor summary.csv describes may be a `cases` outcome's labels.
      if (kind == ColumnKind::kUnknown && !io::try_parse_double(text)) {
        s.runs.erase(t.header[k]);
        kind = ColumnKind::kLabels;
        unknown_labels[id].push_back(k);
        continue;
      }
      s.runs[t.header[k]].push_back(
          io::parse_double(text, t.row_loc(r), "a number in column '" + t.header[k] + "'"));
    }
  }
  // Columns of labels that summary.csv does not describe: count each label.
  for (const auto& [id, columns] : unknown_labels) {
    ScenarioResult& s = scenario(f, id);
    for (size_t k : columns) {
      auto& counts = s.run_labels[t.header[k]];
      for (size_t r = 0; r < t.rows.size(); ++r) {
        if (c.cell(r, sc) != id || t.rows[r][k].empty()) continue;
        auto at = std::find_if(counts.begin(), counts.end(),
                               [&](const auto& p) { return p.first == t.rows[r][k]; });
        if (at == counts.end()) {
          counts.emplace_back(t.rows[r][k], 1);
        } else {
          ++at->second;
        }
      }
    }
  }
}

// Outcomes that only runs.csv holds (no summary.csv row) get statistics computed from
// their values: mean, min, median and max of a numeric column, each label's share of a
// label column (without intervals: those are summary.csv's to give).
void outcomes_from_runs(ScenarioResult& s) {
  const auto known = [&](const std::string& name) {
    return std::any_of(s.outcomes.begin(), s.outcomes.end(),
                       [&](const OutcomeStats& o) { return o.name == name; });
  };
  for (const auto& [name, values] : s.runs) {
    if (known(name) || values.empty()) continue;
    std::vector<double> v = values;
    std::sort(v.begin(), v.end());
    double sum = 0;
    for (double x : v) sum += x;
    OutcomeStats o{name, {}, {}, s.run_rows};
    o.stats["mean"] = Estimate{sum / static_cast<double>(v.size())};
    o.stats["min"] = Estimate{v.front()};
    o.stats["p50"] =
        Estimate{v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2};
    o.stats["max"] = Estimate{v.back()};
    s.outcomes.push_back(std::move(o));
  }
  for (const auto& [name, counts] : s.run_labels) {
    if (known(name)) continue;
    OutcomeStats o{name, {}, {}, s.run_rows};
    for (const auto& [label, n] : counts) {
      o.share_labels.push_back(label);
      o.stats["share:" + label] =
          Estimate{static_cast<double>(n) / static_cast<double>(std::max<int64_t>(s.run_rows, 1))};
    }
    s.outcomes.push_back(std::move(o));
  }
}

void read_sweep(ResultFolder& f, const std::string& path) {
  const io::CsvTable t = io::read_csv(path);
  const Columns c{t};
  if (t.header.empty() || t.header[0] != "point") {
    throw UserError(
        SourceLoc{path, 1, 1},
        "the first column is '" + (t.header.empty() ? "" : t.header[0]) + "'; expected 'point'");
  }
  const int sc = t.require_column("scenario"), oc = t.require_column("outcome"),
            st = t.require_column("statistic"), va = t.require_column("value"),
            lo = t.require_column("ci_low"), hi = t.require_column("ci_high"),
            re = t.require_column("replicates");
  const int status = t.column("status"), error = t.column("error");
  SweepTable sweep;
  for (int k = 1; k < sc; ++k) sweep.parameters.push_back(t.header[static_cast<size_t>(k)]);
  std::map<int64_t, size_t> index;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const int64_t point = io::parse_int64(c.cell(r, 0), t.row_loc(r), "a point number");
    auto [it, fresh] = index.try_emplace(point, sweep.points.size());
    if (fresh) {
      SweepPoint p;
      p.point = point;
      for (int k = 1; k < sc; ++k) p.parameters.push_back(c.number(r, k, false));
      sweep.points.push_back(std::move(p));
    }
    SweepPoint& p = sweep.points[it->second];
    if (status >= 0 && c.cell(r, status) != "ok") {
      p.error = error >= 0 ? c.cell(r, error) : c.cell(r, status);
      if (p.error.empty()) p.error = "status " + c.cell(r, status);
      continue;
    }
    const std::string& outcome = c.cell(r, oc);
    if (std::find(sweep.outcome_order.begin(), sweep.outcome_order.end(), outcome) ==
        sweep.outcome_order.end()) {
      sweep.outcome_order.push_back(outcome);
    }
    add_stat(p.outcomes, outcome, c.cell(r, st), c.estimate(r, va, lo, hi, true),
             replicates_cell(c, r, re));
  }
  f.sweep = std::move(sweep);
}

void read_sensitivity(ResultFolder& f, const std::string& path) {
  const io::CsvTable t = io::read_csv(path);
  const Columns c{t};
  const int oc = t.require_column("outcome"), pc = t.require_column("parameter"),
            ic = t.require_column("index"), va = t.require_column("value"),
            lo = t.require_column("ci_low"), hi = t.require_column("ci_high");
  const int sc = t.column("statistic");
  for (size_t r = 0; r < t.rows.size(); ++r) {
    f.sensitivity.push_back(SensitivityRow{c.cell(r, oc), c.cell(r, pc), c.cell(r, ic),
                                           c.estimate(r, va, lo, hi, true),
                                           sc < 0 ? std::string("mean") : c.cell(r, sc)});
  }
  f.has_sensitivity = true;
}

void read_storylines(ResultFolder& f, const std::string& path) {
  const io::CsvTable t = io::read_csv(path);
  const Columns c{t};
  const int sc = t.require_column("scenario"), rk = t.require_column("rank"),
            pa = t.require_column("path"), re = t.require_column("replicates"),
            sh = t.require_column("share"), lo = t.require_column("ci_low"),
            hi = t.require_column("ci_high");
  for (size_t r = 0; r < t.rows.size(); ++r) {
    StorylineRow row;
    const double rank = c.number(r, rk, true);
    row.rank = std::isnan(rank) ? 0 : static_cast<int>(rank);
    row.path = c.cell(r, pa);
    row.replicates = static_cast<int64_t>(c.number(r, re, false));
    row.share = c.estimate(r, sh, lo, hi, false);
    for (size_t k = 0; k < t.header.size(); ++k) {
      const std::string& name = t.header[k];
      if (name.rfind("mean:", 0) != 0 && name.rfind("share:", 0) != 0) continue;
      const double v = c.number(r, static_cast<int>(k), true);
      if (!std::isnan(v)) row.columns.emplace_back(name, v);
    }
    scenario(f, c.cell(r, sc)).storylines.push_back(std::move(row));
  }
}

Discovery read_discovery(const std::string& boxes_path, const std::string& tradeoff_path) {
  Discovery d;
  const io::CsvTable b = io::read_csv(boxes_path);
  const Columns cb{b};
  const int bx = b.require_column("box"), in = b.require_column("input"),
            lo = b.require_column("low"), hi = b.require_column("high"),
            rl = b.require_column("range_low"), rh = b.require_column("range_high"),
            pl = b.require_column("p_low"), ph = b.require_column("p_high"),
            co = b.require_column("coverage"), de = b.require_column("density"),
            ma = b.require_column("mass");
  const int me = b.column("method");
  for (size_t r = 0; r < b.rows.size(); ++r) {
    DiscoveryLimit l;
    l.box = static_cast<int>(cb.number(r, bx, false));
    l.input = cb.cell(r, in);
    l.low = cb.number(r, lo, false);
    l.high = cb.number(r, hi, false);
    l.range_low = cb.number(r, rl, false);
    l.range_high = cb.number(r, rh, false);
    l.p_low = cb.number(r, pl, true);
    l.p_high = cb.number(r, ph, true);
    l.coverage = cb.number(r, co, false);
    l.density = cb.number(r, de, false);
    l.mass = cb.number(r, ma, false);
    if (me >= 0 && !cb.cell(r, me).empty()) d.method = cb.cell(r, me);
    d.limits.push_back(l);
  }
  if (tradeoff_path.empty()) return d;  // CART: no trade-off curve
  const io::CsvTable t = io::read_csv(tradeoff_path);
  const Columns ct{t};
  const int tb = t.require_column("box"), ts = t.require_column("step"),
            tp = t.require_column("phase"), tc = t.require_column("coverage"),
            td = t.require_column("density"), tm = t.require_column("mass"),
            tr = t.require_column("restricted"), tch = t.require_column("chosen");
  for (size_t r = 0; r < t.rows.size(); ++r) {
    TradeoffRow x;
    x.box = static_cast<int>(ct.number(r, tb, false));
    x.step = static_cast<int>(ct.number(r, ts, false));
    x.pasted = ct.cell(r, tp) == "paste";
    x.coverage = ct.number(r, tc, false);
    x.density = ct.number(r, td, false);
    x.mass = ct.number(r, tm, false);
    x.restricted = static_cast<int>(ct.number(r, tr, false));
    x.chosen = ct.cell(r, tch) == "1";
    d.tradeoff.push_back(x);
  }
  return d;
}

void read_compare(ResultFolder& f, const std::string& path) {
  const io::CsvTable t = io::read_csv(path);
  const Columns c{t};
  const int oc = t.require_column("outcome"), st = t.require_column("statistic"),
            a = t.require_column("a"), b = t.require_column("b"),
            d = t.require_column("difference"), lo = t.require_column("ci_low"),
            hi = t.require_column("ci_high"), pv = t.require_column("p_value"),
            sig = t.require_column("significant");
  for (size_t r = 0; r < t.rows.size(); ++r) {
    CompareTableRow row;
    row.outcome = c.cell(r, oc);
    row.statistic = c.cell(r, st);
    row.a = c.number(r, a, true);
    row.b = c.number(r, b, true);
    row.difference = c.estimate(r, d, lo, hi, true);
    row.p_value = c.number(r, pv, true);
    const std::string& s = c.cell(r, sig);
    if (s != "0" && s != "1" && !s.empty()) {
      throw UserError(t.row_loc(r),
                      "column 'significant' holds '" + s + "'; expected 1, 0 or nothing");
    }
    row.significant = s == "1";
    f.compare.push_back(std::move(row));
  }
  f.has_compare = true;
}

}  // namespace

Manifest parse_manifest(const std::string& text, const std::string& display_path) {
  const io::JsonValue root = io::parse_json(text, display_path);
  if (!root.is_object()) {
    throw UserError(root.loc(), std::string("the manifest is ") +
                                    io::JsonValue::type_name(root.type()) + "; expected an object");
  }
  Manifest m;
  m.program = opt_string(root, "program");
  m.version = opt_string(root, "version");
  m.command = opt_string(root, "command");
  m.start_time = opt_string(root, "start_time");
  m.command_line = opt_strings(root, "command_line");
  m.wall_seconds = opt_double(root, "wall_seconds");
  m.threads = opt_int(root, "threads");
  for (const auto& s : opt_items(root, "scenarios")) m.scenarios.push_back(parse_scenario(s));
  for (const auto& e : opt_items(root, "failures")) {
    m.failures.emplace_back(opt_string(e, "scenario"), opt_string(e, "error"));
  }
  if (const io::JsonValue* s = root.find("sweep"); s && !s->is_null()) {
    SweepInfo info;
    info.design = opt_string(*s, "design");
    info.points_file = opt_string(*s, "points_file");
    info.samples = opt_int(*s, "samples");
    info.levels = opt_int(*s, "levels");
    info.points = opt_int(*s, "points");
    info.failed_points = opt_int(*s, "failed_points");
    for (const auto& v : opt_items(*s, "vary")) {
      info.vary.emplace_back(v["name"].as_string(), opt_string(v, "spec"));
    }
    m.sweep = std::move(info);
  }
  return m;
}

ResultFolder read_result_folder(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    const bool exists = fs::exists(dir, ec);
    throw UserError(SourceLoc{dir}, exists ? "this is a file; expected a result folder (the "
                                             "--out folder of run, sweep or compare)"
                                           : "no such folder; expected a result folder (the "
                                             "--out folder of run, sweep or compare)");
  }
  ResultFolder f;
  f.dir = dir;
  const auto path = [&](const char* name) { return (fs::path(dir) / name).string(); };
  const auto present = [&](const char* name) { return fs::is_regular_file(path(name), ec); };
  const char* known[] = {"summary.csv", "trajectories.csv", "runs.csv",
                         "sweep.csv",   "sensitivity.csv",  "compare.csv",
                         "boxes.csv",   "tradeoff.csv",     "manifest.json"};
  if (std::none_of(std::begin(known), std::end(known), present)) {
    throw UserError(SourceLoc{dir},
                    "no result files here; expected at least one of summary.csv, "
                    "trajectories.csv, runs.csv, sweep.csv, sensitivity.csv, compare.csv, "
                    "boxes.csv, tradeoff.csv or manifest.json");
  }
  if (present("boxes.csv")) {
    f.discovery =
        read_discovery(path("boxes.csv"), present("tradeoff.csv") ? path("tradeoff.csv") : "");
    // A tree without a box still says which method found nothing.
    if (f.discovery->limits.empty() && present("tree.csv")) f.discovery->method = "cart";
  }
  if (present("manifest.json")) {
    f.manifest = parse_manifest(io::read_file(path("manifest.json")), path("manifest.json"));
  }
  if (present("summary.csv")) read_summary(f, path("summary.csv"));
  if (present("trajectories.csv")) read_trajectories(f, path("trajectories.csv"));
  if (present("runs.csv")) {
    read_runs(f, path("runs.csv"));
    for (auto& s : f.scenarios) outcomes_from_runs(s);
  }
  if (present("storylines.csv")) read_storylines(f, path("storylines.csv"));
  if (present("sweep.csv")) read_sweep(f, path("sweep.csv"));
  if (present("sensitivity.csv")) read_sensitivity(f, path("sensitivity.csv"));
  if (present("compare.csv")) read_compare(f, path("compare.csv"));
  if (f.has_compare && present("compare.json")) {
    const io::JsonValue j = io::read_json(path("compare.json"));
    if (const io::JsonValue* a = j.find("a"); a && a->is_string()) f.compare_a = a->as_string();
    if (const io::JsonValue* b = j.find("b"); b && b->is_string()) f.compare_b = b->as_string();
  }
  f.calibration = read_calibration(dir);
  f.backtest = read_backtest(dir);
  return f;
}

}  // namespace geosim::report
