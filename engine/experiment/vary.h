// Parsing of `--vary NAME=SPEC` (interfaces.md): which values a sweep gives one parameter.
//
// A SPEC is a list `0.1,0.2,0.3`, a stepped range `LO:HI:STEP`, a bare range `LO:HI`, or
// a distribution `normal(0.5,0.1)` (VaryDistribution below). Lists and stepped ranges
// name the exact values a grid visits; a bare range only names an interval, which the
// sampling designs (lhs, sobol, morris) draw from uniformly and a grid refuses; a
// distribution is drawn from by lhs and sobol (through its inverse CDF, as SALib does).
// Every mistake is a UserError located at "--vary" that quotes the argument.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace geosim::experiment {

// Ranges and lists longer than this are refused: a million points is already far more
// runs than a sweep can afford, so a larger count is almost surely a typo in STEP.
inline constexpr size_t kMaxVaryPoints = 1'000'000;

// A declared input distribution (SALib's `dists`), sampled by transforming a unit value
// u in (0, 1) through the inverse CDF: a design's stratification in u carries over.
//   uniform(LO,HI)            LO + (HI-LO) u (the same as LO:HI)
//   normal(MEAN,SD)           MEAN + SD * Phi^-1(u)
//   truncnormal(LO,HI,MEAN,SD) the normal restricted to [LO, HI]
//   triangular(LO,MODE,HI)    the triangle with its peak at MODE
//   beta(A,B) or beta(A,B,LO,HI)   Beta(A, B) on [0, 1], or scaled onto [LO, HI]
//   loguniform(LO,HI)         exp of a uniform on [ln LO, ln HI], 0 < LO < HI
//   lognormal(MU,SIGMA)       exp(MU + SIGMA * Phi^-1(u))
struct VaryDistribution {
  enum class Kind { kUniform, kNormal, kTruncNormal, kTriangular, kBeta, kLogUniform, kLogNormal };
  Kind kind = Kind::kUniform;
  std::vector<double> args;  // as written
  // The value at unit u in [0, 1] (u is clamped into [2^-53, 1 - 2^-53] for unbounded
  // distributions, so the value is always finite).
  double at(double u) const;
  // The support's bounds (-inf/+inf where unbounded).
  double low() const;
  double high() const;
  bool is_uniform() const { return kind == Kind::kUniform; }
};

struct VarySpec {
  enum class Kind { kList, kStepRange, kRange, kDistribution };

  std::string name;
  Kind kind = Kind::kList;
  // kList and kStepRange: the values, in the order given (a stepped range ascends).
  std::vector<double> values;
  // kStepRange and kRange: the interval; for kList the smallest and largest value.
  double low = 0.0;
  double high = 0.0;
  std::string text;  // the argument as given, quoted back in messages
  // kRange: uniform(low, high); kDistribution: the declared one (low/high: its support).
  VaryDistribution distribution;

  bool is_bare_range() const { return kind == Kind::kRange; }
  bool is_sampled() const { return kind == Kind::kRange || kind == Kind::kDistribution; }
};

// Parses "NAME=SPEC". A stepped range LO:HI:STEP yields LO, LO+STEP, ... and includes HI
// when it lands on a step within 1e-9 relative (then the values are LO + (HI-LO)*i/n,
// so 0:1:0.1 ends exactly at 1 and its fourth value is exactly 0.3). Refused: an empty
// or malformed NAME, a non-number or non-finite number, STEP <= 0, LO > HI, a bare range
// with LO >= HI, and more than kMaxVaryPoints values.
VarySpec parse_vary(std::string_view arg);

// The number in `text` as a finite double (a leading '+' and surrounding spaces are
// allowed); anything else throws UserError(where, "<context>: found '<text>'; expected a
// finite number").
double parse_finite_number(std::string_view text, const SourceLoc& where, std::string_view context);

}  // namespace geosim::experiment
