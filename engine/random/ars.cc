#include "random/ars.h"

#include <immintrin.h>

#include <array>
#include <cstring>

#include "core/error.h"
#include "core/isa.h"

namespace geosim::rnd {

namespace {

// GF(2^8) with AES's polynomial x^8 + x^4 + x^3 + x + 1.
constexpr uint8_t xtime(uint8_t a) {
  return static_cast<uint8_t>((a << 1) ^ ((a & 0x80) ? 0x1B : 0));
}
constexpr uint8_t gf_mul(uint8_t a, uint8_t b) {
  uint8_t p = 0;
  for (int i = 0; i < 8; ++i) {
    if (b & 1) p ^= a;
    a = xtime(a);
    b >>= 1;
  }
  return p;
}

// The S-box from its definition (FIPS-197 section 5.1.1): the multiplicative inverse (0 for
// 0), then the affine map b ^ rotl(b, 1) ^ rotl(b, 2) ^ rotl(b, 3) ^ rotl(b, 4) ^ 0x63.
// Inverses through powers of the generator 3: x = 3^i has the inverse 3^(255 - i).
constexpr std::array<uint8_t, 256> make_sbox() {
  std::array<uint8_t, 256> power{}, log{};
  uint8_t x = 1;
  for (int i = 0; i < 255; ++i) {
    power[static_cast<size_t>(i)] = x;
    log[x] = static_cast<uint8_t>(i);
    x = gf_mul(x, 3);
  }
  std::array<uint8_t, 256> s{};
  for (int v = 0; v < 256; ++v) {
    const uint8_t inv =
        v == 0 ? 0 : power[static_cast<size_t>((255 - log[static_cast<size_t>(v)]) % 255)];
    const auto rotl = [](uint8_t b, int n) {
      return static_cast<uint8_t>((b << n) | (b >> (8 - n)));
    };
    s[static_cast<size_t>(v)] = static_cast<uint8_t>(inv ^ rotl(inv, 1) ^ rotl(inv, 2) ^
                                                     rotl(inv, 3) ^ rotl(inv, 4) ^ 0x63);
  }
  return s;
}
constexpr std::array<uint8_t, 256> kSbox = make_sbox();
static_assert(kSbox[0x00] == 0x63 && kSbox[0x01] == 0x7C && kSbox[0x53] == 0xED &&
              kSbox[0xFF] == 0x16);  // FIPS-197 figure 7

// The round as table lookups (FIPS-197 section 5.2.1's suggestion): the state is four
// 32-bit columns, row r in byte r. Column c of a round's output is the XOR of
// kTe[r][S-box input] over the rows r, each input taken from column c + r (ShiftRows), the
// table holding the S-box value times MixColumns' column of row r: (2, 1, 1, 3) for row 0,
// rotated by a byte per row.
constexpr std::array<std::array<uint32_t, 256>, 4> make_te() {
  std::array<std::array<uint32_t, 256>, 4> te{};
  for (int x = 0; x < 256; ++x) {
    const uint8_t sb = kSbox[static_cast<size_t>(x)];
    const uint32_t w = uint32_t{xtime(sb)} | (uint32_t{sb} << 8) | (uint32_t{sb} << 16) |
                       (uint32_t{static_cast<uint8_t>(xtime(sb) ^ sb)} << 24);
    for (int r = 0; r < 4; ++r)
      te[static_cast<size_t>(r)][static_cast<size_t>(x)] =
          r == 0 ? w : (w << (8 * r)) | (w >> (32 - 8 * r));
  }
  return te;
}
constexpr std::array<std::array<uint32_t, 256>, 4> kTe = make_te();

inline uint32_t byte_of(uint32_t w, int r) { return (w >> (8 * r)) & 0xFF; }

// One AES encryption round on the columns, as aesenc (last: aesenclast, without
// MixColumns): SubBytes, ShiftRows, MixColumns, then the round key's columns.
void aes_round(uint32_t w[4], const uint32_t k[4], bool last) {
  uint32_t t[4];
  for (int c = 0; c < 4; ++c) {
    const uint32_t b0 = byte_of(w[c], 0), b1 = byte_of(w[(c + 1) & 3], 1),
                   b2 = byte_of(w[(c + 2) & 3], 2), b3 = byte_of(w[(c + 3) & 3], 3);
    t[c] = last ? uint32_t{kSbox[b0]} | (uint32_t{kSbox[b1]} << 8) | (uint32_t{kSbox[b2]} << 16) |
                      (uint32_t{kSbox[b3]} << 24)
                : kTe[0][b0] ^ kTe[1][b1] ^ kTe[2][b2] ^ kTe[3][b3];
  }
  for (int c = 0; c < 4; ++c) w[c] = t[c] ^ k[c];
}

[[gnu::target("aes,sse4.1")]] Block128 ars7_aesni(uint32_t c0, uint32_t c1, uint32_t c2,
                                                  uint32_t c3, uint64_t key_lo, uint64_t key_hi) {
  const __m128i weyl =
      _mm_set_epi64x(static_cast<long long>(kArsWeylHi), static_cast<long long>(kArsWeylLo));
  __m128i kk = _mm_set_epi64x(static_cast<long long>(key_hi), static_cast<long long>(key_lo));
  __m128i v = _mm_xor_si128(_mm_set_epi32(static_cast<int>(c3), static_cast<int>(c2),
                                          static_cast<int>(c1), static_cast<int>(c0)),
                            kk);
  for (int r = 1; r < kArsRounds; ++r) {
    kk = _mm_add_epi64(kk, weyl);
    v = _mm_aesenc_si128(v, kk);
  }
  kk = _mm_add_epi64(kk, weyl);
  v = _mm_aesenclast_si128(v, kk);
  return Block128{static_cast<uint64_t>(_mm_cvtsi128_si64(v)),
                  static_cast<uint64_t>(_mm_extract_epi64(v, 1))};
}

bool use_aesni() {
#if defined(__x86_64__)
  static const bool use = core::isa() != core::Isa::kBaseline && core::cpu_has_aes();
  return use;
#else
  return false;
#endif
}

// ---- Lane batches ----------------------------------------------------------------------

constexpr double kScale = 1.0 / 9007199254740992.0;  // 2^-53
constexpr int kPairs = 32;                           // blocks per batch: 64 replicates
// The block number of the pairs of a batch: replicate >> 1, also where replicate0 + i wraps
// past 2^32 (then the pair number wraps past 2^31).
constexpr uint32_t kPairMask = 0x7FFFFFFFu;

inline double to_unit(uint64_t x) {
  return (static_cast<double>(static_cast<int64_t>(x >> 11)) + 0.5) * kScale;  // exact
}

// Batch `vb` (a multiple of 2 * kPairs) holds the virtual lanes [vb, vb + 2 kPairs), virtual
// lane v being output lane v - off (off = replicate0 & 1, so that a batch starts at an even
// replicate). Copies its lanes that are output lanes.
inline void store_pairs(const double* u, int vb, int off, double* out, int n) {
  const int j0 = vb == 0 ? off : 0;
  const int first = vb + j0 - off;
  const int count = n - first < 2 * kPairs - j0 ? n - first : 2 * kPairs - j0;
  if (count == 2 * kPairs)
    std::memcpy(out + first, u, sizeof(double) * 2 * kPairs);
  else
    std::memcpy(out + first, u + j0, sizeof(double) * static_cast<size_t>(count));
}

void lane_batch_software(uint64_t seed, uint32_t replicate0, uint32_t step, uint32_t site,
                         uint32_t k, double* out, int n) {
  alignas(64) double u[2 * kPairs];
  const uint32_t pair0 = replicate0 >> 1;
  const int off = static_cast<int>(replicate0 & 1);
  for (int vb = 0; vb < n + off; vb += 2 * kPairs) {
    const int pairs = (n + off - vb + 1) / 2 < kPairs ? (n + off - vb + 1) / 2 : kPairs;
    for (int i = 0; i < pairs; ++i) {
      const Block128 b = ars7_software((pair0 + static_cast<uint32_t>(vb / 2 + i)) & kPairMask,
                                       step, site, k, seed, 0);
      u[2 * i] = to_unit(b.lo);
      u[2 * i + 1] = to_unit(b.hi);
    }
    store_pairs(u, vb, off, out, n);
  }
}

// AES-NI: one block per register, 8 registers advanced together to hide the latency of
// aesenc.
[[gnu::target("avx2,aes")]] void lane_batch_aesni(uint64_t seed, uint32_t replicate0, uint32_t step,
                                                  uint32_t site, uint32_t k, double* out, int n) {
  constexpr int kGroups = 8;
  const __m128i weyl =
      _mm_set_epi64x(static_cast<long long>(kArsWeylHi), static_cast<long long>(kArsWeylLo));
  __m128i rk[kArsRounds + 1];
  rk[0] = _mm_set_epi64x(0, static_cast<long long>(seed));
  for (int r = 1; r <= kArsRounds; ++r) rk[r] = _mm_add_epi64(rk[r - 1], weyl);
  const __m128i tmpl =
      _mm_set_epi32(static_cast<int>(k), static_cast<int>(site), static_cast<int>(step), 0);
  alignas(64) uint64_t x[2 * kPairs];
  alignas(64) double u[2 * kPairs];
  const uint32_t pair0 = replicate0 >> 1;
  const int off = static_cast<int>(replicate0 & 1);
  for (int vb = 0; vb < n + off; vb += 2 * kPairs) {
    for (int i = 0; i < kPairs; i += kGroups) {
      __m128i v[kGroups];
      for (int g = 0; g < kGroups; ++g) {
        const uint32_t pair = (pair0 + static_cast<uint32_t>(vb / 2 + i + g)) & kPairMask;
        v[g] = _mm_xor_si128(_mm_insert_epi32(tmpl, static_cast<int>(pair), 0), rk[0]);
      }
      for (int r = 1; r < kArsRounds; ++r)
        for (int g = 0; g < kGroups; ++g) v[g] = _mm_aesenc_si128(v[g], rk[r]);
      for (int g = 0; g < kGroups; ++g)
        _mm_store_si128(reinterpret_cast<__m128i*>(x + 2 * (i + g)),
                        _mm_aesenclast_si128(v[g], rk[kArsRounds]));
    }
    for (int i = 0; i < 2 * kPairs; ++i) u[i] = to_unit(x[i]);
    store_pairs(u, vb, off, out, n);
  }
}

// GCC 12's AVX-512 headers pass an undefined vector as the unused merge source of the
// unmasked intrinsics, which -Wmaybe-uninitialized reports (GCC bug 105593).
#if !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
// VAES: four blocks per 512-bit register (one per 128-bit lane: the block of pairs p .. p + 3),
// 8 registers advanced together. A register's eight 64-bit words are the uniforms of eight
// consecutive replicates, in order, so nothing is shuffled.
[[gnu::target("avx512f,avx512dq,avx512vl,avx512bw,vaes,aes")]] void lane_batch_vaes512(
    uint64_t seed, uint32_t replicate0, uint32_t step, uint32_t site, uint32_t k, double* out,
    int n) {
  constexpr int kGroups = kPairs / 4;
  const __m128i weyl =
      _mm_set_epi64x(static_cast<long long>(kArsWeylHi), static_cast<long long>(kArsWeylLo));
  __m512i rk[kArsRounds + 1];
  __m128i kk = _mm_set_epi64x(0, static_cast<long long>(seed));
  for (int r = 0; r <= kArsRounds; ++r) {
    if (r > 0) kk = _mm_add_epi64(kk, weyl);
    rk[r] = _mm512_broadcast_i32x4(kk);
  }
  const int s = static_cast<int>(step), t = static_cast<int>(site), kw = static_cast<int>(k);
  const __m512i tmpl = _mm512_set_epi32(kw, t, s, 3, kw, t, s, 2, kw, t, s, 1, kw, t, s, 0);
  const int m = static_cast<int>(kPairMask);
  const __m512i word_mask =
      _mm512_set_epi32(-1, -1, -1, m, -1, -1, -1, m, -1, -1, -1, m, -1, -1, -1, m);
  const __m512d half = _mm512_set1_pd(0.5), scale = _mm512_set1_pd(kScale);
  alignas(64) double u[2 * kPairs];
  const uint32_t pair0 = replicate0 >> 1;
  const int off = static_cast<int>(replicate0 & 1);
  for (int vb = 0; vb < n + off; vb += 2 * kPairs) {
    __m512i v[kGroups];
    for (int g = 0; g < kGroups; ++g) {
      const __m512i first = _mm512_maskz_set1_epi32(
          0x1111, static_cast<int>(pair0 + static_cast<uint32_t>(vb / 2 + 4 * g)));
      v[g] = _mm512_xor_si512(_mm512_and_si512(_mm512_add_epi32(tmpl, first), word_mask), rk[0]);
    }
    for (int r = 1; r < kArsRounds; ++r)
      for (int g = 0; g < kGroups; ++g) v[g] = _mm512_aesenc_epi128(v[g], rk[r]);
    for (int g = 0; g < kGroups; ++g) {
      const __m512i x = _mm512_aesenclast_epi128(v[g], rk[kArsRounds]);
      _mm512_store_pd(
          u + 8 * g,
          _mm512_mul_pd(_mm512_add_pd(_mm512_cvtepu64_pd(_mm512_srli_epi64(x, 11)), half), scale));
    }
    store_pairs(u, vb, off, out, n);
  }
}
#if !defined(__clang__)
#pragma GCC diagnostic pop
#endif

using LaneBatch = void (*)(uint64_t, uint32_t, uint32_t, uint32_t, uint32_t, double*, int);

LaneBatch pick_lane_batch() {
  switch (core::isa()) {
    case core::Isa::kAvx512:
      if (core::cpu_has_vaes512()) return lane_batch_vaes512;
      [[fallthrough]];
    case core::Isa::kAvx2:
      if (core::cpu_has_aes()) return lane_batch_aesni;
      break;
    case core::Isa::kBaseline:
      break;
  }
  return lane_batch_software;
}

}  // namespace

Block128 ars7_software(uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3, uint64_t key_lo,
                       uint64_t key_hi) {
  const auto split = [](uint64_t lo, uint64_t hi, uint32_t w[4]) {
    w[0] = static_cast<uint32_t>(lo);
    w[1] = static_cast<uint32_t>(lo >> 32);
    w[2] = static_cast<uint32_t>(hi);
    w[3] = static_cast<uint32_t>(hi >> 32);
  };
  uint32_t w[4] = {c0, c1, c2, c3}, k[4];
  split(key_lo, key_hi, k);
  for (int c = 0; c < 4; ++c) w[c] ^= k[c];
  for (int r = 1; r <= kArsRounds; ++r) {
    key_lo += kArsWeylLo;
    key_hi += kArsWeylHi;
    split(key_lo, key_hi, k);
    aes_round(w, k, r == kArsRounds);
  }
  return Block128{w[0] | (uint64_t{w[1]} << 32), w[2] | (uint64_t{w[3]} << 32)};
}

Block128 ars7(uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3, uint64_t key_lo,
              uint64_t key_hi) {
  if (use_aesni()) return ars7_aesni(c0, c1, c2, c3, key_lo, key_hi);
  return ars7_software(c0, c1, c2, c3, key_lo, key_hi);
}

void lane_uniforms(uint64_t seed, uint32_t replicate0, uint32_t step, uint32_t site, uint32_t k,
                   double* out, int n) {
  static const LaneBatch path = pick_lane_batch();
  path(seed, replicate0, step, site, k, out, n);
}

bool lane_path_available(LanePath path) {
  switch (path) {
    case LanePath::kVaes512:
      return core::cpu_has_vaes512();
    case LanePath::kAesNi:
      return core::cpu_has_aes() && core::cpu_isa() >= core::Isa::kAvx2;
    case LanePath::kSoftware:
      break;
  }
  return true;
}

void lane_uniforms_on(LanePath path, uint64_t seed, uint32_t replicate0, uint32_t step,
                      uint32_t site, uint32_t k, double* out, int n) {
  GEOSIM_ASSERT(lane_path_available(path), "lane_uniforms_on: path not available on this CPU");
  switch (path) {
    case LanePath::kVaes512:
      return lane_batch_vaes512(seed, replicate0, step, site, k, out, n);
    case LanePath::kAesNi:
      return lane_batch_aesni(seed, replicate0, step, site, k, out, n);
    case LanePath::kSoftware:
      break;
  }
  lane_batch_software(seed, replicate0, step, site, k, out, n);
}

}  // namespace geosim::rnd
