// What `run`, `sweep`, `validate` and `describe` share: loading scenario files into
// compiled models (reporting every file's errors together), the options common to run
// and sweep, and applying --set.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/options.h"
#include "outdir/outdir.h"
#include "posterior/posterior.h"
#include "sim/model.h"

namespace geosim::cli {

// Loads and compiles each file. Throws one UserError holding the diagnostics of every
// file that failed, so that nothing runs unless all are valid. A non-empty `given`
// (`run --given EXPR`) makes every outcome conditional on it, in addition to an outcome's
// own `given:` (both must hold).
std::vector<std::unique_ptr<sim::Model>> load_models(const std::vector<std::string>& files,
                                                     const std::string& given = "");

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

// Parses NAME=VALUE.
std::pair<std::string, double> parse_set(const std::string& text);

// Applies every --set to each model that declares the parameter. A name no model
// declares is an error (with the nearest parameter names).
void apply_sets(const std::vector<std::string>& sets,
                std::vector<std::unique_ptr<sim::Model>>& models);

// Reads --posterior FILE (when given) and binds it to the models; `taken` are the
// parameter names other options set, refused if the posterior holds them too (name,
// option). Bindings are parallel to `models` (null where a model takes nothing from it).
struct PosteriorUse {
  std::unique_ptr<posterior::Posterior> file;
  std::vector<std::unique_ptr<posterior::Binding>> bindings;
  const posterior::Binding* at(size_t model) const {
    return model < bindings.size() ? bindings[model].get() : nullptr;
  }
};
PosteriorUse load_posterior(const std::string& path,
                            const std::vector<std::unique_ptr<sim::Model>>& models,
                            const std::vector<std::pair<std::string, std::string>>& taken);
// (name, "--set NAME=VALUE") for every --set.
std::vector<std::pair<std::string, std::string>> set_names(const std::vector<std::string>& sets);

// Creates DIR (and its parents) if needed; an existing non-directory is a UserError.
void prepare_out_dir(const std::string& dir);

// --resume with nothing to resume is refused (UserError): `state_dir` (OUT/.calibrate,
// OUT/.backtest) does not exist, so the command would start afresh and replace a finished
// result without the user asking for a new one.
void require_resumable(const std::string& state_dir, const std::string& out,
                       const std::string& command);

// Claims --out for a command that writes a result folder: creates it, locks it and (unless
// `check_replace` is false, as for a shard) checks that what the result replaces is
// geosim's. Rank 0 does this for all MPI ranks; a refusal is thrown on every rank, so no
// rank waits for one that gave up. Returns the lock (empty on other ranks).
outdir::FolderLock claim_out_dir(const std::string& dir, outdir::Kind kind, bool overwrite,
                                 bool check_replace, const std::string& command);

}  // namespace geosim::cli
