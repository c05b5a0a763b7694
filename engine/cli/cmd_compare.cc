// geosim compare A B [--out FILE] [--fail-on-difference]: outcome-by-outcome differences
// between two result folders or summary.csv files (experiment/compare.h). One folder with
// --a ID --b ID compares two scenarios of a batch; --scenario ID picks one on both sides.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>
#include <sstream>

#include "cli/command.h"
#include "cli/options.h"
#include "core/error.h"
#include "core/text.h"
#include "experiment/compare.h"
#include "io/csv.h"
#include "io/json.h"
#include "io/number.h"
#include "outdir/outdir.h"

namespace geosim::cli {
namespace {

constexpr const char* kUsage =
    "compare A B [--out FILE] [--fail-on-difference] [--scenario ID | --a ID --b ID]";

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
  if (std::filesystem::is_directory(input, ec)) outdir::verify_result_set(input);
  return experiment::read_summary(input);
}

bool is_compare_csv(std::string_view head) { return head.starts_with("outcome,statistic,a,b,"); }

// What --fail-on-difference found, on standard error: which side is which and each
// significant row (at most 20).
void say_differences(const experiment::CompareResult& result, const std::string& a,
                     const std::string& b) {
  size_t n = 0;
  for (const auto& row : result.rows) n += row.significant;
  std::fprintf(stderr,
               "geosim compare: %zu significant difference%s at the 5%% level (A = %s, B = %s; "
               "difference = B - A):\n",
               n, n == 1 ? "" : "s", a.c_str(), b.c_str());
  size_t shown = 0;
  for (const auto& row : result.rows) {
    if (!row.significant) continue;
    if (++shown > 20) {
      std::fprintf(stderr, "  ... and %zu more (see the significant column)\n", n - 20);
      break;
    }
    std::fprintf(stderr, "  %s %s: A %s, B %s, difference %s [%s, %s], p = %s\n",
                 row.outcome.c_str(), row.statistic.c_str(), io::format_double(row.a).c_str(),
                 io::format_double(row.b).c_str(), io::format_double(row.difference).c_str(),
                 io::format_double(row.ci_low).c_str(), io::format_double(row.ci_high).c_str(),
                 io::format_double(row.p_value).c_str());
  }
}

int compare_main(const std::vector<std::string>& args) {
  std::vector<std::string> inputs;
  std::string out, id_a, id_b, id_both;
  bool overwrite = false;
  po::options_description desc("compare options");
  desc.add_options()("input", po::value<std::vector<std::string>>(&inputs),
                     "two result folders (with summary.csv) or two summary.csv files")(
      "out", po::value<std::string>(&out),
      "write compare.csv here (a file; a folder gets FOLDER/compare.csv) instead of standard "
      "output")("fail-on-difference", po::bool_switch(),
                "exit with code 3 if any row is significant at the 5% level, listing those "
                "rows on standard error")("scenario", po::value<std::string>(&id_both),
                                          "compare only scenario ID of A and of B")(
      "a", po::value<std::string>(&id_a), "side A is scenario ID (of A, or of the one input)")(
      "b", po::value<std::string>(&id_b), "side B is scenario ID (of B, or of the one input)")(
      "overwrite", po::bool_switch(&overwrite), "replace an --out file geosim did not write");
  po::positional_options_description pos;
  pos.add("input", -1);
  po::variables_map vm;
  if (!parse_options(args, desc, pos, vm, kUsage)) return kExitOk;
  const SourceLoc where{"geosim compare"};
  if (!id_both.empty() && (!id_a.empty() || !id_b.empty()))
    throw UserError(where, "give --scenario ID, or --a ID and --b ID, not both");
  if (!id_both.empty()) id_a = id_b = id_both;
  if (inputs.size() == 1 && (id_a.empty() || id_b.empty()))
    throw UserError(where,
                    "expected two inputs A and B, or one with --a ID and --b ID (two "
                    "scenarios of its batch); usage: geosim " +
                        std::string(kUsage));
  if (inputs.size() == 1) inputs.push_back(inputs[0]);
  if (inputs.size() != 2) {
    throw UserError(where, "expected two inputs A and B, found " + std::to_string(inputs.size()) +
                               "; usage: geosim " + kUsage);
  }
  namespace fs = std::filesystem;
  std::error_code ec;
  // No input changes while it is read; --out's folder is ours alone while it is written.
  std::vector<outdir::FolderLock> locks;
  for (const auto& input : inputs)
    if (fs::is_directory(input, ec)) locks.push_back(outdir::lock_for_reading(input));
  bool into_folder = false;
  if (!out.empty() && (fs::is_directory(out, ec) || out.back() == '/')) {
    into_folder = true;
    fs::create_directories(out, ec);
    out = (fs::path(out) / "compare.csv").string();
  }
  if (!out.empty()) {
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
    if (into_folder || outdir::has_lock_file(folder))  // a result folder: ours alone
      locks.push_back(outdir::lock_for_writing(folder, "geosim compare"));
    outdir::check_may_replace_file(out, overwrite, is_compare_csv, "geosim compare");
  }
  experiment::SummaryTable a = read_side(inputs[0]);
  experiment::SummaryTable b = read_side(inputs[1]);
  if (!id_a.empty()) keep_scenario(a, id_a, id_both.empty() ? "--a" : "--scenario");
  if (!id_b.empty()) keep_scenario(b, id_b, id_both.empty() ? "--b" : "--scenario");
  experiment::CompareResult result = experiment::compare_summaries(a, b);
  for (const std::string& note : result.notes) {
    std::fprintf(stderr, "geosim compare: note: %s\n", note.c_str());
  }

  std::ostringstream text;
  io::CsvWriter csv(text);
  csv.row(experiment::compare_header());
  for (const experiment::CompareRow& row : result.rows) csv.row(experiment::compare_fields(row));
  if (out.empty()) {
    std::cout << text.str() << std::flush;
  } else if (into_folder) {
    // compare.csv and compare.json (which input is A and which B, for the report) appear
    // together.
    const std::string folder = fs::path(out).parent_path().string();
    outdir::check_may_replace_file(
        folder + "/compare.json", overwrite,
        [](std::string_view h) { return h.starts_with("{\"program\": \"geosim\""); },
        "geosim compare");
    io::JsonWriter w;
    w.begin_object();
    w.member("program", std::string("geosim"));
    w.member("command", std::string("compare"));
    w.member("a", a.path + (id_a.empty() ? "" : " (scenario " + id_a + ")"));
    w.member("b", b.path + (id_b.empty() ? "" : " (scenario " + id_b + ")"));
    w.end_object();
    outdir::Publication pub(folder);
    pub.write("compare.csv", text.str());
    pub.write("compare.json", w.str() + "\n");
    pub.publish({});
  } else {
    outdir::write_output(out, text.str());
  }
  const bool fail = vm["fail-on-difference"].as<bool>() && result.any_significant();
  if (fail)
    say_differences(result, a.path + (id_a.empty() ? "" : " (" + id_a + ")"),
                    b.path + (id_b.empty() ? "" : " (" + id_b + ")"));
  return fail ? kExitDifference : kExitOk;
}

RegisterCommand reg({"compare", kUsage,
                     "compare two result folders (or summary.csv files) outcome by outcome",
                     compare_main});

}  // namespace
}  // namespace geosim::cli
