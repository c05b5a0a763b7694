#include "expr/compiler.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/text.h"
#include "expr/parser.h"

namespace geosim::expr {

namespace {

enum class Fn {
  kMin,
  kMax,
  kClamp,
  kAbs,
  kSqrt,
  kExp,
  kLog,
  kPow,
  kLogistic,
  kIf,
  kSum,
  kMean,
  kCount,
  kAny,
  kAll,
  kUniform,
  kNormal,
  kLognormal,
  kBernoulli,
  kBeta,
  kTriangular,
};

struct FnInfo {
  const char* name;
  Fn fn;
  int min_args, max_args;  // max_args -1: unbounded
  const char* signature;
};

const FnInfo kFunctions[] = {
    {"min", Fn::kMin, 1, -1, "min(a, b, ...) or min(group.x)"},
    {"max", Fn::kMax, 1, -1, "max(a, b, ...) or max(group.x)"},
    {"clamp", Fn::kClamp, 3, 3, "clamp(x, lo, hi)"},
    {"abs", Fn::kAbs, 1, 1, "abs(x)"},
    {"sqrt", Fn::kSqrt, 1, 1, "sqrt(x)"},
    {"exp", Fn::kExp, 1, 1, "exp(x)"},
    {"log", Fn::kLog, 1, 1, "log(x)"},
    {"pow", Fn::kPow, 2, 2, "pow(x, y)"},
    {"logistic", Fn::kLogistic, 1, 1, "logistic(x)"},
    {"if", Fn::kIf, 3, 3, "if(condition, then, else)"},
    {"sum", Fn::kSum, 1, 1, "sum(group.x)"},
    {"mean", Fn::kMean, 1, 1, "mean(group.x)"},
    {"count", Fn::kCount, 1, 1, "count(group.x)"},
    {"any", Fn::kAny, 1, 1, "any(group.x)"},
    {"all", Fn::kAll, 1, 1, "all(group.x)"},
    {"uniform", Fn::kUniform, 2, 2, "uniform(a, b)"},
    {"normal", Fn::kNormal, 2, 2, "normal(mu, sd)"},
    {"lognormal", Fn::kLognormal, 2, 2, "lognormal(mu, sigma)"},
    {"bernoulli", Fn::kBernoulli, 1, 1, "bernoulli(p)"},
    {"beta", Fn::kBeta, 2, 2, "beta(a, b)"},
    {"triangular", Fn::kTriangular, 3, 3, "triangular(lo, mode, hi)"},
};

const FnInfo* find_function(const std::string& name) {
  for (const FnInfo& f : kFunctions)
    if (name == f.name) return &f;
  return nullptr;
}

bool is_aggregate_only(Fn f) {
  return f == Fn::kSum || f == Fn::kMean || f == Fn::kCount || f == Fn::kAny || f == Fn::kAll;
}

}  // namespace

const std::vector<std::string>& function_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const FnInfo& f : kFunctions) v.push_back(f.name);
    return v;
  }();
  return names;
}

struct Compiler::Ctx {
  Program* program;
  std::string_view text;
  SourceLoc loc;
  std::vector<int32_t> free_temps;
  int32_t temps_used = 0;
  // Group bound to one member inside an aggregate: group name -> actor index.
  std::map<std::string, int> bound;
  std::map<int32_t, double> constants;  // constant rows created here, for folding
};

void Compiler::fail(Ctx& cx, int offset, const std::string& msg) {
  throw UserError(locate(cx.text, cx.loc, offset), msg);
}

int32_t Compiler::temp(Ctx& cx) {
  if (!cx.free_temps.empty()) {
    int32_t r = cx.free_temps.back();
    cx.free_temps.pop_back();
    return r;
  }
  int32_t r = temp_base_ + cx.temps_used++;
  max_temps_ = std::max(max_temps_, cx.temps_used);
  return r;
}

void Compiler::release(Ctx& cx, int32_t row) {
  if (row >= temp_base_ &&
      std::find(cx.free_temps.begin(), cx.free_temps.end(), row) == cx.free_temps.end())
    cx.free_temps.push_back(row);
}

