// Unit tests of the report's pieces: escaping, number and tick formatting, histogram
// binning, the SVG charts, the result-folder reader (and its errors), and the page.
#include "report/report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/error.h"
#include "report/charts.h"
#include "report/folder.h"
#include "report/histogram.h"
#include "report/html.h"
#include "report/svg.h"

namespace geosim::report {
namespace {

namespace fs = std::filesystem;
const std::string kData = GEOSIM_REPORT_DATA;

size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

// The message of the UserError that `f` throws ("" if it throws none).
template <typename F>
std::string user_error(F f) {
  try {
    f();
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

// ---- text -------------------------------------------------------------------------------

TEST(Discovery, BoxesAndTradeoffRenderTheCurveAndEachBoxsLimits) {
  const fs::path dir =
      fs::temp_directory_path() / ("geosim-report-discover-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "boxes.csv")
      << "box,input,low,high,range_low,range_high,p_low,p_high,coverage,density,mass,rows,cases\n"
         "1,resolve,0.5,1,0,1,1e-9,,0.8,0.9,0.3,300,270\n"
         "1,\"cohesion<x>\",0,0.25,0,1,,0.01,0.8,0.9,0.3,300,270\n";
  std::ofstream(dir / "tradeoff.csv")
      << "box,step,phase,coverage,density,mass,restricted,rows,cases,chosen\n"
         "1,0,peel,1,0.3,1,0,1000,300,0\n1,1,peel,0.9,0.6,0.45,1,450,270,0\n"
         "1,2,peel,0.8,0.9,0.3,2,300,270,1\n";
  const std::string html = render_report(dir.string());
  fs::remove_all(dir);
  EXPECT_NE(html.find("Scenario discovery (PRIM)"), std::string::npos);
  EXPECT_NE(html.find("data-chart=\"tradeoff\""), std::string::npos);
  EXPECT_NE(html.find("data-chart=\"box-limits\""), std::string::npos);
  EXPECT_NE(html.find("Box 1: coverage 0.8, density 0.9, mass 0.3"), std::string::npos);
  EXPECT_NE(html.find("cohesion&lt;x&gt;"), std::string::npos);  // escaped
  EXPECT_EQ(html.find("cohesion<x>"), std::string::npos);
}

TEST(Discovery, CartBoxesRenderWithoutATradeoffCurve) {
  const fs::path dir =
      fs::temp_directory_path() / ("geosim-report-cart-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "boxes.csv")
      << "box,input,low,high,range_low,range_high,p_low,p_high,coverage,density,mass,rows,cases,"
         "method,node\n"
         "1,resolve,0.5,1,0,1,1e-9,,0.7,0.8,0.2,200,160,cart,4\n"
         "2,cohesion,0,0.25,0,1,,0.01,0.2,0.6,0.1,100,60,cart,7\n";
  const std::string html = render_report(dir.string());
  fs::remove_all(dir);
  EXPECT_NE(html.find("Scenario discovery (CART)"), std::string::npos);
  EXPECT_EQ(html.find("data-chart=\"tradeoff\""), std::string::npos);
  EXPECT_EQ(count(html, "data-chart=\"box-limits\""), 2u);
  EXPECT_NE(html.find("Box 2: coverage 0.2, density 0.6, mass 0.1"), std::string::npos);
}

TEST(Storylines, LeadingPathsAreDrawnWithTheirSharesAndOutcomeMeans) {
  const fs::path dir =
      fs::temp_directory_path() / ("geosim-report-story-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "summary.csv")
      << "scenario,outcome,statistic,value,ci_low,ci_high,replicates\n"
         "s,hit,probability,0.5,0.4,0.6,100\n";
  std::ofstream(dir / "storylines.csv")
      << "scenario,rank,path,length,replicates,share,ci_low,ci_high,mean:hit,share:end=won\n"
         "s,1,appeal > decide=deploy<x>,2,60,0.6,0.5,0.69,1,0.25\n"
         "s,2,(none),0,30,0.3,0.22,0.4,0,\n"
         "s,,(other paths),,10,0.1,0.05,0.17,0.5,1\n";
  const std::string html = render_report(dir.string());
  fs::remove_all(dir);
  EXPECT_NE(html.find("<h3 id=\"s-storylines\">Storylines</h3>"), std::string::npos);
  EXPECT_NE(html.find("data-chart=\"storylines\""), std::string::npos);
  EXPECT_NE(html.find("1. appeal &gt; decide=deploy&lt;x&gt;"), std::string::npos);  // escaped
  EXPECT_EQ(html.find("deploy<x>"), std::string::npos);
  EXPECT_NE(html.find("60.0% (50.0%"), std::string::npos);
  EXPECT_NE(html.find(">other paths</th>"), std::string::npos);
  EXPECT_NE(html.find("<code>end=won</code> (share)"), std::string::npos);
}

TEST(EscapeHtml, EscapesEveryMarkupCharacter) {
  EXPECT_EQ(escape_html("<a href=\"x\">Tom & 'Jerry'</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
  EXPECT_EQ(escape_html("&amp;"), "&amp;amp;");
}

TEST(EscapeHtml, KeepsValidUtf8AndWhitespace) {
  EXPECT_EQ(escape_html("Kazakhstan \xE2\x80\x93 \xD0\x90\xD0\xBB\xD0\xBC\xD0\xB0\xD1\x82\xD1\x8B"
                        "\t\n\xF0\x9F\x8C\x8D"),
            "Kazakhstan \xE2\x80\x93 \xD0\x90\xD0\xBB\xD0\xBC\xD0\xB0\xD1\x82\xD1\x8B\t\n"
            "\xF0\x9F\x8C\x8D");
}

TEST(EscapeHtml, ReplacesInvalidUtf8AndDropsControlCharacters) {
  const std::string replacement = "\xEF\xBF\xBD";
  EXPECT_EQ(escape_html(std::string("a\x01"
                                    "b\x7F"
                                    "c")),
            "abc");
  EXPECT_EQ(escape_html("x\xFFy"), "x" + replacement + "y");
  EXPECT_EQ(escape_html("\xC0\xAF"), replacement + replacement);                    // overlong '/'
  EXPECT_EQ(escape_html("\xED\xA0\x80"), replacement + replacement + replacement);  // surrogate
  EXPECT_EQ(escape_html("\xE2\x80"), replacement + replacement);                    // cut short
}

TEST(DisplayNumber, ShowsSignificantDigitsWithoutTrailingZeros) {
  EXPECT_EQ(display_number(0.553123), "0.5531");
  EXPECT_EQ(display_number(332.25), "332.2");  // printf rounds half to even on the binary value
  EXPECT_EQ(display_number(2000), "2000");
  EXPECT_EQ(display_number(0.5), "0.5");
  EXPECT_EQ(display_number(-12.5), "-12.5");
  EXPECT_EQ(display_number(0), "0");
  EXPECT_EQ(display_number(1234567), "1.235e+06");
  EXPECT_EQ(display_number(0.00001234), "1.234e-05");
  EXPECT_EQ(display_number(std::nan("")), "\xE2\x80\x93");
  EXPECT_EQ(display_number(0.123456, 2), "0.12");
}

TEST(DisplayPercent, ShowsOneDecimal) {
  EXPECT_EQ(display_percent(0.5531), "55.3%");
  EXPECT_EQ(display_percent(1), "100.0%");
  EXPECT_EQ(display_percent(std::nan("")), "\xE2\x80\x93");
}

// Issue 13, item 18: a probability one decimal would show as 0.0% or 100.0%.
TEST(DisplayPercent, SmallProbabilitiesKeepTwoSignificantDigits) {
  EXPECT_EQ(display_percent(0.0004), "0.04%");
  EXPECT_EQ(display_percent(0.0000123), "0.0012%");
  EXPECT_EQ(display_percent(0.99996), "99.996%");
  EXPECT_EQ(display_percent(0), "0.0%");
}

TEST(Slug, KeepsOnlyLowercaseLettersDigitsAndDashes) {
  EXPECT_EQ(slug("Outcome peak_protest"), "outcome-peak-protest");
  EXPECT_EQ(slug("<script>"), "script");
  EXPECT_EQ(slug("2022"), "s-2022");
  EXPECT_EQ(slug("\xE2\x80\x93"), "s");
}

// ---- ticks ------------------------------------------------------------------------------

TEST(NiceTicks, CoversTheUnitIntervalInFifths) {
  const Ticks t = nice_ticks(0, 1, 5);
  EXPECT_EQ(t.values, (std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1}));
  EXPECT_DOUBLE_EQ(t.step, 0.2);
}

TEST(NiceTicks, WidensTheDomainToWholeSteps) {
  const Ticks t = nice_ticks(3, 97, 5);
  EXPECT_EQ(t.lo, 0);
  EXPECT_EQ(t.hi, 100);
  EXPECT_EQ(t.step, 20);
  EXPECT_EQ(t.values.size(), 6u);
}

TEST(NiceTicks, HandlesNegativeReversedAndTinyRanges) {
  const Ticks neg = nice_ticks(-0.37, 0.12, 5);
  EXPECT_LE(neg.lo, -0.37);
  EXPECT_GE(neg.hi, 0.12);
  EXPECT_NE(std::find(neg.values.begin(), neg.values.end(), 0.0), neg.values.end());
  const Ticks rev = nice_ticks(10, 0, 5);
  EXPECT_EQ(rev.lo, 0);
  EXPECT_EQ(rev.hi, 10);
  const Ticks tiny = nice_ticks(1e-9, 3e-9, 4);
  EXPECT_GE(tiny.values.size(), 3u);
  EXPECT_LE(tiny.lo, 1e-9);
  EXPECT_GE(tiny.hi, 3e-9);
}

TEST(NiceTicks, WidensAnEmptyRangeAroundTheValue) {
  const Ticks zero = nice_ticks(0, 0);
  EXPECT_LT(zero.lo, 0);
  EXPECT_GT(zero.hi, 0);
  const Ticks five = nice_ticks(5, 5);
  EXPECT_LT(five.lo, 5);
  EXPECT_GT(five.hi, 5);
}

TEST(NiceTicks, SnapsValuesToTheStepGrid) {
  const Ticks t = nice_ticks(0.1, 0.7, 6);
  for (double v : t.values) EXPECT_EQ(tick_label(v, t.step).size() <= 4, true) << v;
  EXPECT_NE(std::find(t.values.begin(), t.values.end(), 0.3), t.values.end());
}

TEST(TicksWithin, KeepsTheDomainAndOnlyTicksInsideIt) {
  const Ticks t = ticks_within(-50, 2050, 6);
  EXPECT_EQ(t.lo, -50);
  EXPECT_EQ(t.hi, 2050);
  EXPECT_EQ(t.values, (std::vector<double>{0, 500, 1000, 1500, 2000}));
}

TEST(TickLabel, UsesAsManyDecimalsAsTheStep) {
  EXPECT_EQ(tick_label(0.30000000000000004, 0.1), "0.3");
  EXPECT_EQ(tick_label(0.25, 0.25), "0.25");
  EXPECT_EQ(tick_label(7.5, 2.5), "7.5");
  EXPECT_EQ(tick_label(100, 20), "100");
  EXPECT_EQ(tick_label(-0.0, 0.5), "0");
  EXPECT_EQ(tick_label(2e7, 5e6), "2e+07");
}

// ---- legends ------------------------------------------------------------------------------

// The x of every legend text, in order, and the chart's height.
std::vector<double> legend_text_xs(const std::string& svg) {
  std::vector<double> xs;
  for (size_t p = svg.find("class=\"legend\""); p != std::string::npos;
       p = svg.find("class=\"legend\"", p + 1)) {
    size_t x = svg.rfind("<text x=\"", p);
    xs.push_back(std::stod(svg.substr(x + 9)));
  }
  return xs;
}

double svg_height(const std::string& svg) {
  size_t h = svg.find("height=\"");
  return std::stod(svg.substr(h + 8));
}

TEST(Legend, OneRowWhenItFitsAndWrapsWithTheChartGrowingWhenItDoesNot) {
  Plot narrow("t", "n", "title", 300, 200, Plot::Margins{});
  narrow.set_x(nice_ticks(0, 1), "x");
  narrow.set_y(nice_ticks(0, 1), "y");
  narrow.add_legend("line", "#000", "a");
  narrow.add_legend("box", "#000", "b");
  const std::string one = narrow.svg();
  EXPECT_EQ(svg_height(one), 200);
  EXPECT_EQ(one.find("translate("), std::string::npos);

  // Four labels of 17 characters, about 139 px each: the first fits beside the two short
  // entries, each other one takes a row of its own in 300 px; each row adds 16 px.
  for (const char* label :
       {"tokayev_consolida", "uneasy_duumvirate", "nazarbayev_return", "state_breakdown__"})
    narrow.add_legend("line", "#000", label);
  const std::string wrapped = narrow.svg();
  const std::vector<double> xs = legend_text_xs(wrapped);
  ASSERT_EQ(xs.size(), 6u);
  for (double x : xs) EXPECT_LT(x, 300);
  int rows = 1;
  for (size_t i = 1; i < xs.size(); ++i) rows += xs[i] <= xs[i - 1];  // a new row starts left
  EXPECT_GE(rows, 3);
  EXPECT_EQ(svg_height(wrapped), 200 + 16 * (rows - 1));
  EXPECT_NE(wrapped.find("<g transform=\"translate(0 " + std::to_string(16 * (rows - 1))),
            std::string::npos);
  // Every label, whole, is in the chart.
  for (const char* label : {"tokayev_consolida", "state_breakdown__"})
    EXPECT_NE(wrapped.find(label), std::string::npos);
}

TEST(QuantileChart, WholeNumberDataGetWholeNumberTicks) {
  Quantiles q;
  q.min = 0;
  q.p05 = 0;
  q.p25 = 1;
  q.p50 = 1;
  q.p75 = 2;
  q.p95 = 3;
  q.max = 3;
  q.mean = 1.37;
  const std::string svg = quantile_chart("day", "day", "day (step)", q);
  EXPECT_EQ(svg.find(">0.5<"), std::string::npos) << svg;
  EXPECT_EQ(svg.find(">1.5<"), std::string::npos);
  EXPECT_NE(svg.find(">2<"), std::string::npos);
  q.p75 = 2.5;  // not whole: the usual ticks
  EXPECT_NE(quantile_chart("x", "x", "x", q).find(">0.5<"), std::string::npos);
}

// ---- histogram ----------------------------------------------------------------------------

TEST(Histogram, EveryValueFallsInExactlyOneBin) {
  std::mt19937_64 rng(42);
  std::normal_distribution<double> normal(3.0, 2.0);
  std::vector<double> v(1000);
  for (double& x : v) x = normal(rng);
  const Histogram h = make_histogram(v);
  int64_t sum = 0;
  for (int64_t c : h.counts) sum += c;
  EXPECT_EQ(sum, 1000);
  EXPECT_EQ(h.total, 1000);
  // Rice's rule: 2 * 1000^(1/3) = 20 bins, give or take the rounding to a nice width.
  EXPECT_GE(h.counts.size(), 10u);
  EXPECT_LE(h.counts.size(), 40u);
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  EXPECT_LE(h.lo, *lo);
  EXPECT_GT(h.hi(), *hi);
  for (double x : v) {
    const auto i = static_cast<size_t>(std::floor((x - h.lo) / h.width));
    ASSERT_LT(i, h.counts.size());
    EXPECT_LE(h.edge(i), x);
    EXPECT_LT(x, h.edge(i + 1));
  }
}

TEST(Histogram, CentresWholeNumbersInTheirOwnBins) {
  const std::vector<double> v = {0, 1, 1, 2, 2, 2, 5};
  const Histogram h = make_histogram(v);
  EXPECT_TRUE(h.integer_centred);
  EXPECT_EQ(h.width, 1);
  EXPECT_EQ(h.lo, -0.5);
  EXPECT_EQ(h.counts, (std::vector<int64_t>{1, 2, 3, 0, 0, 1}));
}

TEST(Histogram, WideWholeNumbersGetWholeWidthsWithEdgesBetweenIntegers) {
  std::vector<double> v;
  for (int i = 0; i <= 500; i += 3) v.push_back(i);
  const Histogram h = make_histogram(v, 20);
  EXPECT_LE(h.counts.size(), 20u);
  EXPECT_EQ(h.width, std::floor(h.width));
  EXPECT_EQ(h.lo - std::floor(h.lo), 0.5);
  int64_t sum = 0;
  for (int64_t c : h.counts) sum += c;
  EXPECT_EQ(sum, static_cast<int64_t>(v.size()));
}

TEST(Histogram, ConstantDataMakeOneBinAroundTheValue) {
  const std::vector<double> v(50, 0.25);
  const Histogram h = make_histogram(v);
  ASSERT_EQ(h.counts.size(), 1u);
  EXPECT_EQ(h.counts[0], 50);
  EXPECT_LT(h.lo, 0.25);
  EXPECT_GT(h.hi(), 0.25);
}

TEST(Histogram, RespectsTheBinBudgetAndEmptyInput) {
  std::vector<double> v;
  for (int i = 0; i < 100000; ++i) v.push_back(i * 0.001);
  EXPECT_LE(make_histogram(v, 12).counts.size(), 12u);
  EXPECT_TRUE(make_histogram(std::vector<double>{}).counts.empty());
}

// ---- charts -------------------------------------------------------------------------------

TEST(Charts, HistogramDrawsOneBarPerNonEmptyBinAndEscapesItsName) {
  const std::vector<double> v = {0, 1, 1, 2, 2, 2, 5};
  const std::string svg =
      histogram_chart("a<b", "a<b: distribution", "a<b (value)", make_histogram(v), 1.857, 2);
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_NE(svg.find("data-chart=\"histogram\""), std::string::npos);
  EXPECT_NE(svg.find("data-name=\"a&lt;b\""), std::string::npos);
  EXPECT_EQ(svg.find("a<b"), std::string::npos);
  EXPECT_EQ(count(svg, "<g><rect"), 4u);  // bins 0, 1, 2 and 5
  EXPECT_NE(svg.find("% of replicates"), std::string::npos);
  EXPECT_NE(svg.find("a&lt;b (value)"), std::string::npos);
  EXPECT_EQ(svg.substr(svg.size() - 6), "</svg>");
}

TEST(Charts, SharesChartWritesEachShareWithItsInterval) {
  const std::string svg = shares_chart("s", "s", "share (%)",
                                       {{"yes", {0.25, 0.2, 0.3}}, {"no", {0.75, 0.7, 0.8}}}, true);
  EXPECT_NE(svg.find("25.0% (20.0%\xE2\x80\x93"
                     "30.0%)"),
            std::string::npos);
  EXPECT_NE(svg.find("75.0% (70.0%\xE2\x80\x93"
                     "80.0%)"),
            std::string::npos);
  EXPECT_NE(svg.find(">100</text>"), std::string::npos);  // the axis runs to 100%
}

TEST(Charts, FanChartDrawsTwoBandsAndTwoLines) {
  FanData d;
  for (int s = 0; s < 5; ++s) {
    d.step.push_back(s);
    d.mean.push_back(s), d.p50.push_back(s);
    d.p05.push_back(s - 2), d.p25.push_back(s - 1), d.p75.push_back(s + 1), d.p95.push_back(s + 2);
  }
  const std::string svg = fan_chart("x", "x by day", "day", "x", d);
  EXPECT_EQ(count(svg, "<polygon"), 2u);
  EXPECT_EQ(count(svg, "<polyline"), 2u);
  EXPECT_NE(svg.find(">day</text>"), std::string::npos);
}

TEST(Charts, SweepChartJoinsOneDimensionalSweepsAndNotOthers) {
  SweepSeries s;
  s.label = "mean";
  for (int i = 0; i < 4; ++i) {
    SweepXY p;
    p.x = i;
    p.estimate = {1.0 * i, i - 0.1, i + 0.1};
    p.band_lo = i - 1, p.band_hi = i + 1, p.inner_lo = i - 0.5, p.inner_hi = i + 0.5;
    s.points.push_back(p);
  }
  const std::string joined = sweep_chart("o", "o", "x", "o (mean)", {s}, false);
  EXPECT_EQ(count(joined, "<polyline"), 1u);
  EXPECT_EQ(count(joined, "<polygon"), 3u);  // p05-p95, p25-p75, 95% interval
  s.connected = false;
  const std::string dots = sweep_chart("o", "o", "x", "o (mean)", {s}, false);
  EXPECT_EQ(count(dots, "<polyline"), 0u);
  EXPECT_EQ(count(dots, "<circle"), 4u);
}

TEST(Charts, SweepChartDrawsABinnedTrendThroughAScatterOfTwentyOrMorePoints) {
  SweepSeries s;
  s.label = "mean";
  s.connected = false;
  for (int i = 0; i < 40; ++i) {
    SweepXY p;
    p.x = i * 0.025;
    p.estimate = {2.0 * p.x + (i % 3) * 0.1, kMissing, kMissing};
    s.points.push_back(p);
  }
  const std::string svg = sweep_chart("o", "o", "x", "o (mean)", {s}, false);
  EXPECT_EQ(count(svg, "<polyline"), 2u);  // the dashed median over a white halo
  EXPECT_NE(svg.find("stroke-dasharray=\"6 3\""), std::string::npos);
  EXPECT_NE(svg.find("binned median"), std::string::npos);
  s.points.resize(19);
  EXPECT_EQ(count(sweep_chart("o", "o", "x", "o (mean)", {s}, false), "<polyline"), 0u);
}

TEST(Charts, DifferenceChartMarksSignificantRowsBySymbolNotOnlyColour) {
  std::vector<CompareRow> rows = {{"mean", 1, 2, {1, 0.5, 1.5}, true},
                                  {"p50", 1, 1, {0, kMissing, kMissing}, false}};
  const std::string svg = difference_chart("o", "o", "B - A", rows);
  EXPECT_NE(svg.find(">* mean</text>"), std::string::npos);
  EXPECT_NE(svg.find(">p50</text>"), std::string::npos);
  EXPECT_NE(svg.find("significant"), std::string::npos);
}

// ---- folder reader ----------------------------------------------------------------------

TEST(ResultFolder, ReadsEveryFileOfARunFolder) {
  const ResultFolder f = read_result_folder(kData + "/run");
  ASSERT_TRUE(f.manifest);
  EXPECT_EQ(f.manifest->command, "run");
  ASSERT_EQ(f.manifest->scenarios.size(), 1u);
  const ScenarioInfo& info = f.manifest->scenarios[0];
  EXPECT_EQ(info.step_label, "day");
  EXPECT_EQ(info.seed, "2022");
  EXPECT_EQ(info.files.size(), 2u);
  ASSERT_EQ(info.parameters.size(), 3u);
  EXPECT_TRUE(std::isnan(info.parameters[2].min));  // null in the manifest
  ASSERT_EQ(f.scenarios.size(), 1u);
  const ScenarioResult& r = f.scenarios[0];
  EXPECT_EQ(r.outcomes.size(), 5u);
  EXPECT_EQ(r.trajectories.size(), 3u);
  EXPECT_EQ(r.trajectories[0].data.step.size(), 31u);
  EXPECT_EQ(r.run_rows, 2000);
  EXPECT_EQ(r.runs.at("troops_sent").size(), 2000u);
  EXPECT_LT(r.runs.at("days_to_request").size(), 2000u);  // never reached: empty cells
  EXPECT_EQ(r.runs.count("settlement"), 0u);              // a cases outcome holds labels
  const OutcomeStats& settlement = r.outcomes[4];
  EXPECT_EQ(settlement.share_labels,
            (std::vector<std::string>{"stabilised", "contested", "collapse"}));
  EXPECT_TRUE(settlement.find("share:contested")->has_interval());
}

TEST(ResultFolder, ReadsSweepPointsAndFailedPoints) {
  const ResultFolder f = read_result_folder(kData + "/sweep-grid");
  ASSERT_TRUE(f.sweep);
  EXPECT_EQ(f.sweep->parameters, (std::vector<std::string>{"protest0"}));
  ASSERT_EQ(f.sweep->points.size(), 7u);
  EXPECT_EQ(f.sweep->points[2].parameters[0], 0.5);
  EXPECT_EQ(f.sweep->points[6].error, "outcome 'peak_protest' is NaN at step 12");
  EXPECT_TRUE(f.sweep->points[6].outcomes.empty());
  EXPECT_EQ(f.sweep->outcome_order.size(), 5u);
  ASSERT_TRUE(f.manifest && f.manifest->sweep);
  EXPECT_EQ(f.manifest->sweep->design, "grid");
}

TEST(ResultFolder, ReadsSensitivityWithMissingValuesAsNaN) {
  const ResultFolder f = read_result_folder(kData + "/morris");
  EXPECT_TRUE(f.has_sensitivity);
  ASSERT_EQ(f.sensitivity.size(), 6u);
  EXPECT_TRUE(std::isnan(f.sensitivity[5].estimate.value));
  EXPECT_FALSE(f.manifest.has_value());
}

TEST(ResultFolder, ReadsCompareRows) {
  const ResultFolder f = read_result_folder(kData + "/compare");
  ASSERT_EQ(f.compare.size(), 9u);
  EXPECT_TRUE(f.compare[0].significant);
  EXPECT_FALSE(f.compare[2].significant);
  EXPECT_TRUE(std::isnan(f.compare[3].p_value));
}

TEST(ResultFolder, TakesEmptyStatisticsAsAbsent) {
  const ResultFolder f = read_result_folder(kData + "/sparse");
  ASSERT_EQ(f.scenarios.size(), 1u);
  const ScenarioResult& r = f.scenarios[0];
  ASSERT_EQ(r.outcomes.size(), 1u);
  EXPECT_EQ(r.outcomes[0].find("mean"), nullptr);
  ASSERT_NE(r.outcomes[0].find("share_reached"), nullptr);
  EXPECT_EQ(r.outcomes[0].replicates, 200);
  ASSERT_EQ(r.trajectories.size(), 2u);
  EXPECT_EQ(r.trajectories[0].data.step.size(), 4u);  // steps 4 and 5 are empty
  EXPECT_TRUE(r.trajectories[1].data.step.empty());
  const std::string html = render_report(kData + "/sparse");
  EXPECT_EQ(count(html, "data-chart=\"shares\""), 1u);
  EXPECT_EQ(count(html, "data-chart=\"fan\""), 1u);
  EXPECT_EQ(count(html, "<svg"), 2u);
}

TEST(ResultFolder, DrawsOutcomesThatOnlyRunsCsvHolds) {
  const ResultFolder f = read_result_folder(kData + "/runs-only");
  ASSERT_EQ(f.scenarios.size(), 1u);
  const ScenarioResult& r = f.scenarios[0];
  ASSERT_EQ(r.outcomes.size(), 2u);
  EXPECT_EQ(r.outcomes[0].name, "level");
  EXPECT_EQ(r.runs.at("level").size(), 200u);
  EXPECT_NE(r.outcomes[0].find("p50"), nullptr);
  EXPECT_EQ(r.outcomes[1].name, "state");
  EXPECT_EQ(r.runs.count("state"), 0u);
  double total = 0;
  for (const auto& label : r.outcomes[1].share_labels) {
    total += r.outcomes[1].find("share:" + label)->value;
  }
  EXPECT_DOUBLE_EQ(total, 1.0);
  const std::string html = render_report(kData + "/runs-only");
  EXPECT_EQ(count(html, "data-chart=\"histogram\""), 1u);
  EXPECT_EQ(count(html, "data-chart=\"shares\""), 1u);
}

TEST(ResultFolderErrors, NamesTheFileLineAndTheBadNumber) {
  const std::string m = user_error([] { read_result_folder(kData + "/bad/not-a-number"); });
  EXPECT_NE(m.find("not-a-number/summary.csv:3"), std::string::npos) << m;
  EXPECT_NE(m.find("'abc'"), std::string::npos) << m;
  EXPECT_NE(m.find("column 'value'"), std::string::npos) << m;
}

TEST(ResultFolderErrors, NamesAMissingColumnAndTheNearestOne) {
  const std::string m = user_error([] { read_result_folder(kData + "/bad/missing-column"); });
  EXPECT_NE(m.find("summary.csv:1"), std::string::npos) << m;
  EXPECT_NE(m.find("missing column 'value'"), std::string::npos) << m;
  EXPECT_NE(m.find("valu"), std::string::npos) << m;
}

TEST(ResultFolderErrors, RejectsNonFiniteNumbers) {
  const std::string m = user_error([] { read_result_folder(kData + "/bad/non-finite"); });
  EXPECT_NE(m.find("summary.csv:2"), std::string::npos) << m;
  EXPECT_NE(m.find("'inf'"), std::string::npos) << m;
}

TEST(ResultFolderErrors, RejectsAManifestFieldOfTheWrongType) {
  const std::string m = user_error([] { read_result_folder(kData + "/bad/manifest"); });
  EXPECT_NE(m.find("manifest.json:2"), std::string::npos) << m;
  EXPECT_NE(m.find("expected a string"), std::string::npos) << m;
}

TEST(ResultFolderErrors, RejectsManifestSyntaxErrors) {
  const std::string m = user_error([] { read_result_folder(kData + "/bad/json-syntax"); });
  EXPECT_NE(m.find("manifest.json:2"), std::string::npos) << m;
}

TEST(ResultFolderErrors, RejectsStepsOutOfOrder) {
  const std::string m = user_error([] { read_result_folder(kData + "/bad/trajectory-order"); });
  EXPECT_NE(m.find("trajectories.csv:4"), std::string::npos) << m;
  EXPECT_NE(m.find("expected increasing steps"), std::string::npos) << m;
}

TEST(ResultFolderErrors, RejectsTextInANumericRunsColumn) {
  const std::string m = user_error([] { read_result_folder(kData + "/bad/runs-text"); });
  EXPECT_NE(m.find("runs.csv:3"), std::string::npos) << m;
  EXPECT_NE(m.find("'lots'"), std::string::npos) << m;
}

TEST(ResultFolderErrors, RejectsFoldersWithoutResultsMissingFoldersAndFiles) {
  std::string m = user_error([] { read_result_folder(kData + "/bad/no-results"); });
  EXPECT_NE(m.find("no result files here"), std::string::npos) << m;
  m = user_error([] { read_result_folder(kData + "/no-such-folder"); });
  EXPECT_NE(m.find("no such folder"), std::string::npos) << m;
  m = user_error([] { read_result_folder(kData + "/run/summary.csv"); });
  EXPECT_NE(m.find("this is a file"), std::string::npos) << m;
}

// ---- the page ---------------------------------------------------------------------------

TEST(RenderReport, EscapesEveryTextTakenFromTheFolder) {
  const std::string html = render_report(kData + "/hostile");
  EXPECT_EQ(count(html, "<script"), 0u);
  EXPECT_EQ(count(html, "<img"), 0u);
  EXPECT_EQ(count(html, "<blink"), 0u);
  EXPECT_EQ(count(html, "<u>"), 0u);
  EXPECT_EQ(count(html, "<i>"), 0u);
  EXPECT_EQ(count(html, "<style"), 1u);
  EXPECT_EQ(count(html, "<a href=\"http"), 0u);
  EXPECT_NE(html.find("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"),
            std::string::npos);
  EXPECT_NE(html.find("&lt;blink&gt;boom&lt;/blink&gt;"), std::string::npos);
  EXPECT_EQ(html.find('\x01'), std::string::npos);
}

TEST(RenderReport, IsOneSelfContainedPageWithAPolicyAgainstLoadsAndScripts) {
  const std::string html = render_report(kData + "/run");
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("content=\"default-src 'none'; style-src 'unsafe-inline'"),
            std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
  EXPECT_EQ(count(html, "<svg"), count(html, "data-chart=\""));
  EXPECT_EQ(count(html, "<svg"), 9u);
  EXPECT_EQ(count(html, "<script"), 0u);
  EXPECT_EQ(count(html, " src="), 0u);
}

TEST(RenderReport, LabelsTheStepAxisWithTheScenarioStepLabel) {
  const std::string html = render_report(kData + "/run");
  EXPECT_NE(html.find("class=\"axis-label\">day</text>"), std::string::npos);
  EXPECT_NE(html.find("days_to_request (day when first true)"), std::string::npos);
}

TEST(RenderReport, SaysWhichDistributionChartItDrew) {
  EXPECT_NE(render_report(kData + "/run").find("Histogram of 2000 per-replicate values"),
            std::string::npos);
  EXPECT_NE(render_report(kData + "/summary-only").find("Quantile chart from summary.csv"),
            std::string::npos);
}

TEST(RenderReport, SortsSensitivityBarsByTheTotalEffect) {
  const std::string html = render_report(kData + "/morris");
  // mu* values: kremlin_resolve 0.35 > protest0 0.21 > csto_cohesion 0.02.
  const size_t a = html.find("<td><code>kremlin_resolve</code>");
  const size_t b = html.find("<td><code>protest0</code>");
  const size_t c = html.find("<td><code>csto_cohesion</code>");
  ASSERT_NE(a, std::string::npos);
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
}

TEST(RenderReport, PutsResultsBeforeAssumptions) {
  const std::string run = render_report(kData + "/run");
  EXPECT_LT(run.find(">Outcomes</h3>"), run.find(">Parameters</h3>"));
  EXPECT_LT(run.find(">Tracked variables"), run.find(">Sources</h3>"));
  const std::string sweep = render_report(kData + "/sweep-sobol");
  EXPECT_LT(sweep.find("<h2>Sweep</h2>"), sweep.find(">Parameters</h3>"));
  EXPECT_LT(sweep.find("<h2>Sensitivity</h2>"), sweep.find(">Parameters</h3>"));
}

TEST(RenderReport, ListsSignificantComparisonsTogether) {
  const std::string html = render_report(kData + "/compare");
  const size_t table = html.find("<table class=\"significant\">");
  ASSERT_NE(table, std::string::npos);
  const std::string rows = html.substr(table, html.find("</table>", table) - table);
  EXPECT_EQ(count(rows, "<tr><td>"), 4u);
  EXPECT_EQ(rows.find("share:contested"), std::string::npos);
}

TEST(RenderReport, GroupsSeveralProbabilitiesInOneChart) {
  // The run sample has one 0/1 outcome: no overview. The summary-only sample has one per
  // scenario: none either. A folder with two gets one.
  EXPECT_EQ(count(render_report(kData + "/run"), "data-name=\"probabilities\""), 0u);
  const fs::path dir = fs::temp_directory_path() / "geosim-report-two-probabilities";
  fs::create_directories(dir);
  std::ofstream(dir / "summary.csv")
      << "scenario,outcome,statistic,value,ci_low,ci_high,replicates\n"
         "s,a,probability,0.25,0.2,0.3,100\ns,b,probability,0.75,0.7,0.8,100\n";
  const std::string html = render_report(dir.string());
  EXPECT_EQ(count(html, "data-name=\"probabilities\""), 1u);
  // Drawn once: the yes/no outcomes' own charts would repeat the glance chart's bars.
  EXPECT_EQ(count(html, "data-chart=\"shares\""), 1u);
  fs::remove_all(dir);
}

TEST(WriteReport, FailsWithAUserErrorWhenTheFileCannotBeWritten) {
  const std::string m =
      user_error([] { write_report(kData + "/run", "/nonexistent-folder/report.html"); });
  EXPECT_NE(m.find("/nonexistent-folder/report.html"), std::string::npos) << m;
}

TEST(WriteReport, RejectsAnEmptyFolder) {
  const fs::path dir = fs::temp_directory_path() / "geosim-report-empty-test";
  fs::create_directories(dir);
  const std::string m = user_error([&] { write_report(dir.string(), (dir / "r.html").string()); });
  EXPECT_NE(m.find("no result files here"), std::string::npos) << m;
  EXPECT_FALSE(fs::exists(dir / "r.html"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace geosim::report
