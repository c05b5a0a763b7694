// A compiled expression: a short list of instructions over lane rows. A "row" is one
// contiguous array of kLanes doubles (one value per replicate of a block); every operand
// is a row index into the block's row space (state variables, uniform rows holding
// parameters and literals, temporaries). The interpreter pays dispatch once per
// instruction per block, and each instruction is a vectorised loop over the lanes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace geosim::expr {

// Replicates per block, evaluated together. 256 amortises dispatch (see
// docs/performance.md) while a block's working set stays within L2.
inline constexpr int kLanes = 256;

enum class Op : uint8_t {
  kCopy,
  kNeg,
  kNot,
  kAbs,
  kSqrt,
  kExp,
  kLog,
  kLogistic,
  kAdd,
  kSub,
  kMul,
  kDiv,
  kPow,
  kMin,
  kMax,
  kLt,
  kLe,
  kGt,
  kGe,
  kEq,
  kNe,
  kAnd,
  kOr,
  kSelect,  // dst = a != 0 ? b : c
  kClamp,   // dst = min(max(a, b), c)
  kUniform,
  kNormal,
  kLognormal,
  kBernoulli,
  kBeta,
  kTriangular,   // draws, `site`
  kStoreMasked,  // row a -> row dst where row b != 0; checks finiteness (`check`)
  kCheckFinite,  // fails if row a is not finite where row b != 0 (`check`)
  kStoreOp,      // row dst = (row a OP row b) where row c != 0, OP = Op(site) (kAdd, kSub,
                 // kMul, kDiv, kMin or kMax); checks finiteness (`check`). A statement's
                 // last operation fused with its kStoreMasked: one pass instead of two.
};

struct Instr {
  Op op;
  int32_t dst = 0, a = 0, b = 0, c = 0;
  uint32_t site = 0;   // draws: the random call site
  int32_t check = -1;  // store/check: index into Program::checks
};

// What a failed finiteness check reports: the statement or expression and its position.
struct CheckInfo {
  std::string what;   // e.g. "statement 'world.x += 1 / y'"
  std::string where;  // "file:line"
};

struct Program {
  std::vector<Instr> code;
  int32_t result = -1;  // row holding the value (expressions); -1 for statements
  std::vector<CheckInfo> checks;
  bool empty() const { return code.empty(); }
};

}  // namespace geosim::expr