namespace {
// Folds an operation on constants at compile time; only exact IEEE operations, so the
// folded value equals what the lanes would compute.
bool fold(Op op, double a, double b, double c, double& out) {
  switch (op) {
    case Op::kCopy:
      out = a;
      return true;
    case Op::kNeg:
      out = -a;
      return true;
    case Op::kNot:
      out = a == 0;
      return true;
    case Op::kAbs:
      out = std::fabs(a);
      return true;
    case Op::kSqrt:
      out = std::sqrt(a);
      return std::isfinite(out);
    case Op::kAdd:
      out = a + b;
      return std::isfinite(out);
    case Op::kSub:
      out = a - b;
      return std::isfinite(out);
    case Op::kMul:
      out = a * b;
      return std::isfinite(out);
    case Op::kDiv:
      out = a / b;
      return std::isfinite(out);
    case Op::kMin:
      out = std::min(a, b);
      return true;
    case Op::kMax:
      out = std::max(a, b);
      return true;
    case Op::kLt:
      out = a < b;
      return true;
    case Op::kLe:
      out = a <= b;
      return true;
    case Op::kGt:
      out = a > b;
      return true;
    case Op::kGe:
      out = a >= b;
      return true;
    case Op::kEq:
      out = a == b;
      return true;
    case Op::kNe:
      out = a != b;
      return true;
    case Op::kAnd:
      out = (a != 0) && (b != 0);
      return true;
    case Op::kOr:
      out = (a != 0) || (b != 0);
      return true;
    case Op::kSelect:
      out = a != 0 ? b : c;
      return true;
    case Op::kClamp:
      out = std::min(std::max(a, b), c);
      return true;
    default:
      return false;
  }
}
}  // namespace

int32_t Compiler::op3(Ctx& cx, Op op, int32_t a, int32_t b, int32_t c, uint32_t site) {
  auto ca = cx.constants.find(a), cb = cx.constants.find(b), cc = cx.constants.find(c);
  double folded;
  if (ca != cx.constants.end() && (b < 0 || cb != cx.constants.end()) &&
      (c < 0 || cc != cx.constants.end()) &&
      fold(op, ca->second, b < 0 ? 0 : cb->second, c < 0 ? 0 : cc->second, folded)) {
    int32_t r = symbols_.constant(folded);
    cx.constants[r] = folded;
    return r;
  }
  release(cx, a);
  if (b >= 0) release(cx, b);
  if (c >= 0) release(cx, c);
  int32_t d = temp(cx);
  Instr in;
  in.op = op;
  in.dst = d;
  in.a = a;
  in.b = b < 0 ? 0 : b;
  in.c = c < 0 ? 0 : c;
  in.site = site;
  cx.program->code.push_back(in);
  return d;
}

namespace {
// Whether an operation's every lane is 0 or 1: a finiteness check of its result cannot fail.
bool always_boolean(Op op) {
  switch (op) {
    case Op::kNot:
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe:
    case Op::kEq:
    case Op::kNe:
    case Op::kAnd:
    case Op::kOr:
      return true;
    default:
      return false;
  }
}

bool fusable_with_store(Op op) {
  return op == Op::kAdd || op == Op::kSub || op == Op::kMul || op == Op::kDiv || op == Op::kMin ||
         op == Op::kMax;
}
}  // namespace

int32_t Compiler::op1(Ctx& cx, Op op, int32_t a) { return op3(cx, op, a, -1, -1); }
int32_t Compiler::op2(Ctx& cx, Op op, int32_t a, int32_t b) { return op3(cx, op, a, b, -1); }

int32_t Compiler::emit_var(Ctx& cx, const Node& n) {
  int member = -1;
  if (const std::vector<int>* g = symbols_.group(n.scope)) {
    auto it = cx.bound.find(n.scope);
    if (it == cx.bound.end())
      fail(cx, n.offset,
           "group vector '" + n.scope + "." + n.name +
               "' may stand only inside sum, mean, min, max, count, any or all");
    member = it->second;
    (void)g;
  }
  Lookup l = symbols_.var(n.scope, n.name, member);
  if (!l.error.empty()) fail(cx, n.offset, l.error);
  return l.row;
}

