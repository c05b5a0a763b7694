#include "report/charts.h"

#include <algorithm>
#include <limits>

#include "core/error.h"
#include "report/html.h"
#include "report/svg.h"

namespace geosim::report {

namespace {

constexpr double kWidth = 560;

std::string rect(double x, double y, double w, double h, const std::string& fill,
                 double opacity = 1, const std::string& extra = "") {
  std::string s = "<rect x=\"" + coord(x) + "\" y=\"" + coord(y) + "\" width=\"" +
                  coord(std::max(w, 0.0)) + "\" height=\"" + coord(std::max(h, 0.0)) +
                  "\" fill=\"" + fill + "\"";
  if (opacity != 1) s += " fill-opacity=\"" + coord(opacity) + "\"";
  return s + extra + "/>";
}

std::string line(double x1, double y1, double x2, double y2, const std::string& stroke,
                 double width = 1, const std::string& extra = "") {
  return "<line x1=\"" + coord(x1) + "\" y1=\"" + coord(y1) + "\" x2=\"" + coord(x2) + "\" y2=\"" +
         coord(y2) + "\" stroke=\"" + stroke + "\" stroke-width=\"" + coord(width) + "\"" + extra +
         "/>";
}

std::string circle(double x, double y, double r, const std::string& fill,
                   const std::string& stroke = "none") {
  return "<circle cx=\"" + coord(x) + "\" cy=\"" + coord(y) + "\" r=\"" + coord(r) + "\" fill=\"" +
         fill + "\" stroke=\"" + stroke + "\" stroke-width=\"1.5\"/>";
}

// A tooltip for the element that precedes it in a <g>.
std::string tip(const std::string& text) { return "<title>" + escape_html(text) + "</title>"; }

// Extends [lo, hi] to hold v when v is a number.
void widen(double& lo, double& hi, double v) {
  if (std::isnan(v)) return;
  lo = std::min(lo, v);
  hi = std::max(hi, v);
}

constexpr double kInf = std::numeric_limits<double>::infinity();

// Horizontal whisker with end caps at height y.
std::string whisker(double x1, double x2, double y, double cap, const std::string& stroke) {
  return line(x1, y, x2, y, stroke, 1.5) + line(x1, y - cap, x1, y + cap, stroke, 1.5) +
         line(x2, y - cap, x2, y + cap, stroke, 1.5);
}

std::string polyline(const std::vector<std::pair<double, double>>& pts, const std::string& stroke,
                     double width, const std::string& extra = "") {
  std::string s = "<polyline fill=\"none\" stroke=\"" + stroke + "\" stroke-width=\"" +
                  coord(width) + "\"" + extra + " points=\"";
  for (const auto& [x, y] : pts) s += coord(x) + "," + coord(y) + " ";
  return s + "\"/>";
}

// A closed band between two curves (upper drawn left to right, lower back).
std::string band(const Plot& p, const std::vector<double>& x, const std::vector<double>& lo,
                 const std::vector<double>& hi, const std::string& fill, double opacity) {
  std::string s = "<polygon fill=\"" + std::string(fill) + "\" fill-opacity=\"" + coord(opacity) +
                  "\" stroke=\"none\" points=\"";
  for (size_t i = 0; i < x.size(); ++i) s += coord(p.px(x[i])) + "," + coord(p.py(hi[i])) + " ";
  for (size_t i = x.size(); i-- > 0;) s += coord(p.px(x[i])) + "," + coord(p.py(lo[i])) + " ";
  return s + "\"/>";
}

// The marginal trend of a scatter: the points split into equal-width bins along x (about
// eight points per bin, at most ten bins); per bin with at least three points, the median
// of the values and the band from the 25th to the 75th percentile, at the bin's centre.
struct BinnedTrend {
  std::vector<double> x, mid, lo, hi;
};

double sorted_quantile(const std::vector<double>& v, double q) {
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto i = static_cast<size_t>(std::floor(pos));
  const size_t j = std::min(i + 1, v.size() - 1);
  return v[i] + (v[j] - v[i]) * (pos - static_cast<double>(i));
}

BinnedTrend binned_trend(const std::vector<SweepXY>& points, double scale) {
  BinnedTrend t;
  if (points.size() < 20) return t;
  double lo = kInf, hi = -kInf;
  for (const auto& pt : points) widen(lo, hi, pt.x);
  if (!(hi > lo)) return t;
  const size_t bins = std::min<size_t>(10, points.size() / 8);
  std::vector<std::vector<double>> values(bins);
  for (const auto& pt : points) {
    if (std::isnan(pt.estimate.value)) continue;
    auto b = static_cast<size_t>((pt.x - lo) / (hi - lo) * static_cast<double>(bins));
    values[std::min(b, bins - 1)].push_back(pt.estimate.value * scale);
  }
  for (size_t b = 0; b < bins; ++b) {
    std::vector<double>& v = values[b];
    if (v.size() < 3) continue;
    std::sort(v.begin(), v.end());
    t.x.push_back(lo + (hi - lo) * (static_cast<double>(b) + 0.5) / static_cast<double>(bins));
    t.mid.push_back(sorted_quantile(v, 0.5));
    t.lo.push_back(sorted_quantile(v, 0.25));
    t.hi.push_back(sorted_quantile(v, 0.75));
  }
  return t;
}

double left_margin_for(const std::vector<std::string>& labels) {
  size_t longest = 0;
  for (const auto& l : labels) longest = std::max(longest, l.size());
  return std::clamp(12 + 6.2 * static_cast<double>(longest), 60.0, 190.0);
}

}  // namespace

std::string histogram_chart(const std::string& name, const std::string& title,
                            const std::string& x_label, const Histogram& h, double mean,
                            double median) {
  GEOSIM_ASSERT(!h.counts.empty(), "histogram_chart needs at least one bin");
  Plot p(kChartHistogram, name, title, kWidth, 250, Plot::Margins{});
  int64_t max_count = *std::max_element(h.counts.begin(), h.counts.end());
  const double total = static_cast<double>(std::max<int64_t>(h.total, 1));
  p.set_x(ticks_within(h.lo, h.hi(), 6), x_label);
  p.set_y(nice_ticks(0, 100.0 * static_cast<double>(max_count) / total, 4), "% of replicates");
  std::string g = "<g class=\"bars\">";
  for (size_t i = 0; i < h.counts.size(); ++i) {
    if (h.counts[i] == 0) continue;
    const double pct = 100.0 * static_cast<double>(h.counts[i]) / total;
    const double x1 = p.px(h.edge(i));
    const double x2 = p.px(h.edge(i + 1));
    const double gap = std::min(1.0, (x2 - x1) * 0.1);
    g += "<g>" +
         rect(x1 + gap / 2, p.py(pct), x2 - x1 - gap, p.py(0) - p.py(pct), colour::kBlue, 0.85);
    std::string text = "[";
    text += display_number(h.edge(i)) + ", " + display_number(h.edge(i + 1)) +
            "): " + std::to_string(h.counts[i]) + " replicates (" + display_number(pct, 3) + "%)";
    g += tip(text) + "</g>";
  }
  g += "</g>";
  p.add(g);
  if (!std::isnan(median)) {
    p.add(line(p.px(median), p.top(), p.px(median), p.bottom(), colour::kBlack, 2));
    p.add_legend("line", colour::kBlack, "median " + display_number(median));
  }
  if (!std::isnan(mean)) {
    p.add(line(p.px(mean), p.top(), p.px(mean), p.bottom(), colour::kVermillion, 2,
               " stroke-dasharray=\"5 3\""));
    p.add_legend("dash", colour::kVermillion, "mean " + display_number(mean));
  }
  return p.svg();
}

std::string quantile_chart(const std::string& name, const std::string& title,
                           const std::string& x_label, const Quantiles& q) {
  double lo = kInf, hi = -kInf;
  for (double v : {q.min, q.p05, q.p25, q.p50, q.p75, q.p95, q.max, q.mean}) widen(lo, hi, v);
  GEOSIM_ASSERT(lo <= hi, "quantile_chart needs at least one statistic");
  Plot p(kChartQuantiles, name, title, kWidth, 150, Plot::Margins{24, 16, 40, 50});
  // Whole-number data (a step count, a `first` outcome, a count) get whole-number ticks, not
  // half steps; the mean may fall between them.
  bool whole = true;
  for (double v : {q.min, q.p05, q.p25, q.p50, q.p75, q.p95, q.max})
    whole &= std::isnan(v) || v == std::floor(v);
  p.set_x(whole ? integer_ticks(lo, hi, 6) : nice_ticks(lo, hi, 6), x_label);
  p.set_y_categories({""}, "");
  const double mid = p.band_top(0) + p.band_height() / 2;
  const double half = std::min(18.0, p.band_height() / 3);
  const std::string colour = colour::kBlue;
  if (!std::isnan(q.p05) && !std::isnan(q.p95)) {
    p.add(whisker(p.px(q.p05), p.px(q.p95), mid, half * 0.6, "#333333"));
    p.add_legend("line", "#333333", "p05\xE2\x80\x93p95");
  }
  if (!std::isnan(q.p25) && !std::isnan(q.p75)) {
    p.add(rect(p.px(q.p25), mid - half, p.px(q.p75) - p.px(q.p25), 2 * half, colour, 0.45,
               " stroke=\"" + colour + "\""));
    p.add_legend("box:0.45", colour, "p25\xE2\x80\x93p75");
  }
  if (!std::isnan(q.p50)) {
    p.add(line(p.px(q.p50), mid - half, p.px(q.p50), mid + half, colour::kBlack, 2.5));
    p.add_legend("line", colour::kBlack, "median");
  }
  if (!std::isnan(q.mean)) {
    const double x = p.px(q.mean);
    p.add("<polygon points=\"" + coord(x) + "," + coord(mid - 6) + " " + coord(x + 6) + "," +
          coord(mid) + " " + coord(x) + "," + coord(mid + 6) + " " + coord(x - 6) + "," +
          coord(mid) + "\" fill=\"" + colour::kVermillion + "\"/>");
    p.add_legend("box", colour::kVermillion, "mean");
  }
  if (!std::isnan(q.min)) p.add(circle(p.px(q.min), mid, 4, "#ffffff", "#333333"));
  if (!std::isnan(q.max)) p.add(circle(p.px(q.max), mid, 4, "#ffffff", "#333333"));
  if (!std::isnan(q.min) || !std::isnan(q.max)) p.add_legend("text", "", "\xE2\x97\x8B min / max");
  return p.svg();
}

std::string shares_chart(const std::string& name, const std::string& title,
                         const std::string& x_label, const std::vector<LabelledEstimate>& bars,
                         bool percent) {
  GEOSIM_ASSERT(!bars.empty(), "shares_chart needs at least one bar");
  std::vector<std::string> labels;
  for (const auto& b : bars) labels.push_back(b.label);
  const double row = 30;
  Plot::Margins m{left_margin_for(labels), 150, 40, 50};
  Plot p(kChartShares, name, title, kWidth,
         m.top + m.bottom + row * static_cast<double>(bars.size()), m);
  const double scale = percent ? 100.0 : 1.0;
  if (percent) {
    // Small probabilities get an axis that shows them (bars of 0.04% on a 0-100% axis
    // are invisible); the axis stays in %.
    double top = 0;
    for (const auto& b : bars)
      for (double v : {b.estimate.value, b.estimate.hi})
        if (!std::isnan(v)) top = std::max(top, v);
    p.set_x(top < 0.1 && top > 0 ? nice_ticks(0, 100 * top, 5) : nice_ticks(0, 100, 5), x_label);
  } else {
    double lo = 0, hi = 0;
    for (const auto& b : bars) {
      widen(lo, hi, b.estimate.value);
      widen(lo, hi, b.estimate.lo);
      widen(lo, hi, b.estimate.hi);
    }
    p.set_x(nice_ticks(lo, hi, 5), x_label);
  }
  p.set_y_categories(labels, "");
  for (size_t i = 0; i < bars.size(); ++i) {
    const Estimate& e = bars[i].estimate;
    if (std::isnan(e.value)) continue;
    const double top = p.band_top(i) + p.band_height() * 0.2;
    const double h = p.band_height() * 0.6;
    const double x0 = p.px(0);
    const double x1 = p.px(e.value * scale);
    std::string text = percent ? display_percent(e.value) : display_number(e.value);
    std::string g = "<g>" + rect(std::min(x0, x1), top, std::fabs(x1 - x0), h, colour::kBlue, 0.85);
    if (e.has_interval()) {
      g += whisker(p.px(e.lo * scale), p.px(e.hi * scale), top + h / 2, h * 0.35, "#000000");
      text += percent ? " (" + display_percent(e.lo) + "\xE2\x80\x93" + display_percent(e.hi) + ")"
                      : " (" + display_number(e.lo) + "\xE2\x80\x93" + display_number(e.hi) + ")";
    }
    g += tip(bars[i].label + ": " + text);
    g += svg_text(p.right() + 6, top + h / 2 + 4, text, "start", "value") + "</g>";
    p.add(g);
  }
  p.add_legend("line", "#000000", "95% interval");
  return p.svg();
}

std::string storylines_chart(const std::string& name, const std::string& title,
                             const std::vector<LabelledEstimate>& paths) {
  GEOSIM_ASSERT(!paths.empty(), "storylines_chart needs at least one path");
  const double row = 46;
  Plot::Margins m{16, 150, 40, 50};
  Plot p(kChartStorylines, name, title, kWidth,
         m.top + m.bottom + row * static_cast<double>(paths.size()), m);
  double top_share = 0;
  for (const auto& b : paths)
    for (double v : {b.estimate.value, b.estimate.hi})
      if (!std::isnan(v)) top_share = std::max(top_share, v);
  p.set_x(
      top_share < 0.5 && top_share > 0 ? nice_ticks(0, 100 * top_share, 5) : nice_ticks(0, 100, 5),
      "share of replicates (%)");
  p.set_y_categories(std::vector<std::string>(paths.size(), ""), "");
  // About 6.2 px per character at the label size: long paths are shortened to the plot.
  const size_t max_chars = static_cast<size_t>((p.right() - p.left() + 140) / 6.2);
  for (size_t i = 0; i < paths.size(); ++i) {
    const Estimate& e = paths[i].estimate;
    const double band = p.band_top(i);
    std::string g = "<g>" + svg_text(p.left() + 2, band + 14,
                                     truncate_text(paths[i].label, max_chars), "start", "label");
    if (!std::isnan(e.value)) {
      const double top = band + 20, h = p.band_height() - 26;
      const double x0 = p.px(0), x1 = p.px(e.value * 100);
      std::string text = display_percent(e.value);
      g += rect(std::min(x0, x1), top, std::fabs(x1 - x0), h, colour::kBlue, 0.85);
      if (e.has_interval()) {
        g += whisker(p.px(e.lo * 100), p.px(e.hi * 100), top + h / 2, h * 0.35, "#000000");
        text += " (" + display_percent(e.lo) + "\xE2\x80\x93" + display_percent(e.hi) + ")";
      }
      g += tip(paths[i].label + ": " + text);
      g += svg_text(p.right() + 6, top + h / 2 + 4, text, "start", "value");
    }
    p.add(g + "</g>");
  }
  p.add_legend("line", "#000000", "95% interval");
  return p.svg();
}

std::string fan_chart(const std::string& name, const std::string& title, const std::string& x_label,
                      const std::string& y_label, const FanData& d) {
  GEOSIM_ASSERT(!d.step.empty(), "fan_chart needs at least one step");
  double lo = kInf, hi = -kInf;
  for (const auto* v : {&d.mean, &d.p05, &d.p25, &d.p50, &d.p75, &d.p95}) {
    for (double x : *v) widen(lo, hi, x);
  }
  Plot p(kChartFan, name, title, kWidth, 270, Plot::Margins{});
  // Steps are whole numbers: no tick at "day 2.5".
  const bool whole =
      std::all_of(d.step.begin(), d.step.end(), [](double s) { return s == std::floor(s); });
  p.set_x(whole ? integer_ticks(d.step.front(), d.step.back(), 8)
                : nice_ticks(d.step.front(), d.step.back(), 8),
          x_label);
  p.set_y(nice_ticks(lo, hi, 5), y_label);
  p.add(band(p, d.step, d.p05, d.p95, colour::kBlue, 0.18));
  p.add(band(p, d.step, d.p25, d.p75, colour::kBlue, 0.38));
  std::vector<std::pair<double, double>> median, mean;
  for (size_t i = 0; i < d.step.size(); ++i) {
    median.emplace_back(p.px(d.step[i]), p.py(d.p50[i]));
    mean.emplace_back(p.px(d.step[i]), p.py(d.mean[i]));
  }
  p.add(polyline(median, colour::kBlue, 2.2));
  p.add(polyline(mean, colour::kVermillion, 1.6, " stroke-dasharray=\"5 3\""));
  p.add_legend("box:0.18", colour::kBlue, "p05\xE2\x80\x93p95");
  p.add_legend("box:0.38", colour::kBlue, "p25\xE2\x80\x93p75");
  p.add_legend("line", colour::kBlue, "median");
  p.add_legend("dash", colour::kVermillion, "mean");
  return p.svg();
}

std::string sweep_chart(const std::string& name, const std::string& title,
                        const std::string& x_label, const std::string& y_label,
                        const std::vector<SweepSeries>& series, bool percent) {
  double xlo = kInf, xhi = -kInf, ylo = kInf, yhi = -kInf;
  for (const auto& s : series) {
    for (const auto& pt : s.points) {
      widen(xlo, xhi, pt.x);
      for (double v : {pt.estimate.value, pt.estimate.lo, pt.estimate.hi, pt.band_lo, pt.band_hi})
        widen(ylo, yhi, v);
    }
  }
  GEOSIM_ASSERT(xlo <= xhi && ylo <= yhi, "sweep_chart needs at least one point");
  const double scale = percent ? 100.0 : 1.0;
  Plot p(kChartSweep, name, title, kWidth, 270, Plot::Margins{});
  p.set_x(nice_ticks(xlo, xhi, 6), x_label);
  if (percent) {
    p.set_y(nice_ticks(std::max(0.0, ylo * 100), std::min(100.0, yhi * 100), 5), y_label);
  } else {
    p.set_y(nice_ticks(ylo, yhi, 5), y_label);
  }
  bool any_band = false, any_inner = false, any_binned = false;
  double any_omitted = 0;  // the widest interval left out (0: none)
  for (size_t si = 0; si < series.size(); ++si) {
    const SweepSeries& s = series[si];
    const std::string c = colour::series(si);
    std::vector<double> xs, blo, bhi, ilo, ihi, clo, chi;
    bool has_band = s.connected, has_inner = s.connected, has_ci = s.connected;
    for (const auto& pt : s.points) {
      xs.push_back(pt.x);
      blo.push_back(pt.band_lo * scale), bhi.push_back(pt.band_hi * scale);
      ilo.push_back(pt.inner_lo * scale), ihi.push_back(pt.inner_hi * scale);
      clo.push_back(pt.estimate.lo * scale), chi.push_back(pt.estimate.hi * scale);
      has_band = has_band && !std::isnan(pt.band_lo) && !std::isnan(pt.band_hi);
      has_inner = has_inner && !std::isnan(pt.inner_lo) && !std::isnan(pt.inner_hi);
      has_ci = has_ci && pt.estimate.has_interval();
    }
    if (has_band) p.add(band(p, xs, blo, bhi, c, 0.15)), any_band = true;
    if (has_inner) p.add(band(p, xs, ilo, ihi, c, 0.3)), any_inner = true;
    if (has_ci) p.add(band(p, xs, clo, chi, c, has_band ? 0.5 : 0.3));
    // Drawn over the points: the binned trend of a scatter, with a white halo.
    std::string trend_markup;
    if (!s.connected) {
      const BinnedTrend trend = binned_trend(s.points, scale);
      if (!trend.x.empty()) {
        trend_markup = band(p, trend.x, trend.lo, trend.hi, c, 0.25);
        std::vector<std::pair<double, double>> line;
        for (size_t i = 0; i < trend.x.size(); ++i) {
          line.emplace_back(p.px(trend.x[i]), p.py(trend.mid[i]));
        }
        trend_markup += polyline(line, "#ffffff", 5);
        trend_markup += polyline(line, c, 2.5, " stroke-dasharray=\"6 3\"");
        any_binned = true;
      }
    }
    std::vector<std::pair<double, double>> pts;
    // Large designs (hundreds of points per chart) get neither tooltips nor a group per
    // point, and all whiskers of a series share one path, to keep the page light; past 60
    // points the dots and whiskers fade so that the trend shows through.
    const bool tooltips = s.points.size() <= 150;
    const bool crowded = s.points.size() > 60;
    // Intervals wider than the spread of the estimates themselves (very small
    // probabilities: every point near 0%, every Wilson interval reaching up) would draw a
    // forest of whiskers that hides the points; then they are left out and the legend
    // says how wide they are (each point's tooltip still gives its interval).
    bool omit_whiskers = false;
    double widest = 0;
    if (!s.connected && percent) {
      std::vector<double> widths;
      double vlo = kInf, vhi = -kInf;
      for (const auto& pt : s.points) {
        if (std::isnan(pt.estimate.value) || !pt.estimate.has_interval()) continue;
        widths.push_back(pt.estimate.hi - pt.estimate.lo);
        widest = std::max(widest, pt.estimate.hi - pt.estimate.lo);
        widen(vlo, vhi, pt.estimate.value);
      }
      if (widths.size() >= 10) {
        std::nth_element(widths.begin(), widths.begin() + widths.size() / 2, widths.end());
        omit_whiskers = widths[widths.size() / 2] > vhi - vlo;
      }
    }
    if (omit_whiskers) any_omitted = std::max(any_omitted, widest);
    std::string whiskers;
    std::string dots = "<g fill=\"" + c + "\"" + (crowded ? " fill-opacity=\"0.45\"" : "") + ">";
    for (const auto& pt : s.points) {
      if (std::isnan(pt.estimate.value)) continue;
      const double x = p.px(pt.x), y = p.py(pt.estimate.value * scale);
      pts.emplace_back(x, y);
      if (!s.connected && !omit_whiskers && pt.estimate.has_interval()) {
        const double y1 = p.py(pt.estimate.lo * scale), y2 = p.py(pt.estimate.hi * scale);
        whiskers.append("M").append(coord(x)).append(" ").append(coord(y1));
        whiskers.append("V").append(coord(y2));
        if (!crowded) {
          whiskers.append("M").append(coord(x - 2.5)).append(" ").append(coord(y1)).append("h5");
          whiskers.append("M").append(coord(x - 2.5)).append(" ").append(coord(y2)).append("h5");
        }
      }
      const std::string dot = "<circle cx=\"" + coord(x) + "\" cy=\"" + coord(y) + "\" r=\"" +
                              (s.connected || crowded ? "2.5" : "3") + "\"/>";
      if (!tooltips) {
        dots += dot;
        continue;
      }
      std::string t =
          x_label + " = " + display_number(pt.x) + ": " +
          (percent ? display_percent(pt.estimate.value) : display_number(pt.estimate.value));
      if (pt.estimate.has_interval()) {
        t += percent ? " [" + display_percent(pt.estimate.lo) + ", " +
                           display_percent(pt.estimate.hi) + "]"
                     : " [" + display_number(pt.estimate.lo) + ", " +
                           display_number(pt.estimate.hi) + "]";
      }
      dots += "<g>" + dot + tip(t) + "</g>";
    }
    dots += "</g>";
    if (!whiskers.empty()) {
      p.add("<path fill=\"none\" stroke=\"" + c + "\" stroke-width=\"1.2\"" +
            (crowded ? " stroke-opacity=\"0.3\"" : "") + " d=\"" + whiskers + "\"/>");
    }
    if (s.connected) p.add(polyline(pts, c, 2));
    p.add(dots);
    p.add(trend_markup);
    if (series.size() > 1) p.add_legend("line", c, truncate_text(s.label, 24));
  }
  if (series.size() == 1) {
    p.add_legend("line", colour::series(0), truncate_text(series[0].label, 24));
  }
  if (any_band) p.add_legend("box:0.15", "#555555", "p05\xE2\x80\x93p95");
  if (any_inner) p.add_legend("box:0.3", "#555555", "p25\xE2\x80\x93p75");
  // Intervals wider than the spread of the points are not drawn (a forest of whiskers
  // hides the points); the legend then says so instead of showing an interval swatch.
  if (any_omitted > 0)
    p.add_legend("text", "",
                 "intervals (\xE2\x89\xA4 " + display_percent(any_omitted) + ") not drawn");
  else
    p.add_legend("box:0.5", "#555555", "95% interval");
  if (any_binned) p.add_legend("dash", "#555555", "binned median, middle half");
  return p.svg();
}

std::string sensitivity_chart(const std::string& name, const std::string& title,
                              const std::string& first_label, const std::string& second_label,
                              const std::vector<SensitivityBar>& bars) {
  GEOSIM_ASSERT(!bars.empty(), "sensitivity_chart needs at least one parameter");
  std::vector<std::string> labels;
  double lo = 0, hi = 0;
  for (const auto& b : bars) {
    labels.push_back(b.parameter);
    for (const Estimate* e : {&b.first, &b.second}) {
      widen(lo, hi, e->value);
      widen(lo, hi, e->lo);
      widen(lo, hi, e->hi);
    }
  }
  const double row = 36;
  Plot::Margins m{left_margin_for(labels), 24, 40, 50};
  Plot p(kChartSensitivity, name, title, kWidth,
         m.top + m.bottom + row * static_cast<double>(bars.size()), m);
  p.set_x(nice_ticks(lo, hi, 5), "index (" + first_label + ", " + second_label + ")");
  p.set_y_categories(labels, "");
  for (size_t i = 0; i < bars.size(); ++i) {
    const double bh = p.band_height() * 0.36;
    const double top = p.band_top(i) + p.band_height() * 0.12;
    const Estimate* es[] = {&bars[i].first, &bars[i].second};
    const char* colours[] = {colour::kSkyBlue, colour::kBlue};
    const std::string names[] = {first_label, second_label};
    for (int k = 0; k < 2; ++k) {
      const Estimate& e = *es[k];
      if (std::isnan(e.value)) continue;
      const double y = top + bh * k;
      const double x0 = p.px(0), x1 = p.px(e.value);
      std::string g = "<g>" + rect(std::min(x0, x1), y, std::fabs(x1 - x0), bh - 1, colours[k]);
      std::string t = bars[i].parameter + " " + names[k] + " = " + display_number(e.value);
      if (e.has_interval()) {
        g += whisker(p.px(e.lo), p.px(e.hi), y + bh / 2, bh * 0.3, "#000000");
        t += " [" + display_number(e.lo) + ", " + display_number(e.hi) + "]";
      }
      p.add(g + tip(t) + "</g>");
    }
  }
  p.add_legend("box", colour::kSkyBlue, first_label);
  p.add_legend("box", colour::kBlue, second_label);
  p.add_legend("line", "#000000", "95% interval");
  return p.svg();
}

std::string tradeoff_chart(const std::string& name, const std::string& title,
                           const std::vector<TradeoffPoint2>& points) {
  GEOSIM_ASSERT(!points.empty(), "tradeoff_chart needs points");
  Plot p(kChartTradeoff, name, title, kWidth, 340, Plot::Margins{64, 16, 34, 50});
  p.set_x(nice_ticks(0, 1, 5), "coverage (share of all cases of interest inside the box)");
  double hi = 0;
  for (const auto& pt : points) hi = std::max(hi, pt.density);
  p.set_y(nice_ticks(0, std::max(hi, 0.1), 5), "density (share of the box that are cases)");
  int last_box = -1;
  std::vector<std::pair<double, double>> curve;
  auto flush = [&] {
    if (curve.size() > 1)
      p.add(polyline(curve, colour::series(static_cast<size_t>(last_box - 1)), 1.5));
    curve.clear();
  };
  for (const auto& pt : points) {
    if (pt.box != last_box) {
      flush();
      last_box = pt.box;
    }
    curve.emplace_back(p.px(pt.coverage), p.py(pt.density));
  }
  flush();
  for (const auto& pt : points) {
    const char* c = colour::series(static_cast<size_t>(pt.box - 1));
    p.add("<g>" +
          circle(p.px(pt.coverage), p.py(pt.density), pt.chosen ? 6 : 2.5, pt.chosen ? "none" : c,
                 pt.chosen ? colour::kBlack : "none") +
          tip("box " + std::to_string(pt.box) + ": coverage " + display_number(pt.coverage) +
              ", density " + display_number(pt.density) + (pt.chosen ? " (chosen)" : "")) +
          "</g>");
  }
  for (int b = 1; b <= last_box; ++b)
    p.add_legend("line", colour::series(static_cast<size_t>(b - 1)), "box " + std::to_string(b));
  p.add_legend("text", colour::kBlack, "ringed: the chosen box");
  return p.svg();
}

std::string box_limits_chart(const std::string& name, const std::string& title,
                             const std::vector<LimitBar>& bars) {
  GEOSIM_ASSERT(!bars.empty(), "box_limits_chart needs at least one restriction");
  std::vector<std::string> labels;
  for (const auto& b : bars) labels.push_back(b.input);
  Plot::Margins m{left_margin_for(labels), 24, 34, 50};
  Plot p(kChartBoxLimits, name, title, kWidth,
         m.top + m.bottom + 30 * static_cast<double>(bars.size()), m);
  p.set_x(nice_ticks(0, 1, 5), "position in the input's range (0 = its lowest value, 1 = highest)");
  p.set_y_categories(labels, "");
  for (size_t i = 0; i < bars.size(); ++i) {
    const double h = p.band_height() * 0.5, y = p.band_top(i) + p.band_height() * 0.25;
    p.add(rect(p.px(0), y, p.px(1) - p.px(0), h, "#dddddd"));
    p.add("<g>" +
          rect(p.px(bars[i].low), y, p.px(bars[i].high) - p.px(bars[i].low), h, colour::kBlue) +
          tip(bars[i].text) + "</g>");
  }
  p.add_legend("box", "#dddddd", "the input's range");
  p.add_legend("box", colour::kBlue, "the box");
  return p.svg();
}

std::string compare_chart(const std::string& name, const std::string& title,
                          const std::string& x_label, const std::vector<CompareRow>& rows) {
  GEOSIM_ASSERT(!rows.empty(), "compare_chart needs at least one row");
  std::vector<std::string> labels;
  double lo = 0, hi = 0;
  for (const auto& r : rows) {
    labels.push_back(r.significant ? "* " + r.statistic : r.statistic);
    widen(lo, hi, r.a);
    widen(lo, hi, r.b);
  }
  const double row = 30;
  Plot::Margins m{left_margin_for(labels), 24, 40, 50};
  Plot p(kChartCompare, name, title, kWidth,
         m.top + m.bottom + row * static_cast<double>(rows.size()), m);
  p.set_x(nice_ticks(lo, hi, 5), x_label);
  p.set_y_categories(labels, "");
  for (size_t i = 0; i < rows.size(); ++i) {
    const double bh = p.band_height() * 0.38;
    const double top = p.band_top(i) + p.band_height() * 0.12;
    const double vals[] = {rows[i].a, rows[i].b};
    const char* colours[] = {colour::kBlue, colour::kOrange};
    const char* side[] = {"A", "B"};
    for (int k = 0; k < 2; ++k) {
      if (std::isnan(vals[k])) continue;
      const double x0 = p.px(0), x1 = p.px(vals[k]);
      std::string extra = rows[i].significant ? " stroke=\"#000000\" stroke-width=\"1.5\"" : "";
      p.add("<g>" +
            rect(std::min(x0, x1), top + bh * k, std::fabs(x1 - x0), bh - 1, colours[k], 1, extra) +
            tip(rows[i].statistic + " " + side[k] + " = " + display_number(vals[k]) +
                (rows[i].significant ? " (significant difference)" : "")) +
            "</g>");
    }
  }
  p.add_legend("box", colour::kBlue, "A");
  p.add_legend("box", colour::kOrange, "B");
  p.add_legend("text", "", "* significant at 5%");
  return p.svg();
}

std::string difference_chart(const std::string& name, const std::string& title,
                             const std::string& x_label, const std::vector<CompareRow>& rows) {
  std::vector<const CompareRow*> shown;
  for (const auto& r : rows) {
    if (!std::isnan(r.difference.value)) shown.push_back(&r);
  }
  GEOSIM_ASSERT(!shown.empty(), "difference_chart needs at least one difference");
  std::vector<std::string> labels;
  double lo = 0, hi = 0;
  for (const CompareRow* r : shown) {
    labels.push_back(r->significant ? "* " + r->statistic : r->statistic);
    widen(lo, hi, r->difference.value);
    widen(lo, hi, r->difference.lo);
    widen(lo, hi, r->difference.hi);
  }
  const double row = 28;
  Plot::Margins m{left_margin_for(labels), 24, 40, 50};
  Plot p(kChartDifference, name, title, kWidth,
         m.top + m.bottom + row * static_cast<double>(shown.size()), m);
  p.set_x(nice_ticks(lo, hi, 5), x_label);
  p.set_y_categories(labels, "");
  p.add(line(p.px(0), p.top(), p.px(0), p.bottom(), "#000000", 1, " stroke-dasharray=\"3 3\""));
  for (size_t i = 0; i < shown.size(); ++i) {
    const CompareRow& r = *shown[i];
    const double y = p.band_top(i) + p.band_height() / 2;
    const std::string c = r.significant ? colour::kVermillion : colour::kBlue;
    std::string g = "<g>";
    if (r.difference.has_interval()) {
      g += whisker(p.px(r.difference.lo), p.px(r.difference.hi), y, 5, c);
    }
    g += r.significant ? rect(p.px(r.difference.value) - 4.5, y - 4.5, 9, 9, c)
                       : circle(p.px(r.difference.value), y, 4.5, c);
    std::string t = r.statistic + ": B \xE2\x88\x92 A = " + display_number(r.difference.value);
    if (r.difference.has_interval()) {
      t += " [" + display_number(r.difference.lo) + ", " + display_number(r.difference.hi) + "]";
    }
    p.add(g + tip(t + (r.significant ? ", significant" : ", not significant")) + "</g>");
  }
  p.add_legend("box", colour::kVermillion, "significant at 5%");
  p.add_legend("line", colour::kBlue, "not significant");
  return p.svg();
}

}  // namespace geosim::report
