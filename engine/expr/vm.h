// The lane interpreter: runs a Program over one block's rows.
#pragma once

#include "expr/program.h"
#include "random/distributions.h"

namespace geosim::expr {

// Where a program stopped on a non-finite value: which check, which lane.
struct Failure {
  int check = -1;
  int lane = -1;
  bool failed() const { return check >= 0; }
};

// rows: the block's row space, row r at rows + r * kLanes (64-byte aligned).
// `valid_lanes`: lanes at or beyond it are padding of a short final block and are
// never reported. Returns the first failure, or an empty Failure.
Failure run(const Program& program, double* rows, const rnd::DrawContext& draw, int valid_lanes);

}  // namespace geosim::expr
