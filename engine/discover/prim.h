// Scenario discovery with PRIM, the Patient Rule Induction Method (Friedman and Fisher
// 1999), as the EMA Workbench and RAND's sdtoolkit use it (Bryant and Lempert 2010): find
// boxes (a range per input) where the cases of interest are dense.
//
// Peeling: from the box holding every row, try for each input the peel of its lowest and
// of its highest peel_alpha share of the rows in the box; take the one with the best
// objective (the gain in density per row removed, the EMA Workbench's default "lenient1";
// ties go to the box restricting fewer inputs, then to the first input, the upper peel
// before the lower); repeat while the objective is positive and the mass stays at or above
// mass_min. Pasting: then widen a restricted limit again by a paste_alpha share of the rows
// just outside it while that raises the density. Every box on the way is a point of the
// coverage-density trade-off. Covering: the rows of a found box are set aside and the next
// box is searched among the others.
//
// Significance (Bryant and Lempert's quasi-p): for each restricted limit, the one-sided
// binomial probability of at least the box's cases among its rows if the density were
// that of the box with this one limit removed. A large value says the restriction adds
// little.
//
// Everything is deterministic (no randomness), and depends only on the rows, not on their
// order... except through ties in the objective, broken as above.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace geosim::discover {

struct Dataset {
  std::vector<std::string> names;            // one per input
  std::vector<std::vector<double>> columns;  // columns[j][i]: input j of row i
  std::vector<uint8_t> y;                    // 1: a case of interest
  size_t rows() const { return y.size(); }
};

struct Limits {
  std::vector<double> low, high;  // per input; the initial box is each input's min and max
};

struct TradeoffPoint {
  Limits box;
  int64_t rows = 0;   // rows in the box
  int64_t cases = 0;  // cases of interest in it
  double coverage = 0, density = 0, mass = 0;
  int restricted = 0;  // inputs whose limits differ from the initial box
  bool pasted = false;
};

struct FoundBox {
  std::vector<TradeoffPoint> trajectory;  // peeling then pasting, starting at the full box
  size_t chosen = 0;                      // index into trajectory
  // Quasi-p of each limit of the chosen box (NaN where the limit is not restricted).
  std::vector<double> p_low, p_high;
};

struct PrimOptions {
  double peel_alpha = 0.05;
  double paste_alpha = 0.05;
  double mass_min = 0.05;
  int boxes = 1;  // covering: how many boxes to look for at most
  // The box chosen on each trajectory: the one with the highest coverage among those of
  // at least this density; NaN chooses the last (peeled and pasted) box, as the EMA
  // Workbench does.
  double min_density = std::numeric_limits<double>::quiet_NaN();
};

struct PrimResult {
  Limits initial;
  int64_t total_rows = 0, total_cases = 0;
  std::vector<FoundBox> boxes;
};

// Runs PRIM; stops covering early when no row or no case of interest is left, or when a
// box would restrict nothing.
PrimResult prim(const Dataset& data, const PrimOptions& options = {});

// The quantile the EMA Workbench's get_quantile (after sdtoolkit) computes: the mean of
// the order statistics at floor and ceil of (n-1) q, moved outwards past ties.
double sdtoolkit_quantile(std::vector<double> v, double q);

// P(X >= k) for X ~ Binomial(n, p).
double binomial_upper_tail(int64_t k, int64_t n, double p);

}  // namespace geosim::discover
