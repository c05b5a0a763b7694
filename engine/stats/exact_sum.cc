#include "stats/exact_sum.h"

#include <algorithm>
#include <bit>
#include <climits>
#include <cmath>

#include "core/error.h"
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

bool ExactSum::add(const double* x, size_t n) {
  bool finite = true;
  // Batches of kWindowBatch terms: every term within kWindow binades of the batch's largest
  // exponent is shifted into one of two 128-bit integers (positive and negative terms), at
  // most 2^(53 + kWindow) each, so a batch sums without overflow and without rounding; two
  // digit updates per batch then replace three per term. Smaller terms (rare: a batch
  // spanning more than kWindow binades) are added one by one. The exact value, hence the
  // normalised digits and the serialized bytes, are those of adding term by term.
  constexpr size_t kWindowBatch = 256;
  constexpr int kWindow = 60;  // 256 * 2^(53 + 60) < 2^121
  for (size_t start = 0; start < n; start += kWindowBatch) {
    const size_t m = std::min(kWindowBatch, n - start);
    const double* v = x + start;
    uint64_t top_biased = 0;
    for (size_t i = 0; i < m; ++i)
      top_biased = std::max(top_biased, (std::bit_cast<uint64_t>(v[i]) >> 52) & 0x7ff);
    finite &= top_biased != 0x7ff;  // the exponent of infinities and NaN
    // The lowest exponent in the window (subnormals share the exponent of biased 1).
    const int low = std::max(static_cast<int>(top_biased), 1) - 1075 - kWindow;
    unsigned __int128 pos = 0, neg = 0;
    int stragglers = 0;
    for (size_t i = 0; i < m; ++i) {
      const DecomposedDouble d = decompose_inline(v[i]);
      if (d.exp < low) {
        add_unchecked(v[i]);
        ++stragglers;
        continue;
      }
      const unsigned __int128 t = static_cast<unsigned __int128>(d.mant) << (d.exp - low);
      const unsigned __int128 keep = d.negative ? 0 : ~static_cast<unsigned __int128>(0);
      pos += t & keep;
      neg += t & ~keep;
    }
    const int at = low - kMinExp;
    add_u64_at(static_cast<uint64_t>(pos), at, false);
    add_u64_at(static_cast<uint64_t>(pos >> 64), at + 64, false);
    add_u64_at(static_cast<uint64_t>(neg), at, true);
    add_u64_at(static_cast<uint64_t>(neg >> 64), at + 64, true);
    count_pending(4 + stragglers);
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
