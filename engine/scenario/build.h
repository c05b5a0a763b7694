// Turns the merged tree of a scenario into a ScenarioSpec, checking every structural rule
// of the format (keys, types, ranges, names, references to actors and groups). Internal to
// engine/scenario/; load.h documents the behaviour for users of the loader.
#pragma once

#include "core/error.h"
#include "scenario/spec.h"
#include "scenario/tree.h"

namespace geosim::loader {

// Fills everything in `spec` but `path` and `files` from `root` (a mapping), adding every
// problem found to `diags` rather than stopping at the first.
void build_spec(const Node& root, ScenarioSpec& spec, DiagnosticList& diags);

// True if `name` is an identifier ([A-Za-z_][A-Za-z0-9_]*).
bool is_identifier(std::string_view name);

}  // namespace geosim::loader
