// The drawing layer of the report: axes with readable ticks and a Plot that maps data to
// an inline SVG element. Charts (charts.h) are built from these pieces; nothing here
// knows about outcomes or files. Every SVG carries `data-chart` (its kind) and
// `data-name` so that the browser test can count the charts on the page.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace geosim::report {

// Okabe & Ito's palette, distinguishable with the common colour-vision deficiencies.
namespace colour {
inline constexpr const char* kBlack = "#000000";
inline constexpr const char* kOrange = "#E69F00";
inline constexpr const char* kSkyBlue = "#56B4E9";
inline constexpr const char* kGreen = "#009E73";
inline constexpr const char* kYellow = "#F0E442";
inline constexpr const char* kBlue = "#0072B2";
inline constexpr const char* kVermillion = "#D55E00";
inline constexpr const char* kPurple = "#CC79A7";
// The colours in the order series use them (yellow last: weak on white).
const char* series(size_t index);
}  // namespace colour

// Tick marks for a linear axis: the domain [lo, hi] widened to whole multiples of a
// "nice" step (1, 2, 2.5 or 5 times a power of ten) so that about `target` ticks cover it.
struct Ticks {
  double lo = 0;
  double hi = 1;
  double step = 0.2;
  std::vector<double> values;
};

// lo == hi is widened around the value; lo > hi is swapped. Both must be finite.
Ticks nice_ticks(double lo, double hi, int target = 5);
// As nice_ticks, for an axis of whole numbers (steps): every tick is a whole number.
Ticks integer_ticks(double lo, double hi, int target = 5);

// Nice ticks inside [lo, hi] without widening it: the domain stays exactly [lo, hi] (for
// histograms, whose edges are the data's) and the ticks are the nice values within it.
Ticks ticks_within(double lo, double hi, int target = 5);

// The label of one tick, with as many decimals as the step needs (so 0, 0.25, 0.5 and
// not 0, 0.2500000001); scientific notation for very large or very small magnitudes.
std::string tick_label(double value, double step);

// A chart in SVG coordinates. The plot area is the rectangle inside the margins; x is a
// linear axis, y either linear or categorical (one band per label, top to bottom).
class Plot {
 public:
  struct Margins {
    double left = 64, right = 16, top = 34, bottom = 50;
  };
  Plot(std::string kind, std::string name, std::string title, double width, double height,
       Margins margins);

  void set_x(Ticks ticks, std::string label);
  void set_y(Ticks ticks, std::string label);
  // Categorical y: one band per label; band(i) gives its top and height.
  void set_y_categories(std::vector<std::string> labels, std::string label);

  double px(double x) const;  // data x -> SVG x (not clamped)
  double py(double y) const;  // data y -> SVG y
  double band_top(size_t i) const;
  double band_height() const;
  double left() const { return margins_.left; }
  double right() const { return width_ - margins_.right; }
  double top() const { return margins_.top; }
  double bottom() const { return height_ - margins_.bottom; }

  // Appends raw SVG markup drawn inside the plot area (already escaped).
  void add(std::string_view markup) { body_ += markup; }
  // A legend entry drawn in the top margin, left to right: a swatch ("line", "dash",
  // "box" or "box:OPACITY"; "text" for none) and the text (escaped here). Entries that do not
  // fit the chart's width wrap to further rows, and the chart grows by a row each (the plot
  // area moves down with it, so px and py stay valid for the markup added).
  void add_legend(std::string swatch_markup_kind, const std::string& colour,
                  const std::string& text);

  // The whole <svg> element: grid, axes, ticks, labels, body and legend.
  std::string svg() const;

 private:
  std::string kind_, name_, title_;
  double width_, height_;
  Margins margins_;
  Ticks x_, y_;
  std::string x_label_, y_label_;
  std::vector<std::string> categories_;
  bool has_y_ = false;
  std::string body_;
  struct LegendEntry {
    std::string swatch, colour, text;
  };
  std::vector<LegendEntry> legend_;
};

// Formats a coordinate with two decimals (enough for SVG, short in the file).
std::string coord(double v);

// SVG <text>, escaped. anchor: "start", "middle" or "end".
std::string svg_text(double x, double y, std::string_view text, std::string_view anchor,
                     std::string_view css_class = "");

// Shortens text to at most max_chars characters (UTF-8 aware), with an ellipsis.
std::string truncate_text(std::string_view text, size_t max_chars);

}  // namespace geosim::report
