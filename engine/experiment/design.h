// Sampling designs for sweeps: which parameter points a sweep runs (docs/experiments.md).
//
// A Design is plain data: the varied parameter names and one vector of values per point,
// in run order, plus what sensitivity.h needs to turn per-point results into indices
// (the Saltelli block layout for sobol, the trajectory steps for morris). Every builder
// is a pure function of its arguments: the same flags and seed give the same points, so
// a resumed sweep (issue 3) recomputes exactly the design it started with. Randomness
// comes from the engine's counter-based Philox streams (random/stream.h), never from
// std:: distributions, whose output differs between standard libraries.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "experiment/vary.h"

namespace geosim::experiment {

enum class DesignKind { kGrid, kLhs, kSobol, kMorris, kPoints };

// "grid", "lhs", "sobol", "morris", "points".
std::string_view design_name(DesignKind kind);

// Reads a `--design` value (grid, lhs, sobol or morris); anything else is a UserError
// at "--design" naming the valid ones nearest to it. "points" is chosen by --points FILE,
// not by name, and is refused here.
DesignKind parse_design_kind(std::string_view text);

// The interval or distribution a sampled parameter is drawn from, in the scenario's own
// units. low/high: the support (infinite for an unbounded distribution).
struct ParameterRange {
  std::string name;
  double low = 0.0;
  double high = 0.0;
  VaryDistribution distribution;  // uniform(low, high) for a bare LO:HI
  double at(double unit) const { return distribution.at(unit); }
};

struct Design {
  DesignKind kind = DesignKind::kGrid;
  std::vector<std::string> names;           // one per varied parameter (k of them)
  std::vector<std::vector<double>> points;  // points[p][j] is names[j]'s value at p
  std::vector<ParameterRange> ranges;       // lhs, sobol, morris: one per name
  // points: where the design came from, for messages: the CSV file, and the position of
  // each name in its header and of each point's row.
  std::string source;
  std::vector<SourceLoc> name_locs, point_locs;

  // sobol: points come in sobol_base_samples blocks of k+2, block r being
  //   A_r, A_B^(1)_r, ..., A_B^(k)_r, B_r
  // where A_B^(i)_r is A_r with parameter i taken from B_r. With sobol_second_order the
  // blocks have 2k+2 points (Saltelli 2002, as SALib's calc_second_order):
  //   A_r, A_B^(1)_r, ..., A_B^(k)_r, B_A^(1)_r, ..., B_A^(k)_r, B_r
  // where B_A^(i)_r is B_r with parameter i taken from A_r. Indices resample blocks.
  size_t sobol_base_samples = 0;
  bool sobol_second_order = false;
  size_t sobol_block() const { return names.size() * (sobol_second_order ? 2 : 1) + 2; }

  // morris: morris_trajectories runs of k+1 consecutive points; between point s and s+1
  // of trajectory t exactly one parameter moves: morris_changed[t*k+s], by
  // morris_step[t*k+s] (a signed fraction of that parameter's range, +-delta).
  size_t morris_trajectories = 0;
  int morris_levels = 0;
  std::vector<size_t> morris_changed;
  std::vector<double> morris_step;

  size_t size() const { return points.size(); }
};

// The defaults `geosim sweep` uses when --samples / --levels are not given.
inline constexpr size_t kDefaultLhsSamples = 100;
inline constexpr size_t kDefaultSobolBaseSamples = 256;
inline constexpr size_t kDefaultMorrisTrajectories = 10;
inline constexpr int kDefaultMorrisLevels = 4;

struct DesignOptions {
  // lhs: number of points; sobol: base samples N (N*(k+2) points, a power of two keeps
  // the Sobol sequence balanced); morris: trajectories r (r*(k+1) points). 0 = default.
  size_t samples = 0;
  int levels = 0;  // morris grid levels p (even, >= 2); 0 = kDefaultMorrisLevels
  uint64_t seed = 0;
  bool second_order = false;  // sobol: also the B_A^(i) points for second-order indices
};

// The Cartesian product of the specs' values, the first spec varying slowest (like
// nested loops in --vary order). Needs lists or LO:HI:STEP ranges; a bare LO:HI is a
// UserError pointing to the sampled designs. Also refused: no spec, a name varied twice,
// more than kMaxVaryPoints points in all.
Design grid_design(const std::vector<VarySpec>& specs);

// Latin hypercube: `samples` points; each parameter's range is cut into `samples` equal
// strata and every stratum holds exactly one point, at a uniform position within it. The
// strata are matched across parameters by independent random permutations.
Design lhs_design(const std::vector<VarySpec>& specs, size_t samples, uint64_t seed);

// Saltelli sampling for Sobol indices: A and B are the first and last k coordinates of a
// 2k-dimensional Sobol low-discrepancy sequence (Joe-Kuo directions, via Boost; the
// all-zero first point is skipped), each coordinate digitally shifted (XOR) by a mask
// drawn from the seed, which keeps the sequence's stratification while giving each seed
// its own design. N base samples give N*(k+2) points, in the block layout above.
// With second_order, each block also holds B_A^(i) (2k+2 points per block).
Design sobol_design(const std::vector<VarySpec>& specs, size_t base_samples, uint64_t seed,
                    bool second_order = false);

// Morris (1991) elementary effects (uniform ranges only): `trajectories` random one-at-a-time paths
// on a grid of `levels` values per parameter (levels even, step delta = levels / (2 (levels - 1))
// of the range). Each path starts at a random grid point, then moves every parameter once, in
// random order and random direction; all its points lie on the grid.
Design morris_design(const std::vector<VarySpec>& specs, size_t trajectories, int levels,
                     uint64_t seed);

// Dispatches on kind (not kPoints) with options' defaults filled in. Sampled designs need
// bare LO:HI ranges or (lhs, sobol) distributions; a list or stepped range is a UserError
// at "--vary", and so is a distribution other than uniform for morris (its elementary
// effects are steps across a parameter's range).
Design build_design(DesignKind kind, const std::vector<VarySpec>& specs,
                    const DesignOptions& options);

// A design handed in as CSV (`--points FILE.csv`): the header names the parameters, each
// row is a point. Every value must be a finite number; a duplicate or empty name, an
// empty value or a file without rows is a UserError at file:line.
Design points_design(const std::string& path);
Design points_design_from_text(std::string_view text, const std::string& display_path);

}  // namespace geosim::experiment
