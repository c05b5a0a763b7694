// The KTAB-compatible mode against KTAB's own reference runs: every position to the printed
// 0.1, every probability to the printed 4 decimals, and the same number of states.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bargain/ktab_csv.h"
#include "bargain/smp.h"

namespace geosim::bargain {
namespace {

const std::string kData = GEOSIM_TEST_DATA "/ktab/";

struct Reference {
  int states = 0;
  std::vector<std::vector<std::string>> positions;      // one row per actor x dimension
  std::vector<std::vector<std::string>> probabilities;  // one row per actor
};

std::vector<std::string> tokens_after_colon(const std::string& line) {
  std::istringstream in(line.substr(line.find(':') + 1));
  std::vector<std::string> out;
  for (std::string t; in >> t;) out.push_back(t);
  return out;
}

Reference read_reference(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  Reference r;
  int section = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("There were ", 0) == 0) {
      r.states = std::stoi(line.substr(11));
    } else if (line.rfind("History of actor positions", 0) == 0) {
      section = 1;
    } else if (line.rfind("History of actors' winning", 0) == 0) {
      section = 2;
    } else if (section == 1) {
      r.positions.push_back(tokens_after_colon(line));
    } else if (section == 2) {
      r.probabilities.push_back(tokens_after_colon(line));
    }
  }
  return r;
}

std::string fmt(const char* f, double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, f, x);
  return buf;
}

void expect_reproduces(const std::string& input, const std::string& reference, int threads) {
  KtabScenario sc = read_ktab_csv(kData + input);
  Reference ref = read_reference(kData + reference);
  SmpOptions options;
  options.threads = threads;
  Smp model(sc.capability, sc.salience, options);
  SmpHistory h = model.run(sc.position);

  ASSERT_EQ(h.num_states(), ref.states);
  const int n = model.num_actors(), dims = model.num_dimensions();
  ASSERT_EQ(static_cast<int>(ref.positions.size()), n * dims);
  ASSERT_EQ(static_cast<int>(ref.probabilities.size()), n);
  int mismatches = 0;
  for (int i = 0; i < n; ++i) {
    for (int d = 0; d < dims; ++d) {
      const auto& row = ref.positions[i * dims + d];
      ASSERT_EQ(static_cast<int>(row.size()), ref.states);
      for (int t = 0; t < ref.states; ++t) {
        std::string ours = fmt("%.1f", 100 * h.positions[t](i, d));
        if (ours != row[t] && mismatches++ < 10)
          ADD_FAILURE() << sc.actors[i] << " dim " << d << " state " << t << ": " << ours
                        << " vs KTAB " << row[t];
      }
    }
    for (int t = 0; t < ref.states; ++t) {
      std::string ours = fmt("%.4f", h.probabilities[t](i));
      if (ours != ref.probabilities[i][t] && mismatches++ < 10)
        ADD_FAILURE() << sc.actors[i] << " probability state " << t << ": " << ours << " vs KTAB "
                      << ref.probabilities[i][t];
    }
  }
  EXPECT_EQ(mismatches, 0);
}

TEST(SmpKtab, ReproducesDummyData3DimReferenceRun) {
  expect_reproduces("dummyData_3Dim.csv", "ref-dummyData_3Dim.history.txt", 1);
}

TEST(SmpKtab, ReproducesSoePolCompReferenceRun) {
  expect_reproduces("SOE-Pol-Comp.csv", "ref-SOE-Pol-Comp.history.txt", 1);
}

TEST(SmpKtab, ReproducesReferenceRunWithFourThreads) {
  expect_reproduces("SOE-Pol-Comp.csv", "ref-SOE-Pol-Comp.history.txt", 4);
}

}  // namespace
}  // namespace geosim::bargain
