#include "experiment/compare.h"

#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include "io/csv.h"
#include "io/number.h"
#include "io/read_file.h"
#include "stats/hypothesis.h"

namespace geosim::experiment {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

using Key = std::tuple<std::string, std::string, std::string>;  // scenario, outcome, statistic

// The statistics of an outcome's distribution of values: meaningless for a label index.
bool is_value_statistic(std::string_view statistic) {
  for (const char* s : {"mean", "sd", "min", "p05", "p25", "p50", "p75", "p95", "max"})
    if (statistic == s) return true;
  return false;
}

bool is_proportion(std::string_view statistic) {
  return statistic == "probability" || statistic == "share_reached" ||
         statistic.starts_with("share:");
}

double optional_number(const io::CsvTable& t, size_t row, int column, std::string_view what) {
  if (column < 0) return kNaN;
  const std::string& text = t.rows[row][static_cast<size_t>(column)];
  if (text.empty()) return kNaN;
  return io::parse_double(text, t.row_loc(row), what);
}

std::set<std::string> scenarios_of(const SummaryTable& t) {
  std::set<std::string> s;
  for (const SummaryEntry& e : t.rows) s.insert(e.scenario);
  return s;
}

class Side {
 public:
  Side(const SummaryTable& table, bool by_scenario) : table_(table), by_scenario_(by_scenario) {
    for (const SummaryEntry& e : table.rows) index_[key(e, e.statistic)] = &e;
  }
  const SummaryEntry* find(const SummaryEntry& like, std::string_view statistic) const {
    auto it = index_.find(key(like, std::string(statistic)));
    return it == index_.end() ? nullptr : it->second;
  }
  bool has_outcome(const SummaryEntry& like) const {
    for (const auto& [k, e] : index_) {
      if (std::get<0>(k) == scenario_of(like) && std::get<1>(k) == like.outcome) return true;
    }
    return false;
  }
  const SummaryTable& table() const { return table_; }

 private:
  std::string scenario_of(const SummaryEntry& e) const { return by_scenario_ ? e.scenario : ""; }
  Key key(const SummaryEntry& e, const std::string& statistic) const {
    return {scenario_of(e), e.outcome, statistic};
  }
  const SummaryTable& table_;
  bool by_scenario_;
  std::map<Key, const SummaryEntry*> index_;
};

void set_test(const stats::TestResult& t, CompareRow& row) {
  if (!t.valid) return;
  row.ci_low = t.ci.low;
  row.ci_high = t.ci.high;
  row.p_value = t.p_value;
}

void test_mean(const Side& side_a, const Side& side_b, const SummaryEntry& a, const SummaryEntry& b,
               CompareRow& row) {
  const SummaryEntry* sd_a = side_a.find(a, "sd");
  const SummaryEntry* sd_b = side_b.find(b, "sd");
  for (const SummaryEntry* sd : {sd_a, sd_b}) {
    if (sd && sd->value < 0) {
      throw UserError(sd->loc, "'sd' of '" + sd->outcome + "' is " + io::format_double(sd->value) +
                                   "; expected a standard deviation (0 or more)");
    }
  }
  if (!sd_a || !sd_b || a.replicates < 2 || b.replicates < 2 || !std::isfinite(sd_a->value) ||
      !std::isfinite(sd_b->value)) {
    return;
  }
  // B first: the test reports its first argument minus its second.
  set_test(
      stats::welch_t_test(b.value, sd_b->value, b.replicates, a.value, sd_a->value, a.replicates),
      row);
}

void test_proportion(const SummaryEntry& a, const SummaryEntry& b, CompareRow& row) {
  for (const SummaryEntry* e : {&a, &b}) {
    if (e->value < 0 || e->value > 1) {
      throw UserError(e->loc, "'" + e->statistic + "' of '" + e->outcome + "' is " +
                                  io::format_double(e->value) + "; expected a share in [0, 1]");
    }
  }
  if (a.replicates < 1 || b.replicates < 1) return;
  set_test(stats::two_proportion_z_test(b.value, b.replicates, a.value, a.replicates), row);
}

std::string side_name(const SummaryTable& t, const char* letter) {
  return std::string(letter) + " (" + t.path + ")";
}

}  // namespace

