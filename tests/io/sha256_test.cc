#include "io/sha256.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "core/error.h"

namespace geosim::io {
namespace {

// Test vectors from FIPS 180-2 appendix B and the NIST example values.
TEST(Sha256, MatchesTheFipsVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, IncrementalUpdatesMatchOneShotAtEveryBlockBoundary) {
  std::string data;
  for (int i = 0; i < 300; ++i) data += static_cast<char>(i * 7 + 1);
  for (size_t len : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 119u, 120u, 128u, 300u}) {
    std::string expect = sha256_hex(data.substr(0, len));
    for (size_t chunk : {1u, 3u, 64u, 100u}) {
      Sha256 h;
      for (size_t i = 0; i < len; i += chunk) h.update(data.substr(i, std::min(chunk, len - i)));
      EXPECT_EQ(h.hex_digest(), expect) << len << " in chunks of " << chunk;
    }
  }
}

TEST(Sha256File, HashesTheFileBytes) {
  std::string path = ::testing::TempDir() + "/geosim_sha.txt";
  {
    std::ofstream f(path, std::ios::binary);
    f << "abc";
  }
  EXPECT_EQ(sha256_file(path), sha256_hex("abc"));
  std::remove(path.c_str());
  EXPECT_THROW(sha256_file(path), UserError);
}

}  // namespace
}  // namespace geosim::io
