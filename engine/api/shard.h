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

namespace geosim::api {

struct ShardSpec {
  int64_t index = 0, count = 1;
};

// Parses "I/N" (0 <= I < N); throws UserError.
ShardSpec parse_shard(const std::string& text);

// Everything that determines the numbers of a batch: file contents, parameter values,
// seeds, replicate counts, per-run, the posterior's sha256 and the parameters taken from
// it. Shards of one run share it.
std::string batch_key(const std::vector<experiment::ScenarioRun>& runs, bool per_run);

// Writes stats.bin (sealed: io/sealed.h; the batch key, then each scenario's partial
// result) and shard.json (listing each per-run part with its size and sha256, checked by
// merge before it writes anything), as one outdir::Publication, shard.json last.
void write_shard_folder(const std::string& dir, const ShardSpec& shard,
                        const std::vector<experiment::ScenarioRun>& runs,
                        const std::vector<std::string>& sets, const std::string& posterior,
                        const std::string& given, bool per_run,
                        const experiment::ManifestInfo& info,
                        const std::vector<std::pair<size_t, std::string>>& parts);

// The scenarios' partial results in a shard's stats.bin (`bytes`, read from `path`),
// decoded into `runs` (whose models are set). A damaged, truncated, extended or foreign
// file, or one of another batch than `key`, is a UserError.
void read_shard_stats(std::string_view bytes, const std::string& path, const std::string& key,
                      std::vector<experiment::ScenarioRun>& runs);

// 3: an outcome's statistics hold the count of replicates where its `given` held.
inline constexpr int kShardStatsVersion = 4;

}  // namespace geosim::api