bool CompareResult::any_significant() const {
  for (const CompareRow& r : rows) {
    if (r.significant) return true;
  }
  return false;
}

SummaryTable parse_summary(std::string_view text, const std::string& display_path) {
  io::CsvTable t = io::parse_csv(text, display_path);
  const int scenario = t.require_column("scenario");
  const int outcome = t.require_column("outcome");
  const int statistic = t.require_column("statistic");
  const int value = t.require_column("value");
  const int replicates = t.require_column("replicates");
  const int ci_low = t.column("ci_low");
  const int ci_high = t.column("ci_high");
  const int posterior = t.column("posterior");
  SummaryTable table;
  table.path = display_path;
  std::map<Key, int> first_line;
  for (size_t i = 0; i < t.rows.size(); ++i) {
    const auto& r = t.rows[i];
    SummaryEntry e;
    e.loc = t.row_loc(i);
    e.scenario = r[static_cast<size_t>(scenario)];
    e.outcome = r[static_cast<size_t>(outcome)];
    e.statistic = r[static_cast<size_t>(statistic)];
    if (posterior >= 0) e.posterior = r[static_cast<size_t>(posterior)];
    if (e.outcome.empty() || e.statistic.empty()) {
      throw UserError(e.loc, "empty outcome or statistic; expected both in every row");
    }
    e.value = optional_number(t, i, value, "a number in column 'value'");
    e.ci_low = optional_number(t, i, ci_low, "a number in column 'ci_low'");
    e.ci_high = optional_number(t, i, ci_high, "a number in column 'ci_high'");
    const std::string& n = r[static_cast<size_t>(replicates)];
    e.replicates = n.empty() ? 0 : io::parse_int64(n, e.loc, "a replicate count");
    if (e.replicates < 0) {
      throw UserError(e.loc, "replicates is " + n + "; expected a count >= 0");
    }
    auto [it, inserted] = first_line.emplace(Key{e.scenario, e.outcome, e.statistic}, e.loc.line);
    if (!inserted) {
      throw UserError(e.loc, "scenario '" + e.scenario + "' outcome '" + e.outcome +
                                 "' statistic '" + e.statistic + "' appears twice (first at line " +
                                 std::to_string(it->second) + ")");
    }
    table.rows.push_back(std::move(e));
  }
  return table;
}

SummaryTable read_summary(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::string file = path;
  if (fs::is_directory(path, ec)) {
    file = (fs::path(path) / "summary.csv").string();
    if (!fs::exists(file, ec)) {
      throw UserError(SourceLoc{path},
                      "folder has no summary.csv; expected a result folder "
                      "written by `geosim run --out DIR`, or a summary.csv");
    }
  } else if (!fs::exists(path, ec)) {
    throw UserError(SourceLoc{path},
                    "no such file or folder; expected a result folder or a summary.csv");
  }
  io::InputFile how;
  how.expected = "a result folder or a summary.csv";
  std::string text = io::read_input(file, how);
  if (!text.starts_with("scenario,outcome,statistic,"))
    throw UserError(SourceLoc{file, 1, 1},
                    "not a summary.csv (its first line is not the header "
                    "scenario,outcome,statistic,...); expected a result folder written by "
                    "`geosim run --out DIR`, or its summary.csv");
  return parse_summary(text, file);
}

