#include "api/batch.h"

#include <filesystem>

#include "core/text.h"
#include "dist/dist.h"
#include "io/number.h"
#include "scenario/load.h"

namespace geosim::api {

sim::Model compile(const ScenarioSpec& loaded, const std::string& given) {
  if (given.empty()) return sim::build_model(loaded);
  // Compiled alone first, so that a mistake in it is reported once, at --given.
  ScenarioSpec probe = loaded;
  probe.outcomes.assign(1, OutcomeSpec{});
  probe.outcomes[0].name = "given";
  probe.outcomes[0].expr = ExprText{given, SourceLoc{"--given", 1, 1}};
  sim::build_model(probe);
  ScenarioSpec spec = loaded;
  for (OutcomeSpec& o : spec.outcomes)
    o.given = o.given.empty() ? ExprText{given, SourceLoc{"--given"}}
                              : ExprText{"(" + o.given.text + ") and (" + given + ")", o.given.loc};
  return sim::build_model(spec);
}

std::vector<std::unique_ptr<sim::Model>> load_models(const std::vector<std::string>& files,
                                                     const std::string& given) {
  DiagnosticList diags;
  std::vector<std::unique_ptr<sim::Model>> models;
  for (const std::string& f : files) {
    try {
      models.push_back(std::make_unique<sim::Model>(compile(load_scenario_spec(f), given)));
    } catch (const UserError& e) {
      diags.add(e);
    }
  }
  diags.throw_if_any();
  return models;
}

std::pair<std::string, double> parse_set(const std::string& text) {
  size_t eq = text.find('=');
  const SourceLoc where{"--set " + text};
  if (eq == std::string::npos || eq == 0)
    throw UserError(where, "expected NAME=VALUE, found '" + text + "'");
  std::string name = text.substr(0, eq);
  double v =
      io::parse_double(std::string_view(text).substr(eq + 1), where, "a finite number after '='");
  return {name, v};
}

void apply_sets(const std::vector<std::string>& sets,
                std::vector<std::unique_ptr<sim::Model>>& models) {
  for (const std::string& s : sets) {
    auto [name, value] = parse_set(s);
    bool found = false;
    std::vector<std::string> names;
    for (auto& m : models) {
      if (m->find_parameter(name)) {
        m->set_parameter(name, value, SourceLoc{"--set " + s});
        found = true;
      }
      for (const auto& p : m->parameters) names.push_back(p.name);
    }
    if (!found)
      throw UserError(SourceLoc{"--set " + s}, "no scenario declares a parameter '" + name + "'" +
                                                   did_you_mean(name, names));
  }
}

PosteriorUse load_posterior(const std::string& path, const std::vector<const sim::Model*>& models,
                            const std::vector<std::pair<std::string, std::string>>& taken) {
  PosteriorUse use;
  if (path.empty()) return use;
  use.file = std::make_unique<posterior::Posterior>(posterior::read_posterior(path));
  use.bindings = posterior::bind(*use.file, models, taken);
  return use;
}

PosteriorUse load_posterior(const std::string& path,
                            const std::vector<std::unique_ptr<sim::Model>>& models,
                            const std::vector<std::pair<std::string, std::string>>& taken) {
  std::vector<const sim::Model*> ptrs;
  for (const auto& m : models) ptrs.push_back(m.get());
  return load_posterior(path, ptrs, taken);
}

std::vector<std::pair<std::string, std::string>> set_names(const std::vector<std::string>& sets) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& s : sets) out.emplace_back(parse_set(s).first, "--set " + s);
  return out;
}

void prepare_out_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw UserError(SourceLoc{dir}, "--out names a file, not a folder; expected a folder");
  fs::create_directories(dir, ec);
  if (ec) throw UserError(SourceLoc{dir}, "cannot create the output folder: " + ec.message());
}

outdir::FolderLock claim_out_dir(const std::string& dir, outdir::Kind kind, bool overwrite,
                                 bool check_replace, const std::string& command) {
  outdir::FolderLock lock;
  std::string refusal;
  if (dist::rank() == 0) {
    try {
      prepare_out_dir(dir);
      lock = outdir::lock_for_writing(dir, command);
      if (check_replace) outdir::check_may_replace_results(dir, kind, overwrite, command);
    } catch (const UserError& e) {
      if (!dist::active()) throw;
      refusal = e.what();
    }
  }
  if (dist::active()) {
    refusal = dist::broadcast(refusal);
    if (!refusal.empty()) throw UserError(SourceLoc{dir}, refusal);
  }
  return lock;
}

void require_resumable(const std::string& state_dir, const std::string& out,
                       const std::string& command) {
  std::error_code ec;
  if (std::filesystem::is_directory(state_dir, ec)) return;
  throw UserError(SourceLoc{out}, "--resume: nothing to resume here (no interrupted " + command +
                                      " left " + state_dir +
                                      "); expected the --out of an interrupted " + command +
                                      ", or run without --resume to start a new one");
}

}  // namespace geosim::api
