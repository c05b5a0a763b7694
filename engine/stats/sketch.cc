#include "stats/sketch.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <type_traits>

#include "core/error.h"
#include "core/isa.h"
#include "random/detmath.h"
#include "stats/wire.h"

namespace geosim::stats {

namespace {

constexpr double kGamma = (1 + QuantileSketch::kAlpha) / (1 - QuantileSketch::kAlpha);
const double kLogGamma = std::log(kGamma);
const double kInvLogGamma = 1 / kLogGamma;
constexpr int32_t kSlack = 64;  // spare bins allocated beyond the used range

int32_t key_of(double magnitude) {
  return static_cast<int32_t>(std::ceil(std::log(magnitude) * kInvLogGamma));
}

// key_of for many magnitudes (finite, > 0) at once, in lane loops the compiler vectorises:
// the logarithm by rnd::log_normal_positive (the exponent bits and the atanh series of
// det_log), which differs from std::log by a few ulps at most, so the key
// scaled by 1 / log gamma is within 1e-10 of key_of's. Where that value lies within 1e-7 of
// an integer (a bin edge), or the magnitude is subnormal, key_of itself decides: every key
// is key_of's.
[[gnu::always_inline]] inline void keys_body(const double* magnitude, size_t n, int32_t* key) {
  alignas(64) double near[256];
  const double inv = kInvLogGamma;
  for (size_t base = 0; base < n; base += 256) {
    const size_t m = std::min<size_t>(256, n - base);
    const double* x = magnitude + base;
    int32_t* k = key + base;
    for (size_t i = 0; i < m; ++i) {
      const double lg = rnd::log_normal_positive(x[i]);
      const double kr = lg * inv;
      const double r = (kr + 6755399441055744.0) - 6755399441055744.0;  // nearest integer
      const double c = r < kr ? r + 1 : r;                              // ceil
      near[i] = ((std::fabs(kr - r) < 1e-7) | (x[i] < 2.2250738585072014e-308)) ? 1.0 : 0.0;
      k[i] = static_cast<int32_t>(c);
    }
    for (size_t i = 0; i < m; ++i)
      if (near[i] != 0) k[i] = key_of(x[i]);
  }
}

void keys_baseline(const double* magnitude, size_t n, int32_t* key) {
  keys_body(magnitude, n, key);
}
[[gnu::target("avx2")]] void keys_avx2(const double* magnitude, size_t n, int32_t* key) {
  keys_body(magnitude, n, key);
}
[[GEOSIM_AVX512]] void keys_avx512(const double* magnitude, size_t n, int32_t* key) {
  keys_body(magnitude, n, key);
}

// key_of(magnitude[i]) for i < n.
void keys_of(const double* magnitude, size_t n, int32_t* key) {
  static const auto path = core::pick_path(keys_baseline, keys_avx2, keys_avx512);
  path(magnitude, n, key);
}

double representative(int32_t key) {
  double r = 2 * std::exp(key * kLogGamma) / (kGamma + 1);
  // Near the top of the double range 2 gamma^i overflows though the representative does
  // not (and the caller clamps to max); the plain form is kept elsewhere so results for
  // ordinary values stay bit for bit what they were.
  if (!std::isfinite(r)) r = std::exp(key * kLogGamma + std::log(2 / (kGamma + 1)));
  return r;
}

// Sorts finite doubles without -0 ascending, as std::sort would: an LSD radix sort on keys
// that order as the doubles do (the sign bit flipped for positives, every bit for
// negatives), 8 bits a pass, skipping the passes where every key has the same byte (the
// sign and exponent bytes of values of one magnitude). Faster than std::sort on a block's
// 256 values, whose comparisons mispredict.
void sort_finite(std::vector<double>& v) {
  const size_t n = v.size();
  if (n < 64) {
    std::sort(v.begin(), v.end());
    return;
  }
  thread_local std::vector<uint64_t> keys, spare;
  keys.resize(n);
  spare.resize(n);
  uint32_t count[8][256] = {};
  for (size_t i = 0; i < n; ++i) {
    const uint64_t b = std::bit_cast<uint64_t>(v[i]);
    const uint64_t k = (b >> 63) ? ~b : b | (uint64_t{1} << 63);
    keys[i] = k;
    for (int d = 0; d < 8; ++d) ++count[d][(k >> (8 * d)) & 0xff];
  }
  uint64_t* from = keys.data();
  uint64_t* to = spare.data();
  for (int d = 0; d < 8; ++d) {
    uint32_t* c = count[d];
    if (c[(from[0] >> (8 * d)) & 0xff] == n) continue;  // one byte value: order unchanged
    uint32_t at = 0;
    for (int b = 0; b < 256; ++b) {
      const uint32_t here = c[b];
      c[b] = at;
      at += here;
    }
    for (size_t i = 0; i < n; ++i) to[c[(from[i] >> (8 * d)) & 0xff]++] = from[i];
    std::swap(from, to);
  }
  for (size_t i = 0; i < n; ++i) {
    const uint64_t k = from[i];
    v[i] = std::bit_cast<double>((k >> 63) ? k & ~(uint64_t{1} << 63) : ~k);
  }
}

// The distinct values of x[0, n) (finite, no -0) with their counts, ascending, into `out`;
// false (out unspecified) as soon as there are more than `limit` (limit < 1024) of them.
// An open-addressing table of bit patterns, so only the distinct values are sorted: a
// flag or a count with a few values costs a pass over the data, not a sort of it.
bool distinct_counts(const double* x, size_t n, size_t limit,
                     std::vector<std::pair<double, int64_t>>& out) {
  constexpr size_t kSlots = 2048;
  thread_local std::vector<uint64_t> slot(kSlots);
  thread_local std::vector<int64_t> count(kSlots);
  thread_local std::vector<uint32_t> stamp(kSlots, 0);
  thread_local std::vector<uint32_t> used;
  thread_local uint32_t generation = 0;
  if (++generation == 0) {  // wrapped: forget every old stamp
    std::fill(stamp.begin(), stamp.end(), 0u);
    generation = 1;
  }
  used.clear();
  for (size_t i = 0; i < n; ++i) {
    const uint64_t key = std::bit_cast<uint64_t>(x[i]);
    size_t h = static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> 53);  // 11 bits
    while (stamp[h] == generation && slot[h] != key) h = (h + 1) & (kSlots - 1);
    if (stamp[h] == generation) {
      ++count[h];
      continue;
    }
    if (used.size() == limit) return false;
    stamp[h] = generation;
    slot[h] = key;
    count[h] = 1;
    used.push_back(static_cast<uint32_t>(h));
  }
  out.clear();
  for (uint32_t h : used) out.emplace_back(std::bit_cast<double>(slot[h]), count[h]);
  std::sort(out.begin(), out.end(), [](const auto& l, const auto& r) { return l.first < r.first; });
  return true;
}

}  // namespace

