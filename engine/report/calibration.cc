#include "report/calibration.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <optional>

#include "core/error.h"
#include "io/csv.h"
#include "io/number.h"
#include "report/charts.h"
#include "report/histogram.h"
#include "report/html.h"
#include "report/svg.h"

namespace geosim::report {
namespace fs = std::filesystem;
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double cell_number(const io::CsvTable& t, size_t r, size_t c, bool allow_empty) {
  const std::string& s = t.rows[r][c];
  if (s.empty() && allow_empty) return kNaN;
  return io::parse_double(s, t.row_loc(r), "a number in column '" + t.header[c] + "'");
}

std::string svg_line(double x1, double y1, double x2, double y2, const char* stroke, double w) {
  return "<line x1=\"" + coord(x1) + "\" y1=\"" + coord(y1) + "\" x2=\"" + coord(x2) + "\" y2=\"" +
         coord(y2) + "\" stroke=\"" + stroke + "\" stroke-width=\"" + coord(w) + "\"/>";
}

std::string figure(const std::string& id, const std::string& svg, const std::string& caption) {
  return "<div class=\"figure\" id=\"" + id + "\">\n" + svg + "\n<p class=\"note\">" +
         escape_html(caption) + "</p>\n</div>\n";
}

// Weighted histogram of one parameter's draws: share of posterior weight per bin.
std::string marginal_chart(const std::string& name, const std::vector<double>& x,
                           const std::vector<double>& w) {
  Histogram h = make_histogram(x, 30);
  std::vector<double> mass(h.counts.size(), 0);
  double total = 0, mean = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    auto b = static_cast<size_t>(std::floor((x[i] - h.lo) / h.width));
    mass[std::min(b, mass.size() - 1)] += w[i];
    total += w[i];
    mean += w[i] * x[i];
  }
  mean /= total;
  double top = 0;
  for (double& m : mass) top = std::max(top, m = 100 * m / total);
  Plot p("posterior-marginal", name, name + ": posterior", 560, 250, Plot::Margins{});
  p.set_x(ticks_within(h.lo, h.hi(), 6), name);
  p.set_y(nice_ticks(0, top, 4), "% of posterior weight");
  std::string g = "<g class=\"bars\">";
  for (size_t i = 0; i < mass.size(); ++i) {
    if (mass[i] <= 0) continue;
    const double x1 = p.px(h.edge(i)), x2 = p.px(h.edge(i + 1));
    g += "<rect x=\"" + coord(x1 + 0.5) + "\" y=\"" + coord(p.py(mass[i])) + "\" width=\"" +
         coord(std::max(0.0, x2 - x1 - 1)) + "\" height=\"" + coord(p.py(0) - p.py(mass[i])) +
         "\" fill=\"" + colour::kBlue + "\" fill-opacity=\"0.85\"><title>" +
         escape_html("[" + display_number(h.edge(i)) + ", " + display_number(h.edge(i + 1)) +
                     "): " + display_number(mass[i], 3) + "%") +
         "</title></rect>";
  }
  p.add(g + "</g>");
  p.add(svg_line(p.px(mean), p.top(), p.px(mean), p.bottom(), colour::kVermillion, 2));
  p.add_legend("line", colour::kVermillion, "mean " + display_number(mean));
  return p.svg();
}

// Draws of two parameters; a dot's opacity is its weight relative to the largest.
std::string scatter_chart(const std::string& a, const std::string& b, const std::vector<double>& x,
                          const std::vector<double>& y, const std::vector<double>& w) {
  const auto [xlo, xhi] = std::minmax_element(x.begin(), x.end());
  const auto [ylo, yhi] = std::minmax_element(y.begin(), y.end());
  const double wmax = *std::max_element(w.begin(), w.end());
  Plot p("posterior-scatter", a + "-" + b, a + " against " + b, 400, 360, Plot::Margins{});
  p.set_x(nice_ticks(*xlo, *xhi, 5), a);
  p.set_y(nice_ticks(*ylo, *yhi, 5), b);
  std::string g = "<g class=\"dots\">";
  for (size_t i = 0; i < x.size(); ++i) {
    const double op = wmax > 0 ? std::max(0.12, 0.8 * w[i] / wmax) : 0.5;
    g += "<circle cx=\"" + coord(p.px(x[i])) + "\" cy=\"" + coord(p.py(y[i])) +
         "\" r=\"2.5\" fill=\"" + colour::kBlue + "\" fill-opacity=\"" + coord(op) + "\"/>";
  }
  p.add(g + "</g>");
  return p.svg();
}

