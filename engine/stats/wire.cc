#include "stats/wire.h"

#include <bit>

#include "core/error.h"

namespace geosim::stats::wire {

void damaged(const std::string& what) {
  throw UserError(SourceLoc{}, "damaged statistics state: " + what);
}

namespace {

void put_le(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

uint64_t get_le(std::string_view& in, int bytes) {
  if (in.size() < static_cast<size_t>(bytes)) damaged("truncated");
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= uint64_t{static_cast<unsigned char>(in[i])} << (8 * i);
  in.remove_prefix(bytes);
  return v;
}

}  // namespace

void put_u8(std::string& out, uint8_t v) { put_le(out, v, 1); }
void put_u16(std::string& out, uint16_t v) { put_le(out, v, 2); }
void put_u32(std::string& out, uint32_t v) { put_le(out, v, 4); }
void put_u64(std::string& out, uint64_t v) { put_le(out, v, 8); }
void put_i64(std::string& out, int64_t v) { put_le(out, static_cast<uint64_t>(v), 8); }
void put_f64(std::string& out, double v) { put_le(out, std::bit_cast<uint64_t>(v), 8); }

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

uint8_t get_u8(std::string_view& in) { return static_cast<uint8_t>(get_le(in, 1)); }
uint16_t get_u16(std::string_view& in) { return static_cast<uint16_t>(get_le(in, 2)); }
uint32_t get_u32(std::string_view& in) { return static_cast<uint32_t>(get_le(in, 4)); }
uint64_t get_u64(std::string_view& in) { return get_le(in, 8); }
int64_t get_i64(std::string_view& in) { return static_cast<int64_t>(get_le(in, 8)); }
double get_f64(std::string_view& in) { return std::bit_cast<double>(get_le(in, 8)); }

uint64_t get_varint(std::string_view& in) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in.empty()) damaged("truncated");
    auto byte = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    if (shift == 63 && byte > 1) damaged("integer out of range");
    v |= uint64_t{byte & 0x7fu} << shift;
    if (!(byte & 0x80)) {
      if (byte == 0 && shift > 0) damaged("integer not in canonical form");
      return v;
    }
  }
  damaged("integer out of range");
}

}  // namespace geosim::stats::wire
