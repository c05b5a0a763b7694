// The two tests behind `geosim compare`: is an outcome's mean, or a probability,
// different between two result sets? Both work from summaries (mean, sd, n or p, n), which
// is all summary.csv keeps.
#pragma once

#include <cstdint>

#include "stats/proportion.h"

namespace geosim::stats {

struct TestResult {
  bool valid = false;     // false when the data cannot support the test (see each test)
  double statistic = 0;   // t or z
  double df = 0;          // degrees of freedom (Welch); 0 for the z test
  double p_value = 1;     // two-sided
  double difference = 0;  // a - b
  Interval ci{0, 0};      // 95% interval for a - b
};

// Welch's unequal-variance t test of mean_a == mean_b from two (mean, sd, n) summaries
// (sd is the sample sd, divisor n - 1). df by Welch–Satterthwaite; the p-value from the
// Student t CDF (incomplete beta); the interval is difference +- t_{0.975, df} * se.
// Needs n >= 2 on both sides, else valid = false. When both sds are 0 the test degenerates:
// equal means give t = 0, p = 1; different means give t = +-inf, p = 0; the interval is
// the difference itself.
TestResult welch_t_test(double mean_a, double sd_a, int64_t n_a, double mean_b, double sd_b,
                        int64_t n_b);

// Two-proportion z test of p_a == p_b (pooled standard error under the null), two-sided
// p-value from the normal distribution. The 95% interval for p_a - p_b is Newcombe's
// hybrid score interval (Newcombe 1998, method 10), built from the two Wilson intervals:
// unlike the Wald interval it stays sensible at 0 or 1 and for small n, where simulated
// probabilities often are. Needs n >= 1 on both sides, else valid = false. When both
// proportions are 0 (or both 1) z = 0 and p = 1.
TestResult two_proportion_z_test(double p_a, int64_t n_a, double p_b, int64_t n_b);

}  // namespace geosim::stats