const int32_t QuantileSketch::kMinKey = key_of(std::numeric_limits<double>::denorm_min());
const int32_t QuantileSketch::kMaxKey = key_of(std::numeric_limits<double>::max());

// ------------------------------------------------------------------ Store

int64_t QuantileSketch::Store::at(int32_t key) const {
  const int64_t i = int64_t{key} - offset_;
  if (i < 0 || i >= static_cast<int64_t>(slots())) return 0;
  return wide_ ? wide_counts_[static_cast<size_t>(i)] : counts_[static_cast<size_t>(i)];
}

void QuantileSketch::Store::make_room(int64_t n) {
  if (wide_ || total_ + n <= int64_t{std::numeric_limits<uint32_t>::max()}) return;
  wide_counts_.assign(counts_.begin(), counts_.end());
  counts_.clear();
  counts_.shrink_to_fit();
  wide_ = true;
}

void QuantileSketch::Store::reserve_keys(int32_t low, int32_t high) {
  const size_t size = slots();
  int64_t have_low = offset_, have_high = int64_t{offset_} + static_cast<int64_t>(size) - 1;
  if (size > 0 && low >= have_low && high <= have_high) return;
  // Grow by at least half the current size on the side that needs it, so a range widening
  // step by step (a random walk) costs amortised constant time per new bin.
  const int32_t grow = std::max<int32_t>(kSlack, static_cast<int32_t>(size / 2));
  int32_t new_low = low, new_high = high;
  if (size > 0) {
    new_low = low < have_low ? low - grow : static_cast<int32_t>(have_low);
    new_high = high > have_high ? high + grow : static_cast<int32_t>(have_high);
  } else {
    new_low -= kSlack;
    new_high += kSlack;
  }
  new_low = std::max(new_low, kMinKey);
  new_high = std::min(new_high, kMaxKey);
  auto regrow = [&](auto& counts) {
    std::remove_reference_t<decltype(counts)> grown(static_cast<size_t>(new_high - new_low) + 1, 0);
    if (total_ > 0)
      for (int32_t k = min_key_; k <= max_key_; ++k)
        grown[static_cast<size_t>(k - new_low)] = counts[static_cast<size_t>(k - offset_)];
    counts = std::move(grown);
  };
  if (wide_)
    regrow(wide_counts_);
  else
    regrow(counts_);
  offset_ = new_low;
}

