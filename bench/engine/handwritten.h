// bench/engine/rivalry.yaml written by hand as a scalar C++ loop, one replicate at a time:
// the baseline geosim's lane engine is measured against.
#pragma once

#include <cstdint>

namespace geosim::bench {

struct HandwrittenResult {
  double mean_aligned = 0;      // mean of aligned_with_hegemon
  double mean_peak = 0;         // mean of peak_tension
  double p_intervened = 0;      // mean of intervened
  double mean_tension_end = 0;  // mean tension at the last step
};

HandwrittenResult run_handwritten(uint64_t seed, int64_t replicates);

}  // namespace geosim::bench
