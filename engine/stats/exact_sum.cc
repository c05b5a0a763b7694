#include "stats/exact_sum.h"

#include <algorithm>
#include <bit>
#include <climits>
#include <cmath>

#include "core/error.h"
#include "core/isa.h"
#include "stats/wire.h"

namespace geosim::stats {

inline DecomposedDouble decompose_inline(double x) {
  uint64_t bits = std::bit_cast<uint64_t>(x);
  int biased = static_cast<int>((bits >> 52) & 0x7ff);
  uint64_t frac = bits & ((uint64_t{1} << 52) - 1);
  if (biased == 0) return {(bits >> 63) != 0, frac, -1074};
  return {(bits >> 63) != 0, frac | (uint64_t{1} << 52), biased - 1075};
}

DecomposedDouble decompose(double x) { return decompose_inline(x); }

inline void ExactSum::add_unchecked(double x) {
  DecomposedDouble d = decompose_inline(x);
  add_u64_at(d.mant, d.exp - kMinExp, d.negative);
}

inline void ExactSum::add_square_unchecked(double x) {
  DecomposedDouble d = decompose_inline(x);
  unsigned __int128 sq = static_cast<unsigned __int128>(d.mant) * d.mant;
  int pos = 2 * d.exp - kMinExp;
  add_u64_at(static_cast<uint64_t>(sq), pos, false);
  add_u64_at(static_cast<uint64_t>(sq >> 64), pos + 64, false);
}

void ExactSum::add(double x) {
  add_unchecked(x);
  count_pending(1);
}

void ExactSum::add_square(double x) {
  add_square_unchecked(x);
  count_pending(2);
}

namespace {
constexpr size_t kChunk = size_t{1} << 20;
}

namespace {

// One batch of the array add (at most 256 terms): the largest biased exponent, then the
// terms within kNarrow binades of it shifted to a common scale (each below 2^63) and summed
// per sign in 32-bit halves (below 2^40 each: no carry), in lane loops that vectorise, with
// variable shifts, on the AVX2 and AVX-512 paths (core/isa.h). outside[i] marks the terms
// below the window, which the caller adds another way.
constexpr int kNarrow = 10;
struct NarrowSums {
  uint64_t top_biased = 0;
  uint64_t pos_lo = 0, pos_hi = 0, neg_lo = 0, neg_hi = 0;
};

[[gnu::always_inline]] inline NarrowSums narrow_body(const double* v, size_t m, uint8_t* outside) {
  NarrowSums r;
  uint64_t top = 0;
  for (size_t i = 0; i < m; ++i) {
    const uint64_t e = (std::bit_cast<uint64_t>(v[i]) >> 52) & 0x7ff;
    top = e > top ? e : top;
  }
  r.top_biased = top;
  // Shift of a term: its exponent (biased, subnormals as 1) minus the window's lowest.
  const int64_t low_biased = (top > 1 ? static_cast<int64_t>(top) : 1) - kNarrow;
  uint64_t plo = 0, phi = 0, nlo = 0, nhi = 0;
  for (size_t i = 0; i < m; ++i) {
    const uint64_t bits = std::bit_cast<uint64_t>(v[i]);
    const int64_t biased = static_cast<int64_t>((bits >> 52) & 0x7ff);
    const uint64_t mant =
        (bits & 0x000FFFFFFFFFFFFFull) | (biased != 0 ? 0x0010000000000000ull : 0);
    const int64_t shift = (biased != 0 ? biased : 1) - low_biased;
    const bool in = shift >= 0;
    const uint64_t t = in ? mant << static_cast<uint64_t>(in ? shift : 0) : 0;
    const uint64_t lo = t & 0xFFFFFFFFull, hi = t >> 32;
    const bool negative = (bits >> 63) != 0;
    plo += negative ? 0 : lo;
    phi += negative ? 0 : hi;
    nlo += negative ? lo : 0;
    nhi += negative ? hi : 0;
    outside[i] = in ? 0 : 1;
  }
  r.pos_lo = plo;
  r.pos_hi = phi;
  r.neg_lo = nlo;
  r.neg_hi = nhi;
  return r;
}

NarrowSums narrow_baseline(const double* v, size_t m, uint8_t* outside) {
  return narrow_body(v, m, outside);
}
[[gnu::target("avx2")]] NarrowSums narrow_avx2(const double* v, size_t m, uint8_t* outside) {
  return narrow_body(v, m, outside);
}
[[GEOSIM_AVX512]] NarrowSums narrow_avx512(const double* v, size_t m, uint8_t* outside) {
  return narrow_body(v, m, outside);
}

}  // namespace

bool ExactSum::add(const double* x, size_t n) {
  // Batches of 256 terms. Most terms of a batch lie within kNarrow binades of its largest
  // exponent: they are summed exactly in vectorised 64-bit lanes (narrow_body), then added
  // with four digit updates. The rest are shifted into two 128-bit integers when within
  // kWide binades (at most 2^(53 + kWide) each: 256 of them stay below 2^121), or added one
  // by one. Exact throughout: the value, hence the normalised digits and the serialized
  // bytes, are those of adding term by term.
  static const auto narrow = core::pick_path(narrow_baseline, narrow_avx2, narrow_avx512);
  constexpr size_t kBatch = 256;
  constexpr int kWide = 60;
  bool finite = true;
  uint8_t outside[kBatch];
  for (size_t start = 0; start < n; start += kBatch) {
    const size_t m = std::min(kBatch, n - start);
    const double* v = x + start;
    const NarrowSums s = narrow(v, m, outside);
    finite &= s.top_biased != 0x7ff;  // the exponent of infinities and NaN
    const int top = std::max(static_cast<int>(s.top_biased), 1) - 1075;  // of the mantissa's unit
    const int at = top - kNarrow - kMinExp;
    const unsigned __int128 pos = (static_cast<unsigned __int128>(s.pos_hi) << 32) + s.pos_lo;
    const unsigned __int128 neg = (static_cast<unsigned __int128>(s.neg_hi) << 32) + s.neg_lo;
    add_u64_at(static_cast<uint64_t>(pos), at, false);
    add_u64_at(static_cast<uint64_t>(pos >> 64), at + 64, false);
    add_u64_at(static_cast<uint64_t>(neg), at, true);
    add_u64_at(static_cast<uint64_t>(neg >> 64), at + 64, true);
    int adds = 4;
    const int low = top - kWide;
    unsigned __int128 wide_pos = 0, wide_neg = 0;
    bool any_wide = false;
    for (size_t i = 0; i < m; ++i) {
      if (!outside[i]) continue;
      const DecomposedDouble d = decompose_inline(v[i]);
      if (d.exp < low) {
        add_unchecked(v[i]);
        ++adds;
        continue;
      }
      const unsigned __int128 t = static_cast<unsigned __int128>(d.mant) << (d.exp - low);
      (d.negative ? wide_neg : wide_pos) += t;
      any_wide = true;
    }
    if (any_wide) {
      add_u64_at(static_cast<uint64_t>(wide_pos), low - kMinExp, false);
      add_u64_at(static_cast<uint64_t>(wide_pos >> 64), low - kMinExp + 64, false);
      add_u64_at(static_cast<uint64_t>(wide_neg), low - kMinExp, true);
      add_u64_at(static_cast<uint64_t>(wide_neg >> 64), low - kMinExp + 64, true);
      adds += 4;
    }
    count_pending(adds);
  }
  return finite;
}

void ExactSum::add_squares(const double* x, size_t n) {
  for (size_t start = 0; start < n; start += kChunk) {
    size_t end = std::min(n, start + kChunk);
    for (size_t i = start; i < end; ++i) add_square_unchecked(x[i]);
    count_pending(static_cast<int>(2 * (end - start)));
  }
}

void ExactSum::add_product(double a, double b) {
  DecomposedDouble da = decompose(a), db = decompose(b);
  add_scaled_integer(static_cast<unsigned __int128>(da.mant) * db.mant, da.exp + db.exp,
                     da.negative != db.negative);
}

void ExactSum::add_scaled_integer(unsigned __int128 m, int exp, bool negative) {
  if (m == 0) return;
  int pos = exp - kMinExp;
  GEOSIM_ASSERT(pos >= 0 && (pos >> 5) + 6 < kDigits,
                "ExactSum term out of range: 2^" + std::to_string(exp));
  add_u64_at(static_cast<uint64_t>(m), pos, negative);
  add_u64_at(static_cast<uint64_t>(m >> 64), pos + 64, negative);
  count_pending(2);
}

void ExactSum::normalize() {
  int64_t carry = 0;
  for (int i = 0; i < kDigits - 1; ++i) {
    int64_t v = digit_[i] + carry;
    carry = v >> 32;
    digit_[i] = v & 0xffffffff;
  }
  digit_[kDigits - 1] += carry;
  pending_ = 0;
}

ExactSum ExactSum::normalized() const {
  ExactSum c = *this;
  if (c.pending_ > 0) c.normalize();
  return c;
}

void ExactSum::merge(const ExactSum& other) {
  ExactSum o = other.normalized();
  if (pending_ > 0) normalize();
  for (int i = 0; i < kDigits; ++i) digit_[i] += o.digit_[i];
  pending_ = 1;
}

int ExactSum::sign() const {
  ExactSum n = normalized();
  if (n.digit_[kDigits - 1] < 0) return -1;
  for (int64_t d : n.digit_) {
    if (d != 0) return 1;
  }
  return 0;
}

namespace {

// The magnitude of a normalized sum as unsigned digits, and its sign.
struct Magnitude {
  bool negative = false;
  std::array<uint32_t, ExactSum::kDigits> d{};
  int top = -1;  // index of the highest nonzero digit, -1 for zero

