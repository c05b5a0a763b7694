// Hand-written twins of the benchmark shapes (scenarios/*.yaml): each is the same model
// written the way a competent C++ programmer would write it without geosim: a plain scalar
// loop, one replicate at a time, xoshiro256++ seeded once per run, Box–Muller normals,
// std::exp for logit weights, and nothing but outcome means. They share no code with
// geosim (no geosim header is included by twins.cc) and use different random numbers, so
// agreement with geosim is statistical: outcome means within Monte Carlo error.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace shapes {

struct TwinResult {
  std::vector<double> means;  // outcome means, in the order of the scenario's outcomes
  // Per-step means of each tracked expression, [track][step] (a user's trajectory).
  std::vector<std::vector<double>> track_means;
};

using Twin = TwinResult (*)(uint64_t seed, int64_t replicates);

struct ShapeInfo {
  const char* name;  // scenarios/<name>.yaml
  Twin twin;
};

// Every shape, in the order the suite reports them.
const std::vector<ShapeInfo>& all_shapes();

}  // namespace shapes