void QuantileSketch::Store::add(int32_t key, int64_t n) {
  if (n == 0) return;
  make_room(n);
  if (total_ > 0 && key >= min_key_ && key <= max_key_) {  // the common case: a known bin
    bump(key - offset_, n);
    total_ += n;
    return;
  }
  if (total_ == 0) {
    reserve_keys(key, key);
    min_key_ = max_key_ = key;
  } else {
    reserve_keys(std::min(key, min_key_), std::max(key, max_key_));
    min_key_ = std::min(min_key_, key);
    max_key_ = std::max(max_key_, key);
  }
  bump(key - offset_, n);
  total_ += n;
}

void QuantileSketch::Store::add_keys(const int32_t* keys, size_t n) {
  if (n == 0) return;
  int32_t lo = keys[0], hi = keys[0];
  for (size_t i = 1; i < n; ++i) {
    lo = std::min(lo, keys[i]);
    hi = std::max(hi, keys[i]);
  }
  if (total_ > 0) {
    lo = std::min(lo, min_key_);
    hi = std::max(hi, max_key_);
  }
  make_room(static_cast<int64_t>(n));
  reserve_keys(lo, hi);
  if (wide_) {
    int64_t* c = wide_counts_.data() - offset_;
    for (size_t i = 0; i < n; ++i) ++c[keys[i]];
  } else {
    uint32_t* c = counts_.data() - offset_;
    for (size_t i = 0; i < n; ++i) ++c[keys[i]];
  }
  min_key_ = lo;
  max_key_ = hi;
  total_ += static_cast<int64_t>(n);
}

void QuantileSketch::Store::merge(const Store& other) {
  if (other.total_ == 0) return;
  GEOSIM_ASSERT(other.total_ <= std::numeric_limits<int64_t>::max() - total_,
                "sketch count overflow in merge");
  const int32_t lo = total_ > 0 ? std::min(min_key_, other.min_key_) : other.min_key_;
  const int32_t hi = total_ > 0 ? std::max(max_key_, other.max_key_) : other.max_key_;
  make_room(other.total_);
  reserve_keys(lo, hi);
  // Both ranges are covered now: one plain loop per combination of widths (it vectorises).
  const size_t n = static_cast<size_t>(other.max_key_ - other.min_key_) + 1;
  const size_t from = static_cast<size_t>(other.min_key_ - other.offset_);
  const size_t to = static_cast<size_t>(other.min_key_ - offset_);
  const auto add = [n](auto* into, const auto* counts) {
    for (size_t i = 0; i < n; ++i) into[i] += counts[i];
  };
  if (wide_ && other.wide_)
    add(wide_counts_.data() + to, other.wide_counts_.data() + from);
  else if (wide_)
    add(wide_counts_.data() + to, other.counts_.data() + from);
  else  // narrow: the total fits in 32 bits (make_room), so every count does
    add(counts_.data() + to, other.counts_.data() + from);
  min_key_ = lo;
  max_key_ = hi;
  total_ += other.total_;
}

