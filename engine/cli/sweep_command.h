// The `sweep` command as a function, so that `geosim merge` can assemble the shards of a
// sweep (`sweep --shard I/N`) with exactly the code a single sweep uses.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace geosim::cli {

// Set by `geosim merge` when it assembles sweep shards.
struct SweepMerge {
  std::vector<std::pair<std::string, int64_t>> shards;  // folder and index of each shard
  std::vector<std::string> command_line;                // the merge's, for manifest.json
};

// Runs `geosim ARGS` where args[0] is "sweep" (as commands receive them); returns the
// exit code.
// With `merge`, the folder --out already holds every point (and --resume is given).
int sweep_command(const std::vector<std::string>& args, const SweepMerge* merge = nullptr);

}  // namespace geosim::cli
