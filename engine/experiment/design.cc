#include "experiment/design.h"

#include <algorithm>
#include <boost/random/sobol.hpp>
#include <cmath>
#include <numeric>
#include <set>

#include "core/error.h"
#include "core/text.h"
#include "io/csv.h"
#include "io/number.h"
#include "io/read_file.h"
#include "random/stream.h"

namespace geosim::experiment {

namespace {

// `site` values of the Philox counter, one per use, so that no two uses share draws.
enum RandomUse : uint32_t {
  kLhsPermutation = 1,
  kLhsJitter = 2,
  kSobolShift = 3,
  kMorrisStart = 4,
  kMorrisDirection = 5,
  kMorrisOrder = 6,
};

double draw(uint64_t seed, RandomUse use, uint32_t a, uint32_t b) {
  return rnd::uniform(seed, rnd::Counter{a, b, use, 0});
}

// An integer in [0, n), n > 0.
size_t draw_below(uint64_t seed, RandomUse use, uint32_t a, uint32_t b, size_t n) {
  auto i = static_cast<size_t>(draw(seed, use, a, b) * static_cast<double>(n));
  return std::min(i, n - 1);
}

// A uniformly random permutation of 0..n-1 (Fisher-Yates), stream (use, a).
std::vector<size_t> permutation(uint64_t seed, RandomUse use, uint32_t a, size_t n) {
  std::vector<size_t> p(n);
  std::iota(p.begin(), p.end(), size_t{0});
  for (size_t i = n; i > 1; --i) {
    size_t j = draw_below(seed, use, a, static_cast<uint32_t>(i), i);
    std::swap(p[i - 1], p[j]);
  }
  return p;
}

[[noreturn]] void fail(const std::string& where, const std::string& message) {
  throw UserError(SourceLoc{where}, message);
}

void check_names(const std::vector<VarySpec>& specs) {
  if (specs.empty())
    fail("--vary", "no parameter is varied; expected at least one --vary NAME=SPEC");
  std::set<std::string> seen;
  for (const VarySpec& s : specs) {
    if (!seen.insert(s.name).second) {
      fail("--vary", "parameter '" + s.name + "' is varied twice; expected one --vary per name");
    }
  }
}

void check_count(double count, const std::string& what) {
  if (count > static_cast<double>(kMaxVaryPoints)) {
    fail("--samples", what + " gives " + io::format_double(count) + " points; at most " +
                          std::to_string(kMaxVaryPoints) + " are allowed");
  }
}

std::vector<ParameterRange> ranges_of(const std::vector<VarySpec>& specs, DesignKind kind) {
  check_names(specs);
  std::vector<ParameterRange> ranges;
  for (const VarySpec& s : specs) {
    if (!s.is_sampled()) {
      fail("--vary", "'" + s.text + "': --design " + std::string(design_name(kind)) +
                         " draws values from an interval or a distribution; expected LO:HI or "
                         "e.g. normal(0.5,0.1) (lists and LO:HI:STEP are for --design grid)");
    }
    if (kind == DesignKind::kMorris && !s.distribution.is_uniform()) {
      fail("--vary", "'" + s.text +
                         "': --design morris steps across a parameter's range and needs LO:HI "
                         "or uniform(LO,HI); expected --design lhs or sobol for a distribution");
    }
    ranges.push_back(ParameterRange{s.name, s.low, s.high, s.distribution});
  }
  return ranges;
}

Design empty_design(DesignKind kind, const std::vector<ParameterRange>& ranges) {
  Design d;
  d.kind = kind;
  d.ranges = ranges;
  for (const ParameterRange& r : ranges) d.names.push_back(r.name);
  return d;
}

double scale(const ParameterRange& r, double unit) { return r.at(unit); }

}  // namespace

std::string_view design_name(DesignKind kind) {
  switch (kind) {
    case DesignKind::kGrid:
      return "grid";
    case DesignKind::kLhs:
      return "lhs";
    case DesignKind::kSobol:
      return "sobol";
    case DesignKind::kMorris:
      return "morris";
    case DesignKind::kPoints:
      return "points";
  }
  return "?";
}

DesignKind parse_design_kind(std::string_view text) {
  const std::vector<std::string> names = {"grid", "lhs", "sobol", "morris"};
  for (DesignKind k :
       {DesignKind::kGrid, DesignKind::kLhs, DesignKind::kSobol, DesignKind::kMorris}) {
    if (design_name(k) == text) return k;
  }
  fail("--design", "unknown design '" + std::string(text) + "'" + did_you_mean(text, names) +
                       "; expected " + quoted_list(names));
}

Design grid_design(const std::vector<VarySpec>& specs) {
  check_names(specs);
  double total = 1;
  for (const VarySpec& s : specs) {
    if (s.is_sampled()) {
      fail("--vary", "'" + s.text +
                         "': a grid needs the values to visit; expected a list (0.1,0.2) or "
                         "LO:HI:STEP (LO:HI alone is for --design lhs, sobol or morris, a "
                         "distribution for lhs or sobol)");
    }
    total *= static_cast<double>(s.values.size());
  }
  if (total > static_cast<double>(kMaxVaryPoints)) {
    fail("--vary", "the grid has " + io::format_double(total) + " points; at most " +
                       std::to_string(kMaxVaryPoints) + " are allowed");
  }
  Design d;
  d.kind = DesignKind::kGrid;
  for (const VarySpec& s : specs) d.names.push_back(s.name);
  const size_t k = specs.size();
  const auto n = static_cast<size_t>(total);
  d.points.reserve(n);
  std::vector<size_t> index(k, 0);  // odometer, last digit fastest
  for (size_t p = 0; p < n; ++p) {
    std::vector<double> point(k);
    for (size_t j = 0; j < k; ++j) point[j] = specs[j].values[index[j]];
    d.points.push_back(std::move(point));
    for (size_t j = k; j-- > 0;) {
      if (++index[j] < specs[j].values.size()) break;
      index[j] = 0;
    }
  }
  return d;
}

Design lhs_design(const std::vector<VarySpec>& specs, size_t samples, uint64_t seed) {
  Design d = empty_design(DesignKind::kLhs, ranges_of(specs, DesignKind::kLhs));
  if (samples < 1) fail("--samples", "--design lhs needs at least 1 sample");
  check_count(static_cast<double>(samples),
              "--design lhs with --samples " + std::to_string(samples));
  const size_t k = d.names.size();
  d.points.assign(samples, std::vector<double>(k));
  for (size_t j = 0; j < k; ++j) {
    std::vector<size_t> stratum =
        permutation(seed, kLhsPermutation, static_cast<uint32_t>(j), samples);
    for (size_t i = 0; i < samples; ++i) {
      double u = draw(seed, kLhsJitter, static_cast<uint32_t>(j), static_cast<uint32_t>(i));
      double unit = (static_cast<double>(stratum[i]) + u) / static_cast<double>(samples);
      d.points[i][j] = scale(d.ranges[j], unit);
    }
  }
  return d;
}

Design sobol_design(const std::vector<VarySpec>& specs, size_t base_samples, uint64_t seed,
                    bool second_order) {
  Design d = empty_design(DesignKind::kSobol, ranges_of(specs, DesignKind::kSobol));
  const size_t k = d.names.size();
  if (base_samples < 1) fail("--samples", "--design sobol needs at least 1 base sample");
  if (2 * k > boost::random::default_sobol_table::max_dimension) {
    fail("--vary", "--design sobol handles at most " +
                       std::to_string(boost::random::default_sobol_table::max_dimension / 2) +
                       " parameters; found " + std::to_string(k));
  }
  d.sobol_second_order = second_order;
  check_count(static_cast<double>(base_samples) * static_cast<double>(d.sobol_block()),
              "--design sobol with " + std::to_string(k) + " parameters and --samples " +
                  std::to_string(base_samples));
  std::vector<uint64_t> mask(2 * k);
  for (size_t c = 0; c < 2 * k; ++c) {
    double u = draw(seed, kSobolShift, static_cast<uint32_t>(c), 0);
    mask[c] = static_cast<uint64_t>(std::ldexp(u, 53)) << 11;
  }
  boost::random::sobol sequence(2 * k);  // starts after the all-zero point
  d.sobol_base_samples = base_samples;
  d.points.reserve(base_samples * d.sobol_block());
  std::vector<double> a(k), b(k);
  for (size_t r = 0; r < base_samples; ++r) {
    for (size_t c = 0; c < 2 * k; ++c) {
      uint64_t bits = static_cast<uint64_t>(sequence()) ^ mask[c];
      double unit = std::ldexp(static_cast<double>(bits >> 11), -53);
      size_t j = c < k ? c : c - k;
      (c < k ? a : b)[j] = scale(d.ranges[j], unit);
    }
    d.points.push_back(a);
    for (size_t i = 0; i < k; ++i) {
      std::vector<double> ab = a;
      ab[i] = b[i];
      d.points.push_back(std::move(ab));
    }
    if (second_order) {
      for (size_t i = 0; i < k; ++i) {
        std::vector<double> ba = b;
        ba[i] = a[i];
        d.points.push_back(std::move(ba));
      }
    }
    d.points.push_back(b);
  }
  return d;
}

Design morris_design(const std::vector<VarySpec>& specs, size_t trajectories, int levels,
                     uint64_t seed) {
  Design d = empty_design(DesignKind::kMorris, ranges_of(specs, DesignKind::kMorris));
  const size_t k = d.names.size();
  if (trajectories < 1) fail("--samples", "--design morris needs at least 1 trajectory");
  if (levels < 2 || levels % 2 != 0) {
    fail("--levels",
         "--design morris needs an even number of levels >= 2; found " + std::to_string(levels));
  }
  check_count(static_cast<double>(trajectories) * static_cast<double>(k + 1),
              "--design morris with " + std::to_string(k) + " parameters and --samples " +
                  std::to_string(trajectories));
  d.morris_trajectories = trajectories;
  d.morris_levels = levels;
  const double gap = 1.0 / (levels - 1);
  const int half = levels / 2;
  const double delta = half * gap;
  for (size_t t = 0; t < trajectories; ++t) {
    const auto tt = static_cast<uint32_t>(t);
    std::vector<int> level(k);  // grid index of each parameter, 0..levels-1
    std::vector<int> direction(k);
    for (size_t j = 0; j < k; ++j) {
      const auto jj = static_cast<uint32_t>(j);
      int start = static_cast<int>(draw_below(seed, kMorrisStart, tt, jj, half));
      direction[j] = draw(seed, kMorrisDirection, tt, jj) < 0.5 ? 1 : -1;
      level[j] = direction[j] > 0 ? start : start + half;
    }
    std::vector<size_t> order = permutation(seed, kMorrisOrder, tt, k);
    auto emit = [&] {
      std::vector<double> point(k);
      for (size_t j = 0; j < k; ++j) point[j] = scale(d.ranges[j], level[j] * gap);
      d.points.push_back(std::move(point));
    };
    emit();
    for (size_t s = 0; s < k; ++s) {
      size_t j = order[s];
      level[j] += direction[j] * half;
      d.morris_changed.push_back(j);
      d.morris_step.push_back(direction[j] * delta);
      emit();
    }
  }
  return d;
}

Design build_design(DesignKind kind, const std::vector<VarySpec>& specs,
                    const DesignOptions& options) {
  auto or_default = [&](size_t fallback) { return options.samples ? options.samples : fallback; };
  switch (kind) {
    case DesignKind::kGrid:
      return grid_design(specs);
    case DesignKind::kLhs:
      return lhs_design(specs, or_default(kDefaultLhsSamples), options.seed);
    case DesignKind::kSobol:
      return sobol_design(specs, or_default(kDefaultSobolBaseSamples), options.seed,
                          options.second_order);
    case DesignKind::kMorris:
      return morris_design(specs, or_default(kDefaultMorrisTrajectories),
                           options.levels ? options.levels : kDefaultMorrisLevels, options.seed);
    case DesignKind::kPoints:
      break;
  }
  fail("--design", "a points design is read with --points FILE.csv");
}

Design points_design_from_text(std::string_view text, const std::string& display_path) {
  io::CsvTable table = io::parse_csv(text, display_path);
  const SourceLoc header_loc{display_path, 1};
  Design d;
  d.kind = DesignKind::kPoints;
  std::set<std::string> seen;
  for (size_t j = 0; j < table.header.size(); ++j) {
    const std::string& name = table.header[j];
    if (name.empty()) {
      throw UserError(header_loc, "column " + std::to_string(j + 1) +
                                      " has no name; expected a parameter name in the header");
    }
    if (!seen.insert(name).second) {
      throw UserError(header_loc, "parameter '" + name + "' appears twice in the header");
    }
    d.names.push_back(name);
  }
  d.source = display_path;
  {
    // Columns of the header, for messages about a name: counted in the header's text.
    size_t col = 1;
    for (const auto& name : d.names) {
      d.name_locs.push_back(SourceLoc{display_path, 1, static_cast<int>(col)});
      col += name.size() + 1;
    }
  }
  if (table.rows.empty()) {
    throw UserError(header_loc, "no points: expected one row of values per point after the header");
  }
  if (table.rows.size() > kMaxVaryPoints) {
    throw UserError(header_loc, "more than " + std::to_string(kMaxVaryPoints) + " points");
  }
  for (size_t i = 0; i < table.rows.size(); ++i) {
    std::vector<double> point;
    for (size_t j = 0; j < d.names.size(); ++j) {
      point.push_back(io::parse_double(table.rows[i][j], table.row_loc(i),
                                       "a finite number for '" + d.names[j] + "'"));
    }
    d.points.push_back(std::move(point));
    d.point_locs.push_back(table.row_loc(i));
  }
  return d;
}

Design points_design(const std::string& path) {
  io::InputFile how;
  how.expected = "a CSV file of points (header: parameter names)";
  return points_design_from_text(io::read_input(path, how), path);
}

}  // namespace geosim::experiment
