// Scores of probability forecasts against what happened (docs/backtest.md): Brier, log
// score, AUC, a reliability table, and their multi-class forms. Pure functions of the
// numbers given: no I/O, no randomness.
#pragma once

#include <cstdint>
#include <vector>

namespace geosim::backtest {

// Mean of (p - o)^2 over cases; o is 0 or 1. 0 is perfect, 0.25 a coin flip.
double brier(const std::vector<double>& p, const std::vector<int>& o);

// Mean of ln(probability given to what happened), each probability clipped to
// [clip, 1 - clip] first (a Monte Carlo estimate of N replicates cannot resolve less than
// one replicate: backtests clip at 0.5 / N). 0 is perfect, ln 0.5 a coin flip.
double log_score(const std::vector<double>& p, const std::vector<int>& o, double clip);

// Area under the ROC curve: the share of (positive, negative) pairs in which the positive
// case got the higher probability, ties counted half (the Mann-Whitney statistic). NaN
// when there is no positive or no negative case.
double auc(const std::vector<double>& p, const std::vector<int>& o);

// One bin of a reliability table: cases whose probability falls in [lo, hi) (the last
// bin includes 1), their mean probability, the observed frequency and its Wilson 95%
// interval. Empty bins have count 0 and NaN statistics.
struct ReliabilityBin {
  double lo = 0, hi = 0;
  int64_t count = 0, positives = 0;
  double mean_predicted = 0, observed_frequency = 0, ci_low = 0, ci_high = 0;
};
std::vector<ReliabilityBin> reliability(const std::vector<double>& p, const std::vector<int>& o,
                                        int bins);

// Multi-class forms: `probs[i]` holds case i's probability of each class, `cls[i]` the
// class observed. Brier: mean over cases of sum over classes of (p_k - o_k)^2 (0 to 2;
// twice the binary Brier for two classes). Log: mean ln p_observed, clipped as above.
double brier_multiclass(const std::vector<std::vector<double>>& probs, const std::vector<int>& cls);
double log_score_multiclass(const std::vector<std::vector<double>>& probs,
                            const std::vector<int>& cls, double clip);

}  // namespace geosim::backtest
