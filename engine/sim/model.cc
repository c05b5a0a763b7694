#include "sim/model.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include "core/text.h"
#include "expr/compiler.h"
#include "expr/parser.h"

namespace geosim::sim {

using expr::Compiler;
using expr::Instr;
using expr::Lookup;
using expr::Node;
using expr::NodeKind;
using expr::Op;

namespace {

// Tracked expressions times steps, at most (see the check in build()).
constexpr double kMaxTrackedValues = 20000;

// Rows are handed out in regions while compiling and relocated into the final layout at
// the end, because the number of uniform rows is only known once everything is compiled.
constexpr int32_t kRegionShift = 24;
constexpr int32_t kState = 0, kSpecial = 1, kUniform = 2, kTemp = 3;
constexpr int32_t tag(int32_t region, int32_t index) { return (region << kRegionShift) | index; }
constexpr int32_t region_of(int32_t r) { return r >> kRegionShift; }
constexpr int32_t index_of(int32_t r) { return r & ((1 << kRegionShift) - 1); }

struct ActorInfo {
  std::string id;
  std::map<std::string, int32_t> vars;  // name -> state row (tagged)
  std::vector<std::string> var_names;
};

// Whether a program makes a random draw.
bool draws(const Program& p) {
  for (const auto& in : p.code)
    if (in.op >= expr::Op::kUniform && in.op <= expr::Op::kTriangular) return true;
  return false;
}

class Builder : public expr::Symbols {
 public:
  explicit Builder(const ScenarioSpec& spec) : spec_(spec), compiler_(*this, tag(kTemp, 0)) {}

  Model build();

  // expr::Symbols
  Lookup bare(const std::string& name) override;
  Lookup var(const std::string& scope, const std::string& name, int member) override;
  Lookup relation(const std::string& rel, const std::string& a, const std::string& b) override;
  const std::vector<int>* group(const std::string& scope) override;
  int32_t constant(double value) override;
  uint32_t new_site() override { return next_site_++; }

 private:
  int32_t special() { return tag(kSpecial, n_special_++); }
  int actor_index(const std::string& id) const {
    for (size_t i = 0; i < actors_.size(); ++i)
      if (actors_[i].id == id) return static_cast<int>(i);
    return -1;
  }
  std::vector<std::string> scope_candidates() const;
  Lookup actor_var(int actor, const std::string& name, const std::string& shown_scope);

  // Compile helpers: parse + compile with errors collected into diags_.
  bool parse_expr(const ExprText& e, expr::NodePtr& out);
  Program expression(const ExprText& e, int self, int32_t dest = -1);
  Program statement(const ExprText& e, int self, int32_t mask);
  Program assign_init(const ExprText& e, int self, int32_t target, const std::string& what);
  void check(Program& p, int32_t row, int32_t mask, const std::string& what, const SourceLoc& loc) {
    if (p.result >= 0 || row >= 0) compiler_.add_check(p, row, mask, what, loc);
  }
  void scan_relation_targets();
  // The steps of build(), in order; each allocates rows, constants and draw sites in a fixed
  // order, which the random streams depend on.
  void describe(Model& m);
  void declare_state(Model& m);
  void declare_engine_rows();
  void declare_parameters(Model& m);
  void compile_init(Model& m);
  void compile_events(Model& m);
  void compile_decisions(Model& m);
  void mark_storyline(Model& m);
  void compile_dynamics(Model& m);
  void compile_bargaining(Model& m);
  void compile_tracks(Model& m);
  void compile_outcomes(Model& m);
  void compile_stop_when(Model& m);
  void relocate(Model& m);