void QuantileSketch::Store::serialize(std::string& out) const {
  if (total_ == 0) {
    wire::put_u8(out, 0);
    return;
  }
  wire::put_u8(out, 1);
  wire::put_u32(out, static_cast<uint32_t>(min_key_));
  wire::put_u32(out, static_cast<uint32_t>(max_key_ - min_key_ + 1));
  for (int32_t k = min_key_; k <= max_key_; ++k)
    wire::put_varint(out, static_cast<uint64_t>(at(k)));
}

QuantileSketch::Store QuantileSketch::Store::deserialize(std::string_view& in) {
  Store s;
  uint8_t present = wire::get_u8(in);
  if (present == 0) return s;
  if (present != 1) wire::damaged("bad sketch store flag");
  auto low = static_cast<int32_t>(wire::get_u32(in));
  uint32_t span = wire::get_u32(in);
  if (span == 0 || low < kMinKey || low > kMaxKey ||
      span > static_cast<uint32_t>(kMaxKey - low + 1)) {
    wire::damaged("sketch store out of range");
  }
  int32_t high = low + static_cast<int32_t>(span) - 1;
  std::vector<int64_t> counts;
  int64_t total = 0;
  for (int32_t k = low; k <= high; ++k) {
    uint64_t c = wire::get_varint(in);
    if (c > static_cast<uint64_t>(std::numeric_limits<int64_t>::max() - total)) {
      wire::damaged("sketch count overflow");
    }
    counts.push_back(static_cast<int64_t>(c));
    total += static_cast<int64_t>(c);
  }
  s.make_room(total);
  s.reserve_keys(low, high);
  for (int32_t k = low; k <= high; ++k) s.bump(k - s.offset_, counts[static_cast<size_t>(k - low)]);
  s.total_ = total;
  s.min_key_ = low;
  s.max_key_ = high;
  if (s.at(low) == 0 || s.at(high) == 0) wire::damaged("sketch store not in canonical form");
  return s;
}

// ------------------------------------------------------------------ QuantileSketch

void QuantileSketch::add(double x) {
  GEOSIM_ASSERT(std::isfinite(x), "non-finite observation " + std::to_string(x));
  x += 0.0;  // -0 becomes +0
  if (count_ == 0) {
    min_ = max_ = x;
  } else {
    min_ = std::min(min_, x);
    max_ = std::max(max_, x);
  }
  ++count_;
  if (!exact_) {
    add_to_bins(x, 1);
    return;
  }
  if (!raw_.empty()) sort_raw();
  size_t at;
  if (add_exact(x, at)) return;
  switch_to_sketch();
  add_to_bins(x, 1);
}

bool QuantileSketch::add_exact(double x, size_t& at) {
  // Branch-free lower bound: the comparisons on repeated values would mispredict.
  size_t first = 0, len = values_.size();
  while (len > 1) {
    size_t half = len / 2;
    first = values_[first + half].first < x ? first + half : first;
    len -= half;
  }
  first += (len == 1 && values_[first].first < x) ? 1 : 0;
  at = first;
  if (first < values_.size() && values_[first].first == x) {
    ++values_[first].second;
    return true;
  }
  if (values_.size() < kMaxExactValues) {
    values_.insert(values_.begin() + static_cast<std::ptrdiff_t>(first), {x, 1});
    return true;
  }
  return false;
}

