// Sensitivity indices from a sweep's per-point results (sensitivity.csv, interfaces.md).
//
// The input is one number per design point (an outcome's statistic over the replicates at
// that point, in the design's point order: the mean of a numeric outcome, the probability
// of a 0/1 outcome, each label's share of a cases outcome, the share reached of a
// {first:} outcome); the output is one row per parameter and index.
// Sobol indices need a Design from sobol_design, Morris indices one from morris_design.
// Confidence intervals are bootstrap percentile intervals: resample the independent units
// of the design (Saltelli base rows, Morris trajectories) with replacement, recompute,
// take the 2.5% and 97.5% quantiles. The resampling is drawn from the seed through the
// Philox streams, so the same inputs always give the same intervals.
//
// A non-finite value marks a point that failed. Sobol drops every base row that touches
// one; Morris drops each elementary effect that does. An index that cannot be computed
// (no variance, fewer than two usable units) is NaN, written as an empty field.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "experiment/design.h"

namespace geosim::experiment {

struct SensitivityRow {
  std::string outcome;
  std::string parameter;
  std::string index;  // "S1", "ST", "S2" (parameter "A:B"), "mu_star", "sigma"
  double value = 0.0;
  double ci_low = 0.0;             // NaN: no interval
  double ci_high = 0.0;            // NaN: no interval
  std::string statistic = "mean";  // which per-point statistic: mean, probability, share:L...
};

struct BootstrapOptions {
  size_t resamples = 500;  // 0 disables the intervals
  uint64_t seed = 0;
};

// Sobol first-order (S1) and total (ST) indices, per parameter: S1 then ST. With
// f_A, f_B, f_ABi the values at A_r, B_r, A_B^(i)_r and V the variance of all f_A and f_B:
//   S1_i = mean_r[ (f_B - f0) (f_ABi - f_A) ] / V     (Saltelli et al. 2010)
//   ST_i = mean_r[ (f_A - f_ABi)^2 ] / (2 V)           (Jansen 1999)
// f0 is the mean of all f_A and f_B; subtracting it leaves S1's expectation unchanged
// (f_ABi - f_A has mean 0) but keeps an outcome's offset from inflating its variance.
// A second-order design (design.sobol_second_order) adds, after the ST rows, one S2 row
// per pair i < j (parameter "NAME_i:NAME_j"), Saltelli (2002) as in SALib:
//   S2_ij = mean_r[ (f_BAi - f0) (f_ABj - f0) - (f_A - f0) (f_B - f0) ] / V - S1_i - S1_j
// the variance due to the pair's interaction alone.
std::vector<SensitivityRow> sobol_indices(const Design& design, std::span<const double> values,
                                          std::string_view outcome,
                                          const BootstrapOptions& options = {});

// Morris mu_star (mean absolute elementary effect) and sigma (sample standard deviation
// of the elementary effects), per parameter in that order. An elementary effect is the
// change in the value divided by the step as a fraction of the parameter's range, i.e.
// the slope times the range: y = c*x over [lo, hi] has mu_star = |c|*(hi - lo), sigma 0.
// mu_star has a bootstrap interval over trajectories; sigma has none.
std::vector<SensitivityRow> morris_indices(const Design& design, std::span<const double> values,
                                           std::string_view outcome,
                                           const BootstrapOptions& options = {});

// sobol_indices or morris_indices by the design's kind; no rows for other designs.
std::vector<SensitivityRow> sensitivity_indices(const Design& design,
                                                std::span<const double> values,
                                                std::string_view outcome,
                                                const BootstrapOptions& options = {});

// The sensitivity.csv header and one row's fields (shortest round-trip numbers; NaN as an
// empty field), for io::CsvWriter.
// Columns: outcome,parameter,index,value,ci_low,ci_high (interfaces.md), then statistic.
std::vector<std::string> sensitivity_header();
std::vector<std::string> sensitivity_fields(const SensitivityRow& row);

}  // namespace geosim::experiment
