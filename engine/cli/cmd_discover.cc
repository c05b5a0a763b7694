// geosim discover RESULT --outcome NAME [--threshold T] --out DIR: scenario discovery with
// PRIM or CART over a sweep's points, per-replicate rows or a CSV (engine/discover,
// docs/discovery.md).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "cli/command.h"
#include "cli/options.h"
#include "cli/scenario_args.h"
#include "core/error.h"
#include "core/text.h"
#include "discover/cart.h"
#include "discover/data.h"
#include "discover/output.h"
#include "discover/prim.h"
#include "experiment/output.h"
#include "io/atomic_file.h"
#include "io/json.h"
#include "io/number.h"
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
  discover::Target target;
  discover::PrimOptions o;
  discover::CartOptions co;
  std::string method = "prim";
  double threshold = NAN, min_density = NAN;
  bool quiet = false, overwrite = false;
  po::options_description desc("discover options");
  desc.add_options()("outcome", po::value<std::string>(&target.outcome),
                     "the outcome (column of runs.csv or a CSV, outcome of sweep.csv)")(
      "threshold", po::value<double>(&threshold), "cases of interest: value > T")(
      "below", po::bool_switch(&target.below), "with --threshold: value < T")(
      "label", po::value<std::string>(&target.label), "cases of interest: a cases outcome's label")(
      "statistic", po::value<std::string>(&target.statistic),
      "sweep points: which statistic of sweep.csv (default probability, share:LABEL or mean)")(
      "per-point", po::bool_switch(&target.per_point),
      "a sweep folder: mine its points (sweep.csv) even when runs.csv holds its replicates")(
      "inputs", po::value<std::string>(&input_names), "NAME,...: only these inputs")(
      "method", po::value<std::string>(&method)->default_value("prim"),
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
      "min-leaf", po::value<int64_t>(&co.min_leaf)->default_value(0),
      "cart: fewest rows in a leaf (0: --mass-min of all rows)")(
      "max-depth", po::value<int>(&co.max_depth)->default_value(0),
      "cart: deepest split (0: no cap)")("ccp-alpha",
                                         po::value<double>(&co.ccp_alpha)->default_value(0),
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
  if (target.outcome.empty()) throw UserError(where, "--outcome NAME is required");
  if (out.empty())
    throw UserError(where, "--out DIR is required (boxes.csv, tradeoff.csv or tree.csv)");
  if (!std::isnan(threshold)) target.threshold = threshold;
  if (target.threshold && !target.label.empty())
    throw UserError(where, "give --threshold or --label, not both");
  if (target.below && !target.threshold) throw UserError(where, "--below needs --threshold T");
  auto in_open = [&](double v, const char* name) {
    if (!(v > 0 && v < 0.5))
      throw UserError(SourceLoc{std::string("--") + name},
                      io::format_double(v) + " is outside (0, 0.5); expected e.g. 0.05");
  };
  in_open(o.peel_alpha, "peel-alpha");
  in_open(o.paste_alpha, "paste-alpha");
  if (!(o.mass_min > 0 && o.mass_min < 1))
    throw UserError(SourceLoc{"--mass-min"}, "expected a share in (0, 1)");
  if (o.boxes < 1 || o.boxes > 100) throw UserError(SourceLoc{"--boxes"}, "expected 1 to 100");
  if (method != "prim" && method != "cart")
    throw UserError(
        SourceLoc{"--method " + method},
        "unknown method" + did_you_mean(method, {"prim", "cart"}) + "; expected prim or cart");
  const bool is_cart = method == "cart";
  for (const char* opt :
       {"boxes", "peel-alpha", "paste-alpha", "min-leaf", "max-depth", "ccp-alpha"}) {
    const bool cart_only = std::string(opt) == "min-leaf" || std::string(opt) == "max-depth" ||
                           std::string(opt) == "ccp-alpha";
    if (!vm[opt].defaulted() && cart_only != is_cart)
      throw UserError(
          SourceLoc{std::string("--") + opt},
          std::string("applies to --method ") + (cart_only ? "cart" : "prim") + ", not " + method);
  }
  if (co.min_leaf < 0) throw UserError(SourceLoc{"--min-leaf"}, "expected 0 or more rows");
  if (co.max_depth < 0 || co.max_depth > 1000)
    throw UserError(SourceLoc{"--max-depth"}, "expected 0 (no cap) to 1000");
  if (!(co.ccp_alpha >= 0 && co.ccp_alpha <= 1))
    throw UserError(SourceLoc{"--ccp-alpha"}, "expected a value in [0, 1]");
  co.mass_min = o.mass_min;
  if (!std::isnan(min_density)) {
    if (!(min_density >= 0 && min_density <= 1))
      throw UserError(SourceLoc{"--density"}, "expected a density in [0, 1]");
    o.min_density = min_density;
    co.min_density = min_density;
  }
  target.inputs = split_names(input_names);

  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(out, ec) && fs::exists(inputs[0], ec) && fs::equivalent(out, inputs[0], ec))
    throw UserError(SourceLoc{out},
                    "--out is the folder being mined; expected a folder of its "
                    "own for the discovery (it would replace the result's files)");
  // A result folder being written by another geosim command is not read half-written.
  outdir::FolderLock read_lock;
  if (fs::is_directory(inputs[0], ec)) read_lock = outdir::lock_for_reading(inputs[0]);

  const std::string start_time = experiment::utc_now_iso8601();
  const auto t0 = std::chrono::steady_clock::now();
  discover::LoadedData ld = discover::load_data(inputs[0], target);
  const auto t1 = std::chrono::steady_clock::now();
  // Everything was read and checked: only now is --out claimed (created, locked, and what
  // the result replaces checked to be geosim's discovery files).
  outdir::FolderLock lock =
      claim_out_dir(out, outdir::Kind::kDiscover, overwrite, true, "geosim discover");
  // What the command prints and records, from either method.
  struct Found {
    discover::Limits box;
    double coverage, density, mass;
  };
  std::vector<Found> found;
  discover::Limits initial;
  int64_t total_rows = 0, total_cases = 0;
  discover::PrimResult pr;
  discover::CartResult cr;
  if (is_cart) {
    cr = discover::cart(ld.data, co);
    for (const auto& b : cr.boxes) found.push_back({b.box, b.coverage, b.density, b.mass});
    initial = cr.initial;
    total_rows = cr.total_rows;
    total_cases = cr.total_cases;
  } else {
    pr = discover::prim(ld.data, o);
    for (const auto& b : pr.boxes) {
      const auto& c = b.trajectory[b.chosen];
      found.push_back({c.box, c.coverage, c.density, c.mass});
    }
    initial = pr.initial;
    total_rows = pr.total_rows;
    total_cases = pr.total_cases;
  }
  const auto t2 = std::chrono::steady_clock::now();

  auto describe = [&](io::JsonWriter& w) {
    w.member("source", ld.source);
    w.member("unit", ld.unit);
    w.member("outcome", target.outcome);
    if (target.threshold) w.member("threshold", *target.threshold);
    if (target.threshold) w.member("below", target.below);
    if (!target.label.empty()) w.member("label", target.label);
    w.member("method", method);
    w.member("rows", total_rows);
    w.member("cases", total_cases);
    w.key("inputs").begin_array();
    for (const auto& n : ld.data.names) w.value(n);
    w.end_array();
    w.key("range_low").begin_array();
    for (double v : initial.low) w.value(v);
    w.end_array();
    w.key("range_high").begin_array();
    for (double v : initial.high) w.value(v);
    w.end_array();
    w.member("mass_min", o.mass_min);
    if (!std::isnan(min_density)) w.member("density", min_density);
    if (is_cart) {
      w.member("min_leaf", cr.min_leaf);
      w.member("max_depth", static_cast<int64_t>(co.max_depth));
      w.member("ccp_alpha", co.ccp_alpha);
      w.member("nodes", static_cast<int64_t>(cr.nodes.size()));
    } else {
      w.member("peel_alpha", o.peel_alpha);
      w.member("paste_alpha", o.paste_alpha);
      w.member("boxes", static_cast<int64_t>(o.boxes));
    }
    w.member("read_seconds", std::chrono::duration<double>(t1 - t0).count());
    w.member(is_cart ? "cart_seconds" : "prim_seconds",
             std::chrono::duration<double>(t2 - t1).count());
  };
  // Every file appears together, manifest.json last; a failure leaves the folder as it was.
  outdir::Publication pub(out);
  if (is_cart) {
    pub.write("boxes.csv", discover::boxes_csv(ld.data, cr));
    pub.write("tree.csv", discover::tree_csv(ld.data, cr));
  } else {
    pub.write("boxes.csv", discover::boxes_csv(ld.data, pr));
    pub.write("tradeoff.csv", discover::tradeoff_csv(pr));
  }
  io::JsonWriter d;
  d.begin_object();
  d.member("program", std::string("geosim"));
  d.member("version", std::string(GEOSIM_VERSION));
  d.member("kind", std::string("discover"));
  describe(d);
  d.end_object();
  pub.write("discover.json", d.str() + "\n");
  io::JsonWriter w;
  w.begin_object();
  w.member("program", std::string("geosim"));
  w.member("version", std::string(GEOSIM_VERSION));
  w.member("command", std::string("discover"));
  w.key("command_line").begin_array();
  w.value(std::string("geosim"));
  for (const auto& x : args) w.value(x);
  w.end_array();
  w.member("start_time", start_time);
  w.member("wall_seconds",
           std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  w.key("discover").begin_object();
  describe(w);
  w.end_object();
  w.key("outputs").begin_array();
  for (const auto& f : pub.finish()) {
    w.begin_object();
    w.member("path", f.name);
    w.member("sha256", f.sha256);
    w.member("bytes", static_cast<int64_t>(f.size));
    w.end_object();
  }
  w.end_array();
  w.end_object();
  pub.write("manifest.json", w.str() + "\n");
  pub.publish(outdir::result_names());
  if (!quiet) {
    std::printf(
        "%lld %s, %lld cases of interest (%.3g%%), %zu inputs\n",
        static_cast<long long>(total_rows), ld.unit.c_str(), static_cast<long long>(total_cases),
        total_rows ? 100.0 * static_cast<double>(total_cases) / static_cast<double>(total_rows)
                   : 0.0,
        ld.data.names.size());
    if (is_cart)
      std::printf("cart: a tree of %zu nodes, leaves of at least %lld rows\n", cr.nodes.size(),
                  static_cast<long long>(cr.min_leaf));
    for (size_t b = 0; b < found.size(); ++b) {
      const Found& c = found[b];
      std::printf("box %zu: coverage %.3g, density %.3g, mass %.3g\n", b + 1, c.coverage, c.density,
                  c.mass);
      for (size_t j = 0; j < ld.data.names.size(); ++j) {
        if (c.box.low[j] == initial.low[j] && c.box.high[j] == initial.high[j]) continue;
        std::printf("  %-28s [%.4g, %.4g] of [%.4g, %.4g]\n", ld.data.names[j].c_str(),
                    c.box.low[j], c.box.high[j], initial.low[j], initial.high[j]);
      }
    }
    if (found.empty())
      std::printf(is_cart ? "no box: no leaf of the tree has the density asked for\n"
                          : "no box: no restriction raises the density\n");
    std::printf("written to %s (boxes.csv, %s)\n", out.c_str(),
                is_cart ? "tree.csv" : "tradeoff.csv");
  }
  return kExitOk;
}

RegisterCommand reg({"discover", kUsage,
                     "scenario discovery (PRIM or CART): which input ranges lead to an outcome",
                     discover_main});

}  // namespace
}  // namespace geosim::cli
