#include "experiment/storylines.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "io/csv.h"
#include "io/number.h"
#include "stats/proportion.h"

namespace geosim::experiment {

std::vector<story::ItemNames> story_items(const sim::Model& model) {
  std::vector<story::ItemNames> items;
  for (const auto& it : model.story) items.push_back({it.name, it.options});
  return items;
}

bool has_storylines(const std::vector<ScenarioRun>& runs) {
  for (const auto& r : runs)
    if (r.ok && !r.model->story.empty() && !r.stats.paths.empty()) return true;
  return false;
}

namespace {

// The outcome columns of one outcome.
std::vector<std::string> outcome_columns(const sim::OutcomeModel& o) {
  if (o.kind != OutcomeKind::kCases) return {"mean:" + o.name};
  std::vector<std::string> cols;
  for (const auto& l : o.labels) cols.push_back("share:" + o.name + "=" + l);
  return cols;
}

std::string number_or_empty(int64_t num, int64_t den) {
  return den > 0 ? io::format_double(static_cast<double>(num) / static_cast<double>(den)) : "";
}

// sum / n, without overflow for sums near the double range (as stats::ExactMoments).
double mean_of(const stats::ExactSum& sum, int64_t n) {
  const double d = static_cast<double>(n);
  return sum.top_exponent() > 1000 ? std::ldexp(sum.to_double(-64) / d, 64) : sum.to_double() / d;
}

}  // namespace

std::string storylines_text(const std::vector<ScenarioRun>& runs) {
  std::vector<std::string> header = {"scenario",   "rank",  "path",   "length",
                                     "replicates", "share", "ci_low", "ci_high"};
  const size_t fixed = header.size();
  for (const auto& r : runs) {
    if (!r.ok) continue;
    for (const auto& o : r.model->outcomes)
      for (const auto& c : outcome_columns(o))
        if (std::find(header.begin() + static_cast<std::ptrdiff_t>(fixed), header.end(), c) ==
            header.end())
          header.push_back(c);
  }
  std::ostringstream out;
  io::CsvWriter csv(out);
  csv.row(header);
  for (const auto& r : runs) {
    if (!r.ok || r.model->story.empty() || r.stats.paths.empty()) continue;
    const sim::Model& m = *r.model;
    const int64_t total = r.stats.paths.replicates();
    for (const story::PathRow& row :
         story::rows(r.stats.paths, m.story_steps, story_items(m), m.story_max_paths)) {
      std::vector<std::string> f(header.size());
      f[0] = m.id;
      f[1] = row.rank > 0 ? std::to_string(row.rank) : "";
      f[2] = row.path;
      f[3] = row.length >= 0 ? std::to_string(row.length) : "";
      f[4] = std::to_string(row.stats.replicates);
      f[5] = number_or_empty(row.stats.replicates, total);
      const stats::Interval ci = stats::wilson_interval(row.stats.replicates, total);
      f[6] = io::format_double(ci.low);
      f[7] = io::format_double(ci.high);
      for (size_t k = 0; k < m.outcomes.size(); ++k) {
        const sim::OutcomeModel& o = m.outcomes[k];
        const story::OutcomeSums& s = row.stats.outcomes[k];
        const auto cols = outcome_columns(o);
        for (size_t c = 0; c < cols.size(); ++c) {
          const size_t at = static_cast<size_t>(std::find(header.begin(), header.end(), cols[c]) -
                                                header.begin());
          if (o.kind == OutcomeKind::kCases)
            f[at] = number_or_empty(s.label_counts[c], s.held);
          else if (s.present > 0)
            f[at] = io::format_double(mean_of(s.sum, s.present));
        }
      }
      csv.row(f);
    }
  }
  return out.str();
}

}  // namespace geosim::experiment
