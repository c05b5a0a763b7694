// Expressions and statements of the scenario format as a syntax tree, produced by the
// parser and consumed by the compiler. Knows nothing of YAML or of a scenario's names.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace geosim::expr {

enum class NodeKind {
  kNumber,  // 1.5, true, false
  kName,    // a bare name: a parameter, `t` or `steps`
  kVar,     // scope.name: world.x, self.x, kremlin.x, csto.x (a group vector)
  kRel,     // relation[a, b]
  kUnary,   // op in {'-', '!'} ('!' is `not`)
  kBinary,  // op is one of the BinaryOp codes
  kCall,    // function call: name(args)
};

enum class BinaryOp { kAdd, kSub, kMul, kDiv, kPow, kLt, kLe, kGt, kGe, kEq, kNe, kAnd, kOr };

struct Node {
  NodeKind kind;
  int offset = 0;            // byte offset of the node's first character in the text
  int depth = 1;             // height of the subtree (1 for a leaf)
  double number = 0;         // kNumber
  std::string scope;         // kVar: world/self/actor/group; kRel: relation name; kCall: function
  std::string name;          // kName, kVar: variable name
  std::string rel_a, rel_b;  // kRel: actor ids or `self`
  int rel_b_offset = 0;
  char unary = 0;
  BinaryOp binary = BinaryOp::kAdd;
  std::vector<std::unique_ptr<Node>> kids;
};

using NodePtr = std::unique_ptr<Node>;

enum class AssignOp { kSet, kAdd, kSub, kMul, kDiv };

// `target op expr`; the target is a kVar or kRel node.
struct Statement {
  NodePtr target;
  AssignOp op = AssignOp::kSet;
  NodePtr value;
};

}  // namespace geosim::expr
