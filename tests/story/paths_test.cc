// The path table: canonical text, round trip, and a cap that does not depend on the order
// paths were seen or tables merged.
#include "story/paths.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace geosim::story {
namespace {

const std::vector<ItemNames> kItems = {{"appeal", {}}, {"decide", {"deploy", "refuse"}}};

TEST(PathText, ElementsInOrderWithOptionsAndSteps) {
  std::vector<Element> p = {{0, kNoLabel, 1}, {1, 0, 2}};
  EXPECT_EQ(path_text(path_key(p, false, 0), false, kItems), "appeal > decide=deploy");
  EXPECT_EQ(path_text(path_key(p, true, 0), true, kItems), "appeal@1 > decide=deploy@2");
  EXPECT_EQ(path_text(path_key(p, false, 1), false, kItems), "appeal");
  EXPECT_EQ(path_text(path_key({}, false, 0), false, kItems), "(none)");
  EXPECT_EQ(path_length(path_key(p, true, 0), true), 2u);
}

// A table of one outcome (a mean) with `n` replicates of path i % distinct, value i.
PathTable table_of(const std::vector<int>& replicates, int distinct) {
  PathTable t({OutcomeShape{0}});
  for (int i : replicates) {
    std::vector<Element> p = {{static_cast<uint32_t>(i % distinct), kNoLabel, 0}};
    PathStats& s = t.at(path_key(p, false, 0));
    ++s.replicates;
    ++s.outcomes[0].held;
    ++s.outcomes[0].present;
    s.outcomes[0].sum.add(static_cast<double>(i));
  }
  return t;
}

std::string bytes(const PathTable& t) {
  std::string s;
  t.serialize(s);
  return s;
}

TEST(PathTable, BeyondTheCapTheKeptPathsAndOtherDoNotDependOnOrderOrMerges) {
  const int distinct = static_cast<int>(PathTable::kKept) * 3;
  std::vector<int> reps;
  for (int i = 0; i < 20000; ++i) reps.push_back(i);
  const PathTable whole = table_of(reps, distinct);
  EXPECT_EQ(whole.paths().size(), PathTable::kKept);
  EXPECT_GT(whole.other().replicates, 0);
  EXPECT_EQ(whole.replicates(), 20000);

  std::mt19937 rng(7);
  for (int trial = 0; trial < 3; ++trial) {
    std::shuffle(reps.begin(), reps.end(), rng);
    // Three parts, merged in two different orders.
    std::vector<int> a(reps.begin(), reps.begin() + 5000),
        b(reps.begin() + 5000, reps.begin() + 12000), c(reps.begin() + 12000, reps.end());
    PathTable x = table_of(c, distinct);
    x.merge(table_of(a, distinct));
    x.merge(table_of(b, distinct));
    PathTable y = table_of(b, distinct);
    PathTable z = table_of(a, distinct);
    z.merge(table_of(c, distinct));
    y.merge(z);
    EXPECT_EQ(bytes(x), bytes(whole));
    EXPECT_EQ(bytes(y), bytes(whole));
  }
}

TEST(PathTable, SerializesAndReadsBackTheSameTable) {
  std::vector<int> reps;
  for (int i = 0; i < 500; ++i) reps.push_back(i * 7);
  const PathTable t = table_of(reps, 13);
  const std::string s = bytes(t);
  std::string_view in = s;
  const PathTable back = PathTable::deserialize(in);
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(bytes(back), s);
}

TEST(Rows, LeadingPathsThenOneRowForTheRest) {
  // Path k has k + 1 replicates (k = 0..9).
  std::vector<int> reps;
  for (int k = 0; k < 10; ++k)
    for (int r = 0; r <= k; ++r) reps.push_back(k);
  const PathTable t = table_of(reps, 10);
  const std::vector<ItemNames> items(10, ItemNames{"e", {}});
  std::vector<ItemNames> named;
  for (int k = 0; k < 10; ++k) named.push_back({"e" + std::to_string(k), {}});
  const auto rs = rows(t, false, named, 3);
  ASSERT_EQ(rs.size(), 4u);
  EXPECT_EQ(rs[0].path, "e9");
  EXPECT_EQ(rs[0].rank, 1);
  EXPECT_EQ(rs[0].stats.replicates, 10);
  EXPECT_EQ(rs[2].path, "e7");
  EXPECT_EQ(rs[3].path, "(other paths)");
  EXPECT_EQ(rs[3].rank, 0);
  EXPECT_EQ(rs[3].stats.replicates, 55 - 10 - 9 - 8);
  // The other row's mean is over its replicates: values k, each k + 1 times, k = 0..6.
  double sum = 0;
  for (int k = 0; k < 7; ++k) sum += k * (k + 1);
  EXPECT_EQ(rs[3].stats.outcomes[0].sum.to_double(), sum);
  // Ties are broken by the path text, so the rows are one order whatever the table's.
  EXPECT_EQ(rows(t, false, named, 100).size(), 10u);
}

}  // namespace
}  // namespace geosim::story
