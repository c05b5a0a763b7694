// geosim discover RESULT --outcome NAME [--threshold T] --out DIR: scenario discovery with
// PRIM or CART over a sweep's points, per-replicate rows or a CSV (engine/discover,
// docs/discovery.md).
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "api/internal.h"
#include "cli/command.h"
#include "cli/options.h"
#include "cli/scenario_args.h"
#include "core/error.h"
#include "outdir/outdir.h"

namespace geosim::cli {
namespace {

constexpr const char* kUsage =
    "discover RESULT --outcome NAME [--threshold T [--below] | --label L] [--method prim|cart] "
    "--out DIR";

std::vector<std::string> split_names(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s + ",") {
    if (c == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else if (c != ' ') {
      cur += c;
    }
  }
  return out;
}

int discover_main(const std::vector<std::string>& args) {
  std::vector<std::string> inputs;
  std::string out, input_names;
  api::DiscoverOptions o;
  double threshold = NAN, min_density = NAN;
  bool quiet = false, overwrite = false;
  po::options_description desc("discover options");
  desc.add_options()("outcome", po::value<std::string>(&o.outcome),
                     "the outcome (column of runs.csv or a CSV, outcome of sweep.csv)")(
      "threshold", po::value<double>(&threshold), "cases of interest: value > T")(
      "below", po::bool_switch(&o.below), "with --threshold: value < T")(
      "label", po::value<std::string>(&o.label), "cases of interest: a cases outcome's label")(
      "statistic", po::value<std::string>(&o.statistic),
      "sweep points: which statistic of sweep.csv (default probability, share:LABEL or mean)")(
      "per-point", po::bool_switch(&o.per_point),
      "a sweep folder: mine its points (sweep.csv) even when runs.csv holds its replicates")(
      "inputs", po::value<std::string>(&input_names), "NAME,...: only these inputs")(
      "method", po::value<std::string>(&o.method)->default_value("prim"),
      "prim (boxes by peeling) or cart (a classification tree; its leaves as boxes)")(
      "boxes", po::value<int>(&o.boxes)->default_value(1), "covering: up to this many boxes")(
      "peel-alpha", po::value<double>(&o.peel_alpha)->default_value(0.05, "0.05"),
      "share of the box peeled per step")(
      "paste-alpha", po::value<double>(&o.paste_alpha)->default_value(0.05, "0.05"),
      "share pasted back per step")("mass-min",
                                    po::value<double>(&o.mass_min)->default_value(0.05, "0.05"),
                                    "smallest box (prim) or leaf (cart), as a share of all rows")(
      "density", po::value<double>(&min_density),
      "prim: choose on each trade-off curve the box of highest coverage with at least this "
      "density (default: the last, peeled and pasted); cart: the leaves of at least this "
      "density are boxes (default: those where cases are the majority)")(
      "min-leaf", po::value<int64_t>(&o.min_leaf)->default_value(0),
      "cart: fewest rows in a leaf (0: --mass-min of all rows)")(
      "max-depth", po::value<int>(&o.max_depth)->default_value(0),
      "cart: deepest split (0: no cap)")("ccp-alpha",
                                         po::value<double>(&o.ccp_alpha)->default_value(0),
                                         "cart: cost-complexity pruning parameter (0: none)")(
      "out", po::value<std::string>(&out),
      "write boxes.csv, tradeoff.csv (prim) or tree.csv (cart), discover.json and "
      "manifest.json here")(
      "overwrite", po::bool_switch(&overwrite),
      "replace result files in --out that geosim did not write or that belong to another "
      "command's result")("quiet,q", po::bool_switch(&quiet), "print nothing");
  po::options_description hidden;
  hidden.add_options()("input", po::value<std::vector<std::string>>(&inputs), "result");
  desc.add(hidden);
  po::positional_options_description pos;
  pos.add("input", -1);
  po::variables_map vm;
  if (!parse_options(args, desc, pos, vm, kUsage)) return kExitOk;
  const SourceLoc where{"geosim discover"};
  if (inputs.size() != 1)
    throw UserError(where,
                    "expected one result folder or CSV file; usage: geosim " + std::string(kUsage));
  if (o.outcome.empty()) throw UserError(where, "--outcome NAME is required");
  if (out.empty())
    throw UserError(where, "--out DIR is required (boxes.csv, tradeoff.csv or tree.csv)");
  if (!std::isnan(threshold)) o.threshold = threshold;
  if (!std::isnan(min_density)) o.density = min_density;
  o.inputs = split_names(input_names);
  std::vector<std::string> given;  // the method options given, whatever their value
  for (const char* opt :
       {"boxes", "peel-alpha", "paste-alpha", "min-leaf", "max-depth", "ccp-alpha"})
    if (!vm[opt].defaulted()) given.emplace_back(opt);
  api::detail::check_discover_options(o, given);

  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(out, ec) && fs::exists(inputs[0], ec) && fs::equivalent(out, inputs[0], ec))
    throw UserError(SourceLoc{out},
                    "--out is the folder being mined; expected a folder of its "
                    "own for the discovery (it would replace the result's files)");
  // A result folder being written by another geosim command is not read half-written.
  outdir::FolderLock read_lock;
  if (fs::is_directory(inputs[0], ec)) read_lock = outdir::lock_for_reading(inputs[0]);
  const api::DiscoverResult r = api::detail::discover_data(inputs[0], o, "");
  api::detail::write_discover_folder(*r.state, out, overwrite, full_command_line(args), -1);
  if (!quiet) {
    std::fputs(r.text().c_str(), stdout);
    std::printf("written to %s (boxes.csv, %s)\n", out.c_str(),
                o.method == "cart" ? "tree.csv" : "tradeoff.csv");
  }
  return kExitOk;
}

RegisterCommand reg({"discover", kUsage,
                     "scenario discovery (PRIM or CART): which input ranges lead to an outcome",
                     discover_main});

}  // namespace
}  // namespace geosim::cli
