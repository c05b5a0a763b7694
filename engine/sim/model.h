// A Model is a scenario compiled for the lane engine: every expression is a Program over
// rows, every name is a row index, and nothing refers to YAML or to strings on the hot
// path. It is immutable once built, except for parameter values, which live in uniform
// rows (`uniforms`) so that one compiled model serves every point of a sweep.
//
// Row space of a block (each row = kLanes doubles):
//   [0, n_state)                      state: world variables, actor variables, relation
//                                     entries that some statement assigns
//   [special_base, uniform_base)      engine rows: t, alive, masks, decision scratch,
//                                     outcome accumulators, `once` flags
//   [uniform_base, temp_base)         uniform rows: parameters, `steps`, literals,
//                                     relation entries nobody assigns
//   [temp_base, n_rows)               temporaries of programs
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bargain/smp_options.h"
#include "expr/program.h"
#include "scenario/spec.h"

namespace geosim::sim {

using expr::Program;

struct Bound {
  int32_t row;
  double lo, hi;  // -inf / +inf when absent
};

struct EventModel {
  std::string name;
  SourceLoc loc;
  std::vector<char> at;  // per step: 1 when `at` holds; empty = every step
  Program when;          // result row; empty program + result -1 = always
  Program probability;   // result -1 = 1
  uint32_t site = 0;     // the probability draw
  bool once = false;
  int32_t fired_row = -1;
  int32_t story_row = -1;  // storyline item: 1 + the step it first fired, 0 before
  std::vector<Program> effects;
};

struct OptionModel {
  std::string name;
  Program value;  // utility or weight, into value_row
  int32_t value_row = -1;
  std::vector<Program> effects;
};

// One decision for one member (a group decision has one instance per member).
struct DecisionModel {
  std::string name;
  std::string member;  // actor id
  SourceLoc loc;
  DecisionRule rule = DecisionRule::kArgmax;
  Program when;         // result -1 = always
  Program rationality;  // logit
  uint32_t site = 0;    // the choice draw (logit, sample)
  int32_t active_row = -1, choice_row = -1, rationality_row = -1;
  std::vector<OptionModel> options;
  // Storyline item: 1 + the step of the first choice of a counted option (0 before) and
  // that option's index; story_options[j] != 0 when option j counts (empty: every option).
  int32_t story_row = -1, story_label_row = -1;
  std::vector<char> story_options;
};

struct OutcomeModel {
  std::string name;
  SourceLoc loc;
  OutcomeKind kind = OutcomeKind::kFinal;
  Program expr;            // not for kCases
  int32_t acc_row = -1;    // max/min/mean: running value; first: step or -1
  int32_t count_row = -1;  // mean: steps counted
  std::vector<std::string> labels;
  std::vector<Program> conditions;  // kCases, parallel to labels
  Program given;                    // result -1: no condition (every replicate counts)
  std::string given_text;           // as written, for describe and messages
  bool conditional() const { return given.result >= 0; }
};

struct TrackModel {
  std::string name;  // as written, e.g. "sum(csto.troops)"
  Program expr;
};

// An issue set of `bargaining:` compiled: everything per actor is indexed by the actor's
// place in the issue set (file order), per (actor, dimension) by actor * dims + dimension.
struct BargainingModel {
  std::string name;
  SourceLoc loc;
  bargain::SmpOptions options;
  int n_actors = 0, n_dims = 0;
  std::vector<std::string> actor_ids, dimensions;  // for messages
  std::vector<Program> capability;                 // into capability_rows
  std::vector<int32_t> capability_rows;
  std::vector<Program> salience;  // into salience_rows
  std::vector<int32_t> salience_rows;
  std::vector<int32_t> position_rows;  // state rows
  std::vector<int32_t> win_rows;       // state rows, per actor
  uint32_t site = 0;                   // stochastic transitions' draws
};

struct ParameterInfo {
  std::string name;
  double value;
  std::optional<double> min, max;
  std::string doc;
  int32_t row;
};

struct Model {
  // Description (for describe, manifests and reports).
  std::string path;
  std::vector<std::string> files;
  std::string id, title, description, step_label;
  std::vector<std::string> sources;
  int64_t steps = 0;
  int64_t default_replicates = 0;
  uint64_t default_seed = 0;
  std::vector<ParameterInfo> parameters;
  std::vector<std::string>
      state_names;  // per state row: "world.x", "kremlin.troops", "alignment[a, b]"
  std::vector<std::string> actor_ids, actor_names;
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;  // name -> member ids

  // Layout.
  int32_t n_state = 0, special_base = 0, uniform_base = 0, temp_base = 0, n_rows = 0;
  int32_t t_row = -1, alive_row = -1, mask_row = -1, scratch_row = -1;
  std::vector<double> uniforms;  // values of rows [uniform_base, temp_base)

  // Behaviour, in the order the format prescribes.
  std::vector<Program> init;  // world, then actors, then assigned relation entries
  // State variables whose `init` draws at random (the uncertain inputs a scenario
  // declares), in init order: recorded per replicate as runs.csv's init: columns.
  struct InitDraw {
    std::string name;  // "world.protest", "kremlin.capacity"
    int32_t row = -1;
  };
  std::vector<InitDraw> init_draws;
  std::vector<int32_t> zero_rows;  // special rows reset to 0 at block start
  std::vector<EventModel> events;
  std::vector<DecisionModel> decisions;
  std::vector<Program> dynamics;
  std::vector<BargainingModel> bargaining;  // phase 3b, after dynamics
  std::vector<Bound> bounds;
  std::vector<TrackModel> track;
  std::vector<OutcomeModel> outcomes;
  Program stop_when;  // result -1 = never

  // Storylines (`storyline:`, docs/format.md): the items whose first occurrences make a
  // replicate's path, in phase order (events in file order, then decisions in file order,
  // member by member), which is also the order of items that first occur on one step.
  // step_row holds 1 + the step of the first occurrence (0: never); label_row, for a
  // decision, the index of the option chosen then (-1 for an event).
  struct StoryItem {
    std::string name;                  // "armed_escalation", "contribute[armenia]"
    std::vector<std::string> options;  // a decision's option names; empty for an event
    int32_t step_row = -1, label_row = -1;
  };
  std::vector<StoryItem> story;  // empty: no storylines
  bool story_steps = false;
  int64_t story_max_length = 0;  // 0: whole paths
  int64_t story_max_paths = 20;

  // Sets a parameter for subsequent runs; throws UserError (with the nearest names) if
  // unknown or outside its declared [min, max].
  void set_parameter(const std::string& name, double value, const SourceLoc& where);
  // The checks of set_parameter without setting: returns the parameter.
  const ParameterInfo& check_parameter(const std::string& name, double value,
                                       const SourceLoc& where) const;
  const ParameterInfo* find_parameter(const std::string& name) const;
};

// Compiles a loaded spec. Throws UserError listing every name/arity/target problem.
Model build_model(const ScenarioSpec& spec);

}  // namespace geosim::sim
