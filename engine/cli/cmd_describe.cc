// geosim describe FILE : lists everything a scenario defines.
#include <cstdio>
#include <sstream>

#include "cli/command.h"
#include "cli/options.h"
#include "core/error.h"
#include "io/number.h"
#include "scenario/load.h"
#include "sim/model.h"

namespace geosim::cli {
namespace {

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

std::string range(const std::optional<double>& lo, const std::optional<double>& hi) {
  if (!lo && !hi) return "";
  return "[" + (lo ? io::format_double(*lo) : std::string("-inf")) + ", " +
         (hi ? io::format_double(*hi) : std::string("inf")) + "]";
}

const char* rule_name(DecisionRule r) {
  switch (r) {
    case DecisionRule::kArgmax:
      return "argmax";
    case DecisionRule::kLogit:
      return "logit";
    case DecisionRule::kSample:
      return "sample";
  }
  return "?";
}

const char* kind_name(OutcomeKind k) {
  switch (k) {
    case OutcomeKind::kFinal:
      return "final value";
    case OutcomeKind::kMax:
      return "max over steps";
    case OutcomeKind::kMin:
      return "min over steps";
    case OutcomeKind::kMean:
      return "mean over steps";
    case OutcomeKind::kFirst:
      return "first step when true";
    case OutcomeKind::kCases:
      return "cases";
  }
  return "?";
}

// "  [fitted: FROM]" after a parameter or variable that says where it comes from.
std::string provenance(const Provenance& p) {
  if (p.basis == Basis::kUnmarked) return "";
  return std::string("  [") + basis_name(p.basis) + (p.from.empty() ? "" : ": " + p.from) + "]";
}

// ": 3 fitted, 2 sourced, 1 judgement, 4 unmarked" (only the kinds present), so that a
// reader sees at once how much of a scenario rests on evidence.
std::string basis_counts(const std::vector<ParameterSpec>& ps) {
  int n[4] = {0, 0, 0, 0};
  for (const auto& p : ps) ++n[static_cast<int>(p.provenance.basis)];
  if (n[0] == static_cast<int>(ps.size())) return "";
  std::string s;
  const std::pair<Basis, const char*> order[] = {{Basis::kFitted, "fitted"},
                                                 {Basis::kSourced, "sourced"},
                                                 {Basis::kJudgement, "judgement"},
                                                 {Basis::kUnmarked, "unmarked"}};
  for (const auto& [b, name] : order) {
    int k = n[static_cast<int>(b)];
    if (k) s += (s.empty() ? ": " : ", ") + std::to_string(k) + " " + name;
  }
  return s;
}

int describe_main(const std::vector<std::string>& args) {
  std::string file;
  po::options_description desc("describe options");
  desc.add_options()("file", po::value<std::string>(&file), "scenario file");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  if (!parse_options(args, desc, pos, vm, "describe FILE")) return kExitOk;
  if (file.empty())
    throw UserError(SourceLoc{"geosim describe"},
                    "no scenario file given; usage: geosim describe FILE");
  ScenarioSpec s = load_scenario_spec(file);
  sim::Model m = sim::build_model(s);

  std::ostringstream o;
  o << s.id << ": " << s.title << "\n";
  if (!s.description.empty()) o << "\n" << s.description << "\n";
  o << "\nsteps: " << s.steps << " (" << s.step_label << ")   replicates: " << s.replicates
    << "   seed: " << s.seed << "\n";
  if (s.files.size() > 1) o << "files: " << join(s.files) << "\n";
  if (!s.sources.empty()) {
    o << "\nsources:\n";
    for (const auto& src : s.sources) o << "  - " << src << "\n";
  }
  o << "\nparameters (" << s.parameters.size() << basis_counts(s.parameters) << "):\n";
  for (const auto& p : s.parameters)
    o << "  " << p.name << " = " << io::format_double(p.value) << "  " << range(p.min, p.max)
      << (p.doc.empty() ? "" : "  " + p.doc) << provenance(p.provenance) << "\n";
  o << "\nworld (" << s.world.size() << "):\n";
  for (const auto& v : s.world)
    o << "  world." << v.name << "  init " << v.init.text << "  " << range(v.min, v.max)
      << (v.doc.empty() ? "" : "  " + v.doc) << provenance(v.provenance) << "\n";
  o << "\nactors (" << s.actors.size() << "):\n";
  for (const auto& a : s.actors) {
    o << "  " << a.id << " (" << (a.name.empty() ? a.id : a.name) << ")";
    if (!a.groups.empty()) o << "  groups: " << join(a.groups);
    o << "\n";
    for (const auto& v : a.state)
      o << "    " << a.id << "." << v.name << "  init " << v.init.text << "  "
        << range(v.min, v.max) << (v.doc.empty() ? "" : "  " + v.doc) << provenance(v.provenance)
        << "\n";
  }
  o << "\ngroups (" << m.groups.size() << "):\n";
  for (const auto& [g, members] : m.groups) o << "  " << g << ": " << join(members) << "\n";
  o << "\nrelations (" << s.relations.size() << "):\n";
  for (const auto& r : s.relations) {
    o << "  " << r.name << "  default " << io::format_double(r.default_value) << "\n";
    for (const auto& e : r.entries)
      o << "    " << r.name << "[" << e.from << ", " << e.to << "] = " << io::format_double(e.value)
        << "\n";
  }
  o << "\ndecisions (" << s.decisions.size() << "):\n";
  for (const auto& d : s.decisions) {
    std::vector<std::string> opts;
    for (const auto& op : d.options) opts.push_back(op.name);
    o << "  " << d.name << "  " << (d.actor.empty() ? "group " + d.group : "actor " + d.actor)
      << "  rule " << rule_name(d.rule) << "  options: " << join(opts) << "\n";
    if (!d.when.empty()) o << "    when " << d.when.text << "\n";
  }
  o << "\nevents (" << s.events.size() << "):\n";
  for (const auto& e : s.events) {
    o << "  " << e.name;
    if (e.has_at) {
      std::vector<std::string> at;
      for (auto x : e.at) at.push_back(std::to_string(x));
      o << "  at " << join(at);
    }
    if (!e.when.empty()) o << "  when " << e.when.text;
    if (!e.probability.empty()) o << "  probability " << e.probability.text;
    if (e.once) o << "  once";
    o << "\n";
  }
  o << "\ndynamics: " << m.dynamics.size() << " statement(s) per step\n";
  if (!s.bargaining.empty()) {
    o << "\nbargaining (" << s.bargaining.size() << " issue set(s), one round per step):\n";
    for (const auto& b : s.bargaining) {
      o << "  " << b.name << "  dimensions: " << join(b.dimensions);
      if (!b.model.empty()) {
        std::vector<std::string> opts;
        for (const auto& x : b.model) opts.push_back(x.key + "=" + x.value);
        o << "  model: " << join(opts);
      }
      o << "\n";
      for (const auto& a : b.actors) {
        std::vector<std::string> vars;
        for (const auto& d : b.dimensions) vars.push_back(a.actor + "." + d);
        vars.push_back(a.actor + "." + b.name + "_win");
        o << "    " << a.actor << "  capability " << a.capability.text << "  state: " << join(vars)
          << "\n";
      }
    }
  }
  o << "\noutcomes (" << s.outcomes.size() << "):\n";
  for (const auto& out : s.outcomes) {
    o << "  " << out.name << "  " << kind_name(out.kind);
    if (out.kind == OutcomeKind::kCases) {
      std::vector<std::string> labels;
      for (const auto& c : out.cases) labels.push_back(c.label);
      o << ": " << join(labels);
    } else {
      o << ": " << out.expr.text;
    }
    if (!out.given.empty()) o << "  given: " << out.given.text;
    o << "\n";
  }
  if (!s.track.empty()) {
    std::vector<std::string> t;
    for (const auto& x : s.track) t.push_back(x.text);
    o << "\ntrack: " << join(t) << "\n";
  }
  if (!s.stop_when.empty()) o << "stop_when: " << s.stop_when.text << "\n";
  std::fputs(o.str().c_str(), stdout);
  return kExitOk;
}

const RegisterCommand kRegister{
    Command{"describe", "describe FILE",
            "list a scenario's parameters, actors, groups, decisions and outcomes", describe_main}};

}  // namespace
}  // namespace geosim::cli
