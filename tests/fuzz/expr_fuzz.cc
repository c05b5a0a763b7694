// libFuzzer target: the expression parser and compiler, then one evaluation of what
// compiled. The first input byte picks expression or statement; the rest is the text.
// Names resolve through a toy symbol table: world.x, world.y, a.v, b.v, group g = {a, b},
// relation rel[a, b] and the parameter p. Any input must compile or be refused with a
// UserError; a crash, a sanitizer report or another exception is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "expr/compiler.h"
#include "expr/parser.h"
#include "expr/vm.h"

namespace {

using namespace geosim::expr;

// Rows 0..4: world.x, world.y, a.v, b.v, rel[a, b].
constexpr int32_t kParam = 5;      // p
constexpr int32_t kMask = 6;       // all-ones mask for statements
constexpr int32_t kConstBase = 7;  // constants from here
constexpr int32_t kMaxConsts = 4096;
constexpr int32_t kTempBase = kConstBase + kMaxConsts;

class FuzzSymbols : public Symbols {
 public:
  Lookup bare(const std::string& name) override {
    if (name == "p") return {kParam, false, ""};
    return {-1, false, "unknown name '" + name + "'"};
  }
  Lookup var(const std::string& scope, const std::string& name, int member) override {
    if (name == "x" && scope == "world") return {0, true, ""};
    if (name == "y" && scope == "world") return {1, true, ""};
    if (name == "v" && (scope == "a" || scope == "self" || (scope == "g" && member == 0)))
      return {2, true, ""};
    if (name == "v" && (scope == "b" || (scope == "g" && member == 1))) return {3, true, ""};
    return {-1, false, "unknown variable '" + scope + "." + name + "'"};
  }
  Lookup relation(const std::string& rel, const std::string& a, const std::string& b) override {
    if (rel == "rel" && (a == "a" || a == "self") && b == "b") return {4, true, ""};
    return {-1, false, "unknown relation entry"};
  }
  const std::vector<int>* group(const std::string& scope) override {
    return scope == "g" ? &members_ : nullptr;
  }
  int32_t constant(double v) override {
    auto it = constants_.find(v);
    if (it != constants_.end()) return it->second;
    if (static_cast<int32_t>(constants_.size()) >= kMaxConsts) {
      throw geosim::UserError(geosim::SourceLoc{"fuzz.yaml", 1, 1}, "too many constants");
    }
    int32_t r = kConstBase + static_cast<int32_t>(constants_.size());
    constants_.emplace(v, r);
    return r;
  }
  uint32_t new_site() override { return site_++; }
  const std::map<double, int32_t>& constants() const { return constants_; }

 private:
  std::vector<int> members_ = {0, 1};
  std::map<double, int32_t> constants_;
  uint32_t site_ = 1;
};

// Runs `p` once over a block whose rows hold fixed values; checks that every row the
// program names lies inside the block.
void evaluate(const Program& p, const FuzzSymbols& sym, int32_t temps) {
  const int32_t n_rows = kTempBase + temps + 1;
  for (const Instr& in : p.code) {
    for (int32_t r : {in.dst, in.a, in.b, in.c}) {
      if (r < -1 || r >= n_rows) std::abort();
    }
  }
  const size_t bytes = sizeof(double) * static_cast<size_t>(kLanes) * static_cast<size_t>(n_rows);
  auto* rows = static_cast<double*>(std::aligned_alloc(64, bytes));
  auto fill = [&](int32_t row, double v) {
    for (int i = 0; i < kLanes; ++i) rows[static_cast<size_t>(row) * kLanes + i] = v;
  };
  for (int32_t r = 0; r < n_rows; ++r) fill(r, 0);
  fill(0, 0.5);
  fill(1, -2);
  fill(2, 3);
  fill(3, 1e300);
  fill(4, 0.25);
  fill(kParam, 7);
  fill(kMask, 1);
  for (const auto& [v, r] : sym.constants()) fill(r, v);
  run(p, rows, geosim::rnd::DrawContext{1, 0, 0}, kLanes);
  std::free(rows);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool statement = data[0] & 1;
  std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const geosim::SourceLoc loc{"fuzz.yaml", 3, 7};
  FuzzSymbols sym;
  Compiler compiler(sym, kTempBase);
  try {
    Program p;
    if (statement) {
      Statement st = parse_statement(text, loc);
      p = compiler.statement(st, text, loc, kMask);
    } else {
      NodePtr n = parse_expression(text, loc);
      p = compiler.expression(*n, text, loc);
    }
    evaluate(p, sym, compiler.max_temps());
  } catch (const geosim::UserError&) {
  }
  return 0;
}
