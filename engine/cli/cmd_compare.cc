// geosim compare A B [--out FILE] [--fail-on-difference]: outcome-by-outcome differences
// between two result folders or summary.csv files (experiment/compare.h).
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli/command.h"
#include "cli/options.h"
#include "core/error.h"
#include "experiment/compare.h"
#include "io/atomic_file.h"
#include "io/csv.h"

namespace geosim::cli {
namespace {

constexpr const char* kUsage = "compare A B [--out FILE] [--fail-on-difference]";

int compare_main(const std::vector<std::string>& args) {
  std::vector<std::string> inputs;
  std::string out;
  po::options_description desc("compare options");
  desc.add_options()("input", po::value<std::vector<std::string>>(&inputs),
                     "two result folders (with summary.csv) or two summary.csv files")(
      "out", po::value<std::string>(&out),
      "write compare.csv here (a file; a folder gets FOLDER/compare.csv) instead of standard "
      "output")("fail-on-difference", po::bool_switch(),
                "exit with code 3 if any row is significant at the 5% level");
  po::positional_options_description pos;
  pos.add("input", -1);
  po::variables_map vm;
  if (!parse_options(args, desc, pos, vm, kUsage)) return kExitOk;
  if (inputs.size() != 2) {
    throw UserError(SourceLoc{"geosim compare"}, "expected two inputs A and B, found " +
                                                     std::to_string(inputs.size()) +
                                                     "; usage: geosim " + kUsage);
  }
  experiment::SummaryTable a = experiment::read_summary(inputs[0]);
  experiment::SummaryTable b = experiment::read_summary(inputs[1]);
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
  } else {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::is_directory(out, ec) || (!out.empty() && out.back() == '/')) {
      fs::create_directories(out, ec);
      out = (fs::path(out) / "compare.csv").string();
    }
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
    io::write_file_atomically(out, text.str());
  }
  return vm["fail-on-difference"].as<bool>() && result.any_significant() ? kExitDifference
                                                                         : kExitOk;
}

RegisterCommand reg({"compare", kUsage,
                     "compare two result folders (or summary.csv files) outcome by outcome",
                     compare_main});

}  // namespace
}  // namespace geosim::cli
