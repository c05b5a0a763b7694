// What the public types of geosim/api.h hold, and helpers shared by the API's sources and
// the command line. Not part of the public API.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/batch.h"
#include "experiment/output.h"
#include "geosim/api.h"
#include "scenario/spec.h"
#include "sim/model.h"

namespace geosim::api::detail {

struct Loaded {
  std::string path;
  ScenarioSpec spec;  // kept to recompile with --given without reading the file again
  sim::Model model;   // compiled; parameter values are the file's (a Scenario holds its own)
  std::vector<Outcome> outcomes;
};

struct RunState {
  std::shared_ptr<const Loaded> loaded;
  std::unique_ptr<sim::Model> given_model;  // compiled with RunOptions::given
  const sim::Model* model = nullptr;        // given_model or loaded->model
  PosteriorUse posterior;
  experiment::ScenarioRun run;
  bool per_run = false;
  std::vector<experiment::BlockRows> rows;  // per_run: every block, in replicate order
  int threads = 1;
  std::vector<std::string> command_line;  // the equivalent `geosim run` command
  std::string start_time;
};

struct Access {
  static Scenario make(std::shared_ptr<const Loaded> loaded);
  static const Loaded& loaded(const Scenario& s) { return *s.loaded_; }
  static const std::shared_ptr<const Loaded>& shared(const Scenario& s) { return s.loaded_; }
  // The model's uniform rows with the scenario's parameter values (by name, so that a
  // model compiled with --given, whose literals may differ, takes them too).
  static std::vector<double> uniforms(const Scenario& s, const sim::Model& model);
};

// Writes the result folder of `st` into `dir` as `geosim run --out` does: claims the folder
// (created, locked, replacing only what geosim wrote unless `overwrite`), then publishes.
void write_folder(const RunState& st, const std::string& dir, bool overwrite);

// Writes the result folder of `st` into a new private temporary folder, calls `read` on it
// and removes the folder (also when `read` throws).
std::string in_temporary_folder(const RunState& st,
                                const std::function<std::string(const std::string&)>& read);

}  // namespace geosim::api::detail
