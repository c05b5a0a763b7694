#include "experiment/summary.h"

#include <cmath>
#include <cstdio>

#include "io/number.h"
#include "stats/proportion.h"

namespace geosim::experiment {

namespace {

const char* kQuantileNames[] = {"p05", "p25", "p50", "p75", "p95"};
const double kQuantiles[] = {0.05, 0.25, 0.5, 0.75, 0.95};

std::string opt(const std::optional<double>& v) {
  return v ? io::format_double(*v) : std::string();
}

void add_share(std::vector<SummaryRow>& rows, const std::string& id, const std::string& outcome,
               const std::string& statistic, int64_t k, int64_t n) {
  SummaryRow r{id, outcome, statistic, {}, {}, {}, n};
  if (n > 0) {
    r.value = static_cast<double>(k) / static_cast<double>(n);
    stats::Interval ci = stats::wilson_interval(k, n);
    r.ci_low = ci.low;
    r.ci_high = ci.high;
  }
  rows.push_back(r);
}

}  // namespace

std::vector<SummaryRow> summary_rows(const sim::Model& model, const RunStats& stats) {
  std::vector<SummaryRow> rows;
  for (size_t k = 0; k < model.outcomes.size(); ++k) {
    const sim::OutcomeModel& om = model.outcomes[k];
    const OutcomeStats& os = stats.outcomes[k];
    const SeriesStats& s = os.values;
    const int64_t n = s.moments.count();
    auto row = [&](const char* stat) { return SummaryRow{model.id, om.name, stat, {}, {}, {}, n}; };
    SummaryRow mean = row("mean");
    SummaryRow sd = row("sd");
    SummaryRow mn = row("min");
    SummaryRow mx = row("max");
    if (n > 0) {
      mean.value = s.moments.mean();
      sd.value = s.moments.sd();
      mn.value = s.moments.min();
      mx.value = s.moments.max();
      if (n >= 2) {
        stats::Interval ci = stats::normal_mean_interval(*mean.value, *sd.value, n);
        mean.ci_low = ci.low;
        mean.ci_high = ci.high;
      }
    }
    rows.push_back(mean);
    rows.push_back(sd);
    rows.push_back(mn);
    for (int q = 0; q < 5; ++q) {
      SummaryRow r = row(kQuantileNames[q]);
      if (n > 0) r.value = s.sketch.quantile(kQuantiles[q]);
      rows.push_back(r);
    }
    rows.push_back(mx);
    if (om.kind == OutcomeKind::kFirst) {
      add_share(rows, model.id, om.name, "share_reached", os.reached, os.held);
    } else if (om.kind == OutcomeKind::kCases) {
      for (size_t c = 0; c < om.labels.size(); ++c)
        add_share(rows, model.id, om.name, "share:" + om.labels[c], os.case_counts[c], os.held);
    } else if (s.all_binary && n > 0) {
      // all values are 0/1: the mean is a count of ones over n
      int64_t ones = static_cast<int64_t>(std::llround(s.moments.sum()));
      add_share(rows, model.id, om.name, "probability", ones, n);
    }
    // A conditional outcome: the share of all replicates where its condition held. When it
    // never held, every statistic above is empty (never NaN) and this row says so: 0 of N.
    if (om.conditional()) add_share(rows, model.id, om.name, "given_share", os.held, os.total);
  }
  return rows;
}

std::vector<TrajectoryRow> trajectory_rows(const sim::Model& model, const RunStats& stats) {
  std::vector<TrajectoryRow> rows;
  for (size_t k = 0; k < model.track.size(); ++k) {
    for (size_t t = 0; t < stats.track[k].size(); ++t) {
      const TrackStats& s = stats.track[k][t];
      TrajectoryRow r;
      r.scenario = model.id;
      r.variable = model.track[k].name;
      r.step = static_cast<int64_t>(t);
      if (s.mean.count() > 0) {
        r.mean = s.mean.mean();
        r.p05 = s.sketch.quantile(0.05);
        r.p25 = s.sketch.quantile(0.25);
        r.p50 = s.sketch.quantile(0.5);
        r.p75 = s.sketch.quantile(0.75);
        r.p95 = s.sketch.quantile(0.95);
      }
      rows.push_back(r);
    }
  }
  return rows;
}

std::vector<std::string> summary_fields(const SummaryRow& r) {
  return {r.scenario,
          r.outcome,
          r.statistic,
          opt(r.value),
          opt(r.ci_low),
          opt(r.ci_high),
          std::to_string(r.replicates)};
}

std::vector<std::string> trajectory_fields(const TrajectoryRow& r) {
  return {r.scenario,  r.variable, std::to_string(r.step),
          opt(r.mean), opt(r.p05), opt(r.p25),
          opt(r.p50),  opt(r.p75), opt(r.p95)};
}

std::string format_table(const sim::Model& model, const RunStats& stats,
                         const posterior::Binding* posterior) {
  auto num = [](std::optional<double> v) {
    if (!v) return std::string("-");
    char buf[32];
    double a = std::fabs(*v);
    if (a != 0 && (a >= 1e6 || a < 1e-3))
      std::snprintf(buf, sizeof buf, "%.3g", *v);
    else
      std::snprintf(buf, sizeof buf, "%.4g", *v);
    return std::string(buf);
  };
  std::vector<SummaryRow> rows = summary_rows(model, stats);
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%s — %s\n%lld replicates, %lld %ss each\n\n", model.id.c_str(),
                model.title.empty() ? model.id.c_str() : model.title.c_str(),
                static_cast<long long>(stats.replicates), static_cast<long long>(model.steps),
                model.step_label.c_str());
  out += line;
  if (posterior) {
    // The run is over a posterior: a line under the heading, before the blank line.
    out.pop_back();
    const posterior::Posterior& f = posterior->posterior();
    std::string names;
    for (const auto& n : posterior->parameters()) names += (names.empty() ? "" : ", ") + n;
    char eff[32];
    std::snprintf(eff, sizeof eff, "%.4g", f.effective_draws());
    out += "over the posterior " + f.path + ": " + std::to_string(f.draws()) + " draws (" + eff +
           " effective); " + names + " drawn per replicate\n\n";
  }
  std::snprintf(line, sizeof line, "%-28s %10s %10s %10s %10s %10s   %s\n", "outcome", "mean",
                "p05", "p50", "p95", "sd", "probability / share [95% CI]");
  out += line;
  for (size_t k = 0; k < model.outcomes.size(); ++k) {
    const std::string& name = model.outcomes[k].name;
    std::optional<double> mean, p05, p50, p95, sd;
    std::string shares;
    for (const SummaryRow& r : rows) {
      if (r.outcome != name) continue;
      if (r.statistic == "mean") mean = r.value;
      if (r.statistic == "p05") p05 = r.value;
      if (r.statistic == "p50") p50 = r.value;
      if (r.statistic == "p95") p95 = r.value;
      if (r.statistic == "sd") sd = r.value;
      if (r.statistic == "probability" || r.statistic == "share_reached" ||
          r.statistic == "given_share" || r.statistic.rfind("share:", 0) == 0) {
        if (!shares.empty()) shares += ", ";
        std::string label = r.statistic == "probability"     ? "P"
                            : r.statistic == "share_reached" ? "reached"
                            : r.statistic == "given_share"   ? "given held in"
                                                             : r.statistic.substr(6);
        shares += label + " " + num(r.value) + " [" + num(r.ci_low) + ", " + num(r.ci_high) + "]";
      }
    }
    if (model.outcomes[k].kind == OutcomeKind::kCases) mean = p05 = p50 = p95 = sd = std::nullopt;
    std::snprintf(line, sizeof line, "%-28s %10s %10s %10s %10s %10s   %s\n", name.c_str(),
                  num(mean).c_str(), num(p05).c_str(), num(p50).c_str(), num(p95).c_str(),
                  num(sd).c_str(), shares.c_str());
    out += line;
  }
  return out;
}

}  // namespace geosim::experiment
