// Shards (`run --shard I/N`) and their merge (`geosim merge`): a shard folder holds
// shard.json (which share, and a key naming everything that determines the numbers),
// stats.bin (each scenario's partial statistics) and, with --per-run, its rows of
// runs.csv. Merging N shards gives exactly the files one process writes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "experiment/output.h"
#include "sim/model.h"

namespace geosim::cli {

struct ShardSpec {
  int64_t index = 0, count = 1;
};

// Parses "I/N" (0 <= I < N); throws UserError.
ShardSpec parse_shard(const std::string& text);

// Everything that determines the numbers of a batch: file contents, parameter values,
// seeds, replicate counts, per-run, the posterior's sha256 and the parameters taken from
// it. Shards of one run share it.
std::string batch_key(const std::vector<experiment::ScenarioRun>& runs, bool per_run);

void write_shard_folder(const std::string& dir, const ShardSpec& shard,
                        const std::vector<experiment::ScenarioRun>& runs,
                        const std::vector<std::string>& sets, const std::string& posterior,
                        bool per_run, const experiment::ManifestInfo& info);

}  // namespace geosim::cli
