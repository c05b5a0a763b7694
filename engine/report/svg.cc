#include "report/svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/error.h"
#include "report/html.h"

namespace geosim::report {

const char* colour::series(size_t index) {
  static constexpr const char* kOrder[] = {kBlue,   kOrange,  kGreen, kVermillion,
                                           kPurple, kSkyBlue, kBlack, kYellow};
  return kOrder[index % (sizeof kOrder / sizeof kOrder[0])];
}

namespace {

// The smallest of 1, 2, 2.5, 5, 10 times a power of ten that is at least `raw`.
double nice_step(double raw) {
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double norm = raw / mag;
  double f = 10;
  if (norm <= 1.0 + 1e-9) {
    f = 1;
  } else if (norm <= 2.0 + 1e-9) {
    f = 2;
  } else if (norm <= 2.5 + 1e-9) {
    f = 2.5;
  } else if (norm <= 5.0 + 1e-9) {
    f = 5;
  }
  return f * mag;
}

}  // namespace

Ticks nice_ticks(double lo, double hi, int target) {
  GEOSIM_ASSERT(std::isfinite(lo) && std::isfinite(hi),
                "axis bounds " + std::to_string(lo) + ", " + std::to_string(hi));
  if (lo > hi) std::swap(lo, hi);
  if (hi - lo <= 1e-12 * std::max(1.0, std::fabs(lo))) {
    const double pad = lo == 0 ? 1.0 : std::fabs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  target = std::max(target, 2);
  Ticks t;
  t.step = nice_step((hi - lo) / target);
  // The step as m / d with whole m and d = 10^j, so that each tick, (index * m) / d, is
  // the double nearest its decimal value (0.6, not 0.6000000000000001).
  double d = 1;
  while (std::fabs(t.step * d - std::round(t.step * d)) > 1e-9 * t.step * d && d < 1e22) d *= 10;
  const double m = std::round(t.step * d);
  const double first = std::floor(lo / t.step + 1e-9);
  const double last = std::ceil(hi / t.step - 1e-9);
  for (double i = first; i <= last; i += 1) {
    const double v = d > 1 ? (i * m) / d : i * t.step;
    t.values.push_back(v == 0 ? 0.0 : v);
  }
  t.lo = t.values.front();
  t.hi = t.values.back();
  return t;
}

Ticks integer_ticks(double lo, double hi, int target) {
  Ticks t = nice_ticks(lo, hi, target);
  if (t.step >= 1) return t;
  if (lo > hi) std::swap(lo, hi);
  t.step = 1;
  t.values.clear();
  const double first = std::floor(lo), last = std::max(std::ceil(hi), first + 1);
  for (double v = first; v <= last; v += 1) t.values.push_back(v == 0 ? 0.0 : v);
  t.lo = t.values.front();
  t.hi = t.values.back();
  return t;
}

Ticks ticks_within(double lo, double hi, int target) {
  Ticks t = nice_ticks(lo, hi, target);
  if (hi - lo <= 1e-12 * std::max(1.0, std::fabs(lo))) return t;
  if (lo > hi) std::swap(lo, hi);
  std::erase_if(t.values, [&](double v) {
    const double slack = t.step * 1e-9;
    return v < lo - slack || v > hi + slack;
  });
  t.lo = lo;
  t.hi = hi;
  return t;
}

std::string tick_label(double value, double step) {
  if (std::fabs(value) < step * 1e-9) return "0";
  const double mag = std::max(std::fabs(value), step);
  char buf[64];
  if (mag >= 1e6 || step < 1e-4) {
    const int digits = std::max(
        1, static_cast<int>(std::floor(std::log10(mag)) - std::floor(std::log10(step))) + 1);
    std::snprintf(buf, sizeof buf, "%.*g", std::min(digits + 1, 17), value);
    return buf;
  }
  int decimals = std::max(0, -static_cast<int>(std::floor(std::log10(step) + 1e-9)));
  // A step of 2.5 x 10^k needs one more decimal than its power of ten suggests.
  const double scaled = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
  if (std::fabs(scaled - 2.5) < 1e-6) ++decimals;
  return fixed_trimmed(value, decimals);
}

std::string coord(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s(buf);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

std::string svg_text(double x, double y, std::string_view text, std::string_view anchor,
                     std::string_view css_class) {
  std::string s = "<text x=\"" + coord(x) + "\" y=\"" + coord(y) + "\"";
  if (anchor != "start") s += " text-anchor=\"" + std::string(anchor) + "\"";
  if (!css_class.empty()) s += " class=\"" + std::string(css_class) + "\"";
  s += '>';
  s += escape_html(text);
  s += "</text>";
  return s;
}

std::string truncate_text(std::string_view text, size_t max_chars) {
  size_t chars = 0;
  size_t cut = text.size();
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (chars == max_chars - 1 && cut == text.size()) cut = i;
    ++chars;
  }
  if (chars <= max_chars) return std::string(text);
  return std::string(text.substr(0, cut)) + "\xE2\x80\xA6";
}

Plot::Plot(std::string kind, std::string name, std::string title, double width, double height,
           Margins margins)
    : kind_(std::move(kind)),
      name_(std::move(name)),
      title_(std::move(title)),
      width_(width),
      height_(height),
      margins_(margins) {}

void Plot::set_x(Ticks ticks, std::string label) {
  x_ = std::move(ticks);
  x_label_ = std::move(label);
}

void Plot::set_y(Ticks ticks, std::string label) {
  y_ = std::move(ticks);
  y_label_ = std::move(label);
  has_y_ = true;
  categories_.clear();
}

void Plot::set_y_categories(std::vector<std::string> labels, std::string label) {
  categories_ = std::move(labels);
  y_label_ = std::move(label);
  has_y_ = false;
}

double Plot::px(double x) const {
  return left() + (x - x_.lo) / (x_.hi - x_.lo) * (right() - left());
}

double Plot::py(double y) const {
  return bottom() - (y - y_.lo) / (y_.hi - y_.lo) * (bottom() - top());
}

double Plot::band_height() const {
  return categories_.empty() ? 0 : (bottom() - top()) / static_cast<double>(categories_.size());
}

double Plot::band_top(size_t i) const { return top() + band_height() * static_cast<double>(i); }

void Plot::add_legend(std::string swatch_kind, const std::string& colour, const std::string& text) {
  legend_.push_back({std::move(swatch_kind), colour, text});
}

namespace {

constexpr double kLegendRow = 16;  // the height a further legend row adds

// The width a legend entry takes (its swatch, its text at about 6.2 px a byte, the gap).
double legend_width(const std::string& swatch, const std::string& text) {
  return (swatch == "text" ? 0 : 20) + 6.2 * static_cast<double>(text.size()) + 14;
}

std::string legend_markup(const std::string& swatch, const std::string& colour,
                          const std::string& text, double x, double y) {
  std::string s;
  if (swatch == "text") return svg_text(x, y + 4, text, "start", "legend");
  if (swatch == "line") {
    s += "<line x1=\"" + coord(x) + "\" y1=\"" + coord(y) + "\" x2=\"" + coord(x + 16) +
         "\" y2=\"" + coord(y) + "\" stroke=\"" + colour + "\" stroke-width=\"2\"/>";
  } else if (swatch == "dash") {
    s += "<line x1=\"" + coord(x) + "\" y1=\"" + coord(y) + "\" x2=\"" + coord(x + 16) +
         "\" y2=\"" + coord(y) + "\" stroke=\"" + colour +
         "\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>";
  } else {
    // "box" plus an optional opacity written as "box:0.3".
    std::string opacity = "1";
    if (swatch.rfind("box:", 0) == 0) opacity = swatch.substr(4);
    s += "<rect x=\"" + coord(x) + "\" y=\"" + coord(y - 5) +
         "\" width=\"16\" height=\"10\" fill=\"" + colour + "\" fill-opacity=\"" + opacity + "\"/>";
  }
  return s + svg_text(x + 20, y + 4, text, "start", "legend");
}

}  // namespace

std::string Plot::svg() const {
  // The legend, left to right from the plot's left edge, wrapping before an entry that would
  // pass the chart's right edge (an entry wider than a row keeps a row of its own).
  std::string legend;
  double lx = margins_.left, ly = 26;
  for (const LegendEntry& e : legend_) {
    const double w = legend_width(e.swatch, e.text);
    if (lx > margins_.left && lx + w - 14 > width_ - 4) {
      lx = margins_.left;
      ly += kLegendRow;
    }
    legend += legend_markup(e.swatch, e.colour, e.text, lx, ly);
    lx += w;
  }
  const double extra = ly - 26;  // rows beyond the first push the plot down
  const double height = height_ + extra;
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"" +
                  kind_ + "\" data-name=\"" + escape_html(name_) + "\" viewBox=\"0 0 " +
                  coord(width_) + " " + coord(height) + "\" width=\"" + coord(width_) +
                  "\" height=\"" + coord(height) + "\" role=\"img\" aria-label=\"" +
                  escape_html(title_) +
                  "\" font-family=\"system-ui, 'Segoe UI', Roboto, Arial, sans-serif\" "
                  "font-size=\"11\">";
  s += "<title>" + escape_html(title_) + "</title>";
  s += "<rect class=\"bg\" x=\"0\" y=\"0\" width=\"" + coord(width_) + "\" height=\"" +
       coord(height) + "\" fill=\"#ffffff\"/>";
  s += svg_text(left(), 13, truncate_text(title_, static_cast<size_t>(width_ / 6.6)), "start",
                "ctitle");
  if (extra > 0) s += "<g transform=\"translate(0 " + coord(extra) + ")\">";
  // Grid and ticks.
  std::string grid = "<g stroke=\"#e3e3e3\" stroke-width=\"1\">";
  std::string ticks = "<g fill=\"#333333\">";
  for (double v : x_.values) {
    const double x = px(v);
    grid += "<line x1=\"" + coord(x) + "\" y1=\"" + coord(top()) + "\" x2=\"" + coord(x) +
            "\" y2=\"" + coord(bottom()) + "\"/>";
    ticks += "<line x1=\"" + coord(x) + "\" y1=\"" + coord(bottom()) + "\" x2=\"" + coord(x) +
             "\" y2=\"" + coord(bottom() + 4) + "\" stroke=\"#333333\"/>";
    ticks += svg_text(x, bottom() + 15, tick_label(v, x_.step), "middle");
  }
  if (has_y_) {
    for (double v : y_.values) {
      const double y = py(v);
      grid += "<line x1=\"" + coord(left()) + "\" y1=\"" + coord(y) + "\" x2=\"" + coord(right()) +
              "\" y2=\"" + coord(y) + "\"/>";
      ticks += "<line x1=\"" + coord(left() - 4) + "\" y1=\"" + coord(y) + "\" x2=\"" +
               coord(left()) + "\" y2=\"" + coord(y) + "\" stroke=\"#333333\"/>";
      ticks += svg_text(left() - 6, y + 4, tick_label(v, y_.step), "end");
    }
  } else {
    const size_t max_chars = static_cast<size_t>(std::max(4.0, (left() - 10) / 6.2));
    for (size_t i = 0; i < categories_.size(); ++i) {
      const double y = band_top(i) + band_height() / 2;
      ticks += svg_text(left() - 6, y + 4, truncate_text(categories_[i], max_chars), "end");
    }
  }
  grid += "</g>";
  ticks += "</g>";
  s += grid;
  s += body_;
  s += "<g stroke=\"#333333\" stroke-width=\"1\" fill=\"none\"><line x1=\"" + coord(left()) +
       "\" y1=\"" + coord(bottom()) + "\" x2=\"" + coord(right()) + "\" y2=\"" + coord(bottom()) +
       "\"/><line x1=\"" + coord(left()) + "\" y1=\"" + coord(top()) + "\" x2=\"" + coord(left()) +
       "\" y2=\"" + coord(bottom()) + "\"/></g>";
  s += ticks;
  s += svg_text((left() + right()) / 2, bottom() + 34, x_label_, "middle", "axis-label");
  if (has_y_ && !y_label_.empty()) {
    const double cx = 14;
    const double cy = (top() + bottom()) / 2;
    s += "<text x=\"" + coord(cx) + "\" y=\"" + coord(cy) +
         "\" text-anchor=\"middle\" class=\"axis-label\" transform=\"rotate(-90 " + coord(cx) +
         " " + coord(cy) + ")\">" +
         escape_html(truncate_text(
             y_label_, static_cast<size_t>(std::max(4.0, (bottom() - top() + 40) / 6.2)))) +
         "</text>";
  }
  if (extra > 0) s += "</g>";
  s += legend;
  s += "</svg>";
  return s;
}

}  // namespace geosim::report
