// The expression language on its own: parsing, precedence, error positions, compiled
// programs evaluated over lanes.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>

#include "core/error.h"
#include "expr/compiler.h"
#include "expr/parser.h"
#include "expr/vm.h"

namespace geosim::expr {
namespace {

// A toy symbol table: world.x (row 0), world.y (row 1), a.v (row 2), b.v (row 3),
// group g = {a, b}, parameter p (uniform row 10 = 2.5), rel[a, b] writable row 4.
class ToySymbols : public Symbols {
 public:
  Lookup bare(const std::string& name) override {
    if (name == "p") return {10, false, ""};
    return {-1, false, "unknown name '" + name + "'"};
  }
  Lookup var(const std::string& scope, const std::string& name, int member) override {
    if (scope == "world" && name == "x") return {0, true, ""};
    if (scope == "world" && name == "y") return {1, true, ""};
    if ((scope == "a" || (scope == "g" && member == 0)) && name == "v") return {2, true, ""};
    if ((scope == "b" || (scope == "g" && member == 1)) && name == "v") return {3, true, ""};
    return {-1, false, "unknown variable '" + scope + "." + name + "'"};
  }
  Lookup relation(const std::string& rel, const std::string& a, const std::string& b) override {
    if (rel == "rel" && a == "a" && b == "b") return {4, true, ""};
    return {-1, false, "unknown relation"};
  }
  const std::vector<int>* group(const std::string& scope) override {
    return scope == "g" ? &members_ : nullptr;
  }
  int32_t constant(double v) override {
    auto it = constants_.find(v);
    if (it != constants_.end()) return it->second;
    int32_t r = next_const_++;
    constants_[v] = r;
    values_[r] = v;
    return r;
  }
  uint32_t new_site() override { return site_++; }
  std::map<int32_t, double> values_;

