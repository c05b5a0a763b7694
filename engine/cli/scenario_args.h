// What `run`, `sweep`, `validate` and `describe` share: the options common to run and
// sweep, and claiming --out; loading and --set come from the API layer (api/batch.h).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/batch.h"
#include "cli/options.h"
#include "experiment/output.h"
#include "outdir/outdir.h"
#include "sim/model.h"

namespace geosim::cli {

// Loading, --given, --set and --posterior live in the API layer (api/batch.h), which the
// commands share with geosim/api.h.
using api::apply_sets;
using api::claim_out_dir;
using api::load_models;
using api::load_posterior;
using api::parse_set;
using api::PosteriorUse;
using api::prepare_out_dir;
using api::require_resumable;
using api::set_names;

struct RunArgs {
  std::vector<std::string> files;
  std::optional<int64_t> replicates;
  std::optional<uint64_t> seed;
  int threads = 0;                // 0: all cores
  std::vector<std::string> sets;  // NAME=VALUE
  std::string posterior;          // --posterior FILE.csv
  std::string out;
  bool per_run = false;
  bool quiet = false;
  bool report = false;
  bool overwrite = false;

  // Declares --replicates --seed --threads --set --out --quiet --report --overwrite, and
  // with `per_replicate` (run, sweep) also --posterior and --per-run, which a command that
  // fits (calibrate, backtest) neither takes nor lists in its --help.
  void add_options(po::options_description& desc, bool per_replicate = true);
  // Checks values (replicates >= 1 and < 2^32, threads >= 1 ...); throws UserError.
  void validate() const;
  int thread_count() const;
};

// Parses a --seed value: digits only, 0 to 2^64 - 1 (a sign or overflow is refused).
uint64_t parse_seed(const std::string& text);

// "geosim" and the command's arguments (args[0] is the command), for manifest.json.
std::vector<std::string> full_command_line(const std::vector<std::string>& args);

// manifest.json's command, command line, start time (now), threads and MPI ranks, for a
// command that writes a result folder.
experiment::ManifestInfo command_manifest(const std::string& command,
                                          const std::vector<std::string>& args, int threads);

}  // namespace geosim::cli