int32_t Compiler::emit(Ctx& cx, const Node& n) {
  switch (n.kind) {
    case NodeKind::kNumber: {
      int32_t r = symbols_.constant(n.number);
      cx.constants[r] = n.number;
      return r;
    }
    case NodeKind::kName: {
      Lookup l = symbols_.bare(n.name);
      if (!l.error.empty()) fail(cx, n.offset, l.error);
      return l.row;
    }
    case NodeKind::kVar:
      return emit_var(cx, n);
    case NodeKind::kRel: {
      Lookup l = symbols_.relation(n.scope, n.rel_a, n.rel_b);
      if (!l.error.empty()) fail(cx, n.offset, l.error);
      return l.row;
    }
    case NodeKind::kUnary: {
      int32_t a = emit(cx, *n.kids[0]);
      return op1(cx, n.unary == '-' ? Op::kNeg : Op::kNot, a);
    }
    case NodeKind::kBinary: {
      const Node& rhs = *n.kids[1];
      if (n.binary == BinaryOp::kPow && rhs.kind == NodeKind::kNumber && rhs.number == 2) {
        int32_t a = emit(cx, *n.kids[0]);
        return op2(cx, Op::kMul, a, a);
      }
      int32_t a = emit(cx, *n.kids[0]);
      int32_t b = emit(cx, rhs);
      Op op = Op::kAdd;
      switch (n.binary) {
        case BinaryOp::kAdd:
          op = Op::kAdd;
          break;
        case BinaryOp::kSub:
          op = Op::kSub;
          break;
        case BinaryOp::kMul:
          op = Op::kMul;
          break;
        case BinaryOp::kDiv:
          op = Op::kDiv;
          break;
        case BinaryOp::kPow:
          op = Op::kPow;
          break;
        case BinaryOp::kLt:
          op = Op::kLt;
          break;
        case BinaryOp::kLe:
          op = Op::kLe;
          break;
        case BinaryOp::kGt:
          op = Op::kGt;
          break;
        case BinaryOp::kGe:
          op = Op::kGe;
          break;
        case BinaryOp::kEq:
          op = Op::kEq;
          break;
        case BinaryOp::kNe:
          op = Op::kNe;
          break;
        case BinaryOp::kAnd:
          op = Op::kAnd;
          break;
        case BinaryOp::kOr:
          op = Op::kOr;
          break;
      }
      return op2(cx, op, a, b);
    }
    case NodeKind::kCall:
      return emit_call(cx, n);
  }
  return -1;
}

namespace {
// The groups whose vectors appear in `n` outside nested aggregates, in order of appearance.
void collect_groups(const Node& n, Symbols& symbols, std::vector<std::pair<std::string, int>>& out,
                    const std::map<std::string, int>& bound) {
  if (n.kind == NodeKind::kVar && symbols.group(n.scope) && !bound.count(n.scope)) {
    bool seen = false;
    for (auto& [g, off] : out) seen |= g == n.scope;
    if (!seen) out.emplace_back(n.scope, n.offset);
    return;
  }
  if (n.kind == NodeKind::kCall) {
    const FnInfo* f = find_function(n.scope);
    bool aggregate = f && (is_aggregate_only(f->fn) ||
                           ((f->fn == Fn::kMin || f->fn == Fn::kMax) && n.kids.size() == 1));
    if (aggregate) return;  // a nested aggregate binds its own group
  }
  for (const auto& k : n.kids) collect_groups(*k, symbols, out, bound);
}
}  // namespace