void QuantileSketch::add(const double* x, size_t n) {
  // The same result as add(x[i]) for each i (the sketch does not depend on the order of its
  // observations). A new sketch's values are appended unsorted (raw_) until more than 512
  // arrive. After that, with a sorted list: a repeat of the previous value skips the search
  // (0/1 outcomes, stopped replicates, clamped variables), and once the list is longer than
  // kInsertLimit, the rest of the batch is sorted and merged in one pass instead of
  // inserted value by value (each insertion moves up to 512 entries).
  constexpr size_t kInsertLimit = 16;
  if (n == 0) return;
  if (!exact_) {
    add_batch_to_bins(x, n);
    return;
  }
  if (values_.empty()) {
    // Raw phase: append while at most kMaxExactValues values in all; beyond, count the
    // distinct values (a hash set, stopping past the limit): too many, and everything goes
    // to the bins unsorted; otherwise sort them into the list and go on as below.
    const bool fits = raw_.size() + n <= kMaxExactValues;
    if (raw_.empty()) raw_.reserve(std::max(n, kMaxExactValues));  // no regrowth on the way
    const size_t at = raw_.size();
    raw_.resize(at + n);
    count_batch(x, n, raw_.data() + at);
    if (fits) return;
    if (distinct_counts(raw_.data(), raw_.size(), kMaxExactValues, values_)) {
      raw_.clear();  // the list now holds them, sorted
    } else {
      values_.clear();
      switch_to_sketch();
    }
    return;
  }
  // A sorted list with values (an empty one means the raw phase above).
  size_t i = 0;
  double last = std::numeric_limits<double>::quiet_NaN();
  size_t last_at = 0;
  for (; i < n; ++i) {
    double v = x[i];
    if (v == last) {  // only once `last` is set: NaN equals nothing
      ++values_[last_at].second;
      ++count_;
      continue;
    }
    if (values_.size() > kInsertLimit && n - i > 1) {
      add_exact_sorted(x + i, n - i);
      return;
    }
    GEOSIM_ASSERT(std::isfinite(v), "non-finite observation " + std::to_string(v));
    v += 0.0;  // -0 becomes +0
    min_ = std::min(min_, v);
    max_ = std::max(max_, v);
    ++count_;
    if (!add_exact(v, last_at)) {  // a new value beyond kMaxExactValues
      switch_to_sketch();
      add_to_bins(v, 1);
      for (++i; i < n; ++i) add(x[i]);
      return;
    }
    last = v;
  }
}

void QuantileSketch::add_exact_sorted(const double* x, size_t n) {
  // Exact mode: sort the batch, then merge its runs into the sorted list. When the result has
  // more than kMaxExactValues distinct values, the sketch of the same multiset follows (the
  // state does not depend on when the switch happened).
  if (values_.size() == kMaxExactValues) {
    // A full list: the first value of the batch not in it ends exact mode, so the batch goes
    // to the bins unsorted (a continuous variable's values are all new).
    for (size_t j = 0; j < n; ++j) {
      const double v = x[j] + 0.0;
      const auto at = std::lower_bound(values_.begin(), values_.end(), v,
                                       [](const auto& e, double y) { return e.first < y; });
      if (at == values_.end() || at->first != v) {
        switch_to_sketch();
        add_batch_to_bins(x, n);
        return;
      }
    }
  }
  thread_local std::vector<double> batch;
  thread_local std::vector<std::pair<double, int64_t>> merged;
  batch.assign(x, x + n);
  for (double& v : batch) {
    GEOSIM_ASSERT(std::isfinite(v), "non-finite observation " + std::to_string(v));
    v += 0.0;  // -0 becomes +0
  }
  sort_finite(batch);
  min_ = std::min(min_, batch.front());
  max_ = std::max(max_, batch.back());
  count_ += static_cast<int64_t>(n);
  merged.clear();
  merged.reserve(values_.size() + n);
  size_t a = 0, b = 0;
  while (a < values_.size() || b < n) {
    if (b == n || (a < values_.size() && values_[a].first < batch[b])) {
      merged.push_back(values_[a++]);
      continue;
    }
    const double v = batch[b];
    int64_t c = 0;
    for (; b < n && batch[b] == v; ++b) ++c;
    if (a < values_.size() && values_[a].first == v) c += values_[a++].second;
    merged.emplace_back(v, c);
  }
  values_.swap(merged);
  if (values_.size() > kMaxExactValues) switch_to_sketch();
}

