// The byte layout shared by the serialize/deserialize functions of the summaries:
// fixed-width little-endian integers and IEEE doubles by their bits, so that equal states
// give equal bytes on every machine. Reading checks every length, because serialized
// states come back from shard files that may be damaged.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace geosim::stats::wire {

void put_u8(std::string& out, uint8_t v);
void put_u16(std::string& out, uint16_t v);
void put_u32(std::string& out, uint32_t v);
void put_u64(std::string& out, uint64_t v);
void put_i64(std::string& out, int64_t v);
void put_f64(std::string& out, double v);
// LEB128, for counts that are mostly small.
void put_varint(std::string& out, uint64_t v);

// Each reads from the front of `in` and advances it; a short or malformed input throws
// UserError ("damaged statistics state: ...") without a file position, which the caller
// that knows the file adds.
uint8_t get_u8(std::string_view& in);
uint16_t get_u16(std::string_view& in);
uint32_t get_u32(std::string_view& in);
uint64_t get_u64(std::string_view& in);
int64_t get_i64(std::string_view& in);
double get_f64(std::string_view& in);
uint64_t get_varint(std::string_view& in);

// Throws the UserError above with `what` as the detail.
[[noreturn]] void damaged(const std::string& what);

}  // namespace geosim::stats::wire