int32_t Compiler::emit_aggregate(Ctx& cx, const Node& n, const std::string& fn) {
  std::vector<std::pair<std::string, int>> groups;
  collect_groups(*n.kids[0], symbols_, groups, cx.bound);
  if (groups.empty())
    fail(cx, n.kids[0]->offset,
         fn + "() expects a group vector such as " + fn + "(csto.troops); found '" +
             to_text(*n.kids[0]) + "'");
  if (groups.size() > 1)
    fail(cx, groups[1].second,
         fn + "() mixes the vectors of groups '" + groups[0].first + "' and '" + groups[1].first +
             "'; expected one group");
  const std::string& g = groups[0].first;
  const std::vector<int>& members = *symbols_.group(g);
  if (members.empty()) {
    if (fn == "sum" || fn == "count" || fn == "any") return symbols_.constant(0);
    if (fn == "all") return symbols_.constant(1);
    fail(cx, n.offset, fn + "() over group '" + g + "', which has no members");
  }
  int32_t acc = -1;
  for (int m : members) {
    cx.bound[g] = m;
    int32_t v = emit(cx, *n.kids[0]);
    cx.bound.erase(g);
    if (fn == "count" || fn == "any" || fn == "all") {
      int32_t zero = symbols_.constant(0);
      cx.constants[zero] = 0;
      v = op2(cx, Op::kNe, v, zero);
    }
    if (acc < 0) {
      acc = v;
      continue;
    }
    Op op = Op::kAdd;
    if (fn == "min")
      op = Op::kMin;
    else if (fn == "max")
      op = Op::kMax;
    else if (fn == "any")
      op = Op::kOr;
    else if (fn == "all")
      op = Op::kAnd;
    acc = op2(cx, op, acc, v);
  }
  if (fn == "mean") {
    int32_t nrow = symbols_.constant(static_cast<double>(members.size()));
    cx.constants[nrow] = static_cast<double>(members.size());
    acc = op2(cx, Op::kDiv, acc, nrow);
  }
  if (members.size() == 1 && acc < temp_base_ && !cx.constants.count(acc))
    acc = op1(cx, Op::kCopy, acc);
  return acc;
}

int32_t Compiler::emit_call(Ctx& cx, const Node& n) {
  const FnInfo* f = find_function(n.scope);
  if (!f) {
    std::string hint = did_you_mean(n.scope, function_names());
    fail(cx, n.offset,
         "unknown function '" + n.scope + "'" +
             (hint.empty() ? "; expected one of " + quoted_list(function_names()) : hint));
  }
  int argc = static_cast<int>(n.kids.size());
  if (argc < f->min_args || (f->max_args >= 0 && argc > f->max_args))
    fail(cx, n.offset,
         n.scope + "() takes " +
             (f->min_args == f->max_args ? std::to_string(f->min_args)
                                         : "at least " + std::to_string(f->min_args)) +
             " argument" + (f->min_args == 1 && f->max_args == 1 ? "" : "s") + ", found " +
             std::to_string(argc) + "; expected " + f->signature);
  if (is_aggregate_only(f->fn)) return emit_aggregate(cx, n, f->name);
  if ((f->fn == Fn::kMin || f->fn == Fn::kMax) && argc == 1) return emit_aggregate(cx, n, f->name);

  std::vector<int32_t> args;
  for (const auto& k : n.kids) args.push_back(emit(cx, *k));
  switch (f->fn) {
    case Fn::kMin:
    case Fn::kMax: {
      int32_t acc = args[0];
      for (size_t i = 1; i < args.size(); ++i)
        acc = op2(cx, f->fn == Fn::kMin ? Op::kMin : Op::kMax, acc, args[i]);
      return acc;
    }
    case Fn::kClamp:
      return op3(cx, Op::kClamp, args[0], args[1], args[2]);
    case Fn::kAbs:
      return op1(cx, Op::kAbs, args[0]);
    case Fn::kSqrt:
      return op1(cx, Op::kSqrt, args[0]);
    case Fn::kExp:
      return op1(cx, Op::kExp, args[0]);
    case Fn::kLog:
      return op1(cx, Op::kLog, args[0]);
    case Fn::kPow:
      return op2(cx, Op::kPow, args[0], args[1]);
    case Fn::kLogistic:
      return op1(cx, Op::kLogistic, args[0]);
    case Fn::kIf:
      return op3(cx, Op::kSelect, args[0], args[1], args[2]);
    case Fn::kUniform:
      return op3(cx, Op::kUniform, args[0], args[1], -1, symbols_.new_site());
    case Fn::kNormal:
      return op3(cx, Op::kNormal, args[0], args[1], -1, symbols_.new_site());
    case Fn::kLognormal:
      return op3(cx, Op::kLognormal, args[0], args[1], -1, symbols_.new_site());
    case Fn::kBernoulli:
      return op3(cx, Op::kBernoulli, args[0], -1, -1, symbols_.new_site());
    case Fn::kBeta:
      return op3(cx, Op::kBeta, args[0], args[1], -1, symbols_.new_site());
    case Fn::kTriangular:
      return op3(cx, Op::kTriangular, args[0], args[1], args[2], symbols_.new_site());
    default:
      break;
  }
  return -1;
}

