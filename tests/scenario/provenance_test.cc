// Every bundled scenario says where its numbers come from (issue 12, item 5;
// docs/format.md, "Provenance"; docs/scenarios.md, "Provenance"): each parameter of every
// scenario under scenarios/ (the case files of scenarios/cases/ and scenarios/backtest/csto/
// excepted, as in tests/scenarios/CMakeLists.txt) carries a basis, and so does every world
// or actor variable whose init draws a random number (an uncertain input). A new scenario,
// or a new parameter, without one fails here with its file and line.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "scenario/load.h"

namespace geosim {
namespace {

namespace fs = std::filesystem;
const std::string kRepo = GEOSIM_SOURCE_DIR;

std::vector<std::string> bundled_scenarios() {
  std::vector<std::string> files;
  const fs::path root = fs::path(kRepo) / "scenarios";
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file() || e.path().extension() != ".yaml") continue;
    const std::string rel = fs::relative(e.path(), root).generic_string();
    if (rel.rfind("cases/", 0) == 0 || rel.rfind("backtest/csto/", 0) == 0) continue;
    files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string at(const SourceLoc& loc) {
  return loc.file + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column);
}

bool draws(const std::string& init) {
  static const std::regex kDraw(R"(\b(uniform|normal|lognormal|bernoulli|beta|triangular)\s*\()");
  return std::regex_search(init, kDraw);
}

TEST(BundledScenarioProvenance, FindsTheScenarios) {
  // The glob must see the bundled scenarios, or the checks below would pass vacuously.
  const auto files = bundled_scenarios();
  EXPECT_GE(files.size(), 11u);
  EXPECT_NE(std::find(files.begin(), files.end(),
                      kRepo + "/scenarios/kazakhstan-2022/elite-infighting.yaml"),
            files.end());
}

TEST(BundledScenarioProvenance, EveryParameterHasABasis) {
  for (const auto& f : bundled_scenarios()) {
    const ScenarioSpec s = load_scenario_spec(f);
    EXPECT_FALSE(s.parameters.empty()) << f;
    for (const auto& p : s.parameters)
      EXPECT_NE(p.provenance.basis, Basis::kUnmarked)
          << at(p.loc) << ": parameter '" << p.name << "' of " << f
          << " has no basis (fitted, sourced or judgement; docs/format.md, Provenance)";
  }
}

TEST(BundledScenarioProvenance, EveryRandomInitHasABasis) {
  int random_inits = 0;
  for (const auto& f : bundled_scenarios()) {
    const ScenarioSpec s = load_scenario_spec(f);
    auto check = [&](const VariableSpec& v, const std::string& name) {
      if (!draws(v.init.text)) return;
      ++random_inits;
      EXPECT_NE(v.provenance.basis, Basis::kUnmarked)
          << at(v.loc) << ": '" << name << "' of " << f << " draws its init ('" << v.init.text
          << "') but has no basis";
    };
    for (const auto& v : s.world) check(v, "world." + v.name);
    for (const auto& a : s.actors)
      for (const auto& v : a.state) check(v, a.id + "." + v.name);
  }
  EXPECT_GT(random_inits, 0);  // the check saw at least one drawn init
}

TEST(BundledScenarioProvenance, DrawDetection) {
  EXPECT_TRUE(draws("clamp(normal(0.5, 0.15), 0, 1)"));
  EXPECT_TRUE(draws("triangular(1000, 1400, 2500)"));
  EXPECT_FALSE(draws("knb_patronage"));
  EXPECT_FALSE(draws("0.3"));
  EXPECT_FALSE(draws("abnormal_x + 1"));
}

}  // namespace
}  // namespace geosim
