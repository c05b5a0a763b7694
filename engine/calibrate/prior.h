// Free parameters and their priors (`--free NAME[:PRIOR]`). A prior lives on the
// parameter's declared range: uniform over it by default; normal(mu, sd) is truncated to
// it; truncnormal(mu, sd, lo, hi), uniform(lo, hi) and loguniform(lo, hi) must lie inside
// it; beta(a, b) is mapped onto it. Every prior is sampled by its quantile function, so a
// draw is a pure function of one uniform number (reproducible anywhere).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "sim/model.h"

namespace geosim::calibrate {

enum class PriorKind { kUniform, kNormal, kTruncNormal, kBeta, kLogUniform };

struct Prior {
  PriorKind kind = PriorKind::kUniform;
  double a = 0, b = 0;    // normal/truncnormal: mu, sd; beta: a, b; uniform/loguniform: lo, hi
  double lo = 0, hi = 1;  // the support
  // log density at x (-inf outside the support), normalised.
  double log_density(double x) const;
  // The u-quantile, u in (0, 1).
  double quantile(double u) const;
  bool contains(double x) const { return x >= lo && x <= hi; }
  std::string text() const;  // "beta(2, 3) on [0, 1]"
};

struct FreeParam {
  std::string name;
  int32_t row = -1;  // the parameter's uniform row in the model
  Prior prior;
  SourceLoc loc;  // "--free TEXT"
};

// Parses NAME[:PRIOR] against the model's parameters. Throws UserError (at "--free TEXT")
// for an undeclared name (with the nearest names), an unknown prior, bad arguments, or a
// prior reaching outside the declared range.
FreeParam parse_free(const std::string& text, const sim::Model& model);

}  // namespace geosim::calibrate
