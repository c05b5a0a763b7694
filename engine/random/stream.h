// Counter-based random numbers: a draw is a pure function of (seed, replicate, step, site,
// k). Nothing depends on threads, block size or on how many draws happened before, so a
// replicate's numbers are the same however it is run.
//   key     = seed (64 bits)
//   counter = (replicate, step, site, k)
// `site` numbers each random call site of a compiled scenario (an expression's draw, an
// event's probability, a decision's choice); `k` numbers the uniforms one draw consumes
// (rejection samplers use several). Init expressions use step kInitStep.
// Two generators from Random123's family: lane_uniform (ARS-7, ars.h) for the draws over
// replicates that the lanes make, and uniform/uniform2 (Philox4x32-10) for the rest (the
// beta draws' rejection samplers, bargaining, designs, calibration, posterior choices).
#pragma once

#include <Random123/philox.h>

#include <cstdint>

#include "random/ars.h"

namespace geosim::rnd {

inline constexpr uint32_t kInitStep = 0xFFFFFFFFu;

struct Counter {
  uint32_t replicate;
  uint32_t step;
  uint32_t site;
  uint32_t k;
};

// Philox4x32-10: two independent uniforms in the open interval (0, 1), 53 random bits each.
inline void uniform2(uint64_t seed, const Counter& c, double& u0, double& u1) {
  r123::Philox4x32 gen;
  r123::Philox4x32::ctr_type ctr = {{c.replicate, c.step, c.site, c.k}};
  r123::Philox4x32::key_type key = {
      {static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)}};
  r123::Philox4x32::ctr_type r = gen(ctr, key);
  uint64_t a = (uint64_t{r[0]} << 32) | r[1];
  uint64_t b = (uint64_t{r[2]} << 32) | r[3];
  constexpr double kScale = 1.0 / 9007199254740992.0;  // 2^-53
  u0 = (static_cast<double>(a >> 11) + 0.5) * kScale;
  u1 = (static_cast<double>(b >> 11) + 0.5) * kScale;
}

inline double uniform(uint64_t seed, const Counter& c) {
  double u0, u1;
  uniform2(seed, c, u0, u1);
  return u0;
}

// The uniform of a draw over replicates (an expression's distribution, an event's
// probability, a decision's choice: rnd::draw_* in distributions.h), from ARS-7 (ars.h)
// rather than Philox, because it is several times cheaper with AES instructions.
// Replicates 2j and 2j + 1 share the block of counter (j, step, site, k) under the key
// (seed, 0): the even one takes its low 64 bits, the odd one its high 64, so one block
// serves two replicates. Still a pure function of (seed, replicate, step, site, k).
inline double lane_uniform(uint64_t seed, const Counter& c) {
  const Block128 b = ars7(c.replicate >> 1, c.step, c.site, c.k, seed, 0);
  const uint64_t x = (c.replicate & 1) ? b.hi : b.lo;
  return (static_cast<double>(x >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

}  // namespace geosim::rnd
