#include "report/backtest.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include "core/error.h"
#include "io/csv.h"
#include "io/number.h"
#include "report/html.h"
#include "report/svg.h"

namespace geosim::report {
namespace fs = std::filesystem;
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double cell(const io::CsvTable& t, size_t r, size_t c) {
  const std::string& s = t.rows[r][c];
  if (s.empty()) return kNaN;
  return io::parse_double(s, t.row_loc(r), "a number in column '" + t.header[c] + "'");
}

template <class T>
std::vector<std::string> distinct(const std::vector<T>& rows, std::string T::*field) {
  std::vector<std::string> out;
  for (const auto& r : rows)
    if (std::find(out.begin(), out.end(), r.*field) == out.end()) out.push_back(r.*field);
  return out;
}

}  // namespace

std::optional<BacktestResult> read_backtest(const std::string& dir) {
  std::error_code ec;
  const std::string rel = (fs::path(dir) / "reliability.csv").string();
  if (!fs::is_regular_file(rel, ec)) return std::nullopt;
  BacktestResult b;
  {
    io::CsvTable t = io::read_csv(rel);
    const auto col = [&](const char* n) { return static_cast<size_t>(t.require_column(n)); };
    const size_t ci = col("cases"), fi = col("forecast"), lo = col("bin_low"), hi = col("bin_high"),
                 n = col("count"), mp = col("mean_predicted"), of = col("observed_frequency"),
                 cl = col("ci_low"), ch = col("ci_high");
    for (size_t r = 0; r < t.rows.size(); ++r)
      b.bins.push_back({t.rows[r][ci], t.rows[r][fi], cell(t, r, lo), cell(t, r, hi),
                        static_cast<long long>(io::parse_int64(t.rows[r][n], t.row_loc(r),
                                                               "a count in column 'count'")),
                        cell(t, r, mp), cell(t, r, of), cell(t, r, cl), cell(t, r, ch)});
  }
  const std::string sc = (fs::path(dir) / "scores.csv").string();
  if (fs::is_regular_file(sc, ec)) {
    io::CsvTable t = io::read_csv(sc);
    const auto col = [&](const char* n) { return static_cast<size_t>(t.require_column(n)); };
    const size_t ci = col("cases"), fi = col("forecast"), mi = col("metric"), vi = col("value");
    for (const auto& row : t.rows) b.scores.push_back({row[ci], row[fi], row[mi], row[vi]});
  }
  return b;
}

std::string reliability_chart(const std::string& cases,
                              const std::vector<const BacktestBin*>& bins) {
  Plot p("reliability", cases, "Reliability: " + cases, 560, 460, Plot::Margins{64, 16, 34, 50});
  p.set_x(nice_ticks(0, 1, 5), "predicted probability (mean over the bin)");
  p.set_y(nice_ticks(0, 1, 5), "observed frequency");
  p.add("<line x1=\"" + coord(p.px(0)) + "\" y1=\"" + coord(p.py(0)) + "\" x2=\"" + coord(p.px(1)) +
        "\" y2=\"" + coord(p.py(1)) +
        "\" stroke=\"#999999\" stroke-width=\"1\" stroke-dasharray=\"4 3\"/>");
  std::vector<std::string> forecasts;
  for (const auto* b : bins)
    if (std::find(forecasts.begin(), forecasts.end(), b->forecast) == forecasts.end())
      forecasts.push_back(b->forecast);
  long long top = 1;
  for (const auto* b : bins) top = std::max(top, b->count);
  for (size_t f = 0; f < forecasts.size(); ++f) {
    const char* c = colour::series(f);
    const double shift =
        (static_cast<double>(f) - (static_cast<double>(forecasts.size()) - 1) / 2) * 4;
    std::string g = "<g class=\"series\">";
    std::string path;
    for (const auto* b : bins) {
      if (b->forecast != forecasts[f] || b->count == 0) continue;
      const double x = p.px(b->mean_predicted) + shift, y = p.py(b->observed_frequency);
      path += (path.empty() ? "M" : " L") + coord(x) + "," + coord(y);
      if (std::isfinite(b->ci_low) && std::isfinite(b->ci_high))
        g += "<line x1=\"" + coord(x) + "\" y1=\"" + coord(p.py(b->ci_low)) + "\" x2=\"" +
             coord(x) + "\" y2=\"" + coord(p.py(b->ci_high)) + "\" stroke=\"" + c +
             "\" stroke-width=\"1.5\" stroke-opacity=\"0.7\"/>";
      const double r = 3 + 7 * std::sqrt(static_cast<double>(b->count) / static_cast<double>(top));
      g += "<circle cx=\"" + coord(x) + "\" cy=\"" + coord(y) + "\" r=\"" + coord(r) +
           "\" fill=\"" + c + "\" fill-opacity=\"0.8\"><title>" +
           escape_html(forecasts[f] + ": bin [" + display_number(b->lo) + ", " +
                       display_number(b->hi) + "), " + std::to_string(b->count) +
                       " case(s), mean predicted " + display_number(b->mean_predicted, 3) +
                       ", observed " + display_number(b->observed_frequency, 3) + " [" +
                       display_number(b->ci_low, 3) + ", " + display_number(b->ci_high, 3) + "]") +
           "</title></circle>";
    }
    if (!path.empty())
      g = "<path d=\"" + path + "\" fill=\"none\" stroke=\"" + c +
          "\" stroke-width=\"1.2\" stroke-opacity=\"0.6\"/>" + g;
    p.add(g + "</g>");
    p.add_legend("box", c, forecasts[f]);
  }
  p.add_legend("dash", "#999999", "perfect calibration");
  return p.svg();
}

