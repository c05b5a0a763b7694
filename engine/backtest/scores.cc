#include "backtest/scores.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/error.h"
#include "stats/proportion.h"

namespace geosim::backtest {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double mean_of(const std::vector<double>& x) {
  if (x.empty()) return kNaN;
  double s = 0;
  for (double v : x) s += v;
  return s / static_cast<double>(x.size());
}

double clipped_log(double p, double clip) { return std::log(std::clamp(p, clip, 1 - clip)); }

}  // namespace

double brier(const std::vector<double>& p, const std::vector<int>& o) {
  GEOSIM_ASSERT(p.size() == o.size(), "brier: sizes differ");
  std::vector<double> e;
  for (size_t i = 0; i < p.size(); ++i) e.push_back((p[i] - o[i]) * (p[i] - o[i]));
  return mean_of(e);
}

double log_score(const std::vector<double>& p, const std::vector<int>& o, double clip) {
  GEOSIM_ASSERT(p.size() == o.size(), "log_score: sizes differ");
  std::vector<double> e;
  for (size_t i = 0; i < p.size(); ++i) e.push_back(clipped_log(o[i] ? p[i] : 1 - p[i], clip));
  return mean_of(e);
}

double auc(const std::vector<double>& p, const std::vector<int>& o) {
  GEOSIM_ASSERT(p.size() == o.size(), "auc: sizes differ");
  // Rank-sum form, O(n log n): sort by probability, give tied groups their mean rank.
  std::vector<size_t> idx(p.size());
  std::iota(idx.begin(), idx.end(), size_t{0});
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return p[a] < p[b]; });
  double rank_sum = 0;
  int64_t pos = 0;
  for (size_t i = 0; i < idx.size();) {
    size_t j = i;
    while (j < idx.size() && p[idx[j]] == p[idx[i]]) ++j;
    const double mean_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    for (size_t k = i; k < j; ++k)
      if (o[idx[k]]) rank_sum += mean_rank, ++pos;
    i = j;
  }
  const int64_t neg = static_cast<int64_t>(p.size()) - pos;
  if (pos == 0 || neg == 0) return kNaN;
  const double np = static_cast<double>(pos), nn = static_cast<double>(neg);
  return (rank_sum - np * (np + 1) / 2) / (np * nn);
}

std::vector<ReliabilityBin> reliability(const std::vector<double>& p, const std::vector<int>& o,
                                        int bins) {
  GEOSIM_ASSERT(p.size() == o.size() && bins >= 1, "reliability: bad arguments");
  std::vector<ReliabilityBin> out(static_cast<size_t>(bins));
  std::vector<double> sum(out.size(), 0);
  for (size_t b = 0; b < out.size(); ++b) {
    out[b].lo = static_cast<double>(b) / bins;
    out[b].hi = static_cast<double>(b + 1) / bins;
  }
  for (size_t i = 0; i < p.size(); ++i) {
    const auto b =
        std::min(out.size() - 1, static_cast<size_t>(std::max(0.0, std::floor(p[i] * bins))));
    ++out[b].count;
    out[b].positives += o[i] ? 1 : 0;
    sum[b] += p[i];
  }
  for (size_t b = 0; b < out.size(); ++b) {
    ReliabilityBin& r = out[b];
    if (r.count == 0) {
      r.mean_predicted = r.observed_frequency = r.ci_low = r.ci_high = kNaN;
      continue;
    }
    r.mean_predicted = sum[b] / static_cast<double>(r.count);
    r.observed_frequency = static_cast<double>(r.positives) / static_cast<double>(r.count);
    const stats::Interval ci = stats::wilson_interval(r.positives, r.count);
    r.ci_low = ci.low;
    r.ci_high = ci.high;
  }
  return out;
}

double brier_multiclass(const std::vector<std::vector<double>>& probs,
                        const std::vector<int>& cls) {
  GEOSIM_ASSERT(probs.size() == cls.size(), "brier_multiclass: sizes differ");
  std::vector<double> e;
  for (size_t i = 0; i < probs.size(); ++i) {
    double s = 0;
    for (size_t k = 0; k < probs[i].size(); ++k) {
      const double d = probs[i][k] - (static_cast<int>(k) == cls[i] ? 1 : 0);
      s += d * d;
    }
    e.push_back(s);
  }
  return mean_of(e);
}

double log_score_multiclass(const std::vector<std::vector<double>>& probs,
                            const std::vector<int>& cls, double clip) {
  GEOSIM_ASSERT(probs.size() == cls.size(), "log_score_multiclass: sizes differ");
  std::vector<double> e;
  for (size_t i = 0; i < probs.size(); ++i)
    e.push_back(clipped_log(probs[i][static_cast<size_t>(cls[i])], clip));
  return mean_of(e);
}

}  // namespace geosim::backtest
