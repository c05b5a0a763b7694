#include "experiment/sensitivity.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"
#include "io/number.h"
#include "random/stream.h"

namespace geosim::experiment {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr uint32_t kBootstrapSite = 7;  // Philox `site` for bootstrap draws

// Index of the `i`-th unit picked in bootstrap round `b` among n units.
size_t resample(uint64_t seed, size_t b, size_t i, size_t n) {
  double u = rnd::uniform(
      seed, rnd::Counter{static_cast<uint32_t>(b), static_cast<uint32_t>(i), kBootstrapSite, 0});
  return std::min(static_cast<size_t>(u * static_cast<double>(n)), n - 1);
}

// The q-quantile of finite values (linear interpolation between order statistics).
double quantile(std::vector<double> v, double q) {
  std::erase_if(v, [](double x) { return !std::isfinite(x); });
  if (v.empty()) return kNaN;
  std::sort(v.begin(), v.end());
  double pos = q * static_cast<double>(v.size() - 1);
  auto lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, v.size() - 1);
  double w = pos - static_cast<double>(lo);
  return v[lo] + w * (v[hi] - v[lo]);
}

struct Interval {
  double low = kNaN;
  double high = kNaN;
};

Interval percentile_interval(const std::vector<double>& draws) {
  if (draws.empty()) return {};
  return {quantile(draws, 0.025), quantile(draws, 0.975)};
}

// One Saltelli base row's values: f_A, f_B and f_ABi for each parameter.
struct SobolRow {
  double a = 0.0;
  double b = 0.0;
  std::vector<double> ab;
  std::vector<double> ba;  // second order only
};

struct SobolEstimate {
  std::vector<double> s1;
  std::vector<double> st;
  std::vector<double> s2;  // second order: pairs (i, j), i < j, in row-major order
};

size_t pair_count(size_t k) { return k * (k - 1) / 2; }

// Estimates from the rows picked by `pick` (indices into rows).
SobolEstimate estimate_sobol(const std::vector<SobolRow>& rows, const std::vector<size_t>& pick,
                             size_t k) {
  SobolEstimate e{std::vector<double>(k, kNaN), std::vector<double>(k, kNaN), {}};
  const auto n = static_cast<double>(pick.size());
  if (pick.size() < 2) return e;
  double sum = 0.0;
  for (size_t r : pick) sum += rows[r].a + rows[r].b;
  const double mean = sum / (2 * n);
  double ss = 0.0;
  for (size_t r : pick) {
    ss += (rows[r].a - mean) * (rows[r].a - mean) + (rows[r].b - mean) * (rows[r].b - mean);
  }
  const double variance = ss / (2 * n);
  if (!(variance > 0)) return e;
  for (size_t i = 0; i < k; ++i) {
    double first = 0.0;
    double total = 0.0;
    for (size_t r : pick) {
      const SobolRow& row = rows[r];
      first += (row.b - mean) * (row.ab[i] - row.a);
      total += (row.a - row.ab[i]) * (row.a - row.ab[i]);
    }
    e.s1[i] = first / n / variance;
    e.st[i] = total / (2 * n) / variance;
  }
  if (!rows[pick[0]].ba.empty()) {
    e.s2.assign(pair_count(k), kNaN);
    size_t p = 0;
    for (size_t i = 0; i < k; ++i) {
      for (size_t j = i + 1; j < k; ++j, ++p) {
        double closed = 0.0;
        for (size_t r : pick) {
          const SobolRow& row = rows[r];
          closed += (row.ba[i] - mean) * (row.ab[j] - mean) - (row.a - mean) * (row.b - mean);
        }
        e.s2[p] = closed / n / variance - e.s1[i] - e.s1[j];
      }
    }
  }
  return e;
}

void check_values(const Design& design, std::span<const double> values, DesignKind expected) {
  GEOSIM_ASSERT(design.kind == expected, "sensitivity index asked of a " +
                                             std::string(design_name(design.kind)) + " design");
  GEOSIM_ASSERT(values.size() == design.points.size(),
                std::to_string(values.size()) + " values for " +
                    std::to_string(design.points.size()) + " points");
}

double mean_abs(const std::vector<double>& v) {
  if (v.empty()) return kNaN;
  double s = 0.0;
  for (double x : v) s += std::fabs(x);
  return s / static_cast<double>(v.size());
}

double sample_sd(const std::vector<double>& v) {
  if (v.size() < 2) return kNaN;
  double m = 0.0;
  for (double x : v) m += x;
  m /= static_cast<double>(v.size());
  double ss = 0.0;
  for (double x : v) ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

}  // namespace

