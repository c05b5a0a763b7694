#include "calibrate/observations.h"

#include <algorithm>
#include <set>

#include "core/text.h"
#include "io/number.h"

namespace geosim::calibrate {
namespace {

bool ignored_column(const std::string& name) {
  return name == "title" || name == "sources" || name == "notes";
}

// Column (1-based) where field j of a row starts, counted as the fields are written.
int field_column(const std::vector<std::string>& fields, size_t j) {
  size_t col = 1;
  for (size_t k = 0; k < j && k < fields.size(); ++k) col += io::csv_field(fields[k]).size() + 1;
  return static_cast<int>(col);
}

std::string trim(std::string s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(s.begin());
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  return s;
}

}  // namespace

Observations parse_observations(const io::CsvTable& table, const sim::Model& model,
                                const std::vector<std::string>& free) {
  Observations obs;
  obs.path = table.path;
  DiagnosticList diags;
  const SourceLoc header_loc{table.path, 1};
  const int case_col = table.column("case");
  const int sets_col = table.column("sets");
  if (case_col < 0)
    diags.add(header_loc,
              "missing column 'case'; expected a header such as "
              "case,sets,<outcome>,... (docs/calibration.md)");
  std::vector<std::string> outcome_names;
  for (const auto& o : model.outcomes) outcome_names.push_back(o.name);
  std::vector<int> outcome_of_column(table.header.size(), -1);
  std::set<std::string> seen_columns;
  for (size_t j = 0; j < table.header.size(); ++j) {
    const std::string& name = table.header[j];
    const SourceLoc loc{table.path, 1, field_column(table.header, j)};
    if (!seen_columns.insert(name).second) {
      diags.add(loc, "column '" + name + "' appears twice in the header");
      continue;
    }
    if (static_cast<int>(j) == case_col || static_cast<int>(j) == sets_col || ignored_column(name))
      continue;
    auto it = std::find(outcome_names.begin(), outcome_names.end(), name);
    if (it == outcome_names.end()) {
      diags.add(loc, "scenario '" + model.id + "' has no outcome '" + name + "'" +
                         did_you_mean(name, outcome_names) +
                         "; expected case, sets, title, sources, notes or an outcome name");
      continue;
    }
    outcome_of_column[j] = static_cast<int>(it - outcome_names.begin());
    obs.outcome_columns.push_back(name);
  }
  diags.throw_if_any();
  if (table.rows.empty())
    throw UserError(header_loc, "no cases: expected one row per observed case after the header");
  if (obs.outcome_columns.empty())
    throw UserError(header_loc,
                    "no outcome columns: expected at least one column named after "
                    "an outcome of scenario '" +
                        model.id + "'");

  std::set<std::string> ids;
  for (size_t i = 0; i < table.rows.size(); ++i) {
    const auto& row = table.rows[i];
    Case c;
    c.loc = table.row_loc(i);
    const size_t errors_before = diags.size();
    auto cell_loc = [&](size_t j) {
      return SourceLoc{table.path, table.row_lines[i], field_column(row, j)};
    };
    c.id = trim(row[static_cast<size_t>(case_col)]);
    if (c.id.empty())
      diags.add(cell_loc(static_cast<size_t>(case_col)), "empty case id; expected a name");
    else if (!ids.insert(c.id).second)
      diags.add(cell_loc(static_cast<size_t>(case_col)), "case '" + c.id + "' appears twice");
    if (sets_col >= 0) {
      const std::string& text = row[static_cast<size_t>(sets_col)];
      const SourceLoc loc = cell_loc(static_cast<size_t>(sets_col));
      size_t pos = 0;
      while (pos < text.size()) {
        while (pos < text.size() && text[pos] == ' ') ++pos;
        if (pos >= text.size()) break;
        size_t end = text.find(' ', pos);
        if (end == std::string::npos) end = text.size();
        const std::string item = text.substr(pos, end - pos);
        SourceLoc item_loc = loc;
        item_loc.column += static_cast<int>(pos) + (io::csv_field(text) != text ? 1 : 0);
        pos = end;
        const size_t eq = item.find('=');
        if (eq == std::string::npos || eq == 0) {
          diags.add(item_loc, "expected NAME=VALUE in 'sets', found '" + item + "'");
          continue;
        }
        const std::string name = item.substr(0, eq);
        const sim::ParameterInfo* p = model.find_parameter(name);
        if (!p) {
          std::vector<std::string> names;
          for (const auto& q : model.parameters) names.push_back(q.name);
          diags.add(item_loc, "unknown --set name '" + name + "': scenario '" + model.id +
                                  "' declares no such parameter" + did_you_mean(name, names));
          continue;
        }
        if (std::find(free.begin(), free.end(), name) != free.end()) {
          diags.add(item_loc, "case sets '" + name +
                                  "', which is a free parameter being fitted; expected sets only "
                                  "for parameters that are not --free");
          continue;
        }
        auto v = io::try_parse_double(item.substr(eq + 1));
        if (!v) {
          diags.add(item_loc, "expected a finite number after '" + name + "=', found '" +
                                  item.substr(eq + 1) + "'");
          continue;
        }
        if ((p->min && *v < *p->min) || (p->max && *v > *p->max)) {
          diags.add(item_loc, "'" + name + "' set to " + io::format_double(*v) +
                                  ", outside its declared range [" +
                                  (p->min ? io::format_double(*p->min) : "-inf") + ", " +
                                  (p->max ? io::format_double(*p->max) : "inf") + "]");
          continue;
        }
        c.sets.emplace_back(p->row, *v);
        c.set_texts.push_back(item);
      }
    }
    for (size_t j = 0; j < row.size(); ++j) {
      if (outcome_of_column[j] < 0) continue;
      std::string cell = trim(row[j]);
      if (cell.empty()) continue;
      const sim::OutcomeModel& om = model.outcomes[static_cast<size_t>(outcome_of_column[j])];
      Target t;
      t.outcome = outcome_of_column[j];
      t.text = cell;
      t.loc = cell_loc(j);
      std::string value_text = cell;
      const size_t tilde = cell.find('~');
      if (tilde != std::string::npos) {
        value_text = trim(cell.substr(0, tilde));
        auto sd = io::try_parse_double(trim(cell.substr(tilde + 1)));
        if (!sd || !(*sd > 0)) {
          diags.add(t.loc,
                    "expected VALUE~SD with SD > 0 for '" + om.name + "', found '" + cell + "'");
          continue;
        }
        t.sd = *sd;
      }
      if (om.kind == OutcomeKind::kCases) {
        auto it = std::find(om.labels.begin(), om.labels.end(), cell);
        if (it == om.labels.end()) {
          diags.add(t.loc, "outcome '" + om.name + "' has no label '" + cell + "'" +
                               did_you_mean(cell, om.labels) + "; expected one of " +
                               quoted_list(om.labels));
          continue;
        }
        t.kind = TargetKind::kLabel;
        t.value = static_cast<double>(it - om.labels.begin());
      } else if (om.kind == OutcomeKind::kFirst) {
        t.kind = TargetKind::kFirst;
        if (value_text == "never") {
          if (t.sd > 0) {
            diags.add(t.loc, "'never' takes no ~SD");
            continue;
          }
          t.value = -1;
        } else {
          auto step = io::try_parse_int64(value_text);
          if (!step || *step < 0 || *step >= model.steps) {
            diags.add(t.loc, "expected a step from 0 to " + std::to_string(model.steps - 1) +
                                 " or 'never' for the first-step outcome '" + om.name +
                                 "', found '" + value_text + "'");
            continue;
          }
          t.value = static_cast<double>(*step);
        }
      } else {
        auto v = io::try_parse_double(value_text);
        if (!v) {
          diags.add(t.loc,
                    "expected a number (or NUMBER~SD) for '" + om.name + "', found '" + cell + "'");
          continue;
        }
        t.value = *v;
        t.kind = t.sd > 0 ? TargetKind::kNumber : TargetKind::kExact;
      }
      c.targets.push_back(std::move(t));
    }
    if (c.targets.empty() && diags.size() == errors_before)
      diags.add(c.loc, "case '" + c.id +
                           "' observes nothing; expected a value in at least one "
                           "outcome column");
    obs.cases.push_back(std::move(c));
  }
  diags.throw_if_any();
  return obs;
}

Observations read_observations(const std::string& path, const sim::Model& model,
                               const std::vector<std::string>& free) {
  return parse_observations(io::read_csv(path), model, free);
}

Observations select_cases(const Observations& obs, const std::vector<size_t>& indices) {
  Observations out;
  out.path = obs.path;
  out.outcome_columns = obs.outcome_columns;
  for (size_t i : indices) out.cases.push_back(obs.cases.at(i));
  return out;
}

}  // namespace geosim::calibrate
