// storylines.csv (docs/outputs.md): the distinct ordered paths of a run's replicates
// through its scenario's storyline items, their shares with 95% Wilson intervals, and the
// outcomes along each path. Written from the merged RunStats::paths (story/paths.h).
#pragma once

#include <string>
#include <vector>

#include "experiment/output.h"
#include "sim/model.h"
#include "story/paths.h"

namespace geosim::experiment {

// The item names a model's path keys refer to.
std::vector<story::ItemNames> story_items(const sim::Model& model);

// True when some successful run counted storyline paths.
bool has_storylines(const std::vector<ScenarioRun>& runs);

// storylines.csv's text: scenario, rank, path, length, replicates, share, ci_low,
// ci_high, then per outcome (the union over the batch, in order of first appearance)
// mean:NAME, or share:NAME=LABEL per label of a cases outcome.
std::string storylines_text(const std::vector<ScenarioRun>& runs);

}  // namespace geosim::experiment