void QuantileSketch::settle() {
  if (!raw_.empty()) sort_raw();
}

void QuantileSketch::sort_raw() {
  // At most kMaxExactValues values, so at most that many distinct ones.
  const bool fit = distinct_counts(raw_.data(), raw_.size(), kMaxExactValues, values_);
  GEOSIM_ASSERT(fit, "more unsorted values than the exact list holds");
  raw_.clear();
}

const std::vector<std::pair<double, int64_t>>& QuantileSketch::exact_list(
    std::vector<std::pair<double, int64_t>>& scratch) const {
  if (raw_.empty()) return values_;
  const bool fit = distinct_counts(raw_.data(), raw_.size(), kMaxExactValues, scratch);
  GEOSIM_ASSERT(fit, "more unsorted values than the exact list holds");
  return scratch;
}

void QuantileSketch::add_to_bins(double x, int64_t n) {
  double magnitude = std::fabs(x);
  if (magnitude == 0) {
    zero_count_ += n;
  } else if (x > 0) {
    positive_.add(key_of(magnitude), n);
  } else {
    negative_.add(key_of(magnitude), n);
  }
}

void QuantileSketch::add_batch_to_bins(const double* x, size_t n) {
  count_batch(x, n, nullptr);
  bin_counted(x, n);
}

void QuantileSketch::count_batch(const double* x, size_t n, double* normalized) {
  if (n == 0) return;
  double lo = count_ ? min_ : x[0] + 0.0, hi = count_ ? max_ : x[0] + 0.0;
  bool finite = true;
  for (size_t i = 0; i < n; ++i) {
    const double v = x[i] + 0.0;  // -0 becomes +0
    finite &= std::fabs(v) <= std::numeric_limits<double>::max();
    lo = v < lo ? v : lo;
    hi = hi < v ? v : hi;
    if (normalized) normalized[i] = v;
  }
  if (!finite)
    for (size_t i = 0; i < n; ++i)
      GEOSIM_ASSERT(std::isfinite(x[i]), "non-finite observation " + std::to_string(x[i]));
  min_ = lo;
  max_ = hi;
  count_ += static_cast<int64_t>(n);
}

void QuantileSketch::bin_counted(const double* x, size_t n) {
  constexpr size_t kChunk = 256;
  int32_t pos[kChunk], neg[kChunk];
  for (size_t base = 0; base < n; base += kChunk) {
    const size_t m = std::min(kChunk, n - base);
    const double* v = x + base;
    alignas(64) double magnitude[kChunk];
    alignas(64) int32_t key[kChunk];
    size_t nz = 0;  // the nonzero values, their magnitudes first
    for (size_t i = 0; i < m; ++i) {
      magnitude[nz] = std::fabs(v[i]);
      nz += v[i] != 0 ? 1 : 0;
    }
    zero_count_ += static_cast<int64_t>(m - nz);
    keys_of(magnitude, nz, key);
    size_t np = 0, nn = 0, j = 0;
    for (size_t i = 0; i < m; ++i) {
      if (v[i] == 0) continue;
      if (v[i] > 0)
        pos[np++] = key[j++];
      else
        neg[nn++] = key[j++];
    }
    positive_.add_keys(pos, np);
    negative_.add_keys(neg, nn);
  }
}

void QuantileSketch::switch_to_sketch() {
  exact_ = false;
  // The keys of the list's nonzero values together (keys_of), then their counts.
  std::vector<double> magnitude;
  magnitude.reserve(values_.size());
  for (const auto& [value, n] : values_)
    if (value != 0) magnitude.push_back(std::fabs(value));
  std::vector<int32_t> key(magnitude.size());
  keys_of(magnitude.data(), magnitude.size(), key.data());
  size_t j = 0;
  for (const auto& [value, n] : values_) {
    if (value == 0)
      zero_count_ += n;
    else if (value > 0)
      positive_.add(key[j++], n);
    else
      negative_.add(key[j++], n);
  }
  values_.clear();
  values_.shrink_to_fit();
  bin_counted(raw_.data(), raw_.size());
  raw_.clear();
  raw_.shrink_to_fit();
}