  int top_bit() const { return 32 * top + 31 - std::countl_zero(d[top]); }
  bool bit(int p) const { return p >= 0 && ((d[p >> 5] >> (p & 31)) & 1); }
  // Bits [p, p + n) for n <= 64, p >= 0; 0 when n <= 0 (a value below half the
  // smallest subnormal has no bits at or above the rounding position).
  uint64_t bits(int p, int n) const {
    if (n <= 0) return 0;
    int i = p >> 5;
    unsigned __int128 w = 0;
    for (int k = 2; k >= 0; --k) {
      w <<= 32;
      if (i + k < ExactSum::kDigits) w |= d[i + k];
    }
    w >>= (p & 31);
    return static_cast<uint64_t>(w) & (n == 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1);
  }
  // Whether any bit below p is set.
  bool any_below(int p) const {
    if (p <= 0) return false;
    int i = p >> 5;
    if (d[i] & ((uint32_t{1} << (p & 31)) - 1)) return true;
    for (int k = 0; k < i; ++k) {
      if (d[k]) return true;
    }
    return false;
  }
};

}  // namespace

static Magnitude magnitude_of(const std::array<int64_t, ExactSum::kDigits>& digits) {
  Magnitude m;
  std::array<int64_t, ExactSum::kDigits> v = digits;
  if (v[ExactSum::kDigits - 1] < 0) {
    m.negative = true;
    int64_t carry = 0;
    for (int i = 0; i < ExactSum::kDigits; ++i) {
      int64_t x = -v[i] + carry;
      carry = x >> 32;
      v[i] = x & 0xffffffff;
    }
  }
  for (int i = 0; i < ExactSum::kDigits; ++i) {
    m.d[i] = static_cast<uint32_t>(v[i]);
    if (v[i]) m.top = i;
  }
  return m;
}

void ExactSum::add_multiple(const ExactSum& s, double f) {
  if (f == 0) return;
  Magnitude m = magnitude_of(s.normalized().digit_);
  DecomposedDouble df = decompose(f);
  int zeros = std::countr_zero(df.mant);  // keep the lowest term bit as high as possible
  df.mant >>= zeros;
  df.exp += zeros;
  for (int i = 0; i <= m.top; ++i) {
    if (m.d[i] == 0) continue;
    add_scaled_integer(static_cast<unsigned __int128>(m.d[i]) * df.mant, kMinExp + 32 * i + df.exp,
                       m.negative != df.negative);
  }
}

void ExactSum::add_product(const ExactSum& a, const ExactSum& b, bool negative) {
  Magnitude ma = magnitude_of(a.normalized().digit_);
  Magnitude mb = magnitude_of(b.normalized().digit_);
  bool neg = negative != (ma.negative != mb.negative);
  for (int i = 0; i <= ma.top; ++i) {
    if (ma.d[i] == 0) continue;
    for (int j = 0; j <= mb.top; ++j) {
      if (mb.d[j] == 0) continue;
      add_scaled_integer(static_cast<unsigned __int128>(uint64_t{ma.d[i]} * mb.d[j]),
                         2 * kMinExp + 32 * (i + j), neg);
    }
  }
}

double ExactSum::to_double(int scale) const {
  ExactSum n = normalized();
  Magnitude m = magnitude_of(n.digit_);
  if (m.top < 0) return 0.0;
  int top_b = m.top_bit();
  int top_e = top_b + kMinExp + scale;
  int ulp_e = std::max(top_e - 52, -1074);
  int ulp_b = ulp_e - kMinExp - scale;
  double r;
  if (ulp_b <= 0) {
    r = std::ldexp(static_cast<double>(m.bits(0, top_b + 1)), kMinExp + scale);
  } else {
    uint64_t mant = m.bits(ulp_b, top_b - ulp_b + 1);
    bool round = m.bit(ulp_b - 1);
    bool sticky = m.any_below(ulp_b - 1);
    if (round && (sticky || (mant & 1))) ++mant;
    r = std::ldexp(static_cast<double>(mant), ulp_e);
  }
  return m.negative ? -r : r;
}

int ExactSum::top_exponent() const {
  Magnitude m = magnitude_of(normalized().digit_);
  if (m.top < 0) return INT_MIN;
  return m.top_bit() + kMinExp;
}

int ExactSum::low_exponent() const {
  Magnitude m = magnitude_of(normalized().digit_);
  for (int i = 0; i <= m.top; ++i) {
    if (m.d[i]) return 32 * i + std::countr_zero(m.d[i]) + kMinExp;
  }
  return INT_MAX;
}

bool ExactSum::operator==(const ExactSum& other) const {
  return normalized().digit_ == other.normalized().digit_;
}

// Layout: u8 sign (0 or 1), u16 index of the lowest nonzero digit, u16 number of digits
// from there to the highest nonzero one, then those digits of the magnitude as u32.
void ExactSum::serialize(std::string& out) const {
  Magnitude m = magnitude_of(normalized().digit_);
  if (m.top < 0) {
    wire::put_u8(out, 0);
    wire::put_u16(out, 0);
    wire::put_u16(out, 0);
    return;
  }
  int low = 0;
  while (m.d[low] == 0) ++low;
  wire::put_u8(out, m.negative ? 1 : 0);
  wire::put_u16(out, static_cast<uint16_t>(low));
  wire::put_u16(out, static_cast<uint16_t>(m.top - low + 1));
  for (int i = low; i <= m.top; ++i) wire::put_u32(out, m.d[i]);
}

ExactSum ExactSum::deserialize(std::string_view& in) {
  uint8_t negative = wire::get_u8(in);
  int low = wire::get_u16(in);
  int count = wire::get_u16(in);
  if (negative > 1) wire::damaged("bad sign in an exact sum");
  if (count == 0) {
    if (negative || low) wire::damaged("zero exact sum not in canonical form");
    return ExactSum{};
  }
  // The top digit must stay clear of the sign and carry room.
  if (low + count > kDigits - 2) wire::damaged("exact sum out of range");
  ExactSum s;
  for (int i = 0; i < count; ++i) s.digit_[low + i] = wire::get_u32(in);
  if (s.digit_[low] == 0 || s.digit_[low + count - 1] == 0) {
    wire::damaged("exact sum not in canonical form");
  }
  if (negative) {
    for (int64_t& d : s.digit_) d = -d;
    s.normalize();
  }
  return s;
}

}  // namespace geosim::stats