// The number an observation cell holds ("3", "2030~150"); nullopt for a label or "never".
std::optional<double> observed_number(const std::string& text) {
  const size_t tilde = text.find('~');
  return io::try_parse_double(tilde == std::string::npos ? text : text.substr(0, tilde));
}

// Whether an outcome's observations are labels (a `cases` outcome) rather than numbers.
bool is_label_outcome(const std::vector<const CalibrationPrediction*>& rows) {
  return std::any_of(rows.begin(), rows.end(), [](const CalibrationPrediction* r) {
    return !observed_number(r->observed) && r->observed != "never";
  });
}

// A fit.csv value for a reader: a fraction with four significant digits (fit.csv keeps the
// exact value); a count, a prior, a method or "inf" as it is.
std::string fit_cell(const std::string& text) {
  const auto v = io::try_parse_double(text);
  return escape_html(v && *v != std::floor(*v) ? display_number(*v) : text);
}

// Per case of one outcome: the predicted p05-p95 and mean, and the observation. For a label
// the chart shows the predicted share of the observed label (the observation is 1).
std::string observed_chart(const std::string& outcome,
                           const std::vector<const CalibrationPrediction*>& rows) {
  std::vector<std::string> cases;
  const bool label = is_label_outcome(rows);
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  std::vector<double> obs;
  for (const auto* r : rows) {
    cases.push_back(r->case_id);
    const auto v = observed_number(r->observed);
    obs.push_back(v ? *v : kNaN);
  }
  if (label) {
    lo = 0, hi = 1;
  } else {
    for (size_t i = 0; i < rows.size(); ++i)
      for (double v : {rows[i]->p05, rows[i]->p95, rows[i]->mean, obs[i]})
        if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    if (!(lo <= hi)) lo = 0, hi = 1;
  }
  const double height = 80 + 34 * static_cast<double>(cases.size());
  Plot p("observed-predicted", outcome, outcome + ": observed and predicted", 560, height,
         Plot::Margins{140, 16, 34, 50});
  p.set_x(nice_ticks(lo, hi, 6), label ? "predicted share of the observed label" : outcome);
  p.set_y_categories(cases, "");
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto* r = rows[i];
    const double mid = p.band_top(i) + p.band_height() / 2;
    const double m = label ? r->p_observed : r->mean;
    if (!label && std::isfinite(r->p05) && std::isfinite(r->p95))
      p.add(svg_line(p.px(r->p05), mid, p.px(r->p95), mid, "#333333", 1.5));
    if (std::isfinite(m))
      p.add("<circle cx=\"" + coord(p.px(m)) + "\" cy=\"" + coord(mid) + "\" r=\"5\" fill=\"" +
            colour::kBlue + "\"><title>" +
            escape_html("predicted " + display_number(m) + "; P(observed) " +
                        display_number(r->p_observed)) +
            "</title></circle>");
    const double o = label ? 1 : obs[i];
    if (std::isfinite(o)) {
      const double x = p.px(o);
      p.add("<polygon points=\"" + coord(x) + "," + coord(mid - 7) + " " + coord(x + 7) + "," +
            coord(mid) + " " + coord(x) + "," + coord(mid + 7) + " " + coord(x - 7) + "," +
            coord(mid) + "\" fill=\"" + colour::kVermillion + "\"><title>" +
            escape_html("observed " + r->observed) + "</title></polygon>");
    }
  }
  if (!label) p.add_legend("line", "#333333", "predicted p05\xE2\x80\x93p95");
  p.add_legend("box", colour::kBlue, label ? "predicted share" : "predicted mean");
  p.add_legend("box", colour::kVermillion, "observed");
  return p.svg();
}

}  // namespace

