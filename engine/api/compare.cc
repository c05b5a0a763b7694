// geosim::api::compare, and the steps `geosim compare` shares with it (api/internal.h).
#include "experiment/compare.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "api/internal.h"
#include "core/text.h"
#include "io/csv.h"
#include "io/json.h"
#include "io/number.h"
#include "outdir/outdir.h"

namespace geosim::api {

namespace fs = std::filesystem;

namespace detail {
namespace {

// Keeps the rows of scenario `id` (UserError naming the ids present when there are none).
void keep_scenario(experiment::SummaryTable& t, const std::string& id, const char* option) {
  std::vector<std::string> ids;
  for (const auto& r : t.rows)
    if (std::find(ids.begin(), ids.end(), r.scenario) == ids.end()) ids.push_back(r.scenario);
  if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
    std::string list;
    for (const auto& s : ids) list += (list.empty() ? "" : ", ") + s;
    throw UserError(SourceLoc{std::string(option) + " " + id},
                    "no scenario '" + id + "' in " + t.path + did_you_mean(id, ids) +
                        "; expected one of its scenarios: " + list);
  }
  std::erase_if(t.rows, [&](const experiment::SummaryEntry& e) { return e.scenario != id; });
}

experiment::SummaryTable read_side(const std::string& input) {
  std::error_code ec;
  if (fs::is_directory(input, ec)) outdir::verify_result_set(input);
  return experiment::read_summary(input);
}

bool is_compare_csv(std::string_view head) { return head.starts_with("outcome,statistic,a,b,"); }

std::optional<double> finite(double x) {
  return std::isnan(x) ? std::nullopt : std::optional<double>(x);
}

// The typed result of two summary tables.
CompareResult compare_tables(const experiment::SummaryTable& a, const experiment::SummaryTable& b,
                             std::shared_ptr<CompareState> st) {
  const experiment::CompareResult c = experiment::compare_summaries(a, b);
  std::ostringstream text;
  io::CsvWriter csv(text);
  csv.row(experiment::compare_header());
  for (const experiment::CompareRow& row : c.rows) csv.row(experiment::compare_fields(row));
  st->csv = text.str();
  st->a_path = a.path;
  st->b_path = b.path;
  CompareResult r;
  r.a = a.path + (st->a_id.empty() ? "" : " (scenario " + st->a_id + ")");
  r.b = b.path + (st->b_id.empty() ? "" : " (scenario " + st->b_id + ")");
  for (const auto& row : c.rows)
    r.rows.push_back(CompareRow{row.outcome, row.statistic, row.a, row.b, row.difference,
                                finite(row.ci_low), finite(row.ci_high), finite(row.p_value),
                                row.significant});
  r.notes = c.notes;
  r.state = std::move(st);
  return r;
}

}  // namespace

std::vector<outdir::FolderLock> lock_compare_inputs(const std::vector<std::string>& inputs) {
  std::error_code ec;
  std::vector<outdir::FolderLock> locks;
  for (const auto& input : inputs)
    if (fs::is_directory(input, ec)) locks.push_back(outdir::lock_for_reading(input));
  return locks;
}

CompareOut prepare_compare_out(std::string out, const std::vector<std::string>& inputs,
                               bool overwrite) {
  CompareOut o;
  std::error_code ec;
  if (!out.empty() && (fs::is_directory(out, ec) || out.back() == '/')) {
    o.into_folder = true;
    fs::create_directories(out, ec);
    out = (fs::path(out) / "compare.csv").string();
  }
  o.file = out;
  if (out.empty()) return o;
  for (const auto& input : inputs) {  // never over what was compared
    const fs::path read =
        fs::is_directory(input, ec) ? fs::path(input) / "summary.csv" : fs::path(input);
    if (fs::exists(out, ec) && fs::equivalent(read, out, ec))
      throw UserError(SourceLoc{out}, "--out names " + read.string() +
                                          ", one of the files compared; expected another file");
  }
  const auto parent = fs::path(out).parent_path();
  if (!parent.empty() && !fs::exists(parent, ec))
    throw UserError(SourceLoc{out}, "the folder " + parent.string() +
                                        " does not exist; expected an existing folder, or "
                                        "a folder name ending in / (created)");
  const std::string folder = parent.empty() ? "." : parent.string();
  if (o.into_folder || outdir::has_lock_file(folder))  // a result folder: ours alone
    o.locks.push_back(outdir::lock_for_writing(folder, "geosim compare"));
  outdir::check_may_replace_file(out, overwrite, is_compare_csv, "geosim compare");
  return o;
}

CompareResult compare_inputs(const std::string& a, const std::string& b,
                             const CompareOptions& options) {
  std::string id_a = options.a_scenario, id_b = options.b_scenario;
  if (!options.scenario.empty() && (!id_a.empty() || !id_b.empty()))
    throw UserError(SourceLoc{"geosim compare"},
                    "give --scenario ID, or --a ID and --b ID, not both");
  if (!options.scenario.empty()) id_a = id_b = options.scenario;
  auto st = std::make_shared<CompareState>();
  st->inputs = {a, b};
  st->a_id = id_a;
  st->b_id = id_b;
  experiment::SummaryTable ta = read_side(a);
  experiment::SummaryTable tb = read_side(b);
  const bool both = !options.scenario.empty();
  if (!id_a.empty()) keep_scenario(ta, id_a, both ? "--scenario" : "--a");
  if (!id_b.empty()) keep_scenario(tb, id_b, both ? "--scenario" : "--b");
  return compare_tables(ta, tb, std::move(st));
}

void write_compare(const CompareOut& out, const CompareResult& r, bool overwrite) {
  const CompareState& st = *r.state;
  if (!out.into_folder) {
    outdir::write_output(out.file, st.csv);
    return;
  }
  // compare.csv and compare.json (which input is A and which B, for the report) appear
  // together.
  const std::string folder = fs::path(out.file).parent_path().string();
  outdir::check_may_replace_file(
      folder + "/compare.json", overwrite,
      [](std::string_view h) { return h.starts_with("{\"program\": \"geosim\""); },
      "geosim compare");
  io::JsonWriter w;
  w.begin_object();
  w.member("program", std::string("geosim"));
  w.member("command", std::string("compare"));
  w.member("a", r.a);
  w.member("b", r.b);
  w.end_object();
  outdir::Publication pub(folder);
  pub.write("compare.csv", st.csv);
  pub.write("compare.json", w.str() + "\n");
  pub.publish({});
}

}  // namespace detail

