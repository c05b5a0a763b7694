#include "scenario/build.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <unordered_set>

#include "bargain/smp_options.h"
#include "core/text.h"

namespace geosim::loader {

namespace {

constexpr int64_t kMaxSteps = 100'000'000;
constexpr int64_t kMaxReplicates = 4'294'967'295;
constexpr int64_t kMaxStoryLength = 1000;
constexpr int64_t kMaxStoryPaths = 100000;

const std::vector<std::string> kReservedNames = {
    "t",       "steps",  "self",      "world",     "true",  "false",     "and",  "or",
    "not",     "if",     "min",       "max",       "clamp", "abs",       "sqrt", "exp",
    "log",     "pow",    "logistic",  "sum",       "mean",  "count",     "any",  "all",
    "uniform", "normal", "lognormal", "bernoulli", "beta",  "triangular"};

const std::vector<std::string> kTopKeys = {"geosim",     "extends",   "remove",     "scenario",
                                           "parameters", "world",     "actors",     "relations",
                                           "decisions",  "events",    "dynamics",   "outcomes",
                                           "track",      "stop_when", "bargaining", "storyline"};

std::string q(std::string_view s) { return "'" + std::string(s) + "'"; }

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A YAML decimal number: [-+]? (digits [. digits?] | . digits) ([eE] [-+]? digits)?
bool is_decimal(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t mantissa = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++mantissa;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++mantissa;
  }
  if (mantissa == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!is_digits(s.substr(i))) return false;
    return true;
  }
  return i == s.size();
}

bool is_non_finite_literal(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  return s == ".inf" || s == ".Inf" || s == ".INF" || s == ".nan" || s == ".NaN" || s == ".NAN";
}

enum class NumberKind { kNotNumber, kFinite, kNonFinite };

NumberKind parse_number(const std::string& s, double* out) {
  if (is_non_finite_literal(s)) return NumberKind::kNonFinite;
  if (!is_decimal(s)) return NumberKind::kNotNumber;
  double v = std::strtod(s.c_str(), nullptr);
  if (!std::isfinite(v)) return NumberKind::kNonFinite;
  *out = v;
  return NumberKind::kFinite;
}

bool is_reserved(std::string_view name) {
  return std::find(kReservedNames.begin(), kReservedNames.end(), name) != kReservedNames.end();
}

class Builder {
 public:
  Builder(ScenarioSpec& spec, DiagnosticList& diags) : spec_(spec), diags_(diags) {}

  void build(const Node& root) {
    unknown_keys(root, kTopKeys, "at the top level");
    const Node* scenario = root.find("scenario");
    if (!scenario) {
      error(root.loc, "no 'scenario' section; expected scenario: with at least id and steps");
    } else {
      build_scenario(*scenario);
    }
    if (const Node* n = root.find("parameters")) build_parameters(*n);
    if (const Node* n = root.find("world")) build_variables(*n, "world", "world", spec_.world);
    if (const Node* n = root.find("actors")) build_actors(*n);
    collect_groups();
    if (const Node* n = root.find("relations")) build_relations(*n);
    if (const Node* n = root.find("decisions")) build_decisions(*n);
    if (const Node* n = root.find("events")) build_events(*n);
    if (const Node* n = root.find("dynamics")) build_dynamics(*n);
    if (const Node* n = root.find("outcomes")) build_outcomes(*n);
    if (const Node* n = root.find("track")) build_track(*n);
    if (const Node* n = root.find("stop_when")) {
      if (auto e = expr(*n, "stop_when")) spec_.stop_when = *e;
    }
    if (const Node* n = root.find("bargaining")) build_bargaining(*n);
    build_storyline(root.find("storyline"));
    check_name_clashes();
  }

 private:
  void error(const SourceLoc& loc, std::string message) { diags_.add(loc, std::move(message)); }

  // ---- generic shapes ----

  void unknown_keys(const Node& map, const std::vector<std::string>& allowed,
                    const std::string& where) {
    for (size_t i = 0; i < map.keys.size(); ++i) {
      const std::string& k = map.keys[i];
      if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
      std::string hint = did_you_mean(k, allowed);
      if (hint.empty()) hint = "; expected one of " + quoted_list(allowed);
      error(map.key_locs[i], "unknown key " + q(k) + " " + where + hint);
    }
  }

  // A section or item that must be a mapping; `null_ok` accepts an empty value as {}.
  bool want_map(const Node& n, const std::string& path, const std::string& expected,
                bool null_ok = false) {
    if (n.is_map() || (null_ok && n.is_null())) return true;
    error(n.loc, path + " is " + describe(n) + "; expected " + expected);
    return false;
  }

  std::optional<double> number(const Node& n, const std::string& path) {
    if (n.is_scalar()) {
      double v = 0;
      NumberKind kind = parse_number(n.scalar, &v);
      if (kind == NumberKind::kFinite && n.plain) return v;
      if (kind == NumberKind::kNonFinite) {
        error(n.loc,
              path + " is " + describe(n) + ", not a finite number; expected a finite number");
        return std::nullopt;
      }
      if (kind == NumberKind::kFinite) {
        error(n.loc, path + " is " + describe(n) + "; expected a number (without quotes)");
        return std::nullopt;
      }
    }
    error(n.loc, path + " is " + describe(n) + "; expected a number");
    return std::nullopt;
  }

  // An integer within [lo, hi]; `expected` describes the range for the message.
  std::optional<int64_t> integer(const Node& n, const std::string& path, int64_t lo, int64_t hi,
                                 const std::string& expected) {
    std::optional<int64_t> value;
    if (n.is_scalar() && n.plain) {
      std::string s = n.scalar;
      std::string digits = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? s.substr(1) : s;
      double d = 0;
      if (is_digits(digits)) {
        errno = 0;
        long long v = std::strtoll(s.c_str(), nullptr, 10);
        if (errno == ERANGE) {
          error(n.loc, path + " is " + s + ", out of range; expected " + expected);
          return std::nullopt;
        }
        value = v;
      } else if (parse_number(s, &d) == NumberKind::kFinite && d == std::floor(d) &&
                 std::abs(d) <= 9007199254740992.0) {
        value = static_cast<int64_t>(d);
      }
    }
    if (!value) {
      error(n.loc, path + " is " + describe(n) + "; expected " + expected);
      return std::nullopt;
    }
    if (*value < lo || *value > hi) {
      error(n.loc, path + " is " + std::to_string(*value) + "; expected " + expected);
      return std::nullopt;
    }
    return value;
  }

  std::optional<bool> boolean(const Node& n, const std::string& path) {
    if (n.is_scalar() && n.plain) {
      const std::string& s = n.scalar;
      if (s == "true" || s == "True" || s == "TRUE") return true;
      if (s == "false" || s == "False" || s == "FALSE") return false;
    }
    error(n.loc, path + " is " + describe(n) + "; expected true or false");
    return std::nullopt;
  }

