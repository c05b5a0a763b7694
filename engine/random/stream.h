// Counter-based random numbers (Philox4x32-10 from Random123): a draw is a pure function
// of (seed, replicate, step, site, k). Nothing depends on threads, block size or on how
// many draws happened before, so a replicate's numbers are the same however it is run.
//   key     = seed (64 bits)
//   counter = (replicate, step, site, k)
// `site` numbers each random call site of a compiled scenario (an expression's draw, an
// event's probability, a decision's choice); `k` numbers the uniforms one draw consumes
// (rejection samplers use several). Init expressions use step kInitStep.
#pragma once

#include <Random123/philox.h>

#include <cstdint>

namespace geosim::rnd {

inline constexpr uint32_t kInitStep = 0xFFFFFFFFu;

struct Counter {
  uint32_t replicate;
  uint32_t step;
  uint32_t site;
  uint32_t k;
};

// Two independent uniforms in the open interval (0, 1), 53 random bits each.
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

}  // namespace geosim::rnd
