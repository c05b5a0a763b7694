// Binning per-replicate values (runs.csv) for the distribution charts. Bin widths are
// "nice" numbers so that the bin edges read well on the axis, and whole-number data
// (counts, steps) get bins centred on the integers, so that a bar never straddles two
// values.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace geosim::report {

struct Histogram {
  double lo = 0;     // lower edge of the first bin
  double width = 1;  // every bin has this width
  std::vector<int64_t> counts;
  int64_t total = 0;  // number of values binned (sum of counts)
  bool integer_centred = false;

  double edge(size_t i) const { return lo + width * static_cast<double>(i); }
  double hi() const { return edge(counts.size()); }
};

// Bins `values` (all finite) into at most max_bins bins (Rice's rule, 2 n^(1/3), at least
// 5 unless the data need fewer). Bins are half-open [edge(i), edge(i+1)); every value falls
// into exactly one bin. Empty input gives no bins; constant input one bin around the value.
Histogram make_histogram(std::span<const double> values, int max_bins = 40);

}  // namespace geosim::report
