// Every input fuzzing found (tests/data/fuzz/NAME.yaml) is loaded and compiled the way
// scenario_fuzz does, and must be refused with the message fragment in NAME.expected
// (or load cleanly when that file says `valid`), without a crash or another exception.
// A file named open-*.yaml is a finding not fixed yet (docs/reliability.md lists them): it
// is reported as skipped, not run, until the fix lands and the prefix is dropped.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "scenario/load.h"
#include "sim/model.h"

namespace {

namespace fs = std::filesystem;

const fs::path kDir = fs::path(GEOSIM_TEST_DATA_DIR) / "fuzz";

std::vector<std::string> regression_names() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(kDir)) {
    if (e.path().extension() == ".yaml") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class FuzzRegression : public testing::TestWithParam<std::string> {};

TEST_P(FuzzRegression, IsRefusedWithItsExpectedMessage) {
  const std::string name = GetParam();
  if (name.starts_with("open-"))
    GTEST_SKIP() << name << " is an open finding (docs/reliability.md)";
  std::string expected = slurp(kDir / (name + ".expected"));
  while (!expected.empty() && (expected.back() == '\n' || expected.back() == '\r')) {
    expected.pop_back();
  }
  ASSERT_FALSE(expected.empty()) << name << ".expected is missing or empty";
  const std::string text = slurp(kDir / (name + ".yaml"));
  std::string error;
  try {
    geosim::sim::build_model(geosim::load_scenario_spec_from_string(text, name + ".yaml"));
  } catch (const geosim::UserError& e) {
    error = e.what();
  }
  if (expected == "valid") {
    EXPECT_EQ(error, "");
  } else {
    EXPECT_NE(error.find(expected), std::string::npos)
        << "message: " << error << "\nexpected to contain: " << expected;
  }
}

INSTANTIATE_TEST_SUITE_P(TestsDataFuzz, FuzzRegression, testing::ValuesIn(regression_names()),
                         [](const testing::TestParamInfo<std::string>& info) {
                           std::string n = info.param;
                           for (char& c : n) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

TEST(FuzzRegressionFiles, EachInputHasAnExpectedMessage) {
  for (const auto& e : fs::directory_iterator(kDir)) {
    const fs::path p = e.path();
    if (p.extension() == ".yaml") {
      EXPECT_TRUE(fs::exists(fs::path(p).replace_extension(".expected"))) << p;
    } else if (p.extension() == ".expected") {
      EXPECT_TRUE(fs::exists(fs::path(p).replace_extension(".yaml"))) << p;
    } else {
      ADD_FAILURE() << "unexpected file " << p << " (expected NAME.yaml and NAME.expected)";
    }
  }
}

}  // namespace