std::vector<SensitivityRow> sobol_indices(const Design& design, std::span<const double> values,
                                          std::string_view outcome,
                                          const BootstrapOptions& options) {
  check_values(design, values, DesignKind::kSobol);
  const size_t k = design.names.size();
  const size_t block = design.sobol_block();
  GEOSIM_ASSERT(design.sobol_base_samples * block == values.size(), "sobol block layout");
  std::vector<SobolRow> rows;
  for (size_t r = 0; r < design.sobol_base_samples; ++r) {
    std::span<const double> v = values.subspan(r * block, block);
    if (!std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); })) continue;
    SobolRow row{v[0], v[block - 1], std::vector<double>(v.begin() + 1, v.begin() + 1 + k), {}};
    if (design.sobol_second_order)
      row.ba.assign(v.begin() + 1 + static_cast<std::ptrdiff_t>(k), v.end() - 1);
    rows.push_back(std::move(row));
  }
  std::vector<size_t> all(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) all[r] = r;
  SobolEstimate point = estimate_sobol(rows, all, k);

  std::vector<std::vector<double>> s1_draws(k), st_draws(k),
      s2_draws(design.sobol_second_order ? pair_count(k) : 0);
  if (rows.size() >= 2) {
    std::vector<size_t> pick(rows.size());
    for (size_t b = 0; b < options.resamples; ++b) {
      for (size_t i = 0; i < rows.size(); ++i) pick[i] = resample(options.seed, b, i, rows.size());
      SobolEstimate e = estimate_sobol(rows, pick, k);
      for (size_t i = 0; i < k; ++i) {
        s1_draws[i].push_back(e.s1[i]);
        st_draws[i].push_back(e.st[i]);
      }
      for (size_t p = 0; p < e.s2.size() && p < s2_draws.size(); ++p)
        s2_draws[p].push_back(e.s2[p]);
    }
  }
  std::vector<SensitivityRow> out;
  for (size_t i = 0; i < k; ++i) {
    Interval c1 = percentile_interval(s1_draws[i]);
    Interval ct = percentile_interval(st_draws[i]);
    out.push_back({std::string(outcome), design.names[i], "S1", point.s1[i], c1.low, c1.high});
    out.push_back({std::string(outcome), design.names[i], "ST", point.st[i], ct.low, ct.high});
  }
  size_t p = 0;
  for (size_t i = 0; i < k && design.sobol_second_order; ++i) {
    for (size_t j = i + 1; j < k; ++j, ++p) {
      Interval c = percentile_interval(s2_draws[p]);
      const double v = p < point.s2.size() ? point.s2[p] : kNaN;
      out.push_back(
          {std::string(outcome), design.names[i] + ":" + design.names[j], "S2", v, c.low, c.high});
    }
  }
  return out;
}

std::vector<SensitivityRow> morris_indices(const Design& design, std::span<const double> values,
                                           std::string_view outcome,
                                           const BootstrapOptions& options) {
  check_values(design, values, DesignKind::kMorris);
  const size_t k = design.names.size();
  const size_t trajectories = design.morris_trajectories;
  GEOSIM_ASSERT(trajectories * (k + 1) == values.size(), "morris trajectory layout");
  // effects[t][j]: parameter j's elementary effect on trajectory t (NaN if a point failed).
  std::vector<std::vector<double>> effects(trajectories, std::vector<double>(k, kNaN));
  for (size_t t = 0; t < trajectories; ++t) {
    for (size_t s = 0; s < k; ++s) {
      double before = values[t * (k + 1) + s];
      double after = values[t * (k + 1) + s + 1];
      size_t j = design.morris_changed[t * k + s];
      if (std::isfinite(before) && std::isfinite(after)) {
        effects[t][j] = (after - before) / design.morris_step[t * k + s];
      }
    }
  }
  auto collect = [&](size_t j, const std::vector<size_t>& pick) {
    std::vector<double> v;
    for (size_t t : pick) {
      if (std::isfinite(effects[t][j])) v.push_back(effects[t][j]);
    }
    return v;
  };
  std::vector<size_t> all(trajectories);
  for (size_t t = 0; t < trajectories; ++t) all[t] = t;
  std::vector<std::vector<double>> mu_draws(k);
  if (trajectories >= 2) {
    std::vector<size_t> pick(trajectories);
    for (size_t b = 0; b < options.resamples; ++b) {
      for (size_t i = 0; i < trajectories; ++i)
        pick[i] = resample(options.seed, b, i, trajectories);
      for (size_t j = 0; j < k; ++j) mu_draws[j].push_back(mean_abs(collect(j, pick)));
    }
  }
  std::vector<SensitivityRow> out;
  for (size_t j = 0; j < k; ++j) {
    std::vector<double> ee = collect(j, all);
    Interval c = ee.size() >= 2 ? percentile_interval(mu_draws[j]) : Interval{};
    out.push_back({std::string(outcome), design.names[j], "mu_star", mean_abs(ee), c.low, c.high});
    out.push_back({std::string(outcome), design.names[j], "sigma", sample_sd(ee), kNaN, kNaN});
  }
  return out;
}

std::vector<SensitivityRow> sensitivity_indices(const Design& design,
                                                std::span<const double> values,
                                                std::string_view outcome,
                                                const BootstrapOptions& options) {
  switch (design.kind) {
    case DesignKind::kSobol:
      return sobol_indices(design, values, outcome, options);
    case DesignKind::kMorris:
      return morris_indices(design, values, outcome, options);
    default:
      return {};
  }
}

std::vector<std::string> sensitivity_header() {
  return {"outcome", "parameter", "index", "value", "ci_low", "ci_high", "statistic"};
}

std::vector<std::string> sensitivity_fields(const SensitivityRow& row) {
  auto num = [](double x) { return std::isfinite(x) ? io::format_double(x) : std::string(); };
  return {row.outcome,     row.parameter,    row.index,    num(row.value),
          num(row.ci_low), num(row.ci_high), row.statistic};
}

}  // namespace geosim::experiment
