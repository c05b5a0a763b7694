#include "io/sealed.h"

#include <gtest/gtest.h>

#include <string>

#include "core/error.h"

namespace geosim::io {
namespace {

std::string payload() {
  std::string p;
  for (int i = 0; i < 300; ++i) p.push_back(static_cast<char>((i * 37) & 0xff));
  return p;
}

TEST(Sealed, RoundTrips) {
  const std::string p = payload();
  const std::string s = seal("shard-stats", 2, p);
  EXPECT_EQ(unseal(s, "shard-stats", 2, "stats.bin"), p);
  EXPECT_EQ(unseal(seal("x", 1, ""), "x", 1, "f"), "");
}

// Issue 13 part B, item 7: every single-bit change of a sealed file is refused.
TEST(Sealed, EveryFlippedBitIsRefused) {
  const std::string good = seal("shard-stats", 2, payload());
  int accepted = 0;
  for (size_t bit = 0; bit < good.size() * 8; ++bit) {
    std::string bad = good;
    bad[bit / 8] = static_cast<char>(bad[bit / 8] ^ (1 << (bit % 8)));
    try {
      unseal(bad, "shard-stats", 2, "stats.bin");
      ++accepted;
    } catch (const UserError& e) {
      EXPECT_NE(std::string(e.what()).find("stats.bin"), std::string::npos);
    }
  }
  EXPECT_EQ(accepted, 0) << "of " << good.size() * 8 << " flipped bits";
}

TEST(Sealed, TruncatedExtendedForeignAndOtherVersionsAreRefused) {
  const std::string good = seal("shard-stats", 2, payload());
  for (size_t n = 0; n < good.size(); ++n)
    EXPECT_THROW(unseal(good.substr(0, n), "shard-stats", 2, "f"), UserError) << n;
  EXPECT_THROW(unseal(good + "x", "shard-stats", 2, "f"), UserError);
  EXPECT_THROW(unseal(good, "sweep-point", 2, "f"), UserError);
  EXPECT_THROW(unseal(good, "shard-stats", 3, "f"), UserError);
  EXPECT_THROW(unseal("", "shard-stats", 2, "f"), UserError);
}

}  // namespace
}  // namespace geosim::io
