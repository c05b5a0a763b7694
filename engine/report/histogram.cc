#include "report/histogram.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace geosim::report {

namespace {

double nice_width_at_least(double raw) {
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double f : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (f * mag >= raw * (1 - 1e-12)) return f * mag;
  }
  return 10 * mag;
}

}  // namespace

Histogram make_histogram(std::span<const double> values, int max_bins) {
  Histogram h;
  if (values.empty()) return h;
  max_bins = std::max(max_bins, 1);
  const auto [min_it, max_it] = std::minmax_element(values.begin(), values.end());
  const double lo = *min_it;
  const double hi = *max_it;
  GEOSIM_ASSERT(std::isfinite(lo) && std::isfinite(hi), "histogram of non-finite values");
  const bool integers = std::all_of(values.begin(), values.end(), [](double v) {
    return std::fabs(v) < 9e15 && v == std::floor(v);
  });
  size_t bins = 0;
  if (integers && hi - lo + 1 <= max_bins) {
    h.integer_centred = true;
    h.width = 1;
    h.lo = lo - 0.5;
    bins = static_cast<size_t>(hi - lo) + 1;
  } else if (hi == lo) {
    h.width = lo == 0 ? 1.0 : nice_width_at_least(std::fabs(lo) * 0.1);
    h.lo = lo - h.width / 2;
    bins = 1;
  } else {
    const double n = static_cast<double>(values.size());
    const int target = std::clamp(static_cast<int>(std::ceil(2 * std::cbrt(n))), 5, max_bins);
    h.width = nice_width_at_least((hi - lo) / target);
    if (integers) {
      h.width = std::max(1.0, std::ceil(h.width));
      h.integer_centred = true;
      h.lo = std::floor(lo / h.width) * h.width - 0.5;
      if (h.lo + h.width <= lo - 0.5) h.lo += h.width;
    } else {
      h.lo = std::floor(lo / h.width) * h.width;
    }
    bins = static_cast<size_t>(std::floor((hi - h.lo) / h.width)) + 1;
    // The nice width may overshoot the bin budget by one; widen once more if so.
    if (bins > static_cast<size_t>(max_bins)) {
      h.width = nice_width_at_least(h.width * 1.0001);
      if (integers) h.width = std::ceil(h.width);
      h.lo = integers ? std::floor((lo + 0.5) / h.width) * h.width - 0.5
                      : std::floor(lo / h.width) * h.width;
      if (h.lo > lo) h.lo -= h.width;
      bins = static_cast<size_t>(std::floor((hi - h.lo) / h.width)) + 1;
    }
  }
  h.counts.assign(bins, 0);
  for (double v : values) {
    auto i = static_cast<long>(std::floor((v - h.lo) / h.width));
    i = std::clamp(i, 0L, static_cast<long>(bins) - 1);
    ++h.counts[static_cast<size_t>(i)];
  }
  h.total = static_cast<int64_t>(values.size());
  return h;
}

}  // namespace geosim::report