std::optional<CalibrationResult> read_calibration(const std::string& dir) {
  std::error_code ec;
  const std::string post = (fs::path(dir) / "posterior.csv").string();
  if (!fs::is_regular_file(post, ec)) return std::nullopt;
  CalibrationResult c;
  {
    io::CsvTable t = io::read_csv(post);
    const int w = t.require_column("weight");
    t.require_column("draw");
    for (size_t j = 2; j < t.header.size(); ++j) c.names.push_back(t.header[j]);
    for (size_t r = 0; r < t.rows.size(); ++r) {
      c.weights.push_back(cell_number(t, r, static_cast<size_t>(w), false));
      std::vector<double> d;
      for (size_t j = 2; j < t.header.size(); ++j) d.push_back(cell_number(t, r, j, false));
      c.draws.push_back(std::move(d));
    }
    if (c.draws.empty()) throw UserError(SourceLoc{post, 1}, "no draws; expected one row per draw");
  }
  const std::string fit = (fs::path(dir) / "fit.csv").string();
  if (fs::is_regular_file(fit, ec)) {
    io::CsvTable t = io::read_csv(fit);
    const int a = t.require_column("parameter"), b = t.require_column("statistic"),
              v = t.require_column("value");
    for (const auto& row : t.rows)
      c.fit.push_back(
          {row[static_cast<size_t>(a)], row[static_cast<size_t>(b)], row[static_cast<size_t>(v)]});
  }
  const std::string pred = (fs::path(dir) / "predictions.csv").string();
  if (fs::is_regular_file(pred, ec)) {
    io::CsvTable t = io::read_csv(pred);
    const auto col = [&](const char* n) { return static_cast<size_t>(t.require_column(n)); };
    const size_t ci = col("case"), oi = col("outcome"), bi = col("observed"),
                 mi = col("predicted_mean"), lo = col("predicted_p05"), hi = col("predicted_p95"),
                 pi = col("p_observed");
    for (size_t r = 0; r < t.rows.size(); ++r)
      c.predictions.push_back({t.rows[r][ci], t.rows[r][oi], t.rows[r][bi],
                               cell_number(t, r, mi, true), cell_number(t, r, lo, true),
                               cell_number(t, r, hi, true), cell_number(t, r, pi, true)});
  }
  return c;
}

std::string calibration_html(const CalibrationResult& c, const std::string& anchor) {
  std::string h;
  std::string method;
  for (const auto& r : c.fit)
    if (r[0].empty() && r[1] == "method") method = r[2];
  h += "<p>" + std::to_string(c.names.size()) + " free parameter(s) fitted" +
       (method.empty() ? std::string() : " by <code>" + escape_html(method) + "</code>") + "; " +
       std::to_string(c.draws.size()) + " posterior draw(s) in posterior.csv.</p>\n";
  // The fit's numbers.
  if (!c.fit.empty()) {
    h += "<table class=\"numbers\"><thead><tr><th>parameter</th><th>statistic</th>"
         "<th>value</th></tr></thead><tbody>\n";
    for (const auto& r : c.fit)
      h += "<tr><td>" + escape_html(r[0]) + "</td><td>" + escape_html(r[1]) + "</td><td>" +
           fit_cell(r[2]) + "</td></tr>\n";
    h += "</tbody></table>\n";
  }
  if (c.draws.size() > 1) {
    for (size_t j = 0; j < c.names.size(); ++j) {
      std::vector<double> x;
      for (const auto& d : c.draws) x.push_back(d[j]);
      h +=
          figure(anchor + "-marginal-" + slug(c.names[j]), marginal_chart(c.names[j], x, c.weights),
                 "Marginal posterior of " + c.names[j] + " (bars: share of the weight).");
    }
    const size_t shown = std::min<size_t>(c.names.size(), 6);
    for (size_t a = 0; a < shown; ++a)
      for (size_t b = a + 1; b < shown; ++b) {
        std::vector<double> x, y;
        for (const auto& d : c.draws) x.push_back(d[a]), y.push_back(d[b]);
        h += figure(
            anchor + "-pair-" + slug(c.names[a]) + "-" + slug(c.names[b]),
            scatter_chart(c.names[a], c.names[b], x, y, c.weights),
            "Posterior draws of " + c.names[a] + " and " + c.names[b] + " (darker: more weight).");
      }
  } else {
    h += "<p class=\"note\">posterior.csv holds one draw (a point estimate): no distribution to "
         "draw.</p>\n";
  }
  // Observed against predicted, one chart per outcome.
  std::vector<std::string> outcomes;
  for (const auto& p : c.predictions)
    if (std::find(outcomes.begin(), outcomes.end(), p.outcome) == outcomes.end())
      outcomes.push_back(p.outcome);
  for (const auto& o : outcomes) {
    std::vector<const CalibrationPrediction*> rows;
    for (const auto& p : c.predictions)
      if (p.outcome == o) rows.push_back(&p);
    h += figure(anchor + "-observed-" + slug(o), observed_chart(o, rows),
                is_label_outcome(rows)
                    ? "Per case: the posterior predictive share of replicates where " + o +
                          " has the observed label (the observation is 1)."
                    : "Per case: the posterior predictive of " + o +
                          " (mean, p05\xE2\x80\x93p95) and what was observed.");
  }
  return h;
}

}  // namespace geosim::report
