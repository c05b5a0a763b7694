// The report's chart kinds, each one inline <svg> (see svg.h). Inputs are plain numbers,
// already read and checked by folder.h; labels are raw text and are escaped here. Each
// chart's `data-chart` attribute names its kind (the values are the k* constants below)
// and `data-name` the outcome or variable it shows.
#pragma once

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "report/histogram.h"

namespace geosim::report {

inline constexpr const char* kChartHistogram = "histogram";
inline constexpr const char* kChartQuantiles = "quantiles";
inline constexpr const char* kChartShares = "shares";
inline constexpr const char* kChartFan = "fan";
inline constexpr const char* kChartSweep = "sweep";
inline constexpr const char* kChartSensitivity = "sensitivity";
inline constexpr const char* kChartCompare = "compare";
inline constexpr const char* kChartDifference = "difference";
inline constexpr const char* kChartStorylines = "storylines";

inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

// A value with an optional interval (NaN ends when there is none).
struct Estimate {
  double value = kMissing;
  double lo = kMissing;
  double hi = kMissing;
  bool has_interval() const { return !std::isnan(lo) && !std::isnan(hi); }
};

// Counts of runs.csv values; the mean and median are drawn as vertical lines.
std::string histogram_chart(const std::string& name, const std::string& title,
                            const std::string& x_label, const Histogram& h, double mean,
                            double median);

// Summary quantiles of one outcome when there is no per-run data: a box from p25 to p75,
// whiskers from p05 to p95, the median, the mean, and min and max as open circles.
struct Quantiles {
  double min = kMissing, p05 = kMissing, p25 = kMissing, p50 = kMissing, p75 = kMissing,
         p95 = kMissing, max = kMissing, mean = kMissing;
};
std::string quantile_chart(const std::string& name, const std::string& title,
                           const std::string& x_label, const Quantiles& q);

// Horizontal bars, one per label, with 95% interval whiskers and the value written beside.
// With `percent`, values are shares in [0, 1] shown on a 0–100% axis.
struct LabelledEstimate {
  std::string label;
  Estimate estimate;
};
std::string shares_chart(const std::string& name, const std::string& title,
                         const std::string& x_label, const std::vector<LabelledEstimate>& bars,
                         bool percent);

// Storylines: one row per path, its text written above a bar of its share (0-100%) with
// the 95% interval's whisker and the share written beside.
std::string storylines_chart(const std::string& name, const std::string& title,
                             const std::vector<LabelledEstimate>& paths);

// A fan chart over steps: p05–p95 and p25–p75 bands around the median, the mean dashed.
struct FanData {
  std::vector<double> step, mean, p05, p25, p50, p75, p95;
};
std::string fan_chart(const std::string& name, const std::string& title, const std::string& x_label,
                      const std::string& y_label, const FanData& d);

// One outcome against one varied parameter. Each series is drawn either as a connected
// line with bands (one point per x: a one-parameter sweep) or as dots with whiskers
// (other parameters vary too). `band` is p05–p95 and `inner` p25–p75 (NaN: none);
// `estimate` carries the 95% interval of the mean or probability.
struct SweepXY {
  double x = 0;
  Estimate estimate;
  double band_lo = kMissing, band_hi = kMissing, inner_lo = kMissing, inner_hi = kMissing;
};
struct SweepSeries {
  std::string label;
  std::vector<SweepXY> points;  // sorted by x
  bool connected = true;
};
std::string sweep_chart(const std::string& name, const std::string& title,
                        const std::string& x_label, const std::string& y_label,
                        const std::vector<SweepSeries>& series, bool percent);

// Sensitivity indices per parameter, two bars each (S1 and ST, or mu* and sigma), in the
// order given (callers sort by the total effect), with interval whiskers.
struct SensitivityBar {
  std::string parameter;
  Estimate first;
  Estimate second;
};
std::string sensitivity_chart(const std::string& name, const std::string& title,
                              const std::string& first_label, const std::string& second_label,
                              const std::vector<SensitivityBar>& bars);

// A beside B per statistic; a significant row is marked with "*" and drawn in bold.
struct CompareRow {
  std::string statistic;
  double a = kMissing, b = kMissing;
  Estimate difference;  // B - A with its 95% interval, where compare computed one
  bool significant = false;
};
inline constexpr const char* kChartTradeoff = "tradeoff";
inline constexpr const char* kChartBoxLimits = "box-limits";

// PRIM's coverage-density trade-off: one curve per box (peeling, then pasting), x =
// coverage, y = density; the chosen box is ringed.
struct TradeoffPoint2 {
  int box = 0;
  double coverage = 0, density = 0;
  bool chosen = false;
};
std::string tradeoff_chart(const std::string& name, const std::string& title,
                           const std::vector<TradeoffPoint2>& points);

// One box's limits, each over its input's whole range (0 = the range's low end, 1 its
// high end): a grey bar for the range, a blue bar for the box.
struct LimitBar {
  std::string input;
  double low = 0, high = 1;  // as shares of the range
  std::string text;          // tooltip: the values and quasi-p
};
std::string box_limits_chart(const std::string& name, const std::string& title,
                             const std::vector<LimitBar>& bars);

std::string compare_chart(const std::string& name, const std::string& title,
                          const std::string& x_label, const std::vector<CompareRow>& rows);
// The differences B - A with their intervals around a zero line, for rows that have one.
std::string difference_chart(const std::string& name, const std::string& title,
                             const std::string& x_label, const std::vector<CompareRow>& rows);

}  // namespace geosim::report
