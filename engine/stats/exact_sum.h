// An exact sum of doubles and of products of doubles: a fixed-point "superaccumulator"
// wide enough for every finite double, every product of two doubles and 2^63 terms.
// Its value depends only on the multiset of terms, never on their order or grouping,
// which is what makes ExactMoments bit-identical however replicates are split across
// threads, ranks and shards.
//
// Why not Shewchuk expansions (as in math.fsum)? They are exact too, but the same value
// can be held as different expansions depending on the order of additions, so equal
// states would not serialize to equal bytes without a canonicalising pass, and each add
// walks the whole expansion. Here an add touches three to six 32-bit digits at a place
// fixed by the term's exponent (a few nanoseconds), merge is digit-wise addition, and
// after carry propagation the digits are a canonical form of the value.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace geosim::stats {

class ExactSum {
 public:
  // Digit i holds bits kMinExp + 32 i ... + 31. The lowest bit is below 2^-2148 (the
  // smallest product of two subnormals); the top (2^2592) leaves room for n * sum x^2
  // and (sum x)^2 with up to 2^63 terms of any finite size.
  static constexpr int kMinExp = -2208;
  static constexpr int kDigits = 150;

  // Adds x (finite; the caller checks) exactly.
  void add(double x);
  // Adds x * x exactly.
  void add_square(double x);
  // The same over an array: one carry check per chunk instead of one per term. Returns
  // whether every term was finite (a non-finite one leaves the sum meaningless: callers
  // that cannot rule them out assert on it).
  bool add(const double* x, size_t n);
  void add_squares(const double* x, size_t n);
  // Adds a * b exactly.
  void add_product(double a, double b);
  // Adds m * 2^exp exactly, for a 128-bit magnitude m; exp must keep every bit in range.
  void add_scaled_integer(unsigned __int128 m, int exp, bool negative);
  // Adds s * f exactly. The lowest set bit of f times the lowest bits of s must stay in
  // range: any double f for s a sum of doubles, f an integer (a count) for s a sum of
  // squares.
  void add_multiple(const ExactSum& s, double f);
  // Adds a * b (or -a * b) exactly; a and b sums of doubles (bits >= 2^-1074, magnitude
  // below 2^1100).
  void add_product(const ExactSum& a, const ExactSum& b, bool negative);
  // this += other, exactly.
  void merge(const ExactSum& other);

  // -1, 0 or +1.
  int sign() const;
  // The exact value times 2^scale, rounded once to the nearest double (ties to even);
  // +-inf beyond the double range.
  double to_double(int scale = 0) const;
  // floor(log2 |value|), or INT_MIN for zero.
  int top_exponent() const;
  // The exponent of the lowest set bit of |value|, or INT_MAX for zero.
  int low_exponent() const;

  // Canonical bytes: equal values give equal bytes.
  void serialize(std::string& out) const;
  static ExactSum deserialize(std::string_view& in);

  bool operator==(const ExactSum& other) const;

 private:
  // Adds v * 2^(kMinExp + pos), with a sign, to the digits.
  void add_u64_at(uint64_t v, int pos, bool negative) {
    int d = pos >> 5;
    unsigned __int128 t = static_cast<unsigned __int128>(v) << (pos & 31);
    // Conditional negation without a branch: (c ^ m) - m is -c when m = -1, c when 0.
    int64_t m = -static_cast<int64_t>(negative);
    digit_[d] += (static_cast<int64_t>(static_cast<uint64_t>(t) & 0xffffffffu) ^ m) - m;
    digit_[d + 1] += (static_cast<int64_t>(static_cast<uint64_t>(t >> 32) & 0xffffffffu) ^ m) - m;
    digit_[d + 2] += (static_cast<int64_t>(static_cast<uint64_t>(t >> 64)) ^ m) - m;
  }
  void add_unchecked(double x);
  void add_square_unchecked(double x);
  // Each add_u64_at moves a digit by less than 2^32; carries are propagated before the
  // 64-bit digits could overflow.
  void count_pending(int adds) {
    pending_ += adds;
    if (pending_ >= kMaxPending) normalize();
  }
  static constexpr int64_t kMaxPending = int64_t{1} << 29;

  // Carry propagation: every digit but the top one into [0, 2^32); the top one keeps the
  // sign. The result is unique for a value.
  void normalize();
  ExactSum normalized() const;

  std::array<int64_t, kDigits> digit_{};
  int64_t pending_ = 0;
};

// A finite double as sign, integer mantissa (< 2^53) and exponent: x = +-mant * 2^exp.
struct DecomposedDouble {
  bool negative;
  uint64_t mant;
  int exp;
};
DecomposedDouble decompose(double x);

}  // namespace geosim::stats
