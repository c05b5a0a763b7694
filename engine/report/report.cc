#include "report/report.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"
#include "io/atomic_file.h"
#include "outdir/outdir.h"
#include "report/calibration.h"
#include "report/charts.h"
#include "report/folder.h"
#include "report/histogram.h"
#include "report/html.h"

namespace geosim::report {

namespace {

constexpr const char* kDash = "\xE2\x80\x93";

// The page's style sheet: screen layout, then print rules. No external font: the
// system's sans-serif. Charts scale down with the window (viewBox + max-width).
constexpr const char* kCss = R"css(
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
       sans-serif; color: #1a1a1a; background: #ffffff; margin: 0 auto; max-width: 1200px;
       padding: 0 24px 48px; line-height: 1.45; }
header { border-bottom: 3px solid #0072B2; padding: 20px 0 10px; }
h1 { margin: 0 0 4px; font-size: 1.7em; }
h2 { margin-top: 36px; padding-bottom: 4px; border-bottom: 1px solid #cccccc; }
h3 { margin-top: 26px; }
h4 { margin: 0 0 6px; font-size: 1em; }
.meta, .caption, .note { color: #555555; font-size: 0.9em; }
.warning { border-left: 4px solid #D55E00; background: #fbeee6; padding: 6px 10px; }
nav { font-size: 0.92em; margin: 12px 0; }
nav ul { margin: 4px 0; padding-left: 20px; columns: 2; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
              font-size: 0.88em; }
.mono { word-break: break-all; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 0.9em; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 3px 8px; text-align: left;
         vertical-align: top; }
th { background: #f4f4f4; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.figure { display: flex; flex-wrap: wrap; gap: 12px 24px; align-items: flex-start;
          border-top: 1px solid #e3e3e3; padding: 14px 0; }
.figure .charts { flex: 0 1 560px; min-width: 280px; }
.figure .numbers { flex: 1 1 280px; }
.wide { overflow-x: auto; }
table.side-by-side td { white-space: nowrap; }
svg.chart { display: block; max-width: 100%; height: auto; margin-bottom: 6px; }
svg.chart .ctitle { font-weight: 600; font-size: 12px; }
svg.chart .axis-label { font-size: 11.5px; fill: #1a1a1a; }
.grid { display: flex; flex-wrap: wrap; gap: 8px 24px; }
.grid > div { flex: 1 1 460px; min-width: 280px; max-width: 640px; }
.sig { font-weight: bold; color: #D55E00; }
.badge { display: inline-block; font-size: 0.75em; font-weight: 600; padding: 1px 6px;
         border-radius: 3px; background: #D55E00; color: #ffffff; vertical-align: middle; }
footer { margin-top: 40px; border-top: 1px solid #cccccc; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav, .jumps { display: none; }
  section.major { break-before: page; }
  section.major.first { break-before: auto; }
  .figure, table, svg.chart, .grid > div { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
)css";

std::string esc(const std::string& s) { return escape_html(s); }

// Unique fragment identifiers for in-page links.
class Anchors {
 public:
  std::string make(const std::string& text) {
    std::string base = slug(text);
    const int n = ++used_[base];
    return n == 1 ? base : base + "-" + std::to_string(n);
  }

 private:
  std::map<std::string, int> used_;
};

std::string paragraphs(const std::string& text) {
  std::string out;
  std::string para;
  size_t start = 0;
  auto flush = [&] {
    const size_t a = para.find_first_not_of(" \t\r\n");
    if (a != std::string::npos) {
      const size_t b = para.find_last_not_of(" \t\r\n");
      out += "<p>" + esc(para.substr(a, b - a + 1)) + "</p>\n";
    }
    para.clear();
  };
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    if (line.find_first_not_of(" \t\r") == std::string::npos) {
      flush();
    } else {
      if (!para.empty()) para += ' ';
      para += line;
    }
    start = end + 1;
  }
  flush();
  return out;
}

std::string command_text(const std::vector<std::string>& args) {
  std::string out;
  for (const auto& a : args) {
    if (!out.empty()) out += ' ';
    const bool plain = !a.empty() && a.find_first_of(" \t\"'\\$`;&|<>()*?") == std::string::npos;
    if (plain) {
      out += a;
    } else {
      std::string q = "'";
      for (char c : a) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
      out += q + "'";
    }
  }
  return out;
}

std::string num_cell(double v) { return "<td class=\"num\">" + display_number(v) + "</td>"; }

std::string interval_text(const Estimate& e, bool percent) {
  if (!e.has_interval()) return kDash;
  return percent ? display_percent(e.lo) + " " + kDash + " " + display_percent(e.hi)
                 : display_number(e.lo) + " " + kDash + " " + display_number(e.hi);
}

// ---- outcome kinds and labels ----------------------------------------------------------

std::string outcome_kind(const OutcomeStats& o, const ScenarioInfo* info) {
  if (info) {
    for (const auto& oi : info->outcomes) {
      if (oi.name == o.name && !oi.kind.empty()) return oi.kind;
    }
  }
  if (!o.share_labels.empty()) return "cases";
  if (o.find("share_reached")) return "first";
  return "final";
}

std::string value_axis_label(const std::string& name, const std::string& kind,
                             const std::string& step_label) {
  if (kind == "max") return name + " (maximum over the " + step_label + "s)";
  if (kind == "min") return name + " (minimum over the " + step_label + "s)";
  if (kind == "mean") return name + " (mean over the " + step_label + "s)";
  if (kind == "first") return name + " (" + step_label + " when first true)";
  return name + " (value at the end)";
}

const char* kind_phrase(const std::string& kind) {
  if (kind == "max") return "maximum over the run";
  if (kind == "min") return "minimum over the run";
  if (kind == "mean") return "mean over the run";
  if (kind == "first") return "first step when the condition holds";
  if (kind == "cases") return "first case that holds at the end";
  return "value at the end of the run";
}

std::vector<std::string> share_labels(const OutcomeStats& o, const ScenarioInfo* info) {
  std::vector<std::string> labels;
  if (info) {
    for (const auto& oi : info->outcomes) {
      if (oi.name == o.name) labels = oi.labels;
    }
  }
  for (const auto& l : o.share_labels) {
    if (std::find(labels.begin(), labels.end(), l) == labels.end()) labels.push_back(l);
  }
  std::erase_if(labels, [&](const std::string& l) { return !o.find("share:" + l); });
  return labels;
}

Estimate stat(const OutcomeStats& o, const std::string& name) {
  const Estimate* e = o.find(name);
  return e ? *e : Estimate{};
}

// ---- page builder ----------------------------------------------------------------------

class Page {
 public:
  explicit Page(const ResultFolder& f) : f_(f) {}
  std::string render();

 private:
  void scenario_section(const std::string& id, const ScenarioInfo* info,
                        const ScenarioResult* result, bool first);
  // Description and run facts (above the results), then parameters and sources (below).
  void info_block(const ScenarioInfo& info);
  void assumptions_block(const ScenarioInfo& info, const std::string& parameters_anchor,
                         const std::string& sources_anchor);
  void side_by_side_section(const std::vector<std::string>& ids, bool first);
  void outcome_figure(const OutcomeStats& o, const ScenarioInfo* info, const ScenarioResult* result,
                      bool in_glance, const std::string& step_label);
  void numbers_table(const OutcomeStats& o, const std::string& kind);
  void storylines_block(const ScenarioResult& result, const std::string& anchor);
  void sweep_section(bool first);
  void sensitivity_section(bool first);
  void discovery_section(bool first);
  void compare_section(bool first);
  void calibration_section(bool first);
  void backtest_section(bool first);
  void manifest_section(bool first);
  std::string open_major(const std::string& title, const std::string& anchor, bool first);

  const ResultFolder& f_;
  Anchors anchors_;
  std::string body_;
  std::vector<std::pair<std::string, std::string>> toc_;  // anchor, title
};

void Page::calibration_section(bool first) {
  const std::string anchor = anchors_.make("calibration");
  body_ += open_major("Calibration", anchor, first);
  body_ += calibration_html(*f_.calibration, anchor) + "</section>\n";
}

void Page::backtest_section(bool first) {
  const std::string anchor = anchors_.make("backtest");
  body_ += open_major("Backtest", anchor, first);
  body_ += backtest_html(*f_.backtest, anchor) + "</section>\n";
}

std::string Page::open_major(const std::string& title, const std::string& anchor, bool first) {
  toc_.emplace_back(anchor, title);
  return std::string("<section class=\"major") + (first ? " first" : "") + "\" id=\"" + anchor +
         "\">\n<h2>" + esc(title) + "</h2>\n";
}

void Page::info_block(const ScenarioInfo& info) {
  body_ += paragraphs(info.description);
  std::string facts;
  if (info.steps >= 0) {
    facts += std::to_string(info.steps) + " " + esc(info.step_label) + "s per replicate";
  }
  if (info.replicates >= 0) {
    facts += (facts.empty() ? "" : " \xC2\xB7 ") + std::to_string(info.replicates) + " replicates";
  }
  if (!info.seed.empty()) {
    facts += (facts.empty() ? "" : " \xC2\xB7 ") + std::string("seed ") + esc(info.seed);
  }
  if (!info.file.empty()) {
    facts += (facts.empty() ? "" : " \xC2\xB7 ") + std::string("file <code>") + esc(info.file) +
             "</code>";
  }
  if (!facts.empty()) body_ += "<p class=\"meta\">" + facts + "</p>\n";
  if (info.posterior) {
    const PosteriorInfo& p = *info.posterior;
    std::string names;
    for (const auto& n : p.parameters)
      names += (names.empty() ? "" : ", ") + ("<code>" + esc(n) + "</code>");
    body_ += "<p class=\"meta posterior\">Parameters " + names +
             " drawn replicate by replicate from the posterior <code>" + esc(p.path) + "</code>";
    if (p.draws >= 0) body_ += " (" + std::to_string(p.draws) + " draws";
    if (!std::isnan(p.effective_draws)) body_ += ", effective " + display_number(p.effective_draws);
    if (p.draws >= 0) body_ += ")";
    if (!p.sha256.empty()) body_ += ", sha256 <code>" + esc(p.sha256.substr(0, 12)) + "</code>";
    body_ += ": outcome distributions include parameter uncertainty.</p>\n";
  }
}

void Page::assumptions_block(const ScenarioInfo& info, const std::string& parameters_anchor,
                             const std::string& sources_anchor) {
  if (!info.parameters.empty()) {
    body_ += "<h3 id=\"" + parameters_anchor +
             "\">Parameters</h3>\n<table class=\"parameters\"><thead><tr><th>name</th>"
             "<th class=\"num\">value</th><th class=\"num\">range</th><th>meaning</th></tr></thead>"
             "<tbody>\n";
    for (const auto& p : info.parameters) {
      std::string range = kDash;
      if (!std::isnan(p.min) || !std::isnan(p.max)) {
        range = (std::isnan(p.min) ? std::string("") : display_number(p.min)) + " " + kDash + " " +
                (std::isnan(p.max) ? std::string("") : display_number(p.max));
      }
      // A calibration's free parameter: the file's value is only where the fit started.
      const bool fitted =
          f_.calibration && std::find(f_.calibration->names.begin(), f_.calibration->names.end(),
                                      p.name) != f_.calibration->names.end();
      std::string value_cell = num_cell(p.value);
      if (p.from_posterior) {
        value_cell = "<td class=\"num\">posterior</td>";
      } else if (fitted) {
        value_cell = "<td class=\"num fitted\">fitted (see Calibration; file " +
                     display_number(p.value) + ")</td>";
      }
      body_ += "<tr><td><code>" + esc(p.name) + "</code></td>" + value_cell + "<td class=\"num\">" +
               range + "</td><td>" + esc(p.doc) + "</td></tr>\n";
    }
    body_ += "</tbody></table>\n";
  }
  if (!info.sources.empty()) {
    body_ += "<h3 id=\"" + sources_anchor + "\">Sources</h3>\n<ul class=\"sources\">\n";
    for (const auto& s : info.sources) body_ += "<li>" + esc(s) + "</li>\n";
    body_ += "</ul>\n";
  }
}

void Page::numbers_table(const OutcomeStats& o, const std::string& kind) {
  body_ +=
      "<table class=\"numbers-table\"><thead><tr><th>statistic</th><th class=\"num\">value"
      "</th><th class=\"num\">95% interval</th></tr></thead><tbody>\n";
  auto row = [&](const std::string& label, const Estimate& e, bool pct) {
    body_ += "<tr><td>" + esc(label) + "</td><td class=\"num\">" +
             (pct ? display_percent(e.value) : display_number(e.value)) +
             "</td><td class=\"num\">" + (e.has_interval() ? interval_text(e, pct) : "") +
             "</td></tr>\n";
  };
  if (const Estimate* p = o.find("probability")) row("probability", *p, true);
  if (const Estimate* p = o.find("share_reached")) row("share reached", *p, true);
  for (const auto& label : o.share_labels) row("share " + label, stat(o, "share:" + label), true);
  // A 0/1 outcome is told by its probability; its mean and quantiles would repeat it.
  if (kind != "cases" && !o.find("probability")) {
    static const std::pair<const char*, const char*> kRows[] = {{"mean", "mean"},
                                                                {"sd", "sd"},
                                                                {"min", "min"},
                                                                {"p05", "5th percentile"},
                                                                {"p25", "25th percentile"},
                                                                {"p50", "median"},
                                                                {"p75", "75th percentile"},
                                                                {"p95", "95th percentile"},
                                                                {"max", "max"}};
    for (const auto& [key, label] : kRows) {
      if (const Estimate* e = o.find(key)) row(label, *e, false);
    }
  }
  if (o.replicates >= 0) {
    body_ += "<tr><td>replicates</td><td class=\"num\">" + std::to_string(o.replicates) +
             "</td><td></td></tr>\n";
  }
  body_ += "</tbody></table>\n";
}

void Page::outcome_figure(const OutcomeStats& o, const ScenarioInfo* info,
                          const ScenarioResult* result, bool in_glance,
                          const std::string& step_label) {
  const std::string kind = outcome_kind(o, info);
  const std::string anchor = anchors_.make("outcome-" + o.name);
  body_ += "<div class=\"figure\" id=\"" + anchor + "\">\n<div class=\"charts\">\n";
  body_ += "<h4><code>" + esc(o.name) + "</code> <span class=\"meta\">" + kind_phrase(kind) +
           "</span></h4>\n";
  std::string caption;
  if (kind == "cases") {
    std::vector<LabelledEstimate> bars;
    for (const auto& l : share_labels(o, info)) bars.push_back({l, stat(o, "share:" + l)});
    if (!bars.empty()) {
      body_ += shares_chart(o.name, o.name + ": share of replicates per case",
                            "share of replicates (%)", bars, true);
      caption = "Bars: share of replicates ending in each case; whiskers: 95% Wilson intervals.";
    }
  } else if (o.find("probability") && in_glance) {
    // Drawn once, in "Probabilities at a glance" above; the numbers follow.
    caption = "Its bar is in \"Probabilities at a glance\" above.";
  } else if (const Estimate* p = o.find("probability")) {
    body_ += shares_chart(o.name, o.name + ": probability", "probability (% of replicates)",
                          {{"P(" + o.name + ")", *p}}, true);
    caption = "Share of replicates where the outcome is true, with its 95% Wilson interval.";
  } else {
    const std::string x_label = value_axis_label(o.name, kind, step_label);
    const std::vector<double>* values = nullptr;
    if (result) {
      auto it = result->runs.find(o.name);
      if (it != result->runs.end() && !it->second.empty()) values = &it->second;
    }
    if (values) {
      const Histogram h = make_histogram(*values);
      body_ += histogram_chart(o.name, o.name + ": distribution over replicates", x_label, h,
                               stat(o, "mean").value, stat(o, "p50").value);
      caption =
          "Histogram of " + std::to_string(values->size()) + " per-replicate values from runs.csv";
      if (kind == "first") caption += " (replicates where it never happened are left out)";
      caption += ".";
    } else {
      Quantiles q;
      q.min = stat(o, "min").value, q.p05 = stat(o, "p05").value, q.p25 = stat(o, "p25").value;
      q.p50 = stat(o, "p50").value, q.p75 = stat(o, "p75").value, q.p95 = stat(o, "p95").value;
      q.max = stat(o, "max").value, q.mean = stat(o, "mean").value;
      const bool any = !std::isnan(q.min) || !std::isnan(q.p05) || !std::isnan(q.p50) ||
                       !std::isnan(q.mean) || !std::isnan(q.max);
      if (any) {
        body_ += quantile_chart(o.name, o.name + ": quantiles over replicates", x_label, q);
        caption =
            "Quantile chart from summary.csv (no per-replicate data in this folder; run with "
            "--per-run for a histogram).";
      }
    }
    if (const Estimate* r = o.find("share_reached")) {
      body_ += shares_chart(o.name, o.name + ": share of replicates where it happened",
                            "share of replicates (%)", {{"reached", *r}}, true);
    }
  }
  if (!caption.empty()) body_ += "<p class=\"caption\">" + esc(caption) + "</p>\n";
  body_ += "</div>\n<div class=\"numbers\">\n";
  numbers_table(o, kind);
  body_ += "</div>\n</div>\n";
}

void Page::scenario_section(const std::string& id, const ScenarioInfo* info,
                            const ScenarioResult* result, bool first) {
  const std::string title = info && !info->title.empty() ? info->title : "Scenario " + id;
  body_ += open_major(title, anchors_.make("scenario-" + id), first);
  body_ += "<p class=\"meta\">scenario id <code>" + esc(id) + "</code></p>\n";
  if (f_.manifest) {
    for (const auto& [sid, error] : f_.manifest->failures) {
      if (sid == id) {
        body_ += "<p class=\"warning\">This scenario's run failed: " + esc(error) + "</p>\n";
      }
    }
  }
  if (info) info_block(*info);
  const std::string step_label = info ? info->step_label : "step";
  // Links to the parts of this section, in the order they follow.
  const bool has_outcomes = result && !result->outcomes.empty();
  const bool has_tracks = result && !result->trajectories.empty();
  const bool has_parameters = info && !info->parameters.empty();
  const bool has_sources = info && !info->sources.empty();
  const std::string a_outcomes = anchors_.make(id + "-outcomes");
  const std::string a_tracks = anchors_.make(id + "-tracked");
  const std::string a_parameters = anchors_.make(id + "-parameters");
  const std::string a_sources = anchors_.make(id + "-sources");
  std::string jumps;
  const auto jump = [&](bool present, const std::string& anchor, const char* text) {
    if (!present) return;
    jumps += std::string(jumps.empty() ? "" : " \xC2\xB7 ") + "<a href=\"#" + anchor + "\">" +
             text + "</a>";
  };
  jump(has_outcomes, a_outcomes, "Outcomes");
  const bool has_story = result && !result->storylines.empty();
  const std::string a_story = anchors_.make(id + "-storylines");
  jump(has_story, a_story, "Storylines");
  jump(has_tracks, a_tracks, "Tracked variables");
  jump(has_parameters, a_parameters, "Parameters");
  jump(has_sources, a_sources, "Sources");
  if (!jumps.empty()) body_ += "<p class=\"meta jumps\">" + jumps + "</p>\n";
  if (has_outcomes) {
    body_ += "<h3 id=\"" + a_outcomes + "\">Outcomes</h3>\n";
    std::vector<const OutcomeStats*> order;
    if (info) {
      for (const auto& oi : info->outcomes) {
        for (const auto& o : result->outcomes) {
          if (o.name == oi.name) order.push_back(&o);
        }
      }
    }
    for (const auto& o : result->outcomes) {
      if (std::find(order.begin(), order.end(), &o) == order.end()) order.push_back(&o);
    }
    // Every 0/1 outcome in one chart first, when there are several, for a quick read.
    std::vector<LabelledEstimate> probabilities;
    for (const OutcomeStats* o : order) {
      if (const Estimate* p = o->find("probability")) probabilities.push_back({o->name, *p});
    }
    if (probabilities.size() >= 2) {
      body_ += "<div class=\"figure\" id=\"" + anchors_.make(id + "-probabilities") +
               "\">\n<div class=\"charts\">\n<h4>Probabilities at a glance</h4>\n" +
               shares_chart("probabilities", "Share of replicates where each condition holds",
                            "probability (% of replicates)", probabilities, true) +
               "<p class=\"caption\">Each bar is an outcome whose value is 0 or 1 in every "
               "replicate, with its 95% Wilson interval; details follow below.</p>\n"
               "</div>\n</div>\n";
    }
    const bool glance = probabilities.size() >= 2;
    for (const OutcomeStats* o : order) outcome_figure(*o, info, result, glance, step_label);
  }
  if (has_story) storylines_block(*result, a_story);
  if (has_tracks) {
    body_ +=
        "<h3 id=\"" + a_tracks + "\">Tracked variables over the " + esc(step_label) + "s</h3>\n";
    body_ +=
        "<p class=\"caption\">Fan charts: the light band holds the middle 90% of replicates "
        "(p05\xE2\x80\x93p95), the dark band the middle half (p25\xE2\x80\x93p75); the solid line "
        "is the median and the dashed line the mean.</p>\n<div class=\"grid\">\n";
    for (const auto& t : result->trajectories) {
      if (t.data.step.empty()) continue;
      body_ +=
          "<div>" +
          fan_chart(t.variable, t.variable + " by " + step_label, step_label, t.variable, t.data) +
          "</div>\n";
    }
    body_ += "</div>\n";
  }
  if (info) assumptions_block(*info, a_parameters, a_sources);
  body_ += "</section>\n";
}

// The leading paths of storylines.csv: a bar per path with its share and interval, then
// the outcomes along the first few paths side by side.
void Page::storylines_block(const ScenarioResult& result, const std::string& anchor) {
  const auto& rows = result.storylines;
  body_ += "<h3 id=\"" + anchor + "\">Storylines</h3>\n";
  body_ +=
      "<p class=\"caption\">The ordered paths replicates took through the scenario's "
      "storyline items (its <code>storyline:</code>, or its once-events and decisions' first "
      "choices), most frequent first: each element is the first occurrence of an event, or a "
      "decision's first choice of a counted option (<code>decision=option</code>); "
      "<code>(none)</code> is the path where no item occurred. Bars give the share of "
      "replicates with its 95% Wilson interval (storylines.csv).</p>\n";
  std::vector<LabelledEstimate> bars;
  for (const auto& r : rows)
    bars.push_back({r.rank > 0 ? std::to_string(r.rank) + ". " + r.path : r.path, r.share});
  body_ += "<div class=\"figure\">\n<div class=\"charts\">\n" +
           storylines_chart(result.id + "-storylines", "Leading paths", bars) + "</div>\n</div>\n";
  // Outcomes along the leading paths (at most six, then the other paths when present).
  std::vector<const StorylineRow*> shown;
  for (const auto& r : rows)
    if ((r.rank > 0 && r.rank <= 6) || r.rank == 0) shown.push_back(&r);
  std::vector<std::string> columns;
  for (const auto* r : shown)
    for (const auto& [name, v] : r->columns)
      if (std::find(columns.begin(), columns.end(), name) == columns.end()) columns.push_back(name);
  if (columns.empty()) return;
  std::string head = "<tr><th>outcome along the path</th>";
  for (const auto* r : shown)
    head += "<th class=\"num\" title=\"" + esc(r->path) + "\">" +
            (r->rank > 0 ? "path " + std::to_string(r->rank) : std::string("other paths")) +
            "</th>";
  head += "</tr>\n";
  std::string body;
  for (const auto& col : columns) {
    const bool share = col.rfind("share:", 0) == 0;
    body += "<tr><td><code>" + esc(share ? col.substr(6) : col.substr(5)) + "</code>" +
            (share ? " (share)" : "") + "</td>";
    for (const auto* r : shown) {
      double v = kMissing;
      for (const auto& [name, x] : r->columns)
        if (name == col) v = x;
      body += std::isnan(v) ? std::string("<td class=\"num\"></td>") : num_cell(v);
    }
    body += "</tr>\n";
  }
  body_ +=
      "<p class=\"caption\">Means of the outcomes over each path's replicates (for a 0/1 outcome, "
      "its probability along the path; for a <code>cases</code> outcome, the share of each "
      "label). An empty cell: no replicate of the path had a value.</p>\n"
      "<div class=\"numbers wide\"><table><thead>" +
      head + "</thead><tbody>\n" + body + "</tbody></table></div>\n";
}

// ---- a batch, side by side ---------------------------------------------------------------

// One row per outcome, one column per scenario of a batch: the probability (or shares of
// a `cases` outcome) with its 95% interval, or the mean with the middle 90% of replicates.
void Page::side_by_side_section(const std::vector<std::string>& ids, bool first) {
  body_ += open_major("Scenarios side by side", anchors_.make("side-by-side"), first);
  std::vector<const ScenarioResult*> cols;
  for (const auto& id : ids)
    for (const auto& s : f_.scenarios)
      if (s.id == id) cols.push_back(&s);
  std::vector<std::string> names;
  for (const ScenarioResult* c : cols)
    for (const auto& o : c->outcomes)
      if (std::find(names.begin(), names.end(), o.name) == names.end()) names.push_back(o.name);
  body_ +=
      "<p class=\"caption\">Each outcome of the batch in each scenario: a probability or a "
      "share with its 95% Wilson interval, or the mean with the 5th\xE2\x80\x93"
      "95th percentile "
      "of replicates. A dash: the scenario has no such outcome.</p>\n"
      "<div class=\"wide\"><table class=\"side-by-side\"><thead><tr><th>outcome</th>";
  for (const ScenarioResult* c : cols) {
    const ScenarioInfo* info = f_.scenario_info(c->id);
    body_ += "<th class=\"num\">" + esc(info && !info->title.empty() ? info->title : c->id) +
             "<br/><code>" + esc(c->id) + "</code></th>";
  }
  body_ += "</tr></thead><tbody>\n";
  for (const auto& name : names) {
    body_ += "<tr><td><code>" + esc(name) + "</code></td>";
    for (const ScenarioResult* c : cols) {
      const OutcomeStats* o = nullptr;
      for (const auto& x : c->outcomes)
        if (x.name == name) o = &x;
      std::string cell = kDash;
      if (o) {
        if (const Estimate* p = o->find("probability")) {
          cell =
              "P " + display_percent(p->value) +
              (p->has_interval() ? " <span class=\"meta\">(" + interval_text(*p, true) + ")</span>"
                                 : "");
        } else if (!o->share_labels.empty()) {
          cell.clear();
          for (const auto& l : o->share_labels)
            cell += (cell.empty() ? "" : "<br/>") + esc(l) + " " +
                    display_percent(stat(*o, "share:" + l).value);
        } else if (const Estimate* m = o->find("mean")) {
          cell = "mean " + display_number(m->value) + " <span class=\"meta\">(" +
                 display_number(stat(*o, "p05").value) + " \xE2\x80\x93 " +
                 display_number(stat(*o, "p95").value) + ")</span>";
        }
      }
      body_ += "<td class=\"num\">" + cell + "</td>";
    }
    body_ += "</tr>\n";
  }
  body_ += "</tbody></table></div>\n</section>\n";
}

// ---- sweep -------------------------------------------------------------------------------

void Page::sweep_section(bool first) {
  const SweepTable& s = *f_.sweep;
  body_ += open_major("Sweep", anchors_.make("sweep"), first);
  std::string facts = std::to_string(s.points.size()) + " points";
  if (f_.manifest && f_.manifest->sweep) {
    const SweepInfo& si = *f_.manifest->sweep;
    if (!si.design.empty()) facts = "design <code>" + esc(si.design) + "</code> \xC2\xB7 " + facts;
    if (si.samples > 0) facts += " \xC2\xB7 " + std::to_string(si.samples) + " samples";
    if (si.levels > 0) facts += " \xC2\xB7 " + std::to_string(si.levels) + " levels";
    if (!si.points_file.empty())
      facts += " \xC2\xB7 points from <code>" + esc(si.points_file) + "</code>";
  }
  body_ += "<p class=\"meta\">" + facts + "</p>\n";
  if (f_.manifest && f_.manifest->sweep && !f_.manifest->sweep->vary.empty()) {
    body_ += "<table><thead><tr><th>varied parameter</th><th>values</th></tr></thead><tbody>\n";
    for (const auto& [name, spec] : f_.manifest->sweep->vary) {
      body_ += "<tr><td><code>" + esc(name) + "</code></td><td><code>" + esc(spec) +
               "</code></td></tr>\n";
    }
    body_ += "</tbody></table>\n";
  }
  std::vector<const SweepPoint*> failed;
  for (const auto& p : s.points) {
    if (!p.error.empty()) failed.push_back(&p);
  }
  if (!failed.empty()) {
    body_ += "<div class=\"warning\"><p>" + std::to_string(failed.size()) +
             " point(s) failed and are left out of the charts:</p><ul>\n";
    for (const SweepPoint* p : failed) {
      body_ += "<li>point " + std::to_string(p->point) + ": " + esc(p->error) + "</li>\n";
    }
    body_ += "</ul></div>\n";
  }
  body_ +=
      "<p class=\"caption\">Each chart shows one outcome against one varied parameter. With a "
      "single varied parameter the points are joined, with bands for the middle 90% and middle "
      "half of replicates and the 95% interval of the mean; when several parameters vary "
      "together each point is a dot with its 95% interval, and with 20 points or more a "
      "dashed line follows the median of the points in bins along the axis, inside a band "
      "holding the middle half of them (the parameter's effect averaged over the others)."
      "</p>\n";
  for (size_t j = 0; j < s.parameters.size(); ++j) {
    // Joined lines only when no other parameter changes between points.
    bool others_constant = true;
    std::set<double> xs;
    for (const auto& p : s.points) {
      xs.insert(p.parameters[j]);
      for (size_t k = 0; k < s.parameters.size(); ++k) {
        if (k != j && p.parameters[k] != s.points.front().parameters[k]) others_constant = false;
      }
    }
    const bool connected = others_constant && xs.size() == s.points.size();
    body_ += "<h3>Outcomes against <code>" + esc(s.parameters[j]) + "</code></h3>\n";
    body_ += "<div class=\"grid\">\n";
    for (const auto& outcome : s.outcome_order) {
      // Which statistics form the series: probability, each case share, or the mean.
      std::vector<std::pair<std::string, std::string>> stats;  // statistic, series label
      bool percent = true;
      for (const auto& p : s.points) {
        for (const auto& o : p.outcomes) {
          if (o.name != outcome || !stats.empty()) continue;
          if (o.find("probability")) {
            stats.emplace_back("probability", "probability");
          } else if (!o.share_labels.empty()) {
            for (const auto& l : o.share_labels) stats.emplace_back("share:" + l, l);
          } else {
            stats.emplace_back("mean", "mean");
            percent = false;
          }
        }
      }
      if (stats.empty()) continue;
      std::vector<SweepSeries> series;
      for (const auto& [statistic, label] : stats) {
        SweepSeries ss;
        ss.label = label;
        ss.connected = connected;
        for (const auto& p : s.points) {
          for (const auto& o : p.outcomes) {
            if (o.name != outcome) continue;
            const Estimate* e = o.find(statistic);
            if (!e) continue;
            SweepXY xy;
            xy.x = p.parameters[j];
            xy.estimate = *e;
            if (statistic == "mean") {
              xy.band_lo = stat(o, "p05").value, xy.band_hi = stat(o, "p95").value;
              xy.inner_lo = stat(o, "p25").value, xy.inner_hi = stat(o, "p75").value;
            }
            ss.points.push_back(xy);
          }
        }
        std::sort(ss.points.begin(), ss.points.end(),
                  [](const SweepXY& a, const SweepXY& b) { return a.x < b.x; });
        if (!ss.points.empty()) series.push_back(std::move(ss));
      }
      if (series.empty()) continue;
      const std::string y_label =
          percent ? (stats.front().first == "probability" ? outcome + ": probability (%)"
                                                          : outcome + ": share of replicates (%)")
                  : outcome + " (mean)";
      body_ +=
          "<div>" +
          sweep_chart(outcome + " vs " + s.parameters[j], outcome + " against " + s.parameters[j],
                      s.parameters[j], y_label, series, percent) +
          "</div>\n";
    }
    body_ += "</div>\n";
  }
  body_ += "</section>\n";
}

// ---- sensitivity -------------------------------------------------------------------------

void Page::sensitivity_section(bool first) {
  body_ += open_major("Sensitivity", anchors_.make("sensitivity"), first);
  if (f_.sensitivity.empty()) {
    body_ += "<p class=\"note\">sensitivity.csv holds no indices.</p>\n</section>\n";
    return;
  }
  // One figure per outcome and statistic (a cases outcome has one per label share).
  const auto series_of = [](const SensitivityRow& r) {
    return r.statistic == "mean" ? r.outcome : r.outcome + " (" + r.statistic + ")";
  };
  std::vector<std::string> outcomes;
  for (const auto& r : f_.sensitivity) {
    if (std::find(outcomes.begin(), outcomes.end(), series_of(r)) == outcomes.end()) {
      outcomes.push_back(series_of(r));
    }
  }
  bool sobol = false, morris = false;
  for (const auto& r : f_.sensitivity) {
    sobol = sobol || r.index == "S1" || r.index == "ST";
    morris = morris || r.index == "mu_star" || r.index == "sigma";
  }
  if (sobol) {
    body_ +=
        "<p class=\"caption\">Sobol indices of each outcome's mean, probability (a yes/no "
        "outcome) or label shares (a categorical outcome), by Saltelli sampling: S1 is the "
        "share of the variance due to the parameter alone, ST adds its interactions, S2 (when "
        "asked for) is a pair's interaction alone. Parameters are sorted by ST; whiskers are "
        "95% bootstrap intervals.</p>\n";
  }
  if (morris) {
    body_ +=
        "<p class=\"caption\">Morris elementary effects on each outcome's mean: \xCE\xBC* is the "
        "mean absolute effect, \xCF\x83 the spread of the effects (non-linearity or "
        "interaction). Parameters are sorted by \xCE\xBC*; whiskers are 95% bootstrap "
        "intervals.</p>\n";
  }
  for (const auto& outcome : outcomes) {
    std::vector<std::string> indices;
    for (const auto& r : f_.sensitivity) {
      if (series_of(r) == outcome && r.index != "S2" &&
          std::find(indices.begin(), indices.end(), r.index) == indices.end()) {
        indices.push_back(r.index);
      }
    }
    std::string first_index = indices[0];
    std::string second_index = indices.size() > 1 ? indices[1] : "";
    std::string sort_index = indices.back();
    if (std::find(indices.begin(), indices.end(), "S1") != indices.end()) {
      first_index = "S1", second_index = "ST", sort_index = "ST";
    } else if (std::find(indices.begin(), indices.end(), "mu_star") != indices.end()) {
      first_index = "mu_star", second_index = "sigma", sort_index = "mu_star";
    }
    std::vector<SensitivityBar> bars;
    std::vector<const SensitivityRow*> pairs;  // S2 rows
    std::string statistic = "mean";
    for (const auto& r : f_.sensitivity) {
      if (series_of(r) != outcome) continue;
      statistic = r.statistic;
      if (r.index == "S2") {
        pairs.push_back(&r);
        continue;
      }
      auto it = std::find_if(bars.begin(), bars.end(),
                             [&](const SensitivityBar& b) { return b.parameter == r.parameter; });
      if (it == bars.end()) {
        bars.push_back(SensitivityBar{r.parameter, {}, {}});
        it = bars.end() - 1;
      }
      if (r.index == first_index) it->first = r.estimate;
      if (r.index == second_index) it->second = r.estimate;
    }
    const bool sort_second = sort_index == second_index;
    auto key = [&](const SensitivityBar& b) {
      const double v = sort_second ? b.second.value : b.first.value;
      return std::isnan(v) ? -std::numeric_limits<double>::infinity() : v;
    };
    std::stable_sort(
        bars.begin(), bars.end(),
        [&](const SensitivityBar& a, const SensitivityBar& b) { return key(a) > key(b); });
    const auto shown = [](const std::string& index) {
      if (index == "mu_star") return std::string("\xCE\xBC*");
      if (index == "sigma") return std::string("\xCF\x83");
      return index;
    };
    body_ += "<div class=\"figure\" id=\"" + anchors_.make("sensitivity-" + outcome) +
             "\">\n<div class=\"charts\">\n<h4><code>" + esc(outcome) + "</code></h4>\n";
    body_ += sensitivity_chart(outcome, outcome + ": sensitivity of the " + statistic,
                               shown(first_index), shown(second_index), bars);
    body_ +=
        "</div>\n<div class=\"numbers\"><table><thead><tr><th>parameter</th><th class=\"num\">" +
        esc(shown(first_index)) + "</th><th class=\"num\">95% interval</th><th class=\"num\">" +
        esc(shown(second_index)) + "</th><th class=\"num\">95% interval</th></tr></thead><tbody>\n";
    for (const auto& b : bars) {
      body_ += "<tr><td><code>" + esc(b.parameter) + "</code></td>" + num_cell(b.first.value) +
               "<td class=\"num\">" + interval_text(b.first, false) + "</td>" +
               num_cell(b.second.value) + "<td class=\"num\">" + interval_text(b.second, false) +
               "</td></tr>\n";
    }
    body_ += "</tbody></table>";
    if (!pairs.empty()) {
      body_ +=
          "<table><thead><tr><th>pair</th><th class=\"num\">S2</th><th class=\"num\">95% "
          "interval</th></tr></thead><tbody>\n";
      for (const SensitivityRow* r : pairs)
        body_ += "<tr><td><code>" + esc(r->parameter) + "</code></td>" +
                 num_cell(r->estimate.value) + "<td class=\"num\">" +
                 interval_text(r->estimate, false) + "</td></tr>\n";
      body_ += "</tbody></table>";
    }
    body_ += "</div>\n</div>\n";
  }
  body_ += "</section>\n";
}

// ---- discovery ---------------------------------------------------------------------------

void Page::discovery_section(bool first) {
  const Discovery& d = *f_.discovery;
  const bool cart = d.method == "cart";
  body_ += open_major(cart ? "Scenario discovery (CART)" : "Scenario discovery (PRIM)",
                      anchors_.make("discovery"), first);
  if (cart)
    body_ +=
        "<p class=\"caption\">The leaves of a classification tree (CART) where the cases of "
        "interest are the majority (or as dense as <code>--density</code> asked), as boxes of "
        "inputs (geosim discover --method cart, docs/discovery.md; the tree is in tree.csv). A "
        "limit set by a split excludes its value: low &lt; x &le; high.</p>\n";
  body_ +=
      "<p class=\"caption\">Boxes of inputs where the cases of interest are dense (geosim "
      "discover, docs/discovery.md). Coverage is the share of all cases of interest inside a "
      "box, density the share of the box's rows that are cases, mass the box's share of all "
      "rows. Each box's p is the quasi-p of a restriction (Bryant and Lempert 2010): the "
      "chance of the box's density if that limit were dropped; a large p says the limit adds "
      "little.</p>\n";
  if (!d.tradeoff.empty()) {
    std::vector<TradeoffPoint2> pts;
    for (const auto& t : d.tradeoff) pts.push_back({t.box, t.coverage, t.density, t.chosen});
    body_ += "<div class=\"figure\" id=\"" + anchors_.make("tradeoff") +
             "\">\n<div class=\"charts\">\n" +
             tradeoff_chart("tradeoff", "Coverage and density along the peeling", pts) +
             "</div>\n</div>\n";
  }
  int boxes = 0;
  for (const auto& l : d.limits) boxes = std::max(boxes, l.box);
  if (boxes == 0)
    body_ += cart ? "<p class=\"note\">No box: no leaf of the tree is dense enough.</p>\n"
                  : "<p class=\"note\">No box: no restriction of the inputs raises the "
                    "density.</p>\n";
  for (int b = 1; b <= boxes; ++b) {
    std::vector<LimitBar> bars;
    const DiscoveryLimit* any = nullptr;
    std::string rows;
    for (const auto& l : d.limits) {
      if (l.box != b) continue;
      any = &l;
      const double span = l.range_high - l.range_low;
      LimitBar bar;
      bar.input = l.input;
      bar.low = span > 0 ? (l.low - l.range_low) / span : 0;
      bar.high = span > 0 ? (l.high - l.range_low) / span : 1;
      bar.text = l.input + " in [" + display_number(l.low) + ", " + display_number(l.high) +
                 "] of [" + display_number(l.range_low) + ", " + display_number(l.range_high) + "]";
      bars.push_back(bar);
      rows += "<tr><td><code>" + esc(l.input) + "</code></td>" + num_cell(l.low) +
              num_cell(l.high) + num_cell(l.range_low) + num_cell(l.range_high) +
              num_cell(l.p_low) + num_cell(l.p_high) + "</tr>\n";
    }
    if (!any) continue;
    const std::string name = "box-" + std::to_string(b);
    body_ += "<div class=\"figure\" id=\"" + anchors_.make(name) +
             "\">\n<div class=\"charts\">\n<h4>Box " + std::to_string(b) + ": coverage " +
             display_number(any->coverage) + ", density " + display_number(any->density) +
             ", mass " + display_number(any->mass) + "</h4>\n" +
             box_limits_chart(name, "Box " + std::to_string(b) + ": its limits", bars) +
             "</div>\n<div class=\"numbers\"><table><thead><tr><th>input</th><th "
             "class=\"num\">low</th><th class=\"num\">high</th><th class=\"num\">range "
             "low</th><th class=\"num\">range high</th><th class=\"num\">p (low)</th><th "
             "class=\"num\">p (high)</th></tr></thead><tbody>\n" +
             rows + "</tbody></table></div>\n</div>\n";
  }
  body_ += "</section>\n";
}

// ---- compare -----------------------------------------------------------------------------

void Page::compare_section(bool first) {
  body_ += open_major("Comparison of A and B", anchors_.make("compare"), first);
  size_t significant = 0;
  std::vector<std::string> outcomes;
  for (const auto& r : f_.compare) {
    significant += r.significant ? 1 : 0;
    if (std::find(outcomes.begin(), outcomes.end(), r.outcome) == outcomes.end()) {
      outcomes.push_back(r.outcome);
    }
  }
  body_ += "<p class=\"sides\"><strong>A</strong> = " +
           (f_.compare_a.empty() ? std::string("the first input of <code>geosim compare</code>")
                                 : "<code>" + esc(f_.compare_a) + "</code>") +
           "; <strong>B</strong> = " +
           (f_.compare_b.empty() ? std::string("the second input")
                                 : "<code>" + esc(f_.compare_b) + "</code>") +
           ".</p>\n";
  body_ += "<p>" + std::to_string(significant) + " of " + std::to_string(f_.compare.size()) +
           " compared statistics differ significantly at the 5% level (Welch's t for means, "
           "two-proportion z for probabilities and shares). Differences are B \xE2\x88\x92 A. "
           "Significant rows are marked <span class=\"sig\">*</span>.</p>\n";
  if (significant > 0) {
    body_ +=
        "<h3>Significant differences</h3>\n<table class=\"significant\"><thead><tr>"
        "<th>outcome</th><th>statistic</th><th class=\"num\">A</th><th class=\"num\">B</th>"
        "<th class=\"num\">B \xE2\x88\x92 A</th><th class=\"num\">95% interval</th>"
        "<th class=\"num\">p</th></tr></thead><tbody>\n";
    for (const auto& r : f_.compare) {
      if (!r.significant) continue;
      body_ += "<tr><td><code>" + esc(r.outcome) + "</code></td><td>" + esc(r.statistic) + "</td>" +
               num_cell(r.a) + num_cell(r.b) + num_cell(r.difference.value) + "<td class=\"num\">" +
               interval_text(r.difference, false) + "</td>" + num_cell(r.p_value) + "</tr>\n";
    }
    body_ += "</tbody></table>\n";
  }
  for (const auto& outcome : outcomes) {
    std::vector<CompareRow> rows;
    bool any_sig = false;
    for (const auto& r : f_.compare) {
      if (r.outcome != outcome) continue;
      rows.push_back(CompareRow{r.statistic, r.a, r.b, r.difference, r.significant});
      any_sig = any_sig || r.significant;
    }
    body_ += "<div class=\"figure\" id=\"" + anchors_.make("compare-" + outcome) +
             "\">\n<div class=\"charts\">\n<h4><code>" + esc(outcome) + "</code>" +
             (any_sig ? " <span class=\"badge\">significant difference</span>" : "") + "</h4>\n";
    body_ += compare_chart(outcome, outcome + ": A beside B", outcome, rows);
    if (std::any_of(rows.begin(), rows.end(),
                    [](const CompareRow& r) { return !std::isnan(r.difference.value); })) {
      body_ += difference_chart(outcome, outcome + ": difference B \xE2\x88\x92 A",
                                "difference B \xE2\x88\x92 A in " + outcome, rows);
    }
    body_ +=
        "</div>\n<div class=\"numbers\"><table><thead><tr><th>statistic</th>"
        "<th class=\"num\">A</th><th class=\"num\">B</th><th class=\"num\">B \xE2\x88\x92 A"
        "</th><th class=\"num\">95% interval</th><th class=\"num\">p</th><th>significant"
        "</th></tr></thead><tbody>\n";
    for (const auto& r : f_.compare) {
      if (r.outcome != outcome) continue;
      body_ += std::string("<tr") + (r.significant ? " class=\"sig\"" : "") + "><td>" +
               esc(r.statistic) + "</td>" + num_cell(r.a) + num_cell(r.b) +
               num_cell(r.difference.value) + "<td class=\"num\">" +
               interval_text(r.difference, false) + "</td>" + num_cell(r.p_value) + "<td>" +
               (r.significant ? "yes *" : "no") + "</td></tr>\n";
    }
    body_ += "</tbody></table></div>\n</div>\n";
  }
  body_ += "</section>\n";
}

// ---- manifest ----------------------------------------------------------------------------

void Page::manifest_section(bool first) {
  const Manifest& m = *f_.manifest;
  body_ += open_major("Manifest", anchors_.make("manifest"), first);
  body_ += "<table class=\"manifest\"><tbody>\n";
  auto row = [&](const std::string& k, const std::string& v_html) {
    body_ += "<tr><th>" + esc(k) + "</th><td>" + v_html + "</td></tr>\n";
  };
  if (!m.program.empty() || !m.version.empty()) row("program", esc(m.program + " " + m.version));
  if (!m.command.empty()) row("command", esc(m.command));
  if (!m.command_line.empty()) {
    row("command line", "<code>" + esc(command_text(m.command_line)) + "</code>");
  }
  if (!m.start_time.empty()) row("started", esc(m.start_time));
  if (!std::isnan(m.wall_seconds)) row("wall time", display_number(m.wall_seconds, 3) + " s");
  if (m.threads >= 0) row("threads", std::to_string(m.threads));
  body_ += "</tbody></table>\n";
  if (!m.scenarios.empty()) {
    body_ +=
        "<table class=\"manifest-scenarios\"><thead><tr><th>scenario</th>"
        "<th class=\"num\">seed</th><th class=\"num\">replicates</th><th class=\"num\">"
        "steps</th><th>file</th></tr></thead><tbody>\n";
    auto int_cell = [](int64_t v) {
      return "<td class=\"num\">" + (v >= 0 ? std::to_string(v) : std::string(kDash)) + "</td>";
    };
    for (const auto& s : m.scenarios) {
      body_ += "<tr><td><code>" + esc(s.id) + "</code></td><td class=\"num\">" +
               (s.seed.empty() ? std::string(kDash) : esc(s.seed)) + "</td>" +
               int_cell(s.replicates) + int_cell(s.steps) + "<td><code>" + esc(s.file) +
               "</code></td></tr>\n";
    }
    body_ += "</tbody></table>\n";
    body_ +=
        "<table class=\"hashes\"><thead><tr><th>file read</th><th>sha256</th></tr></thead>"
        "<tbody>\n";
    std::set<std::string> seen;
    for (const auto& s : m.scenarios) {
      for (const auto& fh : s.files) {
        if (!seen.insert(fh.path + "\n" + fh.sha256).second) continue;
        body_ += "<tr><td><code>" + esc(fh.path) + "</code></td><td class=\"mono\">" +
                 esc(fh.sha256) + "</td></tr>\n";
      }
    }
    body_ += "</tbody></table>\n";
  }
  body_ += "</section>\n";
}

std::string Page::render() {
  // Scenarios: the manifest's order, then any id found only in the CSV files. A sweep's
  // scenario is described once, above its sweep charts.
  std::vector<std::string> ids;
  if (f_.manifest) {
    for (const auto& s : f_.manifest->scenarios) ids.push_back(s.id);
  }
  for (const auto& s : f_.scenarios) {
    if (std::find(ids.begin(), ids.end(), s.id) == ids.end()) ids.push_back(s.id);
  }
  bool first = true;
  if (f_.scenarios.size() >= 2) side_by_side_section(ids, first), first = false;
  // Results first: a sweep's charts come before the description of its scenario (whose
  // own section then holds only the description and the assumptions).
  const bool sweep_first = f_.sweep.has_value() && f_.scenarios.empty();
  if (sweep_first) {
    sweep_section(first), first = false;
    if (f_.has_sensitivity) sensitivity_section(first);
  }
  for (const auto& id : ids) {
    const ScenarioResult* result = nullptr;
    for (const auto& s : f_.scenarios) {
      if (s.id == id) result = &s;
    }
    scenario_section(id, f_.scenario_info(id), result, first);
    first = false;
  }
  if (f_.sweep && !sweep_first) sweep_section(first), first = false;
  if (f_.has_sensitivity && !sweep_first) sensitivity_section(first), first = false;
  if (f_.discovery) discovery_section(first), first = false;
  if (f_.has_compare) compare_section(first), first = false;
  if (f_.calibration) calibration_section(first), first = false;
  if (f_.backtest) backtest_section(first), first = false;
  if (f_.manifest) manifest_section(first), first = false;

  // Title: the single scenario's title, else a description of the folder.
  std::string title = "geosim report";
  std::string kind = "result folder";
  if (f_.manifest && f_.manifest->scenarios.size() == 1 &&
      !f_.manifest->scenarios[0].title.empty()) {
    title = f_.manifest->scenarios[0].title;
  } else if (f_.has_compare && f_.scenarios.empty()) {
    title = "geosim comparison";
  }
  if (f_.backtest) {
    kind = "backtest";
  } else if (f_.sweep) {
    kind = "sweep";
  } else if (f_.has_compare && f_.scenarios.empty()) {
    kind = "comparison";
  } else if (!f_.scenarios.empty()) {
    kind = "run";
  }
  const std::string folder = std::filesystem::path(f_.dir).lexically_normal().string();
  std::string html =
      "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
      "<meta charset=\"utf-8\"/>\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; img-src data:\"/>\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
      "<meta name=\"generator\" content=\"geosim " GEOSIM_VERSION "\"/>\n<title>" +
      esc(title) + "</title>\n<style>" + kCss + "</style>\n</head>\n<body>\n<header>\n<h1>" +
      esc(title) + "</h1>\n<p class=\"meta\">geosim " + kind + " report of <code>" + esc(folder) +
      "</code></p>\n</header>\n";
  if (toc_.size() > 1) {
    html += "<nav><strong>Contents</strong><ul>\n";
    for (const auto& [anchor, t] : toc_) {
      html += "<li><a href=\"#" + anchor + "\">" + esc(t) + "</a></li>\n";
    }
    html += "</ul></nav>\n";
  }
  html += "<main>\n" + body_ + "</main>\n<footer><p class=\"meta\">Written by geosim " +
          std::string(GEOSIM_VERSION) +
          " <code>report</code>. Charts are inline SVG; the exact numbers are in the folder's "
          "CSV files.</p></footer>\n</body>\n</html>\n";
  return html;
}

}  // namespace

const char* stylesheet() { return kCss; }

std::string render_report(const std::string& dir) {
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) outdir::verify_result_set(dir);  // one result
  const ResultFolder folder = read_result_folder(dir);
  Page page(folder);
  return page.render();
}

void write_report(const std::string& dir, const std::string& out_file) {
  outdir::write_output(out_file, render_report(dir));
}

}  // namespace geosim::report
