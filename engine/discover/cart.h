// Scenario discovery with CART, a classification tree (Breiman, Friedman, Olshen and Stone
// 1984), as the EMA Workbench offers it beside PRIM: split the rows in two, again and
// again, on the input and threshold that best separate the cases of interest from the
// others; the leaves whose rows are mostly cases are the boxes.
//
// Growing: a node's rows are split on input j at threshold t (rows with x_j <= t go left,
// the others right), t the midpoint of two neighbouring distinct values of x_j among the
// node's rows, choosing the (j, t) that minimises the children's summed Gini impurity
// n_L g_L + n_R g_R, g = 2 p (1 - p) with p the share of cases. In counts (halved):
//   score = k_L (n_L - k_L) / n_L + k_R (n_R - k_R) / n_R,
// computed in exactly this order in double precision. Ties go to the first input, then to
// the lowest threshold. A split must leave each child at least min_leaf rows and lower the
// score below the node's own k (n - k) / n by more than 1e-9 n (rounding is no gain). A
// node is a leaf when it is pure, has fewer than 2 min_leaf rows, is at max_depth, or has
// no such split.
//
// Pruning (optional): minimal cost-complexity pruning (Breiman et al., ch. 3; sklearn's
// ccp_alpha): with R(t) = g(t) n_t / N, the internal node of smallest effective alpha
// (R(t) - R(leaves under t)) / (leaves under t - 1) (the first in preorder on ties) is made
// a leaf, repeatedly, while that alpha is <= ccp_alpha.
//
// Boxes: the leaves whose share of cases is above one half (the tree predicts the case
// there), or at least min_density when it is set, ordered by density, then cases, then
// node. A leaf's box is the intersection of the splits on its path: low < x <= high per
// input (low exclusive where a split set it; the observed minimum, inclusive, elsewhere).
// Each restricted limit gets the quasi-p PRIM reports (prim.h).
//
// Deterministic, and independent of the order of the rows.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "discover/prim.h"

namespace geosim::discover {

struct CartOptions {
  int64_t min_leaf = 0;  // rows; 0: ceil(mass_min * rows), at least 1
  double mass_min = 0.05;
  int max_depth = 0;                                              // 0: no cap
  double ccp_alpha = 0;                                           // 0: no pruning
  double min_density = std::numeric_limits<double>::quiet_NaN();  // NaN: share > 1/2
};

struct CartNode {
  int parent = -1;
  bool left = false;  // reached from its parent by x <= threshold
  int depth = 0;
  int input = -1;  // its split (-1: a leaf)
  double threshold = 0;
  int left_child = -1, right_child = -1;
  int64_t rows = 0, cases = 0;
  Limits box;          // the region of the node
  int box_number = 0;  // 1, 2, ... for a leaf output as a box; 0 otherwise
};

struct CartBox {
  int node = 0;
  Limits box;
  int64_t rows = 0, cases = 0;
  double coverage = 0, density = 0, mass = 0;
  std::vector<double> p_low, p_high;  // quasi-p per restricted limit (NaN elsewhere)
};

struct CartResult {
  Limits initial;
  int64_t total_rows = 0, total_cases = 0;
  int64_t min_leaf = 0;         // as used
  std::vector<CartNode> nodes;  // preorder, node 0 the root (after pruning)
  std::vector<CartBox> boxes;   // in box order
};

CartResult cart(const Dataset& data, const CartOptions& options = {});

}  // namespace geosim::discover