CompareResult compare_summaries(const SummaryTable& a, const SummaryTable& b, double alpha) {
  const std::set<std::string> scen_a = scenarios_of(a), scen_b = scenarios_of(b);
  const bool by_scenario = scen_a.size() > 1 || scen_b.size() > 1;
  CompareResult result;
  if (by_scenario) {
    for (const std::string& s : scen_a) {
      if (!scen_b.contains(s)) {
        result.notes.push_back("scenario '" + s + "' is only in " + side_name(a, "A"));
      }
    }
    for (const std::string& s : scen_b) {
      if (!scen_a.contains(s)) {
        result.notes.push_back("scenario '" + s + "' is only in " + side_name(b, "B"));
      }
    }
  }
  // Runs over a posterior: their spread includes parameter uncertainty, which a run at
  // fixed parameters lacks; say so, so that a difference is read for what it is.
  auto posteriors = [](const SummaryTable& t) {
    std::map<std::string, std::string> m;  // scenario -> sha256 (empty: fixed parameters)
    for (const auto& e : t.rows) m.emplace(e.scenario, e.posterior);
    return m;
  };
  const auto post_a = posteriors(a), post_b = posteriors(b);
  for (const auto* side : {&post_a, &post_b})
    for (const auto& [scenario, sha] : *side)
      if (!sha.empty())
        result.notes.push_back(
            side_name(side == &post_a ? a : b, side == &post_a ? "A" : "B") + ": scenario '" +
            scenario + "' drew its parameters from a posterior (sha256 " + sha.substr(0, 12) +
            "...); its outcome distributions include parameter uncertainty");
  {
    std::set<std::string> pa, pb;
    for (const auto& [scenario, sha] : post_a) pa.insert(sha);
    for (const auto& [scenario, sha] : post_b) pb.insert(sha);
    if (pa != pb)
      result.notes.push_back(
          "A and B took their parameters differently (a posterior on one side, fixed values or "
          "another posterior on the other); a difference mixes that with the scenarios' own");
  }
  const Side side_a(a, by_scenario), side_b(b, by_scenario);
  auto label = [&](const SummaryEntry& e) {
    return by_scenario ? e.scenario + "/" + e.outcome : e.outcome;
  };
  auto note_missing = [&](const SummaryEntry& e, const Side& other, const SummaryTable& mine,
                          const char* letter, std::set<std::string>& noted) {
    if (by_scenario && !(letter[0] == 'A' ? scen_b : scen_a).contains(e.scenario)) return;
    if (!other.has_outcome(e)) {
      if (noted.insert(label(e)).second) {
        result.notes.push_back("outcome '" + label(e) + "' is only in " + side_name(mine, letter));
      }
    } else {
      result.notes.push_back("outcome '" + label(e) + "' statistic '" + e.statistic +
                             "' is only in " + side_name(mine, letter));
    }
  };
  // Categorical outcomes (by label), compared by their label shares only (see compare.h).
  std::set<std::string> by_share;
  for (const SummaryTable* t : {&a, &b})
    for (const SummaryEntry& e : t->rows)
      if (e.statistic.starts_with("share:")) by_share.insert(label(e));
  auto skipped = [&](const SummaryEntry& e) {
    return is_value_statistic(e.statistic) && by_share.contains(label(e));
  };
  std::set<std::string> noted_a, noted_b;
  for (const SummaryEntry& ea : a.rows) {
    if (skipped(ea)) continue;
    const SummaryEntry* eb = side_b.find(ea, ea.statistic);
    if (!eb) {
      note_missing(ea, side_b, a, "A", noted_a);
      continue;
    }
    CompareRow row;
    row.outcome = label(ea);
    row.statistic = ea.statistic;
    row.a = ea.value;
    row.b = eb->value;
    row.difference = eb->value - ea.value;
    row.ci_low = row.ci_high = row.p_value = kNaN;
    if (std::isfinite(ea.value) && std::isfinite(eb->value)) {
      if (ea.statistic == "mean") {
        test_mean(side_a, side_b, ea, *eb, row);
      } else if (is_proportion(ea.statistic)) {
        test_proportion(ea, *eb, row);
      }
    }
    row.significant = std::isfinite(row.p_value) && row.p_value < alpha;
    result.rows.push_back(std::move(row));
  }
  for (const SummaryEntry& eb : b.rows) {
    if (!skipped(eb) && !side_a.find(eb, eb.statistic)) note_missing(eb, side_a, b, "B", noted_b);
  }
  if (result.rows.empty()) {
    throw UserError(SourceLoc{b.path},
                    "no outcome and statistic in common with " + a.path + "; nothing to compare");
  }
  return result;
}

std::vector<std::string> compare_header() {
  return {"outcome", "statistic", "a",       "b",          "difference",
          "ci_low",  "ci_high",   "p_value", "significant"};
}

std::vector<std::string> compare_fields(const CompareRow& r) {
  auto num = [](double x) { return std::isfinite(x) ? io::format_double(x) : std::string(); };
  return {r.outcome,      r.statistic,       num(r.a),
          num(r.b),       num(r.difference), num(r.ci_low),
          num(r.ci_high), num(r.p_value),    r.significant ? "1" : "0"};
}

}  // namespace geosim::experiment
