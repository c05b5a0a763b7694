// The layer under the public API (geosim/api.h) that the command line shares with it:
// loading scenario files into compiled models (reporting every file's errors together),
// `--given`, parsing and applying overrides (`--set NAME=VALUE`), and binding a posterior.
// The CLI's commands call these; nothing here knows about command-line options.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "outdir/outdir.h"
#include "posterior/posterior.h"
#include "scenario/spec.h"
#include "sim/model.h"

namespace geosim::api {

// Compiles a loaded spec; a non-empty `given` (`run --given EXPR`) makes every outcome
// conditional on it, in addition to an outcome's own `given:` (both must hold). A mistake
// in `given` is reported once, at --given:1:column.
sim::Model compile(const ScenarioSpec& spec, const std::string& given = "");

// Loads and compiles each file. Throws one UserError holding the diagnostics of every
// file that failed, so that nothing runs unless all are valid.
std::vector<std::unique_ptr<sim::Model>> load_models(const std::vector<std::string>& files,
                                                     const std::string& given = "");

// Parses NAME=VALUE (the value a finite number); errors are located at "--set TEXT".
std::pair<std::string, double> parse_set(const std::string& text);

// Applies every --set to each model that declares the parameter. A name no model
// declares is an error (with the nearest parameter names).
void apply_sets(const std::vector<std::string>& sets,
                std::vector<std::unique_ptr<sim::Model>>& models);

// Reads a posterior file (when `path` is not empty) and binds it to the models; `taken`
// are the parameter names other options set, refused if the posterior holds them too
// (name, option). Bindings are parallel to `models` (null where a model takes nothing).
struct PosteriorUse {
  std::unique_ptr<posterior::Posterior> file;
  std::vector<std::unique_ptr<posterior::Binding>> bindings;
  const posterior::Binding* at(size_t model) const {
    return model < bindings.size() ? bindings[model].get() : nullptr;
  }
};
PosteriorUse load_posterior(const std::string& path, const std::vector<const sim::Model*>& models,
                            const std::vector<std::pair<std::string, std::string>>& taken);
PosteriorUse load_posterior(const std::string& path,
                            const std::vector<std::unique_ptr<sim::Model>>& models,
                            const std::vector<std::pair<std::string, std::string>>& taken);
// (name, "--set NAME=VALUE") for every --set.
std::vector<std::pair<std::string, std::string>> set_names(const std::vector<std::string>& sets);

// Creates DIR (and its parents) if needed; an existing non-directory is a UserError.
void prepare_out_dir(const std::string& dir);

// Claims --out for a command that writes a result folder: creates it, locks it and (unless
// `check_replace` is false, as for a shard) checks that what the result replaces is
// geosim's. Rank 0 does this for all MPI ranks; a refusal is thrown on every rank, so no
// rank waits for one that gave up. Returns the lock (empty on other ranks).
outdir::FolderLock claim_out_dir(const std::string& dir, outdir::Kind kind, bool overwrite,
                                 bool check_replace, const std::string& command);

// --resume with nothing to resume is refused (UserError): `state_dir` (OUT/.calibrate,
// OUT/.backtest) does not exist, so the command would start afresh and replace a finished
// result without the user asking for a new one.
void require_resumable(const std::string& state_dir, const std::string& out,
                       const std::string& command);

}  // namespace geosim::api
