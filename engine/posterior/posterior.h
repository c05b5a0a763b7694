// Runs over a posterior (`run --posterior FILE`, `sweep --posterior FILE`): a table of
// parameter draws, typically written by `geosim calibrate`, from which every replicate
// takes its parameter values. The draw a replicate uses is a pure function of
// (seed, replicate): one counter-based uniform, Philox(seed; replicate, kInitStep,
// kPosteriorSite, 0), mapped through the normalised cumulative weights. So outcome
// distributions include parameter uncertainty and stay byte-identical across threads,
// MPI ranks and shards, and a replicate's own random numbers are those it has without a
// posterior (common random numbers).
//
// File layout (docs/calibration.md, "Running over a posterior"): a CSV with a header;
// an optional `draw` column (a label, not read), an optional `weight` column (finite,
// >= 0, not all 0; equal weights when absent; normalised here), and one column per
// parameter. One row per draw.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "sim/engine.h"
#include "sim/model.h"

namespace geosim::posterior {

// The random call site of the draw choice. Scenario call sites count from 1 and use steps
// 0 .. steps-1 (and kInitStep for init), so (kInitStep, site 0) is used by nothing else.
inline constexpr uint32_t kPosteriorSite = 0;
// Larger files are refused (an endless device such as /dev/zero too).
inline constexpr size_t kMaxFileBytes = size_t{64} << 20;

struct Posterior {
  std::string path;                    // as given
  std::string sha256;                  // of the file's bytes
  std::vector<std::string> names;      // parameter columns, in file order
  std::vector<SourceLoc> name_locs;    // header cell of each
  std::vector<double> values;          // draws x names, row-major
  std::vector<int> lines;              // line of each draw
  std::vector<std::vector<int>> cols;  // column of each cell, per draw
  std::vector<double> weights;         // normalised, sum 1
  std::vector<double> cumulative;      // running sum of weights, in file order
  bool weighted = false;               // the file has a weight column

  size_t draws() const { return lines.size(); }
  // Kish's effective number of draws, 1 / sum(w^2).
  double effective_draws() const;
  // The draw replicate `replicate` of a run with `seed` uses.
  size_t pick(uint64_t seed, uint64_t replicate) const;
  SourceLoc cell(size_t draw, size_t column) const {
    return SourceLoc{path, lines[draw], cols[draw][column]};
  }
};

// Parses and checks the file: header, numbers, weights. Throws UserError at
// file:line:column.
Posterior parse_posterior(std::string_view text, const std::string& path);
// Reads at most kMaxFileBytes, then parse_posterior.
Posterior read_posterior(const std::string& path);

// A posterior applied to one model: the columns the model declares as parameters.
class Binding {
 public:
  Binding(const Posterior& posterior, const sim::Model& model);
  Binding(const Binding&) = delete;
  Binding& operator=(const Binding&) = delete;
  const Posterior& posterior() const { return posterior_; }
  // Names of the parameters taken from the posterior, in file order.
  const std::vector<std::string>& parameters() const { return names_; }
  const sim::ReplicateParameters& replicate_parameters() const { return rp_; }

 private:
  const Posterior& posterior_;
  std::vector<std::string> names_;
  std::vector<double> values_;  // draws x names_
  sim::ReplicateParameters rp_;
};

// Checks a posterior against the models of a batch: every column is a parameter of at
// least one model (else the nearest names are suggested), and every value lies inside
// the declared range of each model that declares it. `taken` are parameter names also
// given by --set or --vary (`option` says which), which are refused: a parameter comes
// from one place. Then binds it to every model (null where a model declares none of its
// columns). Throws UserError at the posterior's file:line:column.
std::vector<std::unique_ptr<Binding>> bind(
    const Posterior& posterior, const std::vector<const sim::Model*>& models,
    const std::vector<std::pair<std::string, std::string>>& taken);

}  // namespace geosim::posterior