std::string backtest_html(const BacktestResult& b, const std::string& anchor) {
  std::string h =
      "<p>Each case was predicted by a fit on the other cases (its fold held back). "
      "<code>fitted</code>: the template with the fold's fitted parameters; "
      "<code>template</code>: the file's values; <code>base_rate</code>: (k + 1) / (n + K) over "
      "the fold's training cases. Brier: lower is better (0.25 is a coin flip); log score: higher "
      "is better (ln 0.5 = \xE2\x88\x92"
      "0.693 a coin flip); AUC: 0.5 is chance, 1 perfect "
      "ranking.</p>\n";
  for (const auto& cases : distinct(b.scores, &BacktestScore::cases)) {
    std::vector<std::string> forecasts, metrics;
    for (const auto& s : b.scores) {
      if (s.cases != cases) continue;
      if (std::find(forecasts.begin(), forecasts.end(), s.forecast) == forecasts.end())
        forecasts.push_back(s.forecast);
      if (std::find(metrics.begin(), metrics.end(), s.metric) == metrics.end())
        metrics.push_back(s.metric);
    }
    h += "<h3>Cases: <code>" + escape_html(cases) +
         "</code></h3>\n<table class=\"numbers\">"
         "<thead><tr><th>metric</th>";
    for (const auto& f : forecasts) h += "<th class=\"num\">" + escape_html(f) + "</th>";
    h += "</tr></thead><tbody>\n";
    for (const auto& m : metrics) {
      h += "<tr><td>" + escape_html(m) + "</td>";
      for (const auto& f : forecasts) {
        std::string v;
        for (const auto& s : b.scores)
          if (s.cases == cases && s.forecast == f && s.metric == m) v = s.value;
        auto x = io::try_parse_double(v);
        h += "<td class=\"num\">" + escape_html(x ? display_number(*x, 4) : v) + "</td>";
      }
      h += "</tr>\n";
    }
    h += "</tbody></table>\n";
  }
  for (const auto& cases : distinct(b.bins, &BacktestBin::cases)) {
    std::vector<const BacktestBin*> rows;
    for (const auto& bin : b.bins)
      if (bin.cases == cases) rows.push_back(&bin);
    h += "<div class=\"figure\" id=\"" + anchor + "-reliability-" + slug(cases) + "\">\n" +
         reliability_chart(cases, rows) + "\n<p class=\"note\">" +
         escape_html("Reliability diagram of " + cases +
                     ": cases binned by predicted probability; a dot is a bin (area by count) at "
                     "its mean prediction and observed frequency, with its Wilson 95% interval. "
                     "A calibrated forecast lies on the diagonal.") +
         "</p>\n</div>\n";
  }
  return h;
}

}  // namespace geosim::report
