// The files of `geosim smp --out DIR`: tidy layout, exact round trip, no temporary left.
#include "bargain/smp_output.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bargain/ktab_csv.h"
#include "bargain/smp.h"

namespace geosim::bargain {
namespace {

namespace fs = std::filesystem;

std::vector<std::vector<std::string>> read_rows(const fs::path& p) {
  std::ifstream in(p);
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> fields;
    std::istringstream ls(line);
    for (std::string f; std::getline(ls, f, ',');) fields.push_back(f);
    rows.push_back(fields);
  }
  return rows;
}

TEST(SmpOutput, WritesTidyFilesThatReadBackExactly) {
  KtabScenario s = read_ktab_csv(GEOSIM_TEST_DATA "/ktab/dummyData_3Dim.csv");
  SmpHistory h = Smp(s.capability, s.salience, SmpOptions{}).run(s.position);
  fs::path dir = fs::temp_directory_path() / ("geosim_smp_out_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  write_smp_csv(dir / "nested", s, h);
  write_smp_csv(dir / "nested", s, h);  // replacing existing files works too

  auto pos = read_rows(dir / "nested" / "positions.csv");
  ASSERT_EQ(pos.size(), 1u + 11 * 7 * 3);
  EXPECT_EQ(pos[0], (std::vector<std::string>{"turn", "actor", "dimension", "value"}));
  EXPECT_EQ(pos[1], (std::vector<std::string>{"0", "SActor-00", "Pstn1", "75.79"}));
  size_t r = 1;
  for (int t = 0; t < h.num_states(); ++t)
    for (int i = 0; i < 7; ++i)
      for (int d = 0; d < 3; ++d, ++r) {
        ASSERT_EQ(pos[r][0], std::to_string(t));
        ASSERT_EQ(pos[r][1], s.actors[i]);
        ASSERT_EQ(pos[r][2], s.dimensions[d]);
        ASSERT_EQ(std::strtod(pos[r][3].c_str(), nullptr), 100.0 * h.positions[t](i, d));
      }

  auto prob = read_rows(dir / "nested" / "probabilities.csv");
  ASSERT_EQ(prob.size(), 1u + 11 * 7);
  EXPECT_EQ(prob[0], (std::vector<std::string>{"turn", "actor", "value"}));
  EXPECT_EQ(std::strtod(prob.back()[2].c_str(), nullptr), h.probabilities[10](6));

  int files = 0;
  for (const auto& e : fs::directory_iterator(dir / "nested")) {
    EXPECT_EQ(e.path().string().find(".tmp"), std::string::npos) << e.path();
    ++files;
  }
  EXPECT_EQ(files, 2);
  fs::remove_all(dir);
}

TEST(SmpOutput, ShortestTextRoundTrips) {
  EXPECT_EQ(shortest(0.1), "0.1");
  EXPECT_EQ(shortest(75.0), "75");
  double x = 0.1 + 0.2;
  EXPECT_EQ(std::strtod(shortest(x).c_str(), nullptr), x);
}

}  // namespace
}  // namespace geosim::bargain
