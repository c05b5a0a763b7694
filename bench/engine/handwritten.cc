#include "handwritten.h"

#include <algorithm>
#include <cmath>

#include "random/distributions.h"
#include "random/stream.h"

namespace geosim::bench {

namespace {
constexpr int kStates = 10;
constexpr int kSteps = 60;
constexpr double kDecay = 0.9, kNoise = 0.05, kLambda = 4, kShockP = 0.05;

struct Rng {
  uint64_t seed;
  uint32_t rep;
  uint32_t step;
  double u(uint32_t site) { return rnd::lane_uniform(seed, rnd::Counter{rep, step, site, 0}); }
  double normal(uint32_t site, double mu, double sd) {
    return mu + sd * rnd::normal_quantile(u(site));
  }
};
}  // namespace

HandwrittenResult run_handwritten(uint64_t seed, int64_t replicates) {
  double sum_aligned = 0, sum_peak = 0, sum_int = 0, sum_tension_end = 0;
  double track_sum[kSteps] = {};
  for (int64_t r = 0; r < replicates; ++r) {
    Rng rng{seed, static_cast<uint32_t>(r), rnd::kInitStep};
    double tension = 0.2 + 0.2 * rng.u(1), crisis = 0;
    double heg_pressure = 0.5, heg_intervened = 0, rival_pressure = 0.4;
    double stability[kStates], resolve[kStates], side[kStates];
    for (int i = 0; i < kStates; ++i) {
      stability[i] = 0.6;
      resolve[i] = rng.u(2 + i);
      side[i] = 0;
    }
    bool crisis_fired = false;
    double peak = -INFINITY;
    for (int t = 0; t < kSteps; ++t) {
      rng.step = static_cast<uint32_t>(t);
      // events
      if (rng.u(20) < kShockP) tension += 0.1 + 0.2 * rng.u(21);
      if (!crisis_fired && tension > 0.8) {
        crisis = 1;
        crisis_fired = true;
      }
      // decisions, all on the same state, then effects
      int choice[kStates];
      for (int i = 0; i < kStates; ++i) {
        double u[3] = {heg_pressure + 0.3 * resolve[i] - 0.2 * tension,
                       rival_pressure + 0.3 * (1 - resolve[i]), 0.5 * stability[i]};
        double mx = std::max({u[0], u[1], u[2]});
        double w[3], total = 0;
        for (int j = 0; j < 3; ++j) total += (w[j] = std::exp(kLambda * (u[j] - mx)));
        double x = rng.u(30 + i) * total, acc = 0;
        choice[i] = 2;
        for (int j = 0; j < 3; ++j) {
          acc += w[j];
          if (x < acc) {
            choice[i] = j;
            break;
          }
        }
      }
      bool go = false;
      if (crisis == 1 && heg_intervened == 0) go = heg_pressure + tension - 1 > 0;
      for (int i = 0; i < kStates; ++i) side[i] = choice[i] == 0 ? 1 : choice[i] == 1 ? -1 : 0;
      if (go) heg_intervened = 1;
      // dynamics
      tension = tension * kDecay + rng.normal(50, 0, kNoise);
      double mean_side = 0;
      for (int i = 0; i < kStates; ++i) mean_side += side[i];
      mean_side /= kStates;
      heg_pressure = 0.5 + 0.1 * mean_side;
      rival_pressure = 0.4 - 0.1 * mean_side;
      for (int i = 0; i < kStates; ++i)
        stability[i] = stability[i] + 0.1 * (0.6 - stability[i]) - 0.05 * tension +
                       rng.normal(60 + i, 0, kNoise);
      // bounds, outcome accumulators, tracking
      tension = std::min(std::max(tension, 0.0), 2.0);
      peak = std::max(peak, tension);
      track_sum[t] += tension;
    }
    int aligned = 0;
    for (int i = 0; i < kStates; ++i) aligned += side[i] == 1;
    sum_aligned += aligned;
    sum_peak += peak;
    sum_int += heg_intervened;
    sum_tension_end += tension;
  }
  double n = static_cast<double>(replicates);
  (void)track_sum;
  return HandwrittenResult{sum_aligned / n, sum_peak / n, sum_int / n, sum_tension_end / n};
}

}  // namespace geosim::bench
