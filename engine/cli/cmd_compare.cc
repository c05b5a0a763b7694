// geosim compare A B [--out FILE] [--fail-on-difference]: outcome-by-outcome differences
// between two result folders or summary.csv files (experiment/compare.h). One folder with
// --a ID --b ID compares two scenarios of a batch; --scenario ID picks one on both sides.
#include <cstdio>
#include <iostream>

#include "api/internal.h"
#include "cli/command.h"
#include "cli/options.h"
#include "core/error.h"

namespace geosim::cli {
namespace {

constexpr const char* kUsage =
    "compare A B [--out FILE] [--fail-on-difference] [--scenario ID | --a ID --b ID]";

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
  // No input changes while it is read; --out's folder is ours alone while it is written.
  const auto locks = api::detail::lock_compare_inputs(inputs);
  const api::detail::CompareOut target = api::detail::prepare_compare_out(out, inputs, overwrite);
  api::CompareOptions options;
  options.scenario = id_both;
  options.a_scenario = id_both.empty() ? id_a : "";
  options.b_scenario = id_both.empty() ? id_b : "";
  const api::CompareResult result = api::detail::compare_inputs(inputs[0], inputs[1], options);
  for (const std::string& note : result.notes)
    std::fprintf(stderr, "geosim compare: note: %s\n", note.c_str());
  if (target.file.empty())
    std::cout << result.compare_csv() << std::flush;
  else
    api::detail::write_compare(target, result, overwrite);
  const bool fail = vm["fail-on-difference"].as<bool>() && result.any_significant();
  if (fail) std::fputs(result.differences().c_str(), stderr);
  return fail ? kExitDifference : kExitOk;
}

RegisterCommand reg({"compare", kUsage,
                     "compare two result folders (or summary.csv files) outcome by outcome",
                     compare_main});

}  // namespace
}  // namespace geosim::cli
