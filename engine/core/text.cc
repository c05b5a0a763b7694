#include "core/text.h"

#include <algorithm>
#include <numeric>

namespace geosim {

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
// two adjacent letters each cost 1 (so "alpah" is one edit from "alpha").
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> before(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  std::iota(prev.begin(), prev.end(), size_t{0});
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        cur[j] = std::min(cur[j], before[j - 2] + 1);
    }
    std::swap(before, prev);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::vector<std::string> nearest_names(std::string_view name,
                                       const std::vector<std::string>& candidates,
                                       size_t max_count) {
  // A plausible misspelling: within a third of the longer name's length (at least 1),
  // or one name is a prefix of the other.
  std::vector<std::pair<size_t, size_t>> scored;  // (distance, index)
  for (size_t i = 0; i < candidates.size(); ++i) {
    const std::string& c = candidates[i];
    if (c == name) continue;
    size_t d = edit_distance(name, c);
    size_t limit = std::max<size_t>(1, std::max(name.size(), c.size()) / 3);
    bool prefix = !name.empty() && (c.starts_with(name) || name.starts_with(c)) &&
                  std::min(c.size(), name.size()) >= 3;
    if (d <= limit || prefix) scored.emplace_back(prefix ? std::min(d, limit) : d, i);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](auto& x, auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (auto& [d, i] : scored) {
    if (out.size() >= max_count) break;
    if (std::find(out.begin(), out.end(), candidates[i]) == out.end()) out.push_back(candidates[i]);
  }
  return out;
}

std::string quoted_list(const std::vector<std::string>& items, std::string_view last_sep) {
  std::string s;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) s += (i + 1 == items.size()) ? std::string(last_sep) : std::string(", ");
    s += "'" + items[i] + "'";
  }
  return s;
}

std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates) {
  auto near = nearest_names(name, candidates);
  if (near.empty()) return "";
  return " (did you mean " + quoted_list(near) + "?)";
}

}  // namespace geosim
