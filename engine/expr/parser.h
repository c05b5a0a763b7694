// Expressions nested deeper than this (parentheses, operators, calls) are refused with a
// clear message rather than risking the stack of the parser and compiler (both recursive).
inline constexpr int kMaxExpressionDepth = 200;

// Parses the expression language of scenario-format-v1 (docs/format.md):
//   or  <  and  <  not  <  comparisons  <  + -  <  * /  <  unary -  <  ^ (right-assoc)
// Errors are UserErrors positioned at loc + the offending token's offset.
#pragma once

#include <string_view>

#include "core/error.h"
#include "expr/ast.h"

namespace geosim::expr {

// `loc` is where text[0] sits in its file; errors point at loc.column + offset.
NodePtr parse_expression(std::string_view text, const SourceLoc& loc);
Statement parse_statement(std::string_view text, const SourceLoc& loc);

// The location of byte `offset` of `text`, whose first character is at `loc` (a newline
// inside the text moves to the next line, as in a YAML block scalar).
SourceLoc locate(std::string_view text, const SourceLoc& loc, int offset);

// Renders a node back to text (canonical spacing), for messages and column names.
std::string to_text(const Node& n);

}  // namespace geosim::expr