  const ScenarioSpec& spec_;
  Compiler compiler_;
  DiagnosticList diags_;
  std::vector<ActorInfo> actors_;
  std::map<std::string, int32_t> world_;
  std::vector<std::string> world_names_;
  std::map<std::string, std::vector<int>> groups_;
  std::map<std::string, const RelationSpec*> relations_;
  std::map<std::tuple<std::string, int, int>, int32_t> written_rel_;  // -> state row
  std::map<std::string, int32_t> param_rows_;
  std::vector<double> uniform_values_;
  std::unordered_map<uint64_t, int32_t> constant_rows_;
  std::vector<std::string> state_names_;
  int32_t n_state_ = 0, n_special_ = 0;
  int32_t t_row_ = -1, steps_row_ = -1;
  uint32_t next_site_ = 1;
  int self_ = -1;  // actor bound to `self` in the expression being compiled
  int32_t alive_ = -1, mask_ = -1, scratch_ = -1;
};

std::vector<std::string> Builder::scope_candidates() const {
  std::vector<std::string> c = {"world", "self"};
  for (const auto& a : actors_) c.push_back(a.id);
  for (const auto& [g, m] : groups_) c.push_back(g);
  return c;
}

int32_t Builder::constant(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  auto it = constant_rows_.find(bits);
  if (it != constant_rows_.end()) return it->second;
  int32_t r = tag(kUniform, static_cast<int32_t>(uniform_values_.size()));
  uniform_values_.push_back(value);
  constant_rows_[bits] = r;
  return r;
}

Lookup Builder::bare(const std::string& name) {
  if (name == "t") return Lookup{t_row_, false, ""};
  if (name == "steps") return Lookup{steps_row_, false, ""};
  auto it = param_rows_.find(name);
  if (it != param_rows_.end()) return Lookup{it->second, false, ""};
  Lookup l;
  if (name == "self" || name == "world" || actor_index(name) >= 0 || groups_.count(name)) {
    l.error = "'" + name + "' alone is not a value; expected " + name + ".<variable>";
    return l;
  }
  if (relations_.count(name)) {
    l.error = "'" + name + "' is a relation; expected " + name + "[a, b]";
    return l;
  }
  std::vector<std::string> cands = {"t", "steps"};
  for (const auto& [p, r] : param_rows_) cands.push_back(p);
  l.error =
      "unknown name '" + name + "'" + did_you_mean(name, cands) +
      (did_you_mean(name, cands).empty() ? "; a bare name must be a parameter, t or steps" : "");
  return l;
}

Lookup Builder::actor_var(int actor, const std::string& name, const std::string& shown_scope) {
  const ActorInfo& a = actors_[actor];
  auto it = a.vars.find(name);
  if (it != a.vars.end()) return Lookup{it->second, true, ""};
  std::vector<std::string> cands;
  for (const auto& v : a.var_names) cands.push_back(shown_scope + "." + v);
  Lookup l;
  std::string full = shown_scope + "." + name;
  std::string hint = did_you_mean(full, cands);
  l.error = "unknown variable '" + full + "'" +
            (shown_scope != a.id ? " (actor '" + a.id + "')" : "") + hint +
            (hint.empty() ? (cands.empty() ? "; actor '" + a.id + "' has no state variables"
                                           : "; expected one of " + quoted_list(cands))
                          : "");
  return l;
}

Lookup Builder::var(const std::string& scope, const std::string& name, int member) {
  if (scope == "world") {
    auto it = world_.find(name);
    if (it != world_.end()) return Lookup{it->second, true, ""};
    std::vector<std::string> cands;
    for (const auto& w : world_names_) cands.push_back("world." + w);
    std::string hint = did_you_mean("world." + name, cands);
    return Lookup{-1, false,
                  "unknown variable 'world." + name + "'" + hint +
                      (hint.empty() ? (cands.empty() ? "; the scenario has no world variables"
                                                     : "; expected one of " + quoted_list(cands))
                                    : "")};
  }
  if (scope == "self") {
    if (self_ < 0)
      return Lookup{-1, false,
                    "'self." + name +
                        "' is used where no actor is bound; self is defined only in decisions, "
                        "group dynamics and actor state (expected an actor id such as " +
                        (actors_.empty() ? std::string("kremlin") : actors_[0].id) + "." + name +
                        ")"};
    return actor_var(self_, name, "self");
  }
  int a = actor_index(scope);
  if (a >= 0) return actor_var(a, name, scope);
  if (groups_.count(scope) && member >= 0) return actor_var(member, name, scope);
  std::string hint = did_you_mean(scope, scope_candidates());
  return Lookup{-1, false,
                "unknown name '" + scope + "' in '" + scope + "." + name + "'" + hint +
                    (hint.empty() ? "; expected world, self, an actor id or a group name" : "")};
}

Lookup Builder::relation(const std::string& rel, const std::string& a, const std::string& b) {
  auto it = relations_.find(rel);
  if (it == relations_.end()) {
    std::vector<std::string> cands;
    for (const auto& [r, s] : relations_) cands.push_back(r);
    std::string hint = did_you_mean(rel, cands);
    return Lookup{-1, false,
                  "unknown relation '" + rel + "'" + hint +
                      (hint.empty() ? (cands.empty() ? "; the scenario has no relations"
                                                     : "; expected one of " + quoted_list(cands))
                                    : "")};
  }
  auto resolve = [&](const std::string& who, int& out, std::string& err) {
    if (who == "self") {
      if (self_ < 0) {
        err = "'self' in " + rel + "[" + a + ", " + b +
              "] where no actor is bound; expected an actor id";
        return;
      }
      out = self_;
      return;
    }
    out = actor_index(who);
    if (out < 0) {
      std::vector<std::string> ids;
      for (const auto& x : actors_) ids.push_back(x.id);
      err = "unknown actor '" + who + "' in " + rel + "[" + a + ", " + b + "]" +
            did_you_mean(who, ids);
    }
  };
  int ia = -1, ib = -1;
  std::string err;
  resolve(a, ia, err);
  if (err.empty()) resolve(b, ib, err);
  if (!err.empty()) return Lookup{-1, false, err};
  auto w = written_rel_.find({rel, ia, ib});
  if (w != written_rel_.end()) return Lookup{w->second, true, ""};
  const RelationSpec* rs = it->second;
  double v = rs->default_value;
  for (const auto& e : rs->entries)
    if (e.from == actors_[ia].id && e.to == actors_[ib].id) v = e.value;
  return Lookup{constant(v), false, ""};
}

const std::vector<int>* Builder::group(const std::string& scope) {
  if (scope == "world" || scope == "self" || actor_index(scope) >= 0) return nullptr;
  auto it = groups_.find(scope);
  return it == groups_.end() ? nullptr : &it->second;
}

bool Builder::parse_expr(const ExprText& e, expr::NodePtr& out) {
  try {
    out = expr::parse_expression(e.text, e.loc);
    return true;
  } catch (const UserError& err) {
    diags_.add(err);
    return false;
  }
}

Program Builder::expression(const ExprText& e, int self, int32_t dest) {
  expr::NodePtr n;
  if (!parse_expr(e, n)) return Program{};
  self_ = self;
  try {
    Program p = compiler_.expression(*n, e.text, e.loc, dest);
    self_ = -1;
    return p;
  } catch (const UserError& err) {
    self_ = -1;
    diags_.add(err);
    return Program{};
  }
}

Program Builder::statement(const ExprText& e, int self, int32_t mask) {
  self_ = self;
  try {
    expr::Statement st = expr::parse_statement(e.text, e.loc);
    Program p = compiler_.statement(st, e.text, e.loc, mask);
    self_ = -1;
    return p;
  } catch (const UserError& err) {
    self_ = -1;
    diags_.add(err);
    return Program{};
  }
}

Program Builder::assign_init(const ExprText& e, int self, int32_t target, const std::string& what) {
  Program p = expression(e, self);
  if (p.result < 0) return p;
  p.checks.push_back(expr::CheckInfo{what + " = '" + e.text + "'", e.loc.str()});
  Instr in;
  in.op = Op::kStoreMasked;
  in.dst = target;
  in.a = p.result;
  in.b = alive_;
  in.check = static_cast<int32_t>(p.checks.size()) - 1;
  p.code.push_back(in);
  p.result = -1;
  return p;
}

// Relation entries that a statement assigns must live in state rows; every other entry
// is a constant. Find the assigned ones before compiling anything.
void Builder::scan_relation_targets() {
  auto scan = [&](const ExprText& e, int self) {
    std::string_view t = e.text;
    size_t lb = t.find('[');
    if (lb == std::string_view::npos) return;
    size_t eq = t.find_first_of("=+-*/", lb);
    size_t rb = t.find(']', lb);
    if (rb == std::string_view::npos || eq == std::string_view::npos || rb > eq) return;
    try {
      expr::Statement st = expr::parse_statement(e.text, e.loc);
      if (st.target->kind != NodeKind::kRel) return;
      const Node& n = *st.target;
      if (!relations_.count(n.scope)) return;
      int ia = n.rel_a == "self" ? self : actor_index(n.rel_a);
      int ib = n.rel_b == "self" ? self : actor_index(n.rel_b);
      if (ia < 0 || ib < 0) return;
      auto key = std::make_tuple(n.scope, ia, ib);
      if (!written_rel_.count(key)) {
        written_rel_[key] = tag(kState, n_state_++);
        state_names_.push_back(n.scope + "[" + actors_[ia].id + ", " + actors_[ib].id + "]");
      }
    } catch (const UserError&) {
      // reported when the statement is compiled
    }
  };
  auto members_of = [&](const std::string& actor, const std::string& grp) {
    std::vector<int> m;
    if (!actor.empty()) {
      int a = actor_index(actor);
      if (a >= 0) m.push_back(a);
    } else if (groups_.count(grp)) {
      m = groups_[grp];
    }
    return m;
  };
  for (const auto& ev : spec_.events)
    for (const auto& s : ev.effects) scan(s, -1);
  for (const auto& d : spec_.decisions)
    for (int m : members_of(d.actor, d.group))
      for (const auto& o : d.options)
        for (const auto& s : o.effects) scan(s, m);
  for (const auto& dy : spec_.dynamics) {
    if (dy.group.empty()) {
      for (const auto& s : dy.statements) scan(s, -1);
    } else {
      for (int m : members_of("", dy.group))
        for (const auto& s : dy.statements) scan(s, m);
    }
  }
}

Model Builder::build() {
  Model m;
  describe(m);
  declare_state(m);
  declare_engine_rows();
  declare_parameters(m);
  compile_init(m);
  compile_events(m);
  compile_decisions(m);
  mark_storyline(m);
  compile_dynamics(m);
  compile_bargaining(m);
  compile_tracks(m);
  compile_outcomes(m);
  compile_stop_when(m);
  diags_.throw_if_any();

  m.t_row = t_row_;
  m.alive_row = alive_;
  m.mask_row = mask_;
  m.scratch_row = scratch_;
  m.state_names = state_names_;
  m.uniforms = uniform_values_;
  relocate(m);
  return m;
}

// What the scenario says about itself.
void Builder::describe(Model& m) {
  m.path = spec_.path;
  m.files = spec_.files;
  m.id = spec_.id;
  m.title = spec_.title;
  m.description = spec_.description;
  m.step_label = spec_.step_label;
  m.sources = spec_.sources;
  m.steps = spec_.steps;
  m.default_replicates = spec_.replicates;
  m.default_seed = spec_.seed;
}

// State rows, in this order: world variables, each actor's variables, then each bargaining
// actor's dimensions and <issue>_win; groups and relations; relation entries some statement
// assigns.
void Builder::declare_state(Model& m) {
  for (const auto& w : spec_.world) {
    world_[w.name] = tag(kState, n_state_++);
    world_names_.push_back(w.name);
    state_names_.push_back("world." + w.name);
  }
  for (size_t i = 0; i < spec_.actors.size(); ++i) {
    const ActorSpec& a = spec_.actors[i];
    ActorInfo info;
    info.id = a.id;
    for (const auto& v : a.state) {
      info.vars[v.name] = tag(kState, n_state_++);
      info.var_names.push_back(v.name);
      state_names_.push_back(a.id + "." + v.name);
    }
    actors_.push_back(std::move(info));
    m.actor_ids.push_back(a.id);
    m.actor_names.push_back(a.name.empty() ? a.id : a.name);
    for (const auto& g : a.groups) groups_[g].push_back(static_cast<int>(i));
  }
  for (const auto& a : spec_.actors)
    for (const auto& g : a.groups)
      if (std::none_of(m.groups.begin(), m.groups.end(), [&](auto& p) { return p.first == g; })) {
        std::vector<std::string> ids;
        for (int k : groups_[g]) ids.push_back(actors_[k].id);
        m.groups.emplace_back(g, ids);
      }
  // Bargaining: each dimension and <issue>_win become state variables of each listed actor.
  for (const auto& b : spec_.bargaining) {
    for (const auto& ba : b.actors) {
      int a = actor_index(ba.actor);
      if (a < 0) continue;
      std::vector<std::string> names = b.dimensions;
      names.push_back(b.name + "_win");
      for (const auto& v : names) {
        actors_[a].vars[v] = tag(kState, n_state_++);
        actors_[a].var_names.push_back(v);
        state_names_.push_back(ba.actor + "." + v);
      }
    }
  }
  for (const auto& r : spec_.relations) relations_[r.name] = &r;
  scan_relation_targets();
}

// Engine rows: t, alive, mask, scratch (the first special rows), and the constant `steps`.
void Builder::declare_engine_rows() {
  t_row_ = special();
  alive_ = special();
  mask_ = special();
  scratch_ = special();
  steps_row_ = constant(static_cast<double>(spec_.steps));
}

// Parameters: one uniform row each, in file order.
void Builder::declare_parameters(Model& m) {
  for (const auto& p : spec_.parameters) {
    int32_t r = tag(kUniform, static_cast<int32_t>(uniform_values_.size()));
    uniform_values_.push_back(p.value);
    param_rows_[p.name] = r;
    m.parameters.push_back(ParameterInfo{p.name, p.value, p.min, p.max, p.doc, r});
  }
}

// Initial values: world, then actors (self bound), then bargaining positions, then assigned
// relation entries.
void Builder::compile_init(Model& m) {
  for (const auto& w : spec_.world) {
    m.init.push_back(assign_init(w.init, -1, world_[w.name], "init of world." + w.name));
    if (draws(m.init.back())) m.init_draws.push_back({"world." + w.name, world_[w.name]});
    if (w.min || w.max)
      m.bounds.push_back(
          Bound{world_[w.name], w.min.value_or(-INFINITY), w.max.value_or(INFINITY)});
  }
  for (size_t i = 0; i < spec_.actors.size(); ++i) {
    for (const auto& v : spec_.actors[i].state) {
      int32_t row = actors_[i].vars[v.name];
      m.init.push_back(assign_init(v.init, static_cast<int>(i), row,
                                   "init of " + spec_.actors[i].id + "." + v.name));
      if (draws(m.init.back())) m.init_draws.push_back({spec_.actors[i].id + "." + v.name, row});
      if (v.min || v.max)
        m.bounds.push_back(Bound{row, v.min.value_or(-INFINITY), v.max.value_or(INFINITY)});
    }
  }
  // Initial positions, after the actors' own state, in file order.
  for (const auto& b : spec_.bargaining) {
    for (const auto& ba : b.actors) {
      int a = actor_index(ba.actor);
      if (a < 0) continue;
      for (size_t d = 0; d < b.dimensions.size() && d < ba.position.size(); ++d) {
        const std::string& dim = b.dimensions[d];
        m.init.push_back(assign_init(ba.position[d], a, actors_[a].vars[dim],
                                     "initial position of " + ba.actor + "." + dim));
      }
      Program zero;  // <issue>_win is 0 until the first round
      Instr in;
      in.op = Op::kCopy;
      in.dst = actors_[a].vars[b.name + "_win"];
      in.a = constant(0.0);
      zero.code.push_back(in);
      m.init.push_back(std::move(zero));
    }
  }
  for (const auto& [key, row] : written_rel_) {
    const auto& [rel, ia, ib] = key;
    const RelationSpec* rs = relations_[rel];
    double v = rs->default_value;
    for (const auto& e : rs->entries)
      if (e.from == actors_[ia].id && e.to == actors_[ib].id) v = e.value;
    Program p;
    Instr in;
    in.op = Op::kCopy;
    in.dst = row;
    in.a = constant(v);
    p.code.push_back(in);
    m.init.push_back(std::move(p));
  }
}

// Events, in file order: `at` steps, `when`, probability (a draw site each), effects.
void Builder::compile_events(Model& m) {
  // Events.
  for (const auto& ev : spec_.events) {
    EventModel em;
    em.name = ev.name;
    em.loc = ev.loc;
    if (ev.has_at) {
      em.at.assign(static_cast<size_t>(spec_.steps), 0);
      for (int64_t s : ev.at)
        if (s >= 0 && s < spec_.steps) em.at[static_cast<size_t>(s)] = 1;
    }
    if (!ev.when.empty()) {
      em.when = expression(ev.when, -1);
      check(em.when, em.when.result, alive_,
            "condition 'when' of event '" + ev.name + "' (" + ev.when.text + ")", ev.when.loc);
    } else {
      em.when.result = -1;
    }
    if (!ev.probability.empty()) {
      em.probability = expression(ev.probability, -1);
      check(em.probability, em.probability.result, alive_,
            "probability of event '" + ev.name + "' (" + ev.probability.text + ")",
            ev.probability.loc);
      em.site = new_site();
    } else {
      em.probability.result = -1;
    }
    em.once = ev.once;
    if (ev.once) {
      em.fired_row = special();
      m.zero_rows.push_back(em.fired_row);
    }
    for (const auto& s : ev.effects) em.effects.push_back(statement(s, -1, mask_));
    m.events.push_back(std::move(em));
  }
}

// Decisions: one instance per member, in actor order.
void Builder::compile_decisions(Model& m) {
  // Decisions: one instance per member, in actor order.
  for (const auto& d : spec_.decisions) {
    std::vector<int> members;
    if (!d.actor.empty()) {
      int a = actor_index(d.actor);
      if (a < 0) {
        std::vector<std::string> ids;
        for (const auto& x : actors_) ids.push_back(x.id);
        diags_.add(d.who_loc, "unknown actor '" + d.actor + "' in decision '" + d.name + "'" +
                                  did_you_mean(d.actor, ids));
        continue;
      }
      members.push_back(a);
    } else {
      auto g = groups_.find(d.group);
      if (g == groups_.end()) {
        std::vector<std::string> gs;
        for (const auto& [name, mm] : groups_) gs.push_back(name);
        diags_.add(d.who_loc, "unknown group '" + d.group + "' in decision '" + d.name + "'" +
                                  did_you_mean(d.group, gs));
        continue;
      }
      members = g->second;
    }
    for (int mem : members) {
      DecisionModel dm;
      dm.name = d.name;
      dm.member = actors_[mem].id;
      dm.loc = d.loc;
      dm.rule = d.rule;
      dm.active_row = special();
      dm.choice_row = special();
      if (!d.when.empty()) {
        dm.when = expression(d.when, mem);
        check(dm.when, dm.when.result, alive_,
              "condition 'when' of decision '" + d.name + "' for " + dm.member, d.when.loc);
      } else {
        dm.when.result = -1;
      }
      if (d.rule == DecisionRule::kLogit) {
        dm.rationality_row = special();
        dm.rationality = expression(d.rationality, mem, dm.rationality_row);
        check(dm.rationality, dm.rationality_row, dm.active_row,
              "rationality of decision '" + d.name + "' for " + dm.member, d.rationality.loc);
      }
      if (d.rule != DecisionRule::kArgmax) dm.site = new_site();
      for (const auto& o : d.options) {
        OptionModel om;
        om.name = o.name;
        om.value_row = special();
        const ExprText& vtext = d.rule == DecisionRule::kSample ? o.weight : o.utility;
        om.value = expression(vtext, mem, om.value_row);
        check(om.value, om.value_row, dm.active_row,
              std::string(d.rule == DecisionRule::kSample ? "weight" : "utility") + " of option '" +
                  o.name + "' of decision '" + d.name + "' for " + dm.member,
              vtext.loc);
        for (const auto& s : o.effects) om.effects.push_back(statement(s, mem, mask_));
        dm.options.push_back(std::move(om));
      }
      m.decisions.push_back(std::move(dm));
    }
  }
}

// Storyline items, in phase order (model.h).
void Builder::mark_storyline(Model& m) {
  // Storyline items, in phase order (model.h).
  if (spec_.storyline.enabled) {
    m.story_steps = spec_.storyline.steps;
    m.story_max_length = spec_.storyline.max_length;
    m.story_max_paths = spec_.storyline.max_paths;
    for (EventModel& em : m.events)
      for (const auto& item : spec_.storyline.events)
        if (item.name == em.name) {
          em.story_row = special();
          m.zero_rows.push_back(em.story_row);
          m.story.push_back({em.name, {}, em.story_row, -1});
        }
    for (DecisionModel& dm : m.decisions)
      for (const auto& item : spec_.storyline.decisions)
        if (item.name == dm.name) {
          dm.story_row = special();
          dm.story_label_row = special();
          m.zero_rows.push_back(dm.story_row);
          m.zero_rows.push_back(dm.story_label_row);
          Model::StoryItem si;
          bool group = false;
          for (const auto& d : spec_.decisions) group |= d.name == dm.name && !d.group.empty();
          si.name = group ? dm.name + "[" + dm.member + "]" : dm.name;
          for (const auto& o : dm.options) si.options.push_back(o.name);
          if (!item.labels.empty()) {
            dm.story_options.assign(dm.options.size(), 0);
            for (size_t j = 0; j < dm.options.size(); ++j)
              for (const auto& l : item.labels) dm.story_options[j] |= dm.options[j].name == l;
          }
          si.step_row = dm.story_row;
          si.label_row = dm.story_label_row;
          m.story.push_back(std::move(si));
        }
  }
}

// Dynamics: plain statements, or a group's statements for each member in actor order.
void Builder::compile_dynamics(Model& m) {
  for (const auto& dy : spec_.dynamics) {
    if (dy.group.empty()) {
      for (const auto& s : dy.statements) m.dynamics.push_back(statement(s, -1, alive_));
      continue;
    }
    auto g = groups_.find(dy.group);
    if (g == groups_.end()) {
      std::vector<std::string> gs;
      for (const auto& [name, mm] : groups_) gs.push_back(name);
      diags_.add(dy.group_loc,
                 "unknown group '" + dy.group + "' in dynamics" + did_you_mean(dy.group, gs));
      continue;
    }
    for (int mem : g->second)
      for (const auto& s : dy.statements) m.dynamics.push_back(statement(s, mem, alive_));
  }
}

// Bargaining: capability and salience per actor, on the state after dynamics.
void Builder::compile_bargaining(Model& m) {
  for (const auto& b : spec_.bargaining) {
    BargainingModel bm;
    bm.name = b.name;
    bm.loc = b.loc;
    for (const auto& o : b.model) {
      try {
        bargain::set_smp_choice(bm.options, o.key, o.value, o.value_loc);
      } catch (const UserError& err) {
        diags_.add(err);
      }
    }
    bm.n_dims = static_cast<int>(b.dimensions.size());
    bm.dimensions = b.dimensions;
    for (const auto& ba : b.actors) {
      int a = actor_index(ba.actor);
      if (a < 0) continue;
      bm.actor_ids.push_back(ba.actor);
      int32_t crow = special();
      Program cp = expression(ba.capability, a, crow);
      check(cp, crow, alive_, "capability of " + ba.actor + " in bargaining '" + b.name + "'",
            ba.capability.loc);
      bm.capability.push_back(std::move(cp));
      bm.capability_rows.push_back(crow);
      for (size_t d = 0; d < b.dimensions.size(); ++d) {
        int32_t srow = special();
        Program sp = d < ba.salience.size() ? expression(ba.salience[d], a, srow) : Program{};
        if (d < ba.salience.size())
          check(sp, srow, alive_,
                "salience of " + ba.actor + " on " + b.dimensions[d] + " in bargaining '" + b.name +
                    "'",
                ba.salience[d].loc);
        bm.salience.push_back(std::move(sp));
        bm.salience_rows.push_back(srow);
        bm.position_rows.push_back(actors_[a].vars[b.dimensions[d]]);
      }
      bm.win_rows.push_back(actors_[a].vars[b.name + "_win"]);
    }
    bm.n_actors = static_cast<int>(bm.actor_ids.size());
    bm.site = new_site();
    m.bargaining.push_back(std::move(bm));
  }
}

// Tracked expressions.
void Builder::compile_tracks(Model& m) {
  // Trajectories keep exact moments and a quantile sketch per tracked expression and step
  // (up to about 16 KB each for a continuous variable, and one set per thread): bound their
  // number so that memory stays reasonable (at the limit, about 330 MB per thread).
  if (!spec_.track.empty() &&
      static_cast<double>(spec_.track.size()) * static_cast<double>(spec_.steps) >
          kMaxTrackedValues)
    diags_.add(spec_.track[0].loc,
               "track records " + std::to_string(spec_.track.size()) +
                   " expression(s) at each of " + std::to_string(spec_.steps) +
                   " steps, above the limit of " +
                   std::to_string(static_cast<int64_t>(kMaxTrackedValues)) +
                   " step values; expected fewer tracked expressions or steps ({max:}, {min:} and "
                   "{mean:} outcomes summarise long runs without tracking)");
  for (const auto& tr : spec_.track) {
    TrackModel tm;
    tm.name = tr.text;
    tm.expr = expression(tr, -1);
    check(tm.expr, tm.expr.result, alive_, "track '" + tr.text + "'", tr.loc);
    m.track.push_back(std::move(tm));
  }
}

// Outcomes: an expression (with an accumulator row unless final), or cases; a `given`.
void Builder::compile_outcomes(Model& m) {
  for (const auto& o : spec_.outcomes) {
    OutcomeModel om;
    om.name = o.name;
    om.loc = o.loc;
    om.kind = o.kind;
    if (o.kind == OutcomeKind::kCases) {
      for (const auto& c : o.cases) {
        om.labels.push_back(c.label);
        Program p = expression(c.condition, -1);
        check(p, p.result, alive_,
              "case '" + c.label + "' of outcome '" + o.name + "' (" + c.condition.text + ")",
              c.condition.loc);
        om.conditions.push_back(std::move(p));
      }
    } else {
      om.expr = expression(o.expr, -1);
      check(om.expr, om.expr.result, alive_, "outcome '" + o.name + "' (" + o.expr.text + ")",
            o.expr.loc);
      if (o.kind != OutcomeKind::kFinal) om.acc_row = special();
      if (o.kind == OutcomeKind::kMean) om.count_row = special();
    }
    if (!o.given.empty()) {
      om.given = expression(o.given, -1);
      om.given_text = o.given.text;
      check(om.given, om.given.result, alive_,
            "condition 'given' of outcome '" + o.name + "' (" + o.given.text + ")", o.given.loc);
    }
    m.outcomes.push_back(std::move(om));
  }
}

// stop_when, if any.
void Builder::compile_stop_when(Model& m) {
  if (!spec_.stop_when.empty()) {
    m.stop_when = expression(spec_.stop_when, -1);
    check(m.stop_when, m.stop_when.result, alive_, "stop_when (" + spec_.stop_when.text + ")",
          spec_.stop_when.loc);
  } else {
    m.stop_when.result = -1;
  }
}

void Builder::relocate(Model& m) {
  m.n_state = n_state_;
  m.special_base = n_state_;
  m.uniform_base = m.special_base + n_special_;
  m.temp_base = m.uniform_base + static_cast<int32_t>(uniform_values_.size());
  m.n_rows = m.temp_base + compiler_.max_temps();
  auto fix = [&](int32_t& r) {
    if (r < 0) return;
    int32_t idx = index_of(r);
    switch (region_of(r)) {
      case kState:
        r = idx;
        break;
      case kSpecial:
        r = m.special_base + idx;
        break;
      case kUniform:
        r = m.uniform_base + idx;
        break;
      case kTemp:
        r = m.temp_base + idx;
        break;
    }
  };
  auto fix_program = [&](Program& p) {
    for (Instr& in : p.code) {
      fix(in.dst);
      fix(in.a);
      fix(in.b);
      fix(in.c);
    }
    fix(p.result);
  };
  for (auto& p : m.init) fix_program(p);
  for (auto& d : m.init_draws) fix(d.row);
  for (auto& r : m.zero_rows) fix(r);
  for (auto& e : m.events) {
    fix_program(e.when);
    fix_program(e.probability);
    fix(e.fired_row);
    fix(e.story_row);
    for (auto& s : e.effects) fix_program(s);
  }
  for (auto& d : m.decisions) {
    fix_program(d.when);
    fix_program(d.rationality);
    fix(d.active_row);
    fix(d.choice_row);
    fix(d.rationality_row);
    fix(d.story_row);
    fix(d.story_label_row);
    for (auto& o : d.options) {
      fix_program(o.value);
      fix(o.value_row);
      for (auto& s : o.effects) fix_program(s);
    }
  }
  for (auto& p : m.dynamics) fix_program(p);
  for (auto& bm : m.bargaining) {
    for (auto& p : bm.capability) fix_program(p);
    for (auto& p : bm.salience) fix_program(p);
    for (auto* rows : {&bm.capability_rows, &bm.salience_rows, &bm.position_rows, &bm.win_rows})
      for (auto& r : *rows) fix(r);
  }
  for (auto& b : m.bounds) fix(b.row);
  for (auto& t : m.track) fix_program(t.expr);
  for (auto& o : m.outcomes) {
    fix_program(o.expr);
    fix(o.acc_row);
    fix(o.count_row);
    for (auto& c : o.conditions) fix_program(c);
    fix_program(o.given);
  }
  fix_program(m.stop_when);
  for (auto& item : m.story) {
    fix(item.step_row);
    fix(item.label_row);
  }
  fix(m.t_row);
  fix(m.alive_row);
  fix(m.mask_row);
  fix(m.scratch_row);
  for (auto& p : m.parameters) fix(p.row);
}

}  // namespace

const ParameterInfo* Model::find_parameter(const std::string& name) const {
  for (const auto& p : parameters)
    if (p.name == name) return &p;
  return nullptr;
}

void Model::set_parameter(const std::string& name, double value, const SourceLoc& where) {
  const ParameterInfo& checked = check_parameter(name, value, where);
  ParameterInfo& p = parameters[static_cast<size_t>(&checked - parameters.data())];
  p.value = value;
  uniforms[static_cast<size_t>(p.row - uniform_base)] = value;
}

const ParameterInfo& Model::check_parameter(const std::string& name, double value,
                                            const SourceLoc& where) const {
  const ParameterInfo* p = nullptr;
  for (const auto& q : parameters)
    if (q.name == name) p = &q;
  if (!p) {
    std::vector<std::string> names;
    for (const auto& q : parameters) names.push_back(q.name);
    std::string hint = did_you_mean(name, names);
    throw UserError(where,
                    "unknown parameter '" + name + "' for scenario '" + id + "'" + hint +
                        (hint.empty() ? (names.empty() ? "; the scenario declares no parameters"
                                                       : "; expected one of " + quoted_list(names))
                                      : ""));
  }
  if (!std::isfinite(value))
    throw UserError(where,
                    "parameter '" + name + "' set to a non-finite value; expected a finite number");
  if ((p->min && value < *p->min) || (p->max && value > *p->max)) {
    auto shortest = [](double v) {  // the shortest text that reads back to v
      char buf[32];
      auto r = std::to_chars(buf, buf + sizeof buf, v);
      return std::string(buf, r.ptr);
    };
    auto fmt = [&](std::optional<double> v) { return v ? shortest(*v) : std::string("unbounded"); };
    throw UserError(where, "parameter '" + name + "' set to " + shortest(value) +
                               ", outside its declared range [" + fmt(p->min) + ", " + fmt(p->max) +
                               "]; expected a value inside it (the scenario's min and max)");
  }
  return *p;
}

Model build_model(const ScenarioSpec& spec) {
  Builder b(spec);
  return b.build();
}

}  // namespace geosim::sim
