// Compiles syntax trees into lane Programs. Names are resolved through `Symbols`, which
// the scenario model implements; the compiler itself knows the language only: operators,
// functions and their arities, aggregates over group vectors, and where `self` and group
// vectors may stand. Every error is a UserError at the offending token.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "expr/ast.h"
#include "expr/program.h"

namespace geosim::expr {

// A resolved name: a row, or an error message (found ...; expected ...).
struct Lookup {
  int32_t row = -1;
  bool writable = false;  // a state row that statements may assign
  std::string error;
};

class Symbols {
 public:
  virtual ~Symbols() = default;
  // A bare name: a parameter, `t` or `steps`.
  virtual Lookup bare(const std::string& name) = 0;
  // scope.name. `member` >= 0 when scope is a group bound to one member inside an
  // aggregate: the member's actor index.
  virtual Lookup var(const std::string& scope, const std::string& name, int member) = 0;
  virtual Lookup relation(const std::string& rel, const std::string& a, const std::string& b) = 0;
  // The members (actor indices, in actor order) when `scope` names a group, else nullptr.
  virtual const std::vector<int>* group(const std::string& scope) = 0;
  // A uniform row holding `value` in every lane.
  virtual int32_t constant(double value) = 0;
  // A fresh random call site number.
  virtual uint32_t new_site() = 0;
};

// Function names of the language, for messages and reserved-name checks.
const std::vector<std::string>& function_names();

class Compiler {
 public:
  // Temporaries are rows temp_base, temp_base + 1, ...; see max_temps().
  Compiler(Symbols& symbols, int32_t temp_base) : symbols_(symbols), temp_base_(temp_base) {}

  // An expression; the value ends in `dest` when dest >= 0 (else in Program::result,
  // which may be a temporary, a state row or a uniform row).
  // `text` and `loc` locate errors; `what` names the expression in run-time errors.
  Program expression(const Node& node, std::string_view text, const SourceLoc& loc,
                     int32_t dest = -1);
  // A statement, applied where row `mask` != 0; the stored value is checked to be finite.
  Program statement(const Statement& st, std::string_view text, const SourceLoc& loc, int32_t mask);
  // Appends a finiteness check of `row` where `mask` != 0 (conditions, utilities...), unless
  // the row's last writer in `p` is a comparison or logical operation (always 0 or 1).
  void add_check(Program& p, int32_t row, int32_t mask, const std::string& what,
                 const SourceLoc& loc);

  // The most temporaries any program compiled so far used.
  int32_t max_temps() const { return max_temps_; }

 private:
  struct Ctx;
  int32_t emit(Ctx& cx, const Node& n);
  int32_t emit_call(Ctx& cx, const Node& n);
  int32_t emit_aggregate(Ctx& cx, const Node& n, const std::string& fn);
  int32_t emit_var(Ctx& cx, const Node& n);
  int32_t temp(Ctx& cx);
  void release(Ctx& cx, int32_t row);
  int32_t op1(Ctx& cx, Op op, int32_t a);
  int32_t op2(Ctx& cx, Op op, int32_t a, int32_t b);
  int32_t op3(Ctx& cx, Op op, int32_t a, int32_t b, int32_t c, uint32_t site = 0);
  [[noreturn]] void fail(Ctx& cx, int offset, const std::string& msg);

  Symbols& symbols_;
  int32_t temp_base_;
  int32_t max_temps_ = 0;
};

}  // namespace geosim::expr
