// In-house distributions over lanes (the standard library's differ between
// implementations). Lane i is replicate `replicate0 + i`; every variate is a pure
// function of (seed, replicate, step, site) via stream.h. Invalid parameters (sd < 0,
// p outside [0, 1], a <= 0 for beta, lo > hi ...) give NaN, which the engine reports as
// a run error naming the statement.
#pragma once

#include <cstdint>

namespace geosim::rnd {

struct DrawContext {
  uint64_t seed = 0;
  uint32_t replicate0 = 0;  // replicate of lane 0
  uint32_t step = 0;
};

// Standard normal quantile (Wichura's AS 241, relative accuracy about 1e-16).
double normal_quantile(double p);
// normal_quantile of p[0, n) in place, lane-parallel (what normal draws use), for p in
// [2^-54, 1] (every uniform of stream.h) and 0; the same bits as normal_quantile.
void normal_quantile_batch(double* p, int n);

void draw_uniform(const DrawContext& cx, uint32_t site, const double* lo, const double* hi,
                  double* out, int n);
void draw_normal(const DrawContext& cx, uint32_t site, const double* mu, const double* sd,
                 double* out, int n);
void draw_lognormal(const DrawContext& cx, uint32_t site, const double* mu, const double* sigma,
                    double* out, int n);
void draw_bernoulli(const DrawContext& cx, uint32_t site, const double* p, double* out, int n);
void draw_beta(const DrawContext& cx, uint32_t site, const double* a, const double* b, double* out,
               int n);
void draw_triangular(const DrawContext& cx, uint32_t site, const double* lo, const double* mode,
                     const double* hi, double* out, int n);
// Plain uniforms in (0, 1), e.g. for choosing a decision's option.
void draw_unit(const DrawContext& cx, uint32_t site, double* out, int n);

}  // namespace geosim::rnd