  std::optional<std::string> text(const Node& n, const std::string& path) {
    if (n.is_scalar()) return n.scalar;
    error(n.loc, path + " is " + describe(n) + "; expected text");
    return std::nullopt;
  }

  // An expression: a string, number or boolean written as a scalar.
  std::optional<ExprText> expr(const Node& n, const std::string& path) {
    if (!n.is_scalar()) {
      error(n.loc, path + " is " + describe(n) + "; expected an expression (text or a number)");
      return std::nullopt;
    }
    ExprText e{n.scalar, n.text_loc};
    if (n.plain) {
      double v = 0;
      if (parse_number(n.scalar, &v) == NumberKind::kNonFinite) {
        error(n.loc,
              path + " is " + describe(n) + ", not a finite number; expected a finite number");
        return std::nullopt;
      }
      if (e.text == "True" || e.text == "TRUE") e.text = "true";
      if (e.text == "False" || e.text == "FALSE") e.text = "false";
    }
    bool blank = std::all_of(e.text.begin(), e.text.end(),
                             [](char c) { return c == ' ' || c == '\t' || c == '\n'; });
    if (blank) {
      error(n.loc, path + " is an empty text; expected an expression");
      return std::nullopt;
    }
    return e;
  }

  // Statements: one string or a list of strings.
  std::vector<ExprText> statements(const Node& n, const std::string& path) {
    std::vector<ExprText> out;
    if (n.is_seq()) {
      for (size_t i = 0; i < n.items.size(); ++i) {
        if (auto e = expr(n.items[i], path + "[" + std::to_string(i) + "]")) out.push_back(*e);
      }
    } else if (n.is_scalar()) {
      if (auto e = expr(n, path)) out.push_back(*e);
    } else {
      error(n.loc, path + " is " + describe(n) + "; expected a statement or a list of statements");
    }
    return out;
  }

  // Names of parameters, variables, actors, groups, relations, decisions, options, events,
  // outcomes and case labels.
  bool name_ok(const std::string& name, const SourceLoc& loc, const std::string& kind) {
    if (!is_identifier(name)) {
      error(loc, kind + " name " + q(name) +
                     " is not an identifier; expected letters, digits and '_', not starting "
                     "with a digit");
      return false;
    }
    if (is_reserved(name)) {
      error(loc, kind + " name " + q(name) +
                     " is reserved (a built-in name, keyword or function); expected another name");
      return false;
    }
    return true;
  }

  // ---- sections ----