void QuantileSketch::merge(const QuantileSketch& other) {
  if (&other == this) {
    const QuantileSketch copy = other;
    merge(copy);
    return;
  }
  if (other.count_ == 0) return;
  if (count_ == 0) {
    *this = other;
    return;
  }
  count_ += other.count_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  std::vector<std::pair<double, int64_t>> scratch;
  if (exact_ && other.exact_) {
    if (!raw_.empty()) sort_raw();
    const auto& theirs = other.exact_list(scratch);
    std::vector<std::pair<double, int64_t>> merged;
    merged.reserve(values_.size() + theirs.size());
    size_t i = 0, j = 0;
    while (i < values_.size() || j < theirs.size()) {
      if (j == theirs.size() || (i < values_.size() && values_[i].first < theirs[j].first)) {
        merged.push_back(values_[i++]);
      } else if (i == values_.size() || theirs[j].first < values_[i].first) {
        merged.push_back(theirs[j++]);
      } else {
        merged.emplace_back(values_[i].first, values_[i].second + theirs[j].second);
        ++i, ++j;
      }
    }
    values_ = std::move(merged);
    if (values_.size() > kMaxExactValues) switch_to_sketch();
    return;
  }
  if (exact_) switch_to_sketch();
  if (other.exact_) {
    for (const auto& [value, n] : other.exact_list(scratch)) add_to_bins(value, n);
  } else {
    positive_.merge(other.positive_);
    negative_.merge(other.negative_);
    zero_count_ += other.zero_count_;
  }
}

double QuantileSketch::min() const {
  return count_ ? min_ : std::numeric_limits<double>::quiet_NaN();
}

double QuantileSketch::max() const {
  return count_ ? max_ : std::numeric_limits<double>::quiet_NaN();
}

double QuantileSketch::quantile(double q) const {
  GEOSIM_ASSERT(q >= 0 && q <= 1, "quantile level outside [0, 1]: " + std::to_string(q));
  if (count_ == 0) return std::numeric_limits<double>::quiet_NaN();
  if (q == 0) return min_;
  if (q == 1) return max_;
  return exact_ ? exact_quantile(q) : sketch_quantile(q);
}

