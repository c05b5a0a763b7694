#include "discover/data.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>

#include "core/error.h"
#include "core/text.h"
#include "io/csv.h"
#include "io/number.h"

namespace geosim::discover {

namespace {

namespace fs = std::filesystem;

// Whether a cell marks a case of interest (see Target).
class Classifier {
 public:
  Classifier(const Target& t, std::string what) : t_(t), what_(std::move(what)) {}
  uint8_t operator()(const std::string& cell, const SourceLoc& where) const {
    if (!t_.label.empty()) return cell == t_.label;
    if (cell.empty()) return 0;  // not reached, or its condition did not hold
    const double v = io::parse_double(cell, where, "a number in " + what_);
    if (t_.threshold) return t_.below ? v < *t_.threshold : v > *t_.threshold;
    if (v != 0 && v != 1)
      throw UserError(where, what_ + " is " + cell +
                                 ", not 0 or 1; expected --threshold T (cases: value > T, or < T "
                                 "with --below) or --label LABEL for a cases outcome");
    return v == 1;
  }

 private:
  const Target& t_;
  std::string what_;
};

// A --label no row has is a mistake (a typo would otherwise find "no box").
void check_label(const io::CsvTable& t, int column, const Target& target) {
  if (target.label.empty() || column < 0) return;
  std::vector<std::string> seen;
  for (const auto& r : t.rows) {
    const std::string& v = r[static_cast<size_t>(column)];
    if (v == target.label) return;
    if (!v.empty() && std::find(seen.begin(), seen.end(), v) == seen.end()) seen.push_back(v);
  }
  throw UserError(SourceLoc{t.path, 1}, "no row of '" + target.outcome + "' is '" + target.label +
                                            "'" + did_you_mean(target.label, seen) +
                                            "; expected one of " + quoted_list(seen));
}

// Column c as numbers, or nothing when a cell is not a number (or there are no rows).
std::optional<std::vector<double>> numeric_column(const io::CsvTable& t, size_t c) {
  std::vector<double> col;
  col.reserve(t.rows.size());
  for (const auto& r : t.rows) {
    auto v = io::try_parse_double(r[c]);
    if (!v) return std::nullopt;
    col.push_back(*v);
  }
  if (col.empty()) return std::nullopt;
  return col;
}

// Input columns (index, values): those named, else every numeric column not excluded.
std::vector<std::pair<size_t, std::vector<double>>> input_columns(
    const io::CsvTable& t, const Target& target, const std::vector<std::string>& excluded) {
  std::vector<std::pair<size_t, std::vector<double>>> cols;
  if (!target.inputs.empty()) {
    for (const auto& name : target.inputs) {
      const int c = t.column(name);
      if (c < 0)
        throw UserError(SourceLoc{t.path, 1},
                        "no input column '" + name + "'" + did_you_mean(name, t.header));
      auto col = numeric_column(t, static_cast<size_t>(c));
      if (!col)
        throw UserError(SourceLoc{t.path, 1}, "input column '" + name +
                                                  "' holds a value that is not a number; "
                                                  "expected numeric inputs");
      cols.emplace_back(static_cast<size_t>(c), std::move(*col));
    }
    return cols;
  }
  for (size_t c = 0; c < t.header.size(); ++c) {
    if (std::find(excluded.begin(), excluded.end(), t.header[c]) != excluded.end()) continue;
    if (auto col = numeric_column(t, c)) cols.emplace_back(c, std::move(*col));
  }
  if (cols.empty())
    throw UserError(SourceLoc{t.path, 1},
                    "no numeric input column beside the outcome; expected a sweep's parameters, "
                    "a run's init: columns (run --per-run) or --inputs NAME,...");
  return cols;
}

LoadedData from_table(const io::CsvTable& t, const Target& target,
                      const std::vector<std::string>& excluded, const std::string& unit) {
  const int oc = t.require_column(target.outcome);
  check_label(t, oc, target);
  LoadedData ld;
  ld.source = t.path;
  ld.unit = unit;
  const Classifier is_case(target, "column '" + target.outcome + "'");
  std::vector<std::string> ex = excluded;
  ex.push_back(target.outcome);
  for (auto& [c, col] : input_columns(t, target, ex)) {
    ld.data.names.push_back(t.header[c]);
    ld.data.columns.push_back(std::move(col));
  }
  for (size_t i = 0; i < t.rows.size(); ++i)
    ld.data.y.push_back(is_case(t.rows[i][static_cast<size_t>(oc)], t.row_loc(i)));
  return ld;
}

// The varied parameters of a sweep.csv: the columns between `point` and `scenario`.
std::vector<std::string> sweep_parameters(const io::CsvTable& sweep) {
  std::vector<std::string> names;
  for (size_t c = 1; c < sweep.header.size() && sweep.header[c] != "scenario"; ++c)
    names.push_back(sweep.header[c]);
  return names;
}

LoadedData sweep_points(const io::CsvTable& sweep, const Target& target) {
  const int oc = sweep.require_column("outcome"), sc = sweep.require_column("statistic"),
            vc = sweep.require_column("value"), pc = sweep.require_column("point");
  const int stc = sweep.column("status");
  std::string stat = target.statistic;
  bool known = false;
  for (const auto& r : sweep.rows) known = known || r[static_cast<size_t>(oc)] == target.outcome;
  if (!known) {
    std::vector<std::string> names;
    for (const auto& r : sweep.rows) names.push_back(r[static_cast<size_t>(oc)]);
    throw UserError(SourceLoc{sweep.path, 1},
                    "no outcome '" + target.outcome + "'" + did_you_mean(target.outcome, names));
  }
  if (stat.empty()) {
    stat = target.label.empty() ? "mean" : "share:" + target.label;
    for (const auto& r : sweep.rows)
      if (target.label.empty() && r[static_cast<size_t>(oc)] == target.outcome &&
          r[static_cast<size_t>(sc)] == "probability")
        stat = "probability";
  }
  Target numeric = target;
  numeric.label.clear();
  const Classifier is_case(numeric, "'" + target.outcome + "' " + stat);
  LoadedData ld;
  ld.source = sweep.path;
  ld.unit = "sweep points";
  ld.data.names = sweep_parameters(sweep);
  ld.data.columns.resize(ld.data.names.size());
  for (size_t i = 0; i < sweep.rows.size(); ++i) {
    const auto& r = sweep.rows[i];
    if (stc >= 0 && r[static_cast<size_t>(stc)] != "ok") continue;
    if (r[static_cast<size_t>(oc)] != target.outcome || r[static_cast<size_t>(sc)] != stat)
      continue;
    for (size_t j = 0; j < ld.data.names.size(); ++j)
      ld.data.columns[j].push_back(
          io::parse_double(r[j + 1], sweep.row_loc(i), "a number for '" + ld.data.names[j] + "'"));
    ld.data.y.push_back(is_case(r[static_cast<size_t>(vc)], sweep.row_loc(i)));
    (void)pc;
  }
  if (ld.data.y.empty())
    throw UserError(SourceLoc{sweep.path, 1}, "no point has the statistic '" + stat + "' of '" +
                                                  target.outcome +
                                                  "'; expected --statistic naming one it has");
  return ld;
}

// A sweep's runs.csv joined with its points' parameter values.
LoadedData sweep_replicates(const io::CsvTable& runs, const io::CsvTable& sweep,
                            const Target& target) {
  const auto params = sweep_parameters(sweep);
  std::map<std::string, std::vector<double>> at;  // point -> values
  for (size_t i = 0; i < sweep.rows.size(); ++i) {
    auto& v = at[sweep.rows[i][0]];
    if (!v.empty()) continue;
    for (size_t j = 0; j < params.size(); ++j)
      v.push_back(io::parse_double(sweep.rows[i][j + 1], sweep.row_loc(i),
                                   "a number for '" + params[j] + "'"));
  }
  const int oc = runs.require_column(target.outcome), pc = runs.require_column("point");
  check_label(runs, oc, target);
  const Classifier is_case(target, "column '" + target.outcome + "'");
  LoadedData ld;
  ld.source = runs.path;
  ld.unit = "replicates";
  ld.data.names = params;
  ld.data.columns.resize(params.size());
  for (size_t i = 0; i < runs.rows.size(); ++i) {
    auto it = at.find(runs.rows[i][static_cast<size_t>(pc)]);
    if (it == at.end())
      throw UserError(runs.row_loc(i), "point " + runs.rows[i][static_cast<size_t>(pc)] +
                                           " is not in sweep.csv; expected the sweep's own runs");
    for (size_t j = 0; j < params.size(); ++j) ld.data.columns[j].push_back(it->second[j]);
    ld.data.y.push_back(is_case(runs.rows[i][static_cast<size_t>(oc)], runs.row_loc(i)));
  }
  // Inputs recorded per replicate (init: columns) come too.
  Target only_init = target;
  for (size_t c = 0; c < runs.header.size(); ++c) {
    if (!runs.header[c].starts_with("init:")) continue;
    ld.data.names.push_back(runs.header[c]);
    std::vector<double> col;
    for (size_t i = 0; i < runs.rows.size(); ++i)
      col.push_back(io::parse_double(runs.rows[i][c], runs.row_loc(i), "a number"));
    ld.data.columns.push_back(std::move(col));
  }
  return ld;
}

void keep_named_inputs(LoadedData& ld, const Target& target) {
  if (target.inputs.empty()) return;
  Dataset d;
  d.y = std::move(ld.data.y);
  for (const auto& name : target.inputs) {
    auto it = std::find(ld.data.names.begin(), ld.data.names.end(), name);
    if (it == ld.data.names.end())
      throw UserError(SourceLoc{ld.source, 1},
                      "no input '" + name + "'" + did_you_mean(name, ld.data.names));
    d.names.push_back(name);
    d.columns.push_back(
        std::move(ld.data.columns[static_cast<size_t>(it - ld.data.names.begin())]));
  }
  ld.data = std::move(d);
}

}  // namespace

LoadedData load_data(const std::string& path, const Target& target) {
  std::error_code ec;
  LoadedData ld;
  if (fs::is_directory(path, ec)) {
    const std::string runs = (fs::path(path) / "runs.csv").string();
    const std::string sweep = (fs::path(path) / "sweep.csv").string();
    const bool has_runs = fs::exists(runs, ec), has_sweep = fs::exists(sweep, ec);
    if (has_sweep && (target.per_point || !has_runs)) {
      ld = sweep_points(io::read_csv(sweep), target);
    } else if (has_runs && has_sweep) {
      ld = sweep_replicates(io::read_csv(runs), io::read_csv(sweep), target);
    } else if (has_runs) {
      io::CsvTable t = io::read_csv(runs);
      // A run's runs.csv: the inputs are its init: columns unless named.
      Target t2 = target;
      std::vector<std::string> excluded;
      for (const auto& h : t.header)
        if (!h.starts_with("init:")) excluded.push_back(h);
      if (t2.inputs.empty() &&
          std::none_of(t.header.begin(), t.header.end(),
                       [](const std::string& h) { return h.starts_with("init:"); }))
        throw UserError(SourceLoc{runs, 1},
                        "runs.csv has no init: columns (the uncertain inputs a run draws); "
                        "expected a result of `geosim run --per-run` by this version, a sweep, "
                        "or --inputs NAME,...");
      ld = from_table(t, t2, t2.inputs.empty() ? excluded : std::vector<std::string>{},
                      "replicates");
      return ld;
    } else {
      throw UserError(SourceLoc{path},
                      "folder has neither sweep.csv nor runs.csv; expected a "
                      "sweep's or a `run --per-run` result folder, or a CSV file");
    }
    keep_named_inputs(ld, target);
    return ld;
  }
  if (!fs::exists(path, ec))
    throw UserError(SourceLoc{path}, "no such file or folder; expected a result folder or a CSV");
  io::CsvTable t = io::read_csv(path);
  return from_table(t, target, {"point", "replicate", "scenario"}, "rows");
}

}  // namespace geosim::discover