  void build_scenario(const Node& n) {
    if (!want_map(n, "scenario",
                  "a mapping with id, steps and optional title, description, "
                  "step, replicates, seed, sources")) {
      return;
    }
    unknown_keys(n,
                 {"id", "title", "description", "steps", "step", "replicates", "seed", "sources"},
                 "in scenario");
    if (const Node* id = n.find("id")) {
      if (auto s = text(*id, "scenario.id")) {
        bool ok = !s->empty() && std::all_of(s->begin(), s->end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        });
        if (ok) {
          spec_.id = *s;
        } else {
          error(id->loc, "scenario.id is " + describe(*id) +
                             "; expected lower-case letters, digits, '_' and '-' only");
        }
      }
    } else {
      error(n.loc, "scenario has no 'id'; expected id: a name of [a-z0-9_-] characters");
    }
    if (const Node* x = n.find("title")) spec_.title = text(*x, "scenario.title").value_or("");
    if (const Node* x = n.find("description")) {
      spec_.description = text(*x, "scenario.description").value_or("");
    }
    if (const Node* x = n.find("step")) {
      spec_.step_label = text(*x, "scenario.step").value_or(spec_.step_label);
    }
    if (const Node* x = n.find("steps")) {
      if (auto v = integer(*x, "scenario.steps", 1, std::numeric_limits<int64_t>::max(),
                           "an integer from 1 to 100000000")) {
        if (*v > kMaxSteps) {
          error(x->loc, "scenario.steps is " + std::to_string(*v) +
                            ", above the limit of 100000000 steps; expected an integer from 1 "
                            "to 100000000");
        } else {
          spec_.steps = *v;
        }
      }
    } else {
      error(n.loc, "scenario has no 'steps'; expected steps: an integer >= 1");
    }
    if (const Node* x = n.find("replicates")) {
      if (auto v = integer(*x, "scenario.replicates", 1, kMaxReplicates,
                           "an integer from 1 to 4294967295")) {
        spec_.replicates = *v;
      }
    }
    if (const Node* x = n.find("seed")) build_seed(*x);
    if (const Node* x = n.find("sources")) {
      if (x->is_seq()) {
        for (size_t i = 0; i < x->items.size(); ++i) {
          if (auto s = text(x->items[i], "scenario.sources[" + std::to_string(i) + "]")) {
            spec_.sources.push_back(*s);
          }
        }
      } else if (!x->is_null()) {
        error(x->loc, "scenario.sources is " + describe(*x) + "; expected a list of texts");
      }
    }
  }

  void build_seed(const Node& n) {
    const std::string expected = "an integer from 0 to 18446744073709551615";
    if (n.is_scalar() && n.plain) {
      std::string s = n.scalar.starts_with("+") ? n.scalar.substr(1) : n.scalar;
      if (is_digits(s)) {
        errno = 0;
        unsigned long long v = std::strtoull(s.c_str(), nullptr, 10);
        if (errno == ERANGE) {
          error(n.loc, "scenario.seed is " + s + ", above 2^64-1; expected " + expected);
        } else {
          spec_.seed = v;
        }
        return;
      }
    }
    error(n.loc, "scenario.seed is " + describe(n) + "; expected " + expected);
  }

  // min and max of a parameter or variable; false if they are given but invalid.
  bool bounds(const Node& map, const std::string& path, std::optional<double>& lo,
              std::optional<double>& hi) {
    if (const Node* x = map.find("min")) lo = number(*x, path + ".min");
    if (const Node* x = map.find("max")) hi = number(*x, path + ".max");
    if (lo && hi && *lo > *hi) {
      error(map.find("min")->loc, path + " has min " + format(*lo) + " above max " + format(*hi) +
                                      "; expected min <= max");
      return false;
    }
    return (lo || !map.find("min")) && (hi || !map.find("max"));
  }

  static std::string format(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    double back = std::strtod(buf, nullptr);
    for (int p = 1; p <= 17; ++p) {
      std::snprintf(buf, sizeof buf, "%.*g", p, v);
      if (std::strtod(buf, nullptr) == back) break;
    }
    return buf;
  }

  // `basis:` and `from:` of a long-form parameter or variable. A fitted or sourced number
  // must say which fit or which sources (`from`); judgement may say why.
  bool provenance(const Node& v, const std::string& path, Provenance& out) {
    const Node* b = v.find("basis");
    const Node* f = v.find("from");
    if (f) out.from = text(*f, path + ".from").value_or("");
    if (!b) {
      if (f) {
        error(f->loc, path +
                          " has 'from' but no 'basis'; expected basis: fitted, sourced or "
                          "judgement beside it");
        return false;
      }
      return true;
    }
    auto s = text(*b, path + ".basis");
    if (!s) return false;
    const std::vector<std::string> bases = {"fitted", "sourced", "judgement"};
    if (*s == "fitted") {
      out.basis = Basis::kFitted;
    } else if (*s == "sourced") {
      out.basis = Basis::kSourced;
    } else if (*s == "judgement") {
      out.basis = Basis::kJudgement;
    } else {
      error(b->loc, path + ".basis is " + q(*s) + "; expected fitted, sourced or judgement" +
                        did_you_mean(*s, bases));
      return false;
    }
    if (out.basis != Basis::kJudgement && out.from.empty()) {
      error(b->loc, path + " is " + *s + " but says nothing in 'from'; expected from: " +
                        (out.basis == Basis::kFitted ? "the fit that produced it"
                                                     : "the sources it comes from"));
      return false;
    }
    return true;
  }

  void build_parameters(const Node& n) {
    if (!want_map(n, "parameters", "a mapping of parameter names", true)) return;
    for (size_t i = 0; i < n.keys.size(); ++i) {
      const std::string& name = n.keys[i];
      const Node& v = n.items[i];
      const std::string path = "parameters." + name;
      ParameterSpec p;
      p.name = name;
      p.loc = n.key_locs[i];
      bool ok = name_ok(name, p.loc, "parameter");
      if (v.is_map()) {
        unknown_keys(v, {"value", "min", "max", "doc", "basis", "from"}, "in parameter " + q(name));
        const Node* value = v.find("value");
        std::optional<double> x;
        if (value) {
          x = number(*value, path + ".value");
        } else {
          error(v.loc, "parameter " + q(name) + " has no 'value'; expected value: a number");
        }
        bool bounds_ok = bounds(v, path, p.min, p.max);
        if (const Node* d = v.find("doc")) p.doc = text(*d, path + ".doc").value_or("");
        bool basis_ok = provenance(v, path, p.provenance);
        if (!x || !bounds_ok || !basis_ok) continue;
        p.value = *x;
        if (p.min && p.value < *p.min) {
          error(value->loc, path + ".value is " + format(p.value) + ", below min " +
                                format(*p.min) + "; expected a value within min and max");
          continue;
        }
        if (p.max && p.value > *p.max) {
          error(value->loc, path + ".value is " + format(p.value) + ", above max " +
                                format(*p.max) + "; expected a value within min and max");
          continue;
        }
      } else if (v.is_scalar()) {
        auto x = number(v, path);
        if (!x) continue;
        p.value = *x;
      } else {
        error(v.loc, path + " is " + describe(v) +
                         "; expected a number or a mapping with value, min, max, doc");
        continue;
      }
      if (ok) spec_.parameters.push_back(p);
    }
  }

  void build_variables(const Node& n, const std::string& path, const std::string& owner,
                       std::vector<VariableSpec>& out) {
    if (!want_map(n, path, "a mapping of variable names", true)) return;
    for (size_t i = 0; i < n.keys.size(); ++i) {
      const std::string& name = n.keys[i];
      const Node& v = n.items[i];
      const std::string vpath = path + "." + name;
      VariableSpec var;
      var.name = name;
      var.loc = n.key_locs[i];
      bool ok = name_ok(name, var.loc, "variable");
      if (v.is_map()) {
        unknown_keys(v, {"init", "min", "max", "doc", "basis", "from"},
                     "in variable " + q(owner + "." + name));
        if (const Node* init = v.find("init")) {
          if (auto e = expr(*init, vpath + ".init")) {
            var.init = *e;
          } else {
            ok = false;
          }
        } else {
          error(v.loc, "variable " + q(owner + "." + name) +
                           " has no 'init'; expected init: a number or an expression");
          ok = false;
        }
        ok = bounds(v, vpath, var.min, var.max) && ok;
        if (const Node* d = v.find("doc")) var.doc = text(*d, vpath + ".doc").value_or("");
        ok = provenance(v, vpath, var.provenance) && ok;
      } else if (v.is_scalar()) {
        if (auto e = expr(v, vpath)) {
          var.init = *e;
        } else {
          ok = false;
        }
      } else {
        error(v.loc, vpath + " is " + describe(v) +
                         "; expected a number, an expression or a mapping with init, min, max, "
                         "doc");
        ok = false;
      }
      if (ok) out.push_back(var);
    }
  }

  void build_actors(const Node& n) {
    if (!want_map(n, "actors", "a mapping of actor ids", true)) return;
    for (size_t i = 0; i < n.keys.size(); ++i) {
      const std::string& id = n.keys[i];
      const Node& v = n.items[i];
      const std::string path = "actors." + id;
      ActorSpec a;
      a.id = id;
      a.name = id;
      a.loc = n.key_locs[i];
      bool ok = name_ok(id, a.loc, "actor");
      if (!want_map(v, path, "a mapping with name, groups, state", true)) continue;
      unknown_keys(v, {"name", "groups", "state"}, "in actor " + q(id));
      if (const Node* x = v.find("name")) a.name = text(*x, path + ".name").value_or(id);
      if (const Node* g = v.find("groups")) {
        if (g->is_seq()) {
          for (size_t k = 0; k < g->items.size(); ++k) {
            const Node& item = g->items[k];
            auto s = text(item, path + ".groups[" + std::to_string(k) + "]");
            if (!s) continue;
            if (std::find(a.groups.begin(), a.groups.end(), *s) != a.groups.end()) {
              error(item.loc, "group " + q(*s) + " listed twice in actor " + q(id) +
                                  "; expected each group once");
              continue;
            }
            a.groups.push_back(*s);
            a.group_locs.push_back(item.text_loc);
          }
        } else if (!g->is_null()) {
          error(g->loc, path + ".groups is " + describe(*g) + "; expected a list of group names");
        }
      }
      if (const Node* s = v.find("state")) build_variables(*s, path + ".state", id, a.state);
      if (ok) spec_.actors.push_back(a);
    }
    for (const auto& a : spec_.actors) {
      actor_ids_.push_back(a.id);
      actor_set_.insert(a.id);
    }
  }

  // Groups exist by membership; their names are checked at their first mention.
  void collect_groups() {
    for (const auto& a : spec_.actors) {
      for (size_t k = 0; k < a.groups.size(); ++k) {
        const std::string& g = a.groups[k];
        if (group_set_.contains(g)) continue;
        if (bad_group_set_.contains(g)) continue;
        bool ok = name_ok(g, a.group_locs[k], "group");
        if (ok && actor_set_.contains(g)) {
          error(a.group_locs[k], "group " + q(g) +
                                     " has the name of an actor; expected group names distinct "
                                     "from actor ids");
          ok = false;
        }
        (ok ? groups_ : bad_groups_).push_back(g);
        (ok ? group_set_ : bad_group_set_).insert(g);
      }
    }
  }

  // An actor id used in a relation; false (with a message) if there is no such actor.
  bool known_actor(const std::string& id, const SourceLoc& loc, const std::string& where) {
    if (actor_set_.contains(id)) return true;
    std::string hint = did_you_mean(id, actor_ids_);
    if (hint.empty()) {
      hint = actor_ids_.empty() ? "; expected an actor id, but no actors are defined"
                                : "; expected one of " + quoted_list(actor_ids_);
    }
    error(loc, "unknown actor " + q(id) + " " + where + hint);
    return false;
  }

  void build_relations(const Node& n) {
    if (!want_map(n, "relations", "a mapping of relation names", true)) return;
    for (size_t i = 0; i < n.keys.size(); ++i) {
      const std::string& name = n.keys[i];
      const Node& v = n.items[i];
      const std::string path = "relations." + name;
      RelationSpec r;
      r.name = name;
      r.loc = n.key_locs[i];
      bool ok = name_ok(name, r.loc, "relation");
      if (!want_map(v, path, "a mapping with default and actor rows", true)) continue;
      for (size_t k = 0; k < v.keys.size(); ++k) {
        const std::string& from = v.keys[k];
        const Node& row = v.items[k];
        if (from == "default") {
          if (auto d = number(row, path + ".default")) r.default_value = *d;
          continue;
        }
        if (!known_actor(from, v.key_locs[k], "in relation " + q(name))) continue;
        if (!want_map(row, path + "." + from, "a mapping of actor ids to numbers")) continue;
        for (size_t c = 0; c < row.keys.size(); ++c) {
          const std::string& to = row.keys[c];
          if (!known_actor(to, row.key_locs[c], "in relation " + q(name))) continue;
          auto x = number(row.items[c], path + "." + from + "." + to);
          if (!x) continue;
          r.entries.push_back(RelationEntrySpec{from, to, v.key_locs[k], row.key_locs[c], *x});
        }
      }
      if (ok) spec_.relations.push_back(r);
    }
  }

  void build_decisions(const Node& n) {
    if (!want_map(n, "decisions", "a mapping of decision names", true)) return;
    for (size_t i = 0; i < n.keys.size(); ++i) {
      const std::string& name = n.keys[i];
      const Node& v = n.items[i];
      const std::string path = "decisions." + name;
      const std::string where = "in decision " + q(name);
      DecisionSpec d;
      d.name = name;
      d.loc = n.key_locs[i];
      bool ok = name_ok(name, d.loc, "decision");
      if (!want_map(v, path, "a mapping with actor or group, when, rule, options")) continue;
      unknown_keys(v, {"actor", "group", "when", "rule", "rationality", "options"}, where);
      ok = decision_who(v, path, name, d) && ok;
      if (const Node* x = v.find("when")) {
        if (auto e = expr(*x, path + ".when")) d.when = *e;
      }
      bool rule_ok = true;
      if (const Node* x = v.find("rule")) {
        rule_ok = false;
        if (auto s = text(*x, path + ".rule")) {
          const std::vector<std::string> rules = {"argmax", "logit", "sample"};
          if (*s == "argmax") {
            d.rule = DecisionRule::kArgmax, rule_ok = true;
          } else if (*s == "logit") {
            d.rule = DecisionRule::kLogit, rule_ok = true;
          } else if (*s == "sample") {
            d.rule = DecisionRule::kSample, rule_ok = true;
          } else {
            std::string hint = did_you_mean(*s, rules);
            error(x->loc, "unknown rule " + q(*s) + " " + where +
                              (hint.empty() ? "; expected 'argmax', 'logit' or 'sample'" : hint));
          }
        }
      }
      const Node* rat = v.find("rationality");
      if (rule_ok && d.rule == DecisionRule::kLogit) {
        if (!rat) {
          error(n.key_locs[i], "decision " + q(name) +
                                   " uses rule logit but has no 'rationality'; expected "
                                   "rationality: an expression");
        } else if (auto e = expr(*rat, path + ".rationality")) {
          d.rationality = *e;
        }
      } else if (rule_ok && rat) {
        error(v.key_locs[static_cast<size_t>(v.index_of("rationality"))],
              "'rationality' " + where + " with rule " +
                  (d.rule == DecisionRule::kArgmax ? "argmax" : "sample") +
                  "; expected rationality only with rule: logit");
      }
      if (const Node* o = v.find("options")) {
        build_options(*o, path, name, rule_ok, d);
      } else {
        error(n.key_locs[i], "decision " + q(name) +
                                 " has no 'options'; expected options: a mapping of option names");
      }
      if (ok) spec_.decisions.push_back(d);
    }
  }

  bool decision_who(const Node& v, const std::string& path, const std::string& name,
                    DecisionSpec& d) {
    const Node* actor = v.find("actor");
    const Node* group = v.find("group");
    if (actor && group) {
      error(group->loc,
            "decision " + q(name) + " has both 'actor' and 'group'; expected exactly one of them");
      return false;
    }
    if (!actor && !group) {
      error(v.loc, "decision " + q(name) +
                       " has neither 'actor' nor 'group'; expected exactly one of them");
      return false;
    }
    const Node& who = actor ? *actor : *group;
    auto s = text(who, path + (actor ? ".actor" : ".group"));
    if (!s) return false;
    d.who_loc = who.text_loc;
    const std::vector<std::string>& known = actor ? actor_ids_ : groups_;
    if (std::find(known.begin(), known.end(), *s) == known.end()) {
      std::string kind = actor ? "actor" : "group";
      std::string hint = did_you_mean(*s, known);
      if (hint.empty()) {
        hint = known.empty() ? "; expected a " + kind + ", but none is defined"
                             : "; expected one of " + quoted_list(known);
      }
      error(who.loc, "unknown " + kind + " " + q(*s) + " in decision " + q(name) + hint);
      return false;
    }
    (actor ? d.actor : d.group) = *s;
    return true;
  }

  void build_options(const Node& o, const std::string& path, const std::string& decision,
                     bool rule_ok, DecisionSpec& d) {
    if (!want_map(o, path + ".options", "a mapping of option names")) return;
    if (o.keys.empty()) {
      error(o.loc, path + ".options is empty; expected at least one option");
      return;
    }
    const bool sample = d.rule == DecisionRule::kSample;
    const std::string rule = d.rule == DecisionRule::kArgmax  ? "argmax"
                             : d.rule == DecisionRule::kLogit ? "logit"
                                                              : "sample";
    for (size_t i = 0; i < o.keys.size(); ++i) {
      const std::string& name = o.keys[i];
      const Node& v = o.items[i];
      const std::string opath = path + ".options." + name;
      const std::string where = "option " + q(name) + " of decision " + q(decision);
      OptionSpec opt;
      opt.name = name;
      opt.loc = o.key_locs[i];
      bool ok = name_ok(name, opt.loc, "option");
      if (!want_map(v, opath,
                    sample ? "a mapping with weight and effects"
                           : "a mapping with utility and effects")) {
        continue;
      }
      unknown_keys(v, {"utility", "weight", "effects"}, "in " + where);
      const Node* utility = v.find("utility");
      const Node* weight = v.find("weight");
      if (rule_ok) {
        const char* need = sample ? "weight" : "utility";
        const Node* wrong = sample ? utility : weight;
        if (!(sample ? weight : utility)) {
          error(o.key_locs[i], where + " has no '" + need + "'; expected " + need +
                                   ": an expression with rule " + rule);
          ok = false;
        }
        if (wrong) {
          error(v.key_locs[static_cast<size_t>(v.index_of(sample ? "utility" : "weight"))],
                std::string("'") + (sample ? "utility" : "weight") + "' in " + where +
                    " with rule " + rule + "; expected '" + need + "' (" +
                    (sample ? "utility is for argmax and logit" : "weight is for rule sample") +
                    ")");
          ok = false;
        }
      }
      if (utility) {
        if (auto e = expr(*utility, opath + ".utility")) opt.utility = *e;
      }
      if (weight) {
        if (auto e = expr(*weight, opath + ".weight")) opt.weight = *e;
      }
      if (const Node* x = v.find("effects")) opt.effects = statements(*x, opath + ".effects");
      if (ok) d.options.push_back(opt);
    }
  }

  void build_events(const Node& n) {
    if (!want_map(n, "events", "a mapping of event names", true)) return;
    for (size_t i = 0; i < n.keys.size(); ++i) {
      const std::string& name = n.keys[i];
      const Node& v = n.items[i];
      const std::string path = "events." + name;
      EventSpec e;
      e.name = name;
      e.loc = n.key_locs[i];
      bool ok = name_ok(name, e.loc, "event");
      if (!want_map(v, path, "a mapping with at, when, probability, once, effects")) continue;
      unknown_keys(v, {"at", "when", "probability", "once", "effects"}, "in event " + q(name));
      if (const Node* at = v.find("at")) {
        e.has_at = true;
        if (at->is_seq()) {
          if (at->items.empty()) {
            error(at->loc, path + ".at is an empty list; expected a step or a list of steps");
          }
          for (size_t k = 0; k < at->items.size(); ++k) {
            if (auto s = step(at->items[k], path + ".at[" + std::to_string(k) + "]")) {
              e.at.push_back(*s);
            }
          }
        } else if (auto s = step(*at, path + ".at")) {
          e.at.push_back(*s);
        }
      }
      if (const Node* x = v.find("when")) {
        if (auto w = expr(*x, path + ".when")) e.when = *w;
      }
      if (const Node* x = v.find("probability")) {
        if (auto w = expr(*x, path + ".probability")) e.probability = *w;
      }
      if (const Node* x = v.find("once")) e.once = boolean(*x, path + ".once").value_or(false);
      if (const Node* x = v.find("effects")) e.effects = statements(*x, path + ".effects");
      if (ok) spec_.events.push_back(e);
    }
  }

  // A step of `at`: an integer in [0, steps) when steps is known.
  std::optional<int64_t> step(const Node& n, const std::string& path) {
    int64_t hi = spec_.steps > 0 ? spec_.steps - 1 : std::numeric_limits<int64_t>::max();
    std::string expected = spec_.steps > 0
                               ? "a step from 0 to " + std::to_string(hi) + " (scenario.steps is " +
                                     std::to_string(spec_.steps) + ")"
                               : "a step, an integer >= 0";
    return integer(n, path, 0, hi, expected);
  }

  void build_dynamics(const Node& n) {
    if (n.is_null()) return;
    if (!n.is_seq()) {
      error(n.loc, "dynamics is " + describe(n) +
                       "; expected a list of statements and {group:, do:} items");
      return;
    }
    for (size_t i = 0; i < n.items.size(); ++i) {
      const Node& item = n.items[i];
      const std::string path = "dynamics[" + std::to_string(i) + "]";
      DynamicsSpec d;
      if (item.is_scalar()) {
        if (auto e = expr(item, path)) {
          d.statements.push_back(*e);
          spec_.dynamics.push_back(d);
        }
        continue;
      }
      if (!want_map(item, path, "a statement or a mapping with group and do")) continue;
      unknown_keys(item, {"group", "do"}, "in " + path);
      bool ok = true;
      if (const Node* g = item.find("group")) {
        if (auto s = text(*g, path + ".group")) {
          d.group = *s;
          d.group_loc = g->text_loc;
          if (!group_set_.contains(*s)) {
            std::string hint = did_you_mean(*s, groups_);
            if (hint.empty()) {
              hint = groups_.empty() ? "; expected a group, but no actor belongs to one"
                                     : "; expected one of " + quoted_list(groups_);
            }
            error(g->loc, "unknown group " + q(*s) + " in " + path + hint);
            ok = false;
          }
        } else {
          ok = false;
        }
      } else {
        error(item.loc, path + " has no 'group'; expected group: a group name");
        ok = false;
      }
      if (const Node* x = item.find("do")) {
        d.statements = statements(*x, path + ".do");
      } else {
        error(item.loc, path + " has no 'do'; expected do: a list of statements");
        ok = false;
      }
      if (ok) spec_.dynamics.push_back(d);
    }
  }

  void build_outcomes(const Node& n) {
    if (!want_map(n, "outcomes", "a mapping of outcome names", true)) return;
    const std::vector<std::string> kinds = {"max", "min", "mean", "first", "cases", "value"};
    std::vector<std::string> keys = kinds;
    keys.push_back("given");
    for (size_t i = 0; i < n.keys.size(); ++i) {
      const std::string& name = n.keys[i];
      const Node& v = n.items[i];
      const std::string path = "outcomes." + name;
      OutcomeSpec o;
      o.name = name;
      o.loc = n.key_locs[i];
      bool ok = name_ok(name, o.loc, "outcome");
      if (v.is_scalar()) {
        auto e = expr(v, path);
        if (!e) continue;
        o.expr = *e;
        if (ok) spec_.outcomes.push_back(o);
        continue;
      }
      if (!want_map(v, path,
                    "an expression or a mapping with one of max, min, mean, first, cases, "
                    "value")) {
        continue;
      }
      unknown_keys(v, keys, "in outcome " + q(name));
      if (const Node* g = v.find("given")) {
        auto e = expr(*g, path + ".given");
        if (!e) continue;
        o.given = *e;
      }
      std::vector<size_t> present;
      for (size_t k = 0; k < v.keys.size(); ++k) {
        if (std::find(kinds.begin(), kinds.end(), v.keys[k]) != kinds.end()) present.push_back(k);
      }
      if (present.empty()) {
        if (v.keys.empty()) {
          error(v.loc, "outcome " + q(name) +
                           " is an empty mapping; expected exactly one of 'max', 'min', 'mean', "
                           "'first', 'cases' or 'value'");
        } else if (v.find("given")) {
          error(v.loc, "outcome " + q(name) +
                           " has a 'given' condition but nothing to report; expected one of "
                           "'max', 'min', 'mean', 'first', 'cases' or 'value' beside it");
        }
        continue;
      }
      if (present.size() > 1) {
        error(v.key_locs[present[1]], "outcome " + q(name) + " has both " + q(v.keys[present[0]]) +
                                          " and " + q(v.keys[present[1]]) +
                                          "; expected exactly one of 'max', 'min', 'mean', "
                                          "'first', 'cases' or 'value'");
        continue;
      }
      const std::string& kind = v.keys[present[0]];
      const Node& body = v.items[present[0]];
      if (kind == "cases") {
        o.kind = OutcomeKind::kCases;
        if (!want_map(body, path + ".cases", "a mapping of labels to conditions")) continue;
        if (body.keys.empty()) {
          error(body.loc, path + ".cases is empty; expected at least one label: condition");
          continue;
        }
        for (size_t k = 0; k < body.keys.size(); ++k) {
          CaseSpec c;
          c.label = body.keys[k];
          c.loc = body.key_locs[k];
          bool label_ok = name_ok(c.label, c.loc, "case label");
          auto e = expr(body.items[k], path + ".cases." + c.label);
          if (!e || !label_ok) continue;
          c.condition = *e;
          o.cases.push_back(c);
        }
      } else {
        o.kind = kind == "max"     ? OutcomeKind::kMax
                 : kind == "min"   ? OutcomeKind::kMin
                 : kind == "mean"  ? OutcomeKind::kMean
                 : kind == "value" ? OutcomeKind::kFinal
                                   : OutcomeKind::kFirst;
        auto e = expr(body, path + "." + kind);
        if (!e) continue;
        o.expr = *e;
      }
      if (ok) spec_.outcomes.push_back(o);
    }
  }

  void build_track(const Node& n) {
    if (n.is_null()) return;
    if (!n.is_seq()) {
      error(n.loc, "track is " + describe(n) + "; expected a list of expressions");
      return;
    }
    for (size_t i = 0; i < n.items.size(); ++i) {
      if (auto e = expr(n.items[i], "track[" + std::to_string(i) + "]")) spec_.track.push_back(*e);
    }
  }

  // ---- bargaining (docs/bargaining-in-scenarios.md) ----

  void build_bargaining(const Node& n) {
    if (!want_map(n, "bargaining", "a mapping of issue-set names", true)) return;
    // (actor, variable) -> where the variable was declared by an earlier issue set
    std::vector<std::pair<std::string, std::string>> taken;
    for (size_t i = 0; i < n.keys.size(); ++i) {
      const std::string& name = n.keys[i];
      const Node& v = n.items[i];
      const std::string path = "bargaining." + name;
      const std::string where = "in bargaining " + q(name);
      BargainingSpec b;
      b.name = name;
      b.loc = n.key_locs[i];
      bool ok = name_ok(name, b.loc, "issue set");
      if (!want_map(v, path, "a mapping with dimensions, model and actors")) continue;
      unknown_keys(v, {"dimensions", "model", "actors"}, where);
      ok = bargaining_dimensions(v, path, name, b) && ok;
      if (const Node* m = v.find("model")) ok = bargaining_model(*m, path, name, b) && ok;
      const Node* actors = v.find("actors");
      if (!actors) {
        error(v.loc, "bargaining " + q(name) +
                         " has no 'actors'; expected actors: a mapping of at least two actor "
                         "ids to capability, position and salience");
        continue;
      }
      if (!want_map(*actors, path + ".actors",
                    "a mapping of actor ids to capability, position and salience")) {
        continue;
      }
      if (actors->keys.size() < 2) {
        error(actors->loc, path + ".actors lists " + std::to_string(actors->keys.size()) +
                               " actor" + (actors->keys.size() == 1 ? "" : "s") +
                               "; expected at least two");
        ok = false;
      }
      for (size_t k = 0; k < actors->keys.size(); ++k) {
        ok = bargaining_actor(actors->keys[k], actors->key_locs[k], actors->items[k], path, name, b,
                              taken) &&
             ok;
      }
      if (ok) spec_.bargaining.push_back(b);
    }
  }

  bool bargaining_dimensions(const Node& v, const std::string& path, const std::string& name,
                             BargainingSpec& b) {
    const Node* d = v.find("dimensions");
    if (!d) {
      error(v.loc, "bargaining " + q(name) +
                       " has no 'dimensions'; expected dimensions: a list of dimension names");
      return false;
    }
    if (!d->is_seq() || d->items.empty()) {
      error(d->loc, path + ".dimensions is " + (d->is_seq() ? "an empty list" : describe(*d)) +
                        "; expected a list of at least one dimension name");
      return false;
    }
    bool ok = true;
    for (size_t k = 0; k < d->items.size(); ++k) {
      const Node& item = d->items[k];
      auto s = text(item, path + ".dimensions[" + std::to_string(k) + "]");
      if (!s || !name_ok(*s, item.text_loc, "dimension")) {
        ok = false;
        continue;
      }
      if (std::find(b.dimensions.begin(), b.dimensions.end(), *s) != b.dimensions.end()) {
        error(item.text_loc, "dimension " + q(*s) + " listed twice in bargaining " + q(name) +
                                 "; expected each dimension once");
        ok = false;
        continue;
      }
      b.dimensions.push_back(*s);
      b.dimension_locs.push_back(item.text_loc);
    }
    return ok;
  }

  bool bargaining_model(const Node& m, const std::string& path, const std::string& name,
                        BargainingSpec& b) {
    if (m.is_null()) return true;
    if (!want_map(m, path + ".model", "a mapping of KTAB model parameters to value names")) {
      return false;
    }
    const auto& choices = bargain::smp_choices();
    std::vector<std::string> keys;
    for (const auto& c : choices) keys.push_back(c.ktab_name);
    bool ok = true;
    std::vector<const bargain::SmpChoice*> seen;
    for (size_t k = 0; k < m.keys.size(); ++k) {
      const std::string& key = m.keys[k];
      const bargain::SmpChoice* choice = nullptr;
      for (const auto& c : choices)
        if (c.ktab_name == key || c.key == key) choice = &c;
      if (!choice) {
        std::string hint = did_you_mean(key, keys);
        error(m.key_locs[k], "unknown model parameter " + q(key) + " in bargaining " + q(name) +
                                 (hint.empty() ? "; expected one of " + quoted_list(keys) : hint));
        ok = false;
        continue;
      }
      if (std::find(seen.begin(), seen.end(), choice) != seen.end()) {
        error(m.key_locs[k], "model parameter " + q(choice->ktab_name) +
                                 " set twice in bargaining " + q(name) + "; expected it once");
        ok = false;
        continue;
      }
      seen.push_back(choice);
      const Node& val = m.items[k];
      auto s = text(val, path + ".model." + key);
      if (!s) {
        ok = false;
        continue;
      }
      if (std::find(choice->values.begin(), choice->values.end(), *s) == choice->values.end()) {
        std::string hint = did_you_mean(*s, choice->values);
        error(val.text_loc,
              "unknown " + choice->ktab_name + " " + q(*s) + " in bargaining " + q(name) +
                  (hint.empty() ? "; expected " + quoted_list(choice->values) : hint));
        ok = false;
        continue;
      }
      b.model.push_back(BargainingOptionSpec{choice->ktab_name, *s, m.key_locs[k], val.text_loc});
    }
    return ok;
  }

  // A list of one expression per dimension.
  bool per_dimension(const Node& actor, const char* key, const std::string& apath,
                     const std::string& who, size_t n_dims, std::vector<ExprText>& out) {
    const Node* x = actor.find(key);
    if (!x) {
      error(actor.loc, who + " has no '" + key + "'; expected " + key + ": a list of " +
                           std::to_string(n_dims) + " expression" + (n_dims == 1 ? "" : "s") +
                           ", one per dimension");
      return false;
    }
    const std::string xpath = apath + "." + key;
    if (!x->is_seq() || (n_dims > 0 && x->items.size() != n_dims)) {
      std::string found = x->is_seq() ? "a list of " + std::to_string(x->items.size()) + " value" +
                                            (x->items.size() == 1 ? "" : "s")
                                      : describe(*x);
      error(x->loc, xpath + " is " + found + "; expected a list of " + std::to_string(n_dims) +
                        " expression" + (n_dims == 1 ? "" : "s") + ", one per dimension");
      return false;
    }
    bool ok = true;
    for (size_t d = 0; d < x->items.size(); ++d) {
      auto e = expr(x->items[d], xpath + "[" + std::to_string(d) + "]");
      if (e) {
        out.push_back(*e);
      } else {
        ok = false;
      }
    }
    return ok;
  }

  bool bargaining_actor(const std::string& id, const SourceLoc& loc, const Node& v,
                        const std::string& path, const std::string& name, BargainingSpec& b,
                        std::vector<std::pair<std::string, std::string>>& taken) {
    const std::string apath = path + ".actors." + id;
    const std::string who = "actor " + q(id) + " of bargaining " + q(name);
    if (!known_actor(id, loc, "in bargaining " + q(name))) return false;
    if (!want_map(v, apath, "a mapping with capability, position and salience")) return false;
    unknown_keys(v, {"capability", "position", "salience"}, "in " + who);
    BargainingActorSpec a;
    a.actor = id;
    a.loc = loc;
    bool ok = true;
    if (const Node* c = v.find("capability")) {
      if (auto e = expr(*c, apath + ".capability")) {
        a.capability = *e;
      } else {
        ok = false;
      }
    } else {
      error(v.loc, who + " has no 'capability'; expected capability: an expression >= 0");
      ok = false;
    }
    ok = per_dimension(v, "position", apath, who, b.dimensions.size(), a.position) && ok;
    ok = per_dimension(v, "salience", apath, who, b.dimensions.size(), a.salience) && ok;
    // The new state variables of this actor: one per dimension, and <name>_win.
    const ActorSpec* actor = nullptr;
    for (const auto& x : spec_.actors)
      if (x.id == id) actor = &x;
    std::vector<std::pair<std::string, SourceLoc>> vars;
    for (size_t d = 0; d < b.dimensions.size(); ++d)
      vars.emplace_back(b.dimensions[d], b.dimension_locs[d]);
    vars.emplace_back(name + "_win", b.loc);
    for (const auto& [var, vloc] : vars) {
      bool clash = std::any_of(actor->state.begin(), actor->state.end(),
                               [&v = var](const VariableSpec& s) { return s.name == v; });
      if (clash) {
        error(vloc, "bargaining " + q(name) + " adds " + q(id + "." + var) + ", which actor " +
                        q(id) +
                        " already has as a state variable; expected a name that is not a state "
                        "variable of any listed actor");
        ok = false;
        continue;
      }
      auto key = std::make_pair(id, var);
      if (std::find(taken.begin(), taken.end(), key) != taken.end()) {
        error(vloc, "bargaining " + q(name) + " adds " + q(id + "." + var) +
                        ", which an earlier issue set already adds; expected dimension names "
                        "distinct across the issue sets an actor takes part in");
        ok = false;
        continue;
      }
      taken.push_back(key);
    }
    if (ok) b.actors.push_back(a);
    return ok;
  }

  // ---- storyline (docs/format.md, "Storylines") ----

  void build_storyline(const Node* n) {
    StorylineSpec& st = spec_.storyline;
    bool listed = false;
    const size_t errors = diags_.size();
    if (n) {
      st.loc = n->loc;
      if (n->is_scalar() && n->plain && (n->scalar == "false" || n->scalar == "true")) {
        st.enabled = n->scalar == "true";
      } else if (want_map(*n, "storyline",
                          "a mapping with events, decisions, steps, max_length and max_paths, "
                          "or false",
                          true)) {
        unknown_keys(*n, {"events", "decisions", "steps", "max_length", "max_paths"},
                     "in storyline");
        if (const Node* e = n->find("events")) {
          listed = true;
          storyline_events(*e);
        }
        if (const Node* d = n->find("decisions")) {
          listed = true;
          storyline_decisions(*d);
        }
        if (const Node* x = n->find("steps"))
          st.steps = boolean(*x, "storyline.steps").value_or(false);
        if (const Node* x = n->find("max_length"))
          st.max_length = integer(*x, "storyline.max_length", 1, kMaxStoryLength,
                                  "an integer from 1 to " + std::to_string(kMaxStoryLength))
                              .value_or(0);
        if (const Node* x = n->find("max_paths"))
          st.max_paths = integer(*x, "storyline.max_paths", 1, kMaxStoryPaths,
                                 "an integer from 1 to " + std::to_string(kMaxStoryPaths))
                             .value_or(20);
        if (listed && st.events.empty() && st.decisions.empty() && diags_.size() == errors)
          error(n->loc,
                "storyline lists no event and no decision; expected at least one, or "
                "storyline: false");
      }
    }
    if (!st.enabled || listed) return;
    for (const auto& e : spec_.events)
      if (e.once) st.events.push_back({e.name, e.loc, {}});
    for (const auto& d : spec_.decisions) st.decisions.push_back({d.name, d.loc, {}});
  }

  // A list of names (scalars), each reported where it is written.
  std::vector<std::pair<std::string, SourceLoc>> name_list(const Node& n, const std::string& path,
                                                           const std::string& expected,
                                                           const std::string& expected_list) {
    std::vector<std::pair<std::string, SourceLoc>> out;
    if (n.is_scalar()) {
      out.emplace_back(n.scalar, n.text_loc);
    } else if (n.is_seq()) {
      for (size_t i = 0; i < n.items.size(); ++i) {
        if (!n.items[i].is_scalar()) {
          error(n.items[i].loc, path + "[" + std::to_string(i) + "] is " + describe(n.items[i]) +
                                    "; expected " + expected);
          continue;
        }
        out.emplace_back(n.items[i].scalar, n.items[i].text_loc);
      }
    } else if (!n.is_null()) {
      error(n.loc, path + " is " + describe(n) + "; expected " + expected_list);
    }
    return out;
  }

  void storyline_events(const Node& n) {
    std::vector<std::string> known;
    for (const auto& e : spec_.events) known.push_back(e.name);
    std::vector<StorylineItemSpec> items;
    for (const auto& [name, loc] :
         name_list(n, "storyline.events", "an event name", "a list of event names")) {
      auto it = std::find(known.begin(), known.end(), name);
      if (it == known.end()) {
        error(loc, "unknown event " + q(name) + " in storyline.events" + hint_for(name, known));
        continue;
      }
      const std::string& listed = name;  // a structured binding: clang < 16 cannot capture it
      if (std::any_of(items.begin(), items.end(),
                      [&](const auto& x) { return x.name == listed; })) {
        error(loc, "event " + q(name) + " listed twice in storyline.events; expected each once");
        continue;
      }
      items.push_back({name, loc, {}});
    }
    spec_.storyline.events = in_file_order(items, known);
  }

  void storyline_decisions(const Node& n) {
    std::vector<std::string> known;
    for (const auto& d : spec_.decisions) known.push_back(d.name);
    std::vector<StorylineItemSpec> items;
    auto add = [&](const std::string& name, const SourceLoc& loc, const Node* labels) {
      auto it = std::find(known.begin(), known.end(), name);
      if (it == known.end()) {
        error(loc,
              "unknown decision " + q(name) + " in storyline.decisions" + hint_for(name, known));
        return;
      }
      const std::string& listed = name;  // a structured binding: clang < 16 cannot capture it
      if (std::any_of(items.begin(), items.end(),
                      [&](const auto& x) { return x.name == listed; })) {
        error(loc,
              "decision " + q(name) + " listed twice in storyline.decisions; expected each once");
        return;
      }
      StorylineItemSpec item{name, loc, {}};
      if (labels) {
        const DecisionSpec& d = spec_.decisions[static_cast<size_t>(it - known.begin())];
        std::vector<std::string> options;
        for (const auto& o : d.options) options.push_back(o.name);
        const std::string path = "storyline.decisions." + name;
        for (const auto& [label, lloc] :
             name_list(*labels, path, "an option name", "a list of option names")) {
          if (std::find(options.begin(), options.end(), label) == options.end()) {
            error(lloc, "unknown option " + q(label) + " of decision " + q(name) + " in " + path +
                            hint_for(label, options));
            continue;
          }
          if (std::find(item.labels.begin(), item.labels.end(), label) != item.labels.end()) {
            error(lloc, "option " + q(label) + " listed twice in " + path + "; expected each once");
            continue;
          }
          item.labels.push_back(label);
        }
        // Keep the options in the decision's order, so the path text does not depend on
        // how the list was written.
        std::vector<std::string> ordered;
        for (const auto& o : options)
          if (std::find(item.labels.begin(), item.labels.end(), o) != item.labels.end())
            ordered.push_back(o);
        item.labels = ordered;
        if (item.labels.empty()) return;  // every label was refused above, or none was given
      }
      items.push_back(item);
    };
    if (n.is_map()) {
      for (size_t i = 0; i < n.keys.size(); ++i) {
        const Node& v = n.items[i];
        add(n.keys[i], n.key_locs[i], v.is_null() ? nullptr : &v);
      }
    } else {
      for (const auto& [name, loc] :
           name_list(n, "storyline.decisions", "a decision name",
                     "a list of decision names, or a mapping of decision names to lists of "
                     "option names"))
        add(name, loc, nullptr);
    }
    spec_.storyline.decisions = in_file_order(items, known);
  }

  static std::vector<StorylineItemSpec> in_file_order(std::vector<StorylineItemSpec> items,
                                                      const std::vector<std::string>& order) {
    std::stable_sort(items.begin(), items.end(), [&](const auto& a, const auto& b) {
      return std::find(order.begin(), order.end(), a.name) <
             std::find(order.begin(), order.end(), b.name);
    });
    return items;
  }

  static std::string hint_for(const std::string& name, const std::vector<std::string>& known) {
    std::string hint = did_you_mean(name, known);
    if (!hint.empty()) return hint;
    if (known.empty()) return "; the scenario declares none";
    return "; expected one of " + quoted_list(known);
  }

  // A bare name in an expression must mean one thing: parameters may not share a name
  // with an actor or a group.
  void check_name_clashes() {
    for (const auto& p : spec_.parameters) {
      if (actor_set_.contains(p.name)) {
        error(p.loc, "parameter " + q(p.name) +
                         " has the name of an actor; expected parameter names distinct from "
                         "actor ids and group names");
      } else if (group_set_.contains(p.name)) {
        error(p.loc, "parameter " + q(p.name) +
                         " has the name of a group; expected parameter names distinct from "
                         "actor ids and group names");
      }
    }
  }

  ScenarioSpec& spec_;
  DiagnosticList& diags_;
  std::vector<std::string> actor_ids_;
  std::vector<std::string> groups_;
  std::vector<std::string> bad_groups_;
  std::unordered_set<std::string> actor_set_, group_set_, bad_group_set_;
};

}  // namespace

bool is_identifier(std::string_view name) {
  if (name.empty()) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!alpha(name[0])) return false;
  return std::all_of(name.begin(), name.end(),
                     [&](char c) { return alpha(c) || (c >= '0' && c <= '9'); });
}

void build_spec(const Node& root, ScenarioSpec& spec, DiagnosticList& diags) {
  Builder(spec, diags).build(root);
}

}  // namespace geosim::loader

namespace geosim {

const char* outcome_kind_name(OutcomeKind k) {
  switch (k) {
    case OutcomeKind::kFinal:
      return "final";
    case OutcomeKind::kMax:
      return "max";
    case OutcomeKind::kMin:
      return "min";
    case OutcomeKind::kMean:
      return "mean";
    case OutcomeKind::kFirst:
      return "first";
    case OutcomeKind::kCases:
      return "cases";
  }
  return "final";
}

const char* basis_name(Basis b) {
  switch (b) {
    case Basis::kFitted:
      return "fitted";
    case Basis::kSourced:
      return "sourced";
    case Basis::kJudgement:
      return "judgement";
    case Basis::kUnmarked:
      break;
  }
  return "";
}

}  // namespace geosim
