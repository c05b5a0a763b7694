// ScenarioSpec: a scenario file after YAML parsing, `extends`/`remove` merging and every
// structural check (keys, types, ranges, duplicate names), but before expressions are
// compiled. It is plain data: no yaml-cpp type appears here, so nothing outside
// engine/scenario/ sees YAML. Expressions are kept as text with the position of their
// first character, so that the expression compiler can point at a column inside them.
//
// Order matters and is preserved: maps keep file order, and with `extends` the base's keys
// come first (in the base's order) and keys the child adds follow in the child's order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace geosim {

// An expression or statement as written. `loc` is the position of its first character
// (after any opening quote), so that column + offset-in-text is the column of a token
// for single-line plain or quoted scalars. A number written in YAML is kept as its text.
struct ExprText {
  std::string text;
  SourceLoc loc;
  bool empty() const { return text.empty(); }
};

// Where a number comes from (docs/format.md, "Provenance"): fitted by a calibration,
// taken from a source, or the author's judgement. kUnmarked when the file does not say.
enum class Basis { kUnmarked, kFitted, kSourced, kJudgement };

struct Provenance {
  Basis basis = Basis::kUnmarked;
  std::string from;  // which fit, which sources, or why (free text; may be empty)
};

struct ParameterSpec {
  std::string name;
  SourceLoc loc;
  double value = 0;
  std::optional<double> min, max;
  std::string doc;
  Provenance provenance;
};

// A world or actor state variable. `init` is an expression (a number is an expression).
struct VariableSpec {
  std::string name;
  SourceLoc loc;
  ExprText init;
  std::optional<double> min, max;
  std::string doc;
  Provenance provenance;
};

// "fitted", "sourced", "judgement", or "" for kUnmarked.
const char* basis_name(Basis b);

struct ActorSpec {
  std::string id;
  SourceLoc loc;
  std::string name;  // display name; defaults to the id
  std::vector<std::string> groups;
  std::vector<SourceLoc> group_locs;  // parallel to groups
  std::vector<VariableSpec> state;
};

struct RelationEntrySpec {
  std::string from, to;  // actor ids
  SourceLoc from_loc, to_loc;
  double value = 0;
};

struct RelationSpec {
  std::string name;
  SourceLoc loc;
  double default_value = 0;
  std::vector<RelationEntrySpec> entries;
};

enum class DecisionRule { kArgmax, kLogit, kSample };

struct OptionSpec {
  std::string name;
  SourceLoc loc;
  ExprText utility;  // argmax and logit
  ExprText weight;   // sample
  std::vector<ExprText> effects;
};

struct DecisionSpec {
  std::string name;
  SourceLoc loc;
  std::string actor;  // exactly one of actor / group is set
  std::string group;
  SourceLoc who_loc;  // position of the actor or group value
  ExprText when;      // empty: always
  DecisionRule rule = DecisionRule::kArgmax;
  ExprText rationality;  // logit only; required for logit
  std::vector<OptionSpec> options;
};

struct EventSpec {
  std::string name;
  SourceLoc loc;
  bool has_at = false;
  std::vector<int64_t> at;  // steps (checked to be within [0, steps))
  ExprText when;            // empty: always
  ExprText probability;     // empty: 1
  bool once = false;
  std::vector<ExprText> effects;
};

// One entry of `dynamics`: a plain statement (group empty), or `{group: g, do: [...]}`.
struct DynamicsSpec {
  std::string group;
  SourceLoc group_loc;
  std::vector<ExprText> statements;
};

enum class OutcomeKind { kFinal, kMax, kMin, kMean, kFirst, kCases };
// "final", "max", "min", "mean", "first", "cases" (as manifest.json names them).
const char* outcome_kind_name(OutcomeKind k);

struct CaseSpec {
  std::string label;
  SourceLoc loc;
  ExprText condition;
};

struct OutcomeSpec {
  std::string name;
  SourceLoc loc;
  OutcomeKind kind = OutcomeKind::kFinal;
  ExprText expr;                // all kinds but kCases
  std::vector<CaseSpec> cases;  // kCases
  // `given:` (or `run --given`): the outcome is reported over the replicates where this
  // condition holds on the final state; empty = every replicate.
  ExprText given;
};

// One actor's inputs to an issue set of `bargaining:` (docs/bargaining-in-scenarios.md).
// position and salience hold one expression per dimension of the issue set.
struct BargainingActorSpec {
  std::string actor;  // actor id
  SourceLoc loc;
  ExprText capability;
  std::vector<ExprText> position, salience;
};

// A model choice of an issue set as written: KTAB's parameter name (or the `geosim smp`
// option key) and KTAB's value name; the loader has checked both.
struct BargainingOptionSpec {
  std::string key, value;
  SourceLoc key_loc, value_loc;
};

// An issue set: one spatial model of politics over named dimensions, each dimension a
// state variable of every listed actor, and `<name>_win` each actor's winning probability.
struct BargainingSpec {
  std::string name;
  SourceLoc loc;
  std::vector<std::string> dimensions;
  std::vector<SourceLoc> dimension_locs;  // parallel to dimensions
  std::vector<BargainingOptionSpec> model;
  std::vector<BargainingActorSpec> actors;  // in file order
};

// `storyline:` (extension of format v1, docs/format.md "Storylines"): the events and
// decisions whose first occurrences, in order, make a replicate's path. The loader
// resolves the default: without the key, or with neither `events` nor `decisions`
// listed, every `once` event and every decision (any option) are items.
struct StorylineItemSpec {
  std::string name;  // an event or a decision
  SourceLoc loc;
  std::vector<std::string> labels;  // decisions: the options that count; empty = any
};
struct StorylineSpec {
  bool enabled = true;                               // `storyline: false` turns storylines off
  SourceLoc loc;                                     // the key, when written
  std::vector<StorylineItemSpec> events, decisions;  // in file order of the scenario
  bool steps = false;                                // path elements carry the step (`name@t`)
  int64_t max_length = 0;  // keep the first max_length elements of a path; 0 = all
  int64_t max_paths = 20;  // rows of storylines.csv before "(other paths)"
};

struct ScenarioSpec {
  std::string path;                // the file given by the user
  std::vector<std::string> files;  // every file read (the user's file first, then bases)
  int format_version = 1;

  std::string id;
  std::string title;
  std::string description;
  int64_t steps = 0;
  std::string step_label = "step";
  int64_t replicates = 1000;  // default when the file has none
  uint64_t seed = 1;          // default when the file has none
  std::vector<std::string> sources;

  std::vector<ParameterSpec> parameters;
  std::vector<VariableSpec> world;
  std::vector<ActorSpec> actors;
  std::vector<RelationSpec> relations;
  std::vector<DecisionSpec> decisions;
  std::vector<EventSpec> events;
  std::vector<DynamicsSpec> dynamics;
  std::vector<OutcomeSpec> outcomes;
  std::vector<ExprText> track;
  ExprText stop_when;                      // empty: never
  std::vector<BargainingSpec> bargaining;  // extension of format v1
  StorylineSpec storyline;                 // extension of format v1
};

}  // namespace geosim
