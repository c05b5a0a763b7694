#include "stats/moments.h"

#include <bit>
#include <cmath>
#include <limits>

#include "core/error.h"
#include "stats/wire.h"

namespace geosim::stats {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Total order on zeros so that min and max do not depend on arrival order.
// Bitwise operators rather than && and ||: no branches to mispredict on repeated values.
bool below(double a, double b) { return (a < b) | ((a == b) & std::signbit(a) & !std::signbit(b)); }

int64_t as_count(double n) { return static_cast<int64_t>(n); }

}  // namespace

void ExactMoments::add(double x) {
  GEOSIM_ASSERT(std::isfinite(x), "non-finite observation " + std::to_string(x));
  if (count_ == 0) {
    min_ = max_ = x;
  } else {
    if (below(x, min_)) min_ = x;
    if (below(max_, x)) max_ = x;
  }
  ++count_;
  s1_.add(x);
  s2_.add_square(x);
}

void ExactMoments::add(const double* x, size_t n) {
  if (n == 0) return;
  double lo = count_ ? min_ : x[0], hi = count_ ? max_ : x[0];
  bool finite = true;
  for (size_t i = 0; i < n; ++i) {
    finite &= std::isfinite(x[i]);
    lo = below(x[i], lo) ? x[i] : lo;
    hi = below(hi, x[i]) ? x[i] : hi;
  }
  if (!finite) {
    for (size_t i = 0; i < n; ++i) add(x[i]);  // asserts at the first bad value
  }
  min_ = lo;
  max_ = hi;
  count_ += static_cast<int64_t>(n);
  s1_.add(x, n);
  s2_.add_squares(x, n);
}

void ExactMoments::merge(const ExactMoments& other) {
  if (&other == this) {
    const ExactMoments copy = other;
    merge(copy);
    return;
  }
  if (other.count_ == 0) return;
  if (count_ == 0) {
    *this = other;
    return;
  }
  if (below(other.min_, min_)) min_ = other.min_;
  if (below(max_, other.max_)) max_ = other.max_;
  count_ += other.count_;
  s1_.merge(other.s1_);
  s2_.merge(other.s2_);
}

double ExactMoments::min() const { return count_ ? min_ : kNaN; }
double ExactMoments::max() const { return count_ ? max_ : kNaN; }

double ExactMoments::mean() const { return exact_mean(s1_, count_); }

double exact_mean(const ExactSum& s1, int64_t count) {
  if (count == 0) return kNaN;
  const double n = static_cast<double>(count);
  // A first guess within an ulp or two; scaled when the sum itself would overflow.
  double q = s1.top_exponent() > 1000 ? std::ldexp(s1.to_double(-64) / n, 64) : s1.to_double() / n;
  // Then settle on the double nearest to S1 / n by comparing S1 exactly with n times the
  // midpoints between q and its neighbours.
  auto side_of_midpoint = [&](double a, double b) {  // sign of S1 - n (a + b) / 2
    ExactSum d = s1;
    d.add_product(a, -n);
    DecomposedDouble gap = decompose(b - a);  // exact: a and b are neighbours
    d.add_scaled_integer(static_cast<unsigned __int128>(gap.mant) * as_count(n), gap.exp - 1,
                         !gap.negative);
    return d.sign();
  };
  auto even = [](double a, double b) { return (std::bit_cast<uint64_t>(a) & 1) == 0 ? a : b; };
  for (int iteration = 0; iteration < 64; ++iteration) {
    double up = std::nextafter(q, std::numeric_limits<double>::infinity());
    if (std::isfinite(up)) {
      int s = side_of_midpoint(q, up);
      if (s > 0) {
        q = up;
        continue;
      }
      if (s == 0) return even(q, up);
    }
    double down = std::nextafter(q, -std::numeric_limits<double>::infinity());
    if (std::isfinite(down)) {
      int s = side_of_midpoint(q, down);
      if (s < 0) {
        q = down;
        continue;
      }
      if (s == 0) return even(q, down);
    }
    return q;
  }
  GEOSIM_ASSERT(false, "exact_mean did not settle");
  return q;
}

double ExactMoments::sd() const {
  if (count_ < 2) return 0;
  const double n = static_cast<double>(count_);
  // n (n - 1) var = n S2 - S1^2, formed exactly (it is n times the sum of squared
  // deviations from the exact mean) and rounded once.
  ExactSum d;
  d.add_multiple(s2_, n);
  d.add_product(s1_, s1_, true);
  GEOSIM_ASSERT(d.sign() >= 0, "negative sum of squared deviations");
  if (d.sign() == 0) return 0;
  // Scaled by an even power of two into the normal range before rounding, so that neither
  // overflow nor underflow can touch it.
  int half_scale = d.top_exponent() >> 1;
  double scaled = d.to_double(-2 * half_scale);
  return std::ldexp(std::sqrt(scaled / (n * (n - 1))), half_scale);
}

