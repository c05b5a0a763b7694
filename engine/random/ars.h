// ARS-7, the counter-based generator of the lane draws (stream.h's lane_uniform): Random123's
// ARS4x32 with its default 7 rounds (Salmon, Moraes, Dror & Shaw, "Parallel random numbers:
// as easy as 1, 2, 3", SC'11). A block is the AES round function applied 7 times to the
// 128-bit counter, with a Weyl sequence for the round keys instead of AES's key schedule:
//   v = counter ^ key;  6 x { key += weyl; v = aesenc(v, key) };  key += weyl;
//   v = aesenclast(v, key)
// with the key's and weyl's two 64-bit halves added separately. AES rounds are exact byte
// operations, so the AES-NI and VAES instructions and the software rounds here give the
// same bits on every machine (tested against each other).
#pragma once

#include <cstdint>

namespace geosim::rnd {

struct Block128 {
  uint64_t lo, hi;  // bytes 0-7 and 8-15 of the block, little-endian
};

// ARS-7 of the counter (c0, c1, c2, c3) (word 0 in bytes 0-3) under the key
// (key_lo, key_hi): with AES-NI where the process may use it (core/isa.h), in software
// otherwise.
Block128 ars7(uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3, uint64_t key_lo, uint64_t key_hi);
// The software rounds only (what machines without AES-NI run; tests compare the two).
Block128 ars7_software(uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3, uint64_t key_lo,
                       uint64_t key_hi);

// The uniforms in (0, 1) of the lane draws (stream.h's lane_uniform, bit for bit) of
// replicates replicate0, replicate0 + 1, ... replicate0 + n - 1 at (step, site, k), to
// out[0, n). Replicates 2j and 2j + 1 share the block of counter (j, step, site, k) under
// the key (seed, 0): the even one takes its low 64 bits x, the odd one its high 64, as
// ((x >> 11) + 0.5) 2^-53. Four blocks per VAES instruction on the AVX-512 path, one per
// AES-NI instruction on the AVX2 path, software rounds on the baseline path.
void lane_uniforms(uint64_t seed, uint32_t replicate0, uint32_t step, uint32_t site, uint32_t k,
                   double* out, int n);

// lane_uniforms' implementations, to test them against each other on one machine: each
// gives the same bits where the CPU has its instructions (lane_path_available).
enum class LanePath { kSoftware, kAesNi, kVaes512 };
bool lane_path_available(LanePath path);
void lane_uniforms_on(LanePath path, uint64_t seed, uint32_t replicate0, uint32_t step,
                      uint32_t site, uint32_t k, double* out, int n);

// The round-key Weyl increments of Random123's ars.h (golden ratio and sqrt(3) - 1).
inline constexpr uint64_t kArsWeylLo = 0x9E3779B97F4A7C15ull;
inline constexpr uint64_t kArsWeylHi = 0xBB67AE8584CAA73Bull;
inline constexpr int kArsRounds = 7;

}  // namespace geosim::rnd