double QuantileSketch::exact_quantile(double q) const {
  std::vector<std::pair<double, int64_t>> scratch;
  const auto& list = exact_list(scratch);
  // NumPy's "linear" method: virtual index h = (n - 1) q, then interpolate between the
  // order statistics floor(h) and floor(h) + 1 with its lerp (the form taken for t >= 0.5
  // keeps the result exact at the upper end).
  double h = static_cast<double>(count_ - 1) * q;
  double below = std::floor(h);
  double t = h - below;
  auto rank = static_cast<int64_t>(below);
  size_t i = 0;
  int64_t seen = list[0].second;
  while (seen <= rank) seen += list[++i].second;
  double a = list[i].first;
  double b = a;
  if (rank + 1 < count_ && seen <= rank + 1) b = list[i + 1].first;
  if (a == b || t == 0) return a;
  double diff = b - a;
  if (!std::isfinite(diff)) {  // a and b of opposite signs near the ends of the double range
    return std::clamp(a * (1 - t) + b * t, a, b);
  }
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

double QuantileSketch::sketch_quantile(double q) const {
  double rank = static_cast<double>(count_ - 1) * q;
  double seen = 0;
  double value = max_;
  bool found = false;
  if (negative_.total() > 0) {
    for (int32_t k = negative_.max_key(); k >= negative_.min_key() && !found; --k) {
      seen += static_cast<double>(negative_.at(k));
      if (seen > rank) {
        value = -representative(k);
        found = true;
      }
    }
  }
  if (!found) {
    seen += static_cast<double>(zero_count_);
    if (seen > rank) {
      value = 0;
      found = true;
    }
  }
  if (!found && positive_.total() > 0) {
    for (int32_t k = positive_.min_key(); k <= positive_.max_key() && !found; ++k) {
      seen += static_cast<double>(positive_.at(k));
      if (seen > rank) {
        value = representative(k);
        found = true;
      }
    }
  }
  return std::clamp(value, min_, max_);
}

namespace {
constexpr uint8_t kSketchTag = 'Q';
constexpr uint8_t kSketchVersion = 1;
}  // namespace

void QuantileSketch::serialize(std::string& out) const {
  wire::put_u8(out, kSketchTag);
  wire::put_u8(out, kSketchVersion);
  wire::put_i64(out, count_);
  wire::put_f64(out, count_ ? min_ : 0.0);
  wire::put_f64(out, count_ ? max_ : 0.0);
  wire::put_u8(out, exact_ ? 1 : 0);
  if (exact_) {
    std::vector<std::pair<double, int64_t>> scratch;
    const auto& list = exact_list(scratch);
    wire::put_u16(out, static_cast<uint16_t>(list.size()));
    for (const auto& [value, n] : list) {
      wire::put_f64(out, value);
      wire::put_varint(out, static_cast<uint64_t>(n));
    }
  } else {
    wire::put_varint(out, static_cast<uint64_t>(zero_count_));
    negative_.serialize(out);
    positive_.serialize(out);
  }
}

QuantileSketch QuantileSketch::deserialize(std::string_view& in) {
  if (wire::get_u8(in) != kSketchTag) wire::damaged("not a quantile sketch");
  if (wire::get_u8(in) != kSketchVersion) wire::damaged("unknown quantile sketch version");
  QuantileSketch s;
  s.count_ = wire::get_i64(in);
  s.min_ = wire::get_f64(in);
  s.max_ = wire::get_f64(in);
  uint8_t exact = wire::get_u8(in);
  if (exact > 1) wire::damaged("bad quantile sketch mode");
  s.exact_ = exact == 1;
  int64_t total = 0;
  if (s.exact_) {
    size_t n = wire::get_u16(in);
    if (n > kMaxExactValues) wire::damaged("too many exact values");
    for (size_t i = 0; i < n; ++i) {
      double value = wire::get_f64(in);
      uint64_t c = wire::get_varint(in);
      if (!std::isfinite(value) || c == 0 || c > uint64_t{1} << 62 ||
          (i > 0 && !(s.values_.back().first < value)) || (std::signbit(value) && value == 0)) {
        wire::damaged("bad exact value list");
      }
      s.values_.emplace_back(value, static_cast<int64_t>(c));
      total += static_cast<int64_t>(c);
    }
    if (n > 0 && (s.values_.front().first != s.min_ || s.values_.back().first != s.max_)) {
      wire::damaged("exact values disagree with min or max");
    }
  } else {
    uint64_t zeros = wire::get_varint(in);
    if (zeros > uint64_t{1} << 62) wire::damaged("bad zero count");
    s.zero_count_ = static_cast<int64_t>(zeros);
    s.negative_ = Store::deserialize(in);
    s.positive_ = Store::deserialize(in);
    total = s.zero_count_ + s.negative_.total() + s.positive_.total();
  }
  if (total != s.count_ || (!s.exact_ && s.count_ <= static_cast<int64_t>(kMaxExactValues))) {
    wire::damaged("quantile sketch counts disagree");
  }
  if (s.count_ > 0 && (!std::isfinite(s.min_) || !std::isfinite(s.max_) || s.max_ < s.min_)) {
    wire::damaged("bad min or max");
  }
  return s;
}

bool QuantileSketch::operator==(const QuantileSketch& other) const {
  std::string a, b;
  serialize(a);
  other.serialize(b);
  return a == b;
}

}  // namespace geosim::stats