namespace {
constexpr uint8_t kMomentsTag = 'M';
constexpr uint8_t kMomentsVersion = 1;
constexpr uint8_t kMeanTag = 'A';
constexpr uint8_t kMeanVersion = 1;
}  // namespace

void ExactMoments::serialize(std::string& out) const {
  wire::put_u8(out, kMomentsTag);
  wire::put_u8(out, kMomentsVersion);
  wire::put_i64(out, count_);
  wire::put_f64(out, count_ ? min_ : 0.0);
  wire::put_f64(out, count_ ? max_ : 0.0);
  s1_.serialize(out);
  s2_.serialize(out);
}

ExactMoments ExactMoments::deserialize(std::string_view& in) {
  if (wire::get_u8(in) != kMomentsTag) wire::damaged("not a moments state");
  if (wire::get_u8(in) != kMomentsVersion) wire::damaged("unknown moments version");
  ExactMoments m;
  m.count_ = wire::get_i64(in);
  m.min_ = wire::get_f64(in);
  m.max_ = wire::get_f64(in);
  m.s1_ = ExactSum::deserialize(in);
  m.s2_ = ExactSum::deserialize(in);
  if (m.count_ < 0) wire::damaged("negative count");
  if (m.count_ == 0) {
    if (m.s1_.sign() != 0 || m.s2_.sign() != 0 || m.min_ != 0 || m.max_ != 0) {
      wire::damaged("empty moments with nonzero fields");
    }
    return m;
  }
  if (!std::isfinite(m.min_) || !std::isfinite(m.max_) || below(m.max_, m.min_)) {
    wire::damaged("bad min or max");
  }
  // Sums of doubles and of their squares, for at most 2^63 terms, lie in these ranges;
  // the exact arithmetic below relies on it.
  if (m.s1_.low_exponent() < -1074 || (m.s1_.sign() != 0 && m.s1_.top_exponent() > 1087) ||
      m.s2_.low_exponent() < -2148 || (m.s2_.sign() != 0 && m.s2_.top_exponent() > 2111)) {
    wire::damaged("sums out of range");
  }
  // What mean() and sd() rely on: n min <= S1 <= n max and n S2 >= S1^2.
  const double n = static_cast<double>(m.count_);
  ExactSum above_min = m.s1_, below_max = m.s1_, spread;
  above_min.add_product(m.min_, -n);
  below_max.add_product(m.max_, -n);
  spread.add_multiple(m.s2_, n);
  spread.add_product(m.s1_, m.s1_, true);
  if (above_min.sign() < 0 || below_max.sign() > 0 || spread.sign() < 0) {
    wire::damaged("sums inconsistent with the count, min or max");
  }
  return m;
}

bool ExactMoments::operator==(const ExactMoments& other) const {
  if (count_ != other.count_) return false;
  if (count_ == 0) return true;
  return std::bit_cast<uint64_t>(min_) == std::bit_cast<uint64_t>(other.min_) &&
         std::bit_cast<uint64_t>(max_) == std::bit_cast<uint64_t>(other.max_) && s1_ == other.s1_ &&
         s2_ == other.s2_;
}

// ------------------------------------------------------------------ ExactMean

void ExactMean::add(const double* x, size_t n) {
  if (!s1_.add(x, n))
    for (size_t i = 0; i < n; ++i)
      GEOSIM_ASSERT(std::isfinite(x[i]), "non-finite observation " + std::to_string(x[i]));
  count_ += static_cast<int64_t>(n);
}

void ExactMean::merge(const ExactMean& other) {
  if (&other == this) {
    const ExactMean copy = other;
    merge(copy);
    return;
  }
  count_ += other.count_;
  s1_.merge(other.s1_);
}

void ExactMean::serialize(std::string& out) const {
  wire::put_u8(out, kMeanTag);
  wire::put_u8(out, kMeanVersion);
  wire::put_i64(out, count_);
  s1_.serialize(out);
}

ExactMean ExactMean::deserialize(std::string_view& in) {
  if (wire::get_u8(in) != kMeanTag) wire::damaged("not a mean state");
  if (wire::get_u8(in) != kMeanVersion) wire::damaged("unknown mean version");
  ExactMean m;
  m.count_ = wire::get_i64(in);
  m.s1_ = ExactSum::deserialize(in);
  if (m.count_ < 0) wire::damaged("negative count");
  if (m.count_ == 0 && m.s1_.sign() != 0) wire::damaged("empty mean with a nonzero sum");
  // A sum of at most 2^63 doubles lies in this range; exact_mean relies on it.
  if (m.s1_.low_exponent() < -1074 || (m.s1_.sign() != 0 && m.s1_.top_exponent() > 1087))
    wire::damaged("sum out of range");
  return m;
}

bool ExactMean::operator==(const ExactMean& other) const {
  return count_ == other.count_ && s1_ == other.s1_;
}

}  // namespace geosim::stats