namespace {
const detail::CompareState& compare_state(const CompareResult& r) {
  return detail::state_or_refuse(r, "CompareResult", "comparison", "compare");
}
}  // namespace

CompareResult compare(const std::string& a, const std::string& b, const CompareOptions& options) {
  const std::vector<outdir::FolderLock> locks = detail::lock_compare_inputs({a, b});
  return detail::compare_inputs(a, b, options);
}

CompareResult compare(const RunResult& a, const RunResult& b) {
  auto st = std::make_shared<detail::CompareState>();
  const auto side = [](const RunResult& r) {
    return experiment::parse_summary(
        r.summary_csv(), "run of " + r.scenario + " (seed " + std::to_string(r.seed) + ")");
  };
  return detail::compare_tables(side(a), side(b), std::move(st));
}

bool CompareResult::any_significant() const {
  return std::any_of(rows.begin(), rows.end(), [](const CompareRow& r) { return r.significant; });
}

std::string CompareResult::compare_csv() const { return compare_state(*this).csv; }

std::string CompareResult::differences() const {
  const detail::CompareState& st = compare_state(*this);
  const std::string a = st.a_path + (st.a_id.empty() ? "" : " (" + st.a_id + ")");
  const std::string b = st.b_path + (st.b_id.empty() ? "" : " (" + st.b_id + ")");
  size_t n = 0;
  for (const auto& row : rows) n += row.significant;
  std::string out = "geosim compare: " + std::to_string(n) + " significant difference" +
                    (n == 1 ? "" : "s") + " at the 5% level (A = " + a + ", B = " + b +
                    "; difference = B - A):\n";
  const auto num = [](std::optional<double> x) {
    return io::format_double(x.value_or(std::nan("")));
  };
  size_t shown = 0;
  for (const auto& row : rows) {
    if (!row.significant) continue;
    if (++shown > 20) {
      out += "  ... and " + std::to_string(n - 20) + " more (see the significant column)\n";
      break;
    }
    out += "  " + row.outcome + " " + row.statistic + ": A " + io::format_double(row.a) + ", B " +
           io::format_double(row.b) + ", difference " + io::format_double(row.difference) + " [" +
           num(row.ci_low) + ", " + num(row.ci_high) + "], p = " + num(row.p_value) + "\n";
  }
  return out;
}

void CompareResult::write(const std::string& out, bool overwrite) const {
  const detail::CompareState& st = compare_state(*this);
  if (out.empty())
    throw UserError(SourceLoc{"geosim::api"}, "CompareResult::write needs a file or folder");
  const detail::CompareOut o = detail::prepare_compare_out(out, st.inputs, overwrite);
  detail::write_compare(o, *this, overwrite);
}

}  // namespace geosim::api
