// SHA-256 (FIPS 180-4), written here rather than taken from OpenSSL so that the engine
// has no crypto dependency for the one thing it needs: fingerprints of input files in
// manifest.json, which let `report` and `merge` tell whether results came from the same
// scenario text.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace geosim::io {

// Incremental hashing: update() any number of times, then hex_digest() once.
class Sha256 {
 public:
  Sha256();
  void update(std::string_view data);
  // 64 lowercase hex digits. Finishes the hash; the object must not be updated after.
  std::string hex_digest();

 private:
  void compress(const unsigned char* block);

  std::array<uint32_t, 8> h_;
  unsigned char buffer_[64];
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
  bool finished_ = false;
};

// The SHA-256 of `data` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view data);

// The SHA-256 of the file's bytes, read through read_file (io/read_file.h): a file that is
// not a regular file, too large or unreadable is a UserError naming the path and why.
std::string sha256_file(const std::string& path);

}  // namespace geosim::io
