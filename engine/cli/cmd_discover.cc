// geosim discover RESULT --outcome NAME [--threshold T] --out DIR: scenario discovery with
// PRIM over a sweep's points, per-replicate rows or a CSV (engine/discover, docs/discovery.md).
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
    "discover RESULT --outcome NAME [--threshold T [--below] | --label L] --out DIR";

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
      "boxes", po::value<int>(&o.boxes)->default_value(1), "covering: up to this many boxes")(
      "peel-alpha", po::value<double>(&o.peel_alpha)->default_value(0.05),
      "share of the box peeled per step")(
      "paste-alpha", po::value<double>(&o.paste_alpha)->default_value(0.05),
      "share pasted back per step")("mass-min", po::value<double>(&o.mass_min)->default_value(0.05),
                                    "smallest box, as a share of all rows")(
      "density", po::value<double>(&min_density),
      "choose on each trade-off curve the box of highest coverage with at least this density "
      "(default: the last, peeled and pasted)")(
      "out", po::value<std::string>(&out), "write boxes.csv, tradeoff.csv, discover.json here")(
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
  if (out.empty()) throw UserError(where, "--out DIR is required (boxes.csv and tradeoff.csv)");
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
  if (!std::isnan(min_density)) {
    if (!(min_density >= 0 && min_density <= 1))
      throw UserError(SourceLoc{"--density"}, "expected a density in [0, 1]");
    o.min_density = min_density;
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
  discover::PrimResult r = discover::prim(ld.data, o);
  const auto t2 = std::chrono::steady_clock::now();

  auto describe = [&](io::JsonWriter& w) {
    w.member("source", ld.source);
    w.member("unit", ld.unit);
    w.member("outcome", target.outcome);
    if (target.threshold) w.member("threshold", *target.threshold);
    if (target.threshold) w.member("below", target.below);
    if (!target.label.empty()) w.member("label", target.label);
    w.member("rows", r.total_rows);
    w.member("cases", r.total_cases);
    w.key("inputs").begin_array();
    for (const auto& n : ld.data.names) w.value(n);
    w.end_array();
    w.key("range_low").begin_array();
    for (double v : r.initial.low) w.value(v);
    w.end_array();
    w.key("range_high").begin_array();
    for (double v : r.initial.high) w.value(v);
    w.end_array();
    w.member("peel_alpha", o.peel_alpha);
    w.member("paste_alpha", o.paste_alpha);
    w.member("mass_min", o.mass_min);
    w.member("boxes", static_cast<int64_t>(o.boxes));
    w.member("read_seconds", std::chrono::duration<double>(t1 - t0).count());
    w.member("prim_seconds", std::chrono::duration<double>(t2 - t1).count());
  };
  // Every file appears together, manifest.json last; a failure leaves the folder as it was.
  outdir::Publication pub(out);
  pub.write("boxes.csv", discover::boxes_csv(ld.data, r));
  pub.write("tradeoff.csv", discover::tradeoff_csv(r));
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
    std::printf("%lld %s, %lld cases of interest (%.3g%%), %zu inputs\n",
                static_cast<long long>(r.total_rows), ld.unit.c_str(),
                static_cast<long long>(r.total_cases),
                r.total_rows
                    ? 100.0 * static_cast<double>(r.total_cases) / static_cast<double>(r.total_rows)
                    : 0.0,
                ld.data.names.size());
    for (size_t b = 0; b < r.boxes.size(); ++b) {
      const auto& c = r.boxes[b].trajectory[r.boxes[b].chosen];
      std::printf("box %zu: coverage %.3g, density %.3g, mass %.3g\n", b + 1, c.coverage, c.density,
                  c.mass);
      for (size_t j = 0; j < ld.data.names.size(); ++j) {
        if (c.box.low[j] == r.initial.low[j] && c.box.high[j] == r.initial.high[j]) continue;
        std::printf("  %-28s [%.4g, %.4g] of [%.4g, %.4g]\n", ld.data.names[j].c_str(),
                    c.box.low[j], c.box.high[j], r.initial.low[j], r.initial.high[j]);
      }
    }
    if (r.boxes.empty()) std::printf("no box: no restriction raises the density\n");
    std::printf("written to %s (boxes.csv, tradeoff.csv)\n", out.c_str());
  }
  return kExitOk;
}

RegisterCommand reg({"discover", kUsage,
                     "scenario discovery (PRIM): which input ranges lead to an outcome",
                     discover_main});

}  // namespace
}  // namespace geosim::cli
