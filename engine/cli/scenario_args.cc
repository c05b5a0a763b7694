#include "cli/scenario_args.h"

#include <charconv>
#include <filesystem>
#include <thread>

#include "core/error.h"
#include "dist/dist.h"

namespace geosim::cli {

uint64_t parse_seed(const std::string& text) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size())
    throw UserError(SourceLoc{"--seed " + text},
                    "expected a whole number from 0 to 18446744073709551615, found '" + text + "'");
  return v;
}

void RunArgs::add_options(po::options_description& desc, bool per_replicate) {
  desc.add_options()("replicates,n",
                     po::value<int64_t>()->notifier([this](int64_t v) { replicates = v; }),
                     "replicates per scenario (default: the file's)")(
      "seed,s",
      po::value<std::string>()->notifier([this](const std::string& v) { seed = parse_seed(v); }),
      "random seed, 0 to 18446744073709551615 (default: the file's)")(
      "threads,j", po::value<int>(&threads)->default_value(0), "worker threads (0: all cores)")(
      "set", po::value<std::vector<std::string>>(&sets)->composing(),
      "NAME=VALUE: set a parameter (repeatable)");
  if (per_replicate)
    desc.add_options()(
        "posterior", po::value<std::string>(&posterior)->notifier([](const std::string& v) {
          if (v.empty())
            throw UserError(SourceLoc{"--posterior"},
                            "the file name is empty; expected a CSV file");
        }),
        "FILE.csv: each replicate takes parameters from a posterior draw (docs/calibration.md)")(
        "per-run", po::bool_switch(&per_run), "also write runs.csv, one row per replicate");
  desc.add_options()("out,o", po::value<std::string>(&out)->notifier([](const std::string& v) {
    if (v.empty())
      throw UserError(SourceLoc{"--out"}, "the folder name is empty; expected a folder");
  }),
                     "write result files into this folder")("quiet,q", po::bool_switch(&quiet),
                                                            "no progress bar and no table")(
      "report", po::bool_switch(&report), "also write report.html into --out")(
      "overwrite", po::bool_switch(&overwrite),
      "replace result files in --out that geosim did not write, or that belong to another "
      "command's result");
}

void RunArgs::validate() const {
  const SourceLoc where{"geosim"};
  if (replicates && (*replicates < 1 || *replicates > 4294967295LL))
    throw UserError(where, "--replicates " + std::to_string(*replicates) +
                               " is out of range; expected 1 to 4294967295");
  if (threads < 0 || threads > 1024)
    throw UserError(where, "--threads " + std::to_string(threads) +
                               " is out of range; expected 0 (all cores) to 1024");
  if ((per_run || report) && out.empty())
    throw UserError(where, std::string(per_run ? "--per-run" : "--report") + " needs --out DIR");
  for (const auto& s : sets) parse_set(s);
}

int RunArgs::thread_count() const {
  if (threads > 0) return threads;
  unsigned hc = std::thread::hardware_concurrency();
  return hc == 0 ? 1 : static_cast<int>(hc);
}

std::vector<std::string> full_command_line(const std::vector<std::string>& args) {
  std::vector<std::string> c = {"geosim"};
  c.insert(c.end(), args.begin(), args.end());
  return c;
}

experiment::ManifestInfo command_manifest(const std::string& command,
                                          const std::vector<std::string>& args, int threads) {
  experiment::ManifestInfo info;
  info.command = command;
  info.command_line = full_command_line(args);
  info.start_time = experiment::utc_now_iso8601();
  info.threads = threads;
  info.ranks = dist::size();
  return info;
}

}  // namespace geosim::cli
