// Loading a scenario file: the only door from YAML into the engine. The result is a
// ScenarioSpec (scenario/spec.h) in which every structural rule of the format holds; names
// inside expressions are checked later by the expression compiler.
//
// Steps, for one file:
//  1. Read it. A missing file, a directory or other non-regular file, an unreadable or
//     over-large (64 MiB) file, an empty file, binary data (NUL or control bytes, invalid
//     UTF-8), a YAML syntax error, a second YAML document, a duplicate key in any mapping,
//     or an alias expanding past a million nodes is refused with file:line:column.
//  2. Every file (bases included) must say `geosim: 1`.
//  3. `extends: PATH` (relative to the folder of the file that names it) loads PATH the same
//     way, recursively; a chain that comes back to a file already in it is refused, the
//     message showing the chain (a.yaml -> b.yaml -> a.yaml).
//  4. The file is merged onto its base: mappings key by key, recursively; anything else
//     (scalars, lists, a mapping meeting a non-mapping) is replaced by the file's value.
//     Keys of the base keep the base's order; keys the file adds follow in its order.
//  5. The file's own top-level `remove: [section.name, ...]` then deletes entries from the
//     merged result; section is parameters, world, actors, relations, decisions, events or
//     outcomes, and the name must exist after merging. Removing an actor also drops the
//     relation rows and columns that name it, and nothing else (a decision still naming it
//     is then an error). `extends` and `remove` are not inherited by files extending this one.
//  6. The merged tree of the user's file is checked and turned into a ScenarioSpec.
// Every problem found is reported (a UserError with one diagnostic each, in reading order:
// the user's file first, then its bases, each by line and column), except that a file-level
// failure (step 1, a file that is not a mapping, an extends loop, an `extends` that is not
// a path or names a file that cannot be read) stops checking at once. Messages follow
// "<file>:<line>:<col>: <what was found>; expected <what>", name the value by its YAML path
// (list indices from 0, as in dynamics[1] or events.e.at[0]), and end with
// " (did you mean 'x'?)" when a misspelled key or name has near candidates.
//
// Locations: every node keeps the file it was written in, so a key inherited from a base
// is reported in the base. Lines and columns are 1-based and count bytes. A mapping merged
// from two files keeps the base's position. ExprText.loc is the first character of the
// expression: after the opening quote of a quoted scalar (escape sequences such as \" then
// shift later columns by one), and for a block scalar (| or >) the first non-blank
// character of its first content line; columns inside a multi-line scalar are only exact on
// its first line. A number or boolean written where an expression is expected is kept as
// its text (True/TRUE/False/FALSE become true/false); .inf, .nan and overflowing numbers
// such as 1e999 are refused.
//
// Values: a number field (parameter value, min, max, relation entries) takes a plain YAML
// number; a quoted "0.5" is refused. Integer fields (steps, replicates, seed, at) also take
// an integral decimal such as 1e3 (seed only plain digits). Booleans (once) are true/false
// (any case YAML 1.2 allows), not yes/no or 1/0. The sections parameters, world, actors,
// relations, decisions, events, dynamics, outcomes and track, an actor's body, state,
// groups, a relation and scenario.sources may be left empty (`events:`): they are then
// empty; `remove:` left empty removes nothing.
//
// The `bargaining:` section (an extension of format v1, docs/bargaining-in-scenarios.md) is
// checked here too: issue-set and dimension names, declared actors, one position and one
// salience per dimension, KTAB model parameter names and values (with the nearest valid
// ones), and dimensions (or <issue>_win) that would clash with an actor's state. It may be
// left empty; `remove:` does not reach into it.
#pragma once

#include <string>

#include "scenario/spec.h"

namespace geosim {

// Loads `path` as described above. `spec.files` lists every file read, `path` first, then
// its bases in the order of the extends chain (for checksums in manifests).
ScenarioSpec load_scenario_spec(const std::string& path);

// The same from text already in memory (tests, tools): `display_path` names it in
// messages, heads `spec.files`, and its folder is where `extends` paths start.
ScenarioSpec load_scenario_spec_from_string(const std::string& text,
                                            const std::string& display_path);

}  // namespace geosim