Program Compiler::expression(const Node& node, std::string_view text, const SourceLoc& loc,
                             int32_t dest) {
  Program p;
  Ctx cx{&p, text, loc, {}, 0, {}, {}};
  int32_t r = emit(cx, node);
  if (dest >= 0) {
    if (!p.code.empty() && p.code.back().dst == r && r >= temp_base_) {
      p.code.back().dst = dest;  // write the last result straight into dest
    } else {
      Instr in;
      in.op = Op::kCopy;
      in.dst = dest;
      in.a = r;
      p.code.push_back(in);
    }
    r = dest;
  }
  p.result = r;
  return p;
}

Program Compiler::statement(const Statement& st, std::string_view text, const SourceLoc& loc,
                            int32_t mask) {
  Program p;
  Ctx cx{&p, text, loc, {}, 0, {}, {}};
  const Node& t = *st.target;
  Lookup target;
  if (t.kind == NodeKind::kRel) {
    target = symbols_.relation(t.scope, t.rel_a, t.rel_b);
  } else {
    if (symbols_.group(t.scope))
      fail(cx, t.offset,
           "cannot assign the group vector '" + t.scope + "." + t.name +
               "'; expected one variable, such as self." + t.name +
               " in a rule with group: " + t.scope);
    target = symbols_.var(t.scope, t.name, -1);
  }
  if (!target.error.empty()) fail(cx, t.offset, target.error);
  if (!target.writable)
    fail(cx, t.offset,
         "'" + to_text(t) +
             "' cannot be assigned; expected a world, actor or self variable, or a relation entry");
  int32_t v = emit(cx, *st.value);
  switch (st.op) {
    case AssignOp::kSet:
      break;
    case AssignOp::kAdd:
      v = op2(cx, Op::kAdd, target.row, v);
      break;
    case AssignOp::kSub:
      v = op2(cx, Op::kSub, target.row, v);
      break;
    case AssignOp::kMul:
      v = op2(cx, Op::kMul, target.row, v);
      break;
    case AssignOp::kDiv:
      v = op2(cx, Op::kDiv, target.row, v);
      break;
  }
  SourceLoc where = loc;
  p.checks.push_back(CheckInfo{"statement '" + std::string(text) + "'", where.str()});
  Instr in;
  in.op = Op::kStoreMasked;
  in.dst = target.row;
  in.a = v;
  in.b = mask;
  in.check = static_cast<int32_t>(p.checks.size()) - 1;
  // When the value is the temporary that the last instruction just computed with one of the
  // fusable operations, the store takes its place (kStoreOp): the same values, stored and
  // checked on the same lanes, in one pass over the lanes instead of two.
  if (!p.code.empty() && p.code.back().dst == v && fusable_with_store(p.code.back().op)) {
    const Instr last = p.code.back();
    p.code.pop_back();
    in.op = Op::kStoreOp;
    in.a = last.a;
    in.b = last.b;
    in.c = mask;
    in.site = static_cast<uint32_t>(last.op);
  }
  p.code.push_back(in);
  return p;
}

void Compiler::add_check(Program& p, int32_t row, int32_t mask, const std::string& what,
                         const SourceLoc& loc) {
  // A row last written by a comparison or a logical operation (a `when` condition, mostly)
  // holds 0 or 1 in every lane: nothing to check.
  for (auto it = p.code.rbegin(); it != p.code.rend(); ++it)
    if (it->dst == row) {
      if (always_boolean(it->op)) return;
      break;
    }
  p.checks.push_back(CheckInfo{what, loc.str()});
  Instr in;
  in.op = Op::kCheckFinite;
  in.a = row;
  in.b = mask;
  in.check = static_cast<int32_t>(p.checks.size()) - 1;
  p.code.push_back(in);
}

}  // namespace geosim::expr