 private:
  std::vector<int> members_ = {0, 1};
  std::map<double, int32_t> constants_;
  int32_t next_const_ = 11;
  uint32_t site_ = 1;
};

constexpr int kTempBase = 100;

struct Rows {
  double* data;
  Rows() {
    data = static_cast<double*>(std::aligned_alloc(64, sizeof(double) * kLanes * 200));
    for (int i = 0; i < kLanes * 200; ++i) data[i] = 0;
  }
  ~Rows() { std::free(data); }
  void fill(int row, double v) {
    for (int i = 0; i < kLanes; ++i) data[row * kLanes + i] = v;
  }
  double at(int row, int lane = 0) const { return data[row * kLanes + lane]; }
};

double eval(const std::string& text, double x = 3, double y = -2) {
  ToySymbols sym;
  Compiler c(sym, kTempBase);
  NodePtr n = parse_expression(text, SourceLoc{"t.yaml", 1, 1});
  Program p = c.expression(*n, text, SourceLoc{"t.yaml", 1, 1});
  Rows rows;
  rows.fill(0, x);
  rows.fill(1, y);
  rows.fill(2, 1);
  rows.fill(3, 4);
  rows.fill(10, 2.5);
  for (auto& [r, v] : sym.values_) rows.fill(r, v);
  Failure f = run(p, rows.data, rnd::DrawContext{1, 0, 0}, kLanes);
  EXPECT_FALSE(f.failed());
  return rows.at(p.result);
}

std::string error_of(const std::string& text) {
  ToySymbols sym;
  Compiler c(sym, kTempBase);
  try {
    NodePtr n = parse_expression(text, SourceLoc{"t.yaml", 4, 10});
    c.expression(*n, text, SourceLoc{"t.yaml", 4, 10});
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

TEST(Parser, PrecedenceFollowsTheFormat) {
  EXPECT_DOUBLE_EQ(eval("1 + 2 * 3"), 7);
  EXPECT_DOUBLE_EQ(eval("-2 ^ 2"), -4);      // unary minus binds looser than ^
  EXPECT_DOUBLE_EQ(eval("2 ^ 3 ^ 2"), 512);  // ^ is right-associative
  EXPECT_DOUBLE_EQ(eval("1 < 2 and 3 < 2 or 1"), 1);
  EXPECT_DOUBLE_EQ(eval("not 1 == 2"), 1);
  EXPECT_DOUBLE_EQ(eval("(1 + 2) * 3"), 9);
  EXPECT_DOUBLE_EQ(eval("10 / 4 - 1"), 1.5);
}

TEST(Compiler, FunctionsComputeTheirClosedForms) {
  EXPECT_DOUBLE_EQ(eval("min(world.x, world.y, 0)"), -2);
  EXPECT_DOUBLE_EQ(eval("max(world.x, 7)"), 7);
  EXPECT_DOUBLE_EQ(eval("clamp(world.x, 0, 1)"), 1);
  EXPECT_DOUBLE_EQ(eval("abs(world.y)"), 2);
  EXPECT_DOUBLE_EQ(eval("sqrt(16)"), 4);
  EXPECT_NEAR(eval("exp(1)"), std::exp(1.0), 1e-15);
  EXPECT_NEAR(eval("log(world.x)"), std::log(3.0), 1e-15);
  EXPECT_DOUBLE_EQ(eval("pow(2, 10)"), 1024);
  EXPECT_NEAR(eval("pow(2, 0.5)"), std::sqrt(2.0), 1e-15);
  EXPECT_DOUBLE_EQ(eval("logistic(0)"), 0.5);
  EXPECT_DOUBLE_EQ(eval("if(world.x > 1, 10, 20)"), 10);
  EXPECT_DOUBLE_EQ(eval("p * 2"), 5);
  EXPECT_DOUBLE_EQ(eval("true + false"), 1);
}

TEST(Compiler, AggregatesRunOverGroupMembers) {
  EXPECT_DOUBLE_EQ(eval("sum(g.v)"), 5);
  EXPECT_DOUBLE_EQ(eval("mean(g.v)"), 2.5);
  EXPECT_DOUBLE_EQ(eval("min(g.v)"), 1);
  EXPECT_DOUBLE_EQ(eval("max(g.v)"), 4);
  EXPECT_DOUBLE_EQ(eval("count(g.v > 2)"), 1);
  EXPECT_DOUBLE_EQ(eval("any(g.v > 3)"), 1);
  EXPECT_DOUBLE_EQ(eval("all(g.v > 3)"), 0);
  EXPECT_DOUBLE_EQ(eval("sum(g.v * world.x)"), 15);
}

TEST(Compiler, DrawsAreReproducibleAndWithinSupport) {
  double a = eval("uniform(2, 3)");
  EXPECT_GE(a, 2);
  EXPECT_LE(a, 3);
  EXPECT_EQ(a, eval("uniform(2, 3)"));
  double b = eval("bernoulli(0.5)");
  EXPECT_TRUE(b == 0 || b == 1);
}

TEST(ParserErrors, PointAtTheOffendingColumn) {
  EXPECT_EQ(error_of("1 + * 2"), "t.yaml:4:14: found '*'; expected a number, a name or '('");
  EXPECT_EQ(error_of("world.x = 1"),
            "t.yaml:4:18: found '=' inside an expression; expected '==' to compare (assignments "
            "belong in effects and dynamics)");
  EXPECT_EQ(error_of("(1 + 2"),
            "t.yaml:4:16: found the end of the expression; expected ')' to close the '(' at column "
            "offset 1");
  EXPECT_EQ(error_of("1 $ 2"),
            "t.yaml:4:12: unexpected character '$'; expected a number, a name, an operator (+ - * "
            "/ ^ < <= > >= == != and or not) or parentheses");
}

TEST(CompilerErrors, NameUnknownFunctionsAndArity) {
  EXPECT_EQ(error_of("1 + logistc(2)"),
            "t.yaml:4:14: unknown function 'logistc' (did you mean 'logistic' or 'log'?)");
  EXPECT_EQ(error_of("1 + lgoistic(2)"),  // two letters swapped: one edit
            "t.yaml:4:14: unknown function 'lgoistic' (did you mean 'logistic'?)");
  EXPECT_EQ(error_of("clamp(1, 2)"),
            "t.yaml:4:10: clamp() takes 3 arguments, found 2; expected clamp(x, lo, hi)");
  EXPECT_EQ(error_of("2 * g.v"),
            "t.yaml:4:14: group vector 'g.v' may stand only inside sum, mean, min, max, count, any "
            "or all");
  EXPECT_EQ(error_of("sum(world.x)"),
            "t.yaml:4:14: sum() expects a group vector such as sum(csto.troops); found 'world.x'");
  EXPECT_EQ(error_of("world.z"), "t.yaml:4:10: unknown variable 'world.z'");
}

TEST(Statements, StoreOnlyWhereTheMaskHoldsAndCheckFiniteness) {
  ToySymbols sym;
  Compiler c(sym, kTempBase);
  const std::string text = "world.x += 1 / world.y";
  Statement st = parse_statement(text, SourceLoc{"s.yaml", 2, 5});
  Program p = c.statement(st, text, SourceLoc{"s.yaml", 2, 5}, /*mask=*/5);
  Rows rows;
  rows.fill(0, 1);
  rows.fill(1, 4);
  for (auto& [r, v] : sym.values_) rows.fill(r, v);
  for (int i = 0; i < kLanes; ++i) rows.data[5 * kLanes + i] = i % 2;  // odd lanes only
  EXPECT_FALSE(run(p, rows.data, rnd::DrawContext{1, 0, 0}, kLanes).failed());
  EXPECT_EQ(rows.at(0, 0), 1);
  EXPECT_EQ(rows.at(0, 1), 1.25);
  rows.fill(1, 0);  // 1 / 0 = inf: a failure naming the statement and the first bad lane
  Failure f = run(p, rows.data, rnd::DrawContext{1, 0, 0}, kLanes);
  ASSERT_TRUE(f.failed());
  EXPECT_EQ(f.lane, 1);
  EXPECT_EQ(p.checks[static_cast<size_t>(f.check)].what, "statement 'world.x += 1 / world.y'");
  EXPECT_EQ(p.checks[static_cast<size_t>(f.check)].where, "s.yaml:2:5");
}

TEST(Checks, AConditionThatIsAlwaysZeroOrOneGetsNoFinitenessCheck) {
  // Comparisons and logical operations give 0 or 1 in every lane, NaN operands included, so
  // add_check leaves them out (one pass over the lanes less per `when`); any other last
  // writer of the row keeps its check, which fails on a non-finite lane.
  struct Checked {
    int n = 0;  // kCheckFinite instructions
    Program p;
    std::map<int32_t, double> constants;
  };
  const auto checks = [](const std::string& text) {
    ToySymbols sym;
    Compiler c(sym, kTempBase);
    Checked r;
    r.p = c.expression(*parse_expression(text, SourceLoc{"t.yaml", 1, 1}), text,
                       SourceLoc{"t.yaml", 1, 1});
    c.add_check(r.p, r.p.result, /*mask=*/5, "condition", SourceLoc{"t.yaml", 1, 1});
    for (const Instr& in : r.p.code) r.n += in.op == Op::kCheckFinite ? 1 : 0;
    r.constants = sym.values_;
    return r;
  };
  for (const char* text :
       {"world.x < 2", "world.x <= 2", "world.x > world.y", "world.x >= 1", "world.x == 1",
        "world.x != 1", "world.x > 1 and world.y < 0", "world.x > 1 or world.y < 0", "not world.x"})
    EXPECT_EQ(checks(text).n, 0) << text;
  for (const char* text : {"world.x", "world.x + 1", "1 / world.y",
                           "if(world.x > 2, 1 / world.y, 0)", "bernoulli(world.x)"}) {
    const Checked k = checks(text);
    const Program& p = k.p;
    EXPECT_EQ(k.n, 1) << text;
    // world.x = 3 (NaN in lane 2 for the bare read; out of range for the bernoulli) and
    // world.y = 0: each of these fails but world.x + 1.
    Rows rows;
    for (auto& [r, v] : k.constants) rows.fill(r, v);
    rows.fill(0, 3);
    rows.fill(5, 1);
    if (std::string(text) == "world.x") rows.data[2] = std::nan("");
    EXPECT_EQ(run(p, rows.data, rnd::DrawContext{1, 0, 0}, kLanes).failed(),
              std::string(text) != "world.x + 1")
        << text;
  }
  // A NaN operand: the comparison is 0, the condition false, nothing to report.
  const Checked k = checks("world.x < 2");
  const Program& p = k.p;
  Rows rows;
  for (auto& [r, v] : k.constants) rows.fill(r, v);
  rows.fill(0, std::nan(""));
  rows.fill(5, 1);
  EXPECT_FALSE(run(p, rows.data, rnd::DrawContext{1, 0, 0}, kLanes).failed());
  EXPECT_EQ(rows.at(p.result), 0.0);
}

TEST(Statements, TheLastOperationIsFusedWithTheStoreToTheSameEffect) {
  // `x OP= e` and `x = a OP b` end in one kStoreOp; each must store what the operation into
  // a temporary followed by a masked store would: only on masked lanes, the target itself
  // as an operand, signed zeros and NaN-free minima kept, and a failure at the first bad
  // masked lane with unmasked lanes untouched.
  struct Case {
    std::string text;
    double (*expect)(double x, double y);
  };
  const Case cases[] = {
      {"world.x += world.y", [](double x, double y) { return x + y; }},
      {"world.x -= world.y", [](double x, double y) { return x - y; }},
      {"world.x *= world.y", [](double x, double y) { return x * y; }},
      {"world.x /= world.y", [](double x, double y) { return x / y; }},
      {"world.x = world.x * world.y", [](double x, double y) { return x * y; }},
      {"world.x = min(world.y, world.x)", [](double x, double y) { return x < y ? x : y; }},
      {"world.x = max(world.x, world.y)", [](double x, double y) { return x < y ? y : x; }},
  };
  for (const Case& k : cases) {
    ToySymbols sym;
    Compiler c(sym, kTempBase);
    Statement st = parse_statement(k.text, SourceLoc{"s.yaml", 3, 1});
    Program p = c.statement(st, k.text, SourceLoc{"s.yaml", 3, 1}, /*mask=*/5);
    ASSERT_EQ(p.code.size(), 1u) << k.text;
    EXPECT_EQ(p.code[0].op, Op::kStoreOp) << k.text;
    Rows rows;
    for (auto& [r, v] : sym.values_) rows.fill(r, v);
    for (int i = 0; i < kLanes; ++i) {
      rows.data[0 * kLanes + i] = i % 7 == 0 ? -0.0 : 0.5 * i - 20;
      rows.data[1 * kLanes + i] = i % 5 == 0 ? 0.0 : 3.0 - 0.25 * i;
      rows.data[5 * kLanes + i] = i % 3 == 0 ? 0 : 1;
    }
    std::vector<double> before(rows.data + 0, rows.data + kLanes);
    for (int i = 0; i < kLanes; ++i) rows.data[1 * kLanes + i] += i % 5 == 0 ? 1.0 : 0.0;
    EXPECT_FALSE(run(p, rows.data, rnd::DrawContext{1, 0, 0}, kLanes).failed()) << k.text;
    for (int i = 0; i < kLanes; ++i) {
      const double y = rows.at(1, i);
      const double want =
          i % 3 == 0 ? before[static_cast<size_t>(i)] : k.expect(before[static_cast<size_t>(i)], y);
      EXPECT_EQ(std::signbit(rows.at(0, i)), std::signbit(want)) << k.text << " lane " << i;
      EXPECT_EQ(rows.at(0, i), want) << k.text << " lane " << i;
    }
  }
  // A failure: world.x /= world.y with y = 0 on lanes 4 and 5; lane 4 is not masked.
  ToySymbols sym;
  Compiler c(sym, kTempBase);
  const std::string text = "world.x /= world.y";
  Program p = c.statement(parse_statement(text, SourceLoc{"s.yaml", 3, 1}), text,
                          SourceLoc{"s.yaml", 3, 1}, /*mask=*/5);
  Rows rows;
  rows.fill(0, 1);
  rows.fill(1, 2);
  rows.fill(5, 1);
  rows.data[1 * kLanes + 4] = 0;
  rows.data[1 * kLanes + 5] = 0;
  rows.data[5 * kLanes + 4] = 0;
  Failure f = run(p, rows.data, rnd::DrawContext{1, 0, 0}, kLanes);
  ASSERT_TRUE(f.failed());
  EXPECT_EQ(f.lane, 5);
  EXPECT_EQ(p.checks[static_cast<size_t>(f.check)].what, "statement 'world.x /= world.y'");
  EXPECT_EQ(rows.at(0, 4), 1);  // unmasked: untouched
}

TEST(Statements, TargetsMustBeAssignable) {
  ToySymbols sym;
  Compiler c(sym, kTempBase);
  auto err = [&](const std::string& text) {
    try {
      Statement st = parse_statement(text, SourceLoc{"s.yaml", 1, 1});
      c.statement(st, text, SourceLoc{"s.yaml", 1, 1}, 5);
    } catch (const UserError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(err("g.v = 1"),
            "s.yaml:1:1: cannot assign the group vector 'g.v'; expected one variable, such as "
            "self.v in a rule with group: g");
  EXPECT_EQ(err("p = 1"),
            "s.yaml:1:1: 'p' cannot be assigned; expected a target such as world.x, self.x, "
            "actor.x or relation[a, b]");
  EXPECT_EQ(err("world.x == 1"),
            "s.yaml:1:9: found '==' after the target; expected =, +=, -=, *= or /=");
  EXPECT_EQ(err("rel[a, b] *= 2"), "");
}

}  // namespace
}  // namespace geosim::expr
