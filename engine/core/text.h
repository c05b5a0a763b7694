// Small text helpers shared by every layer: name suggestions for messages.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace geosim {

// Damerau-free Levenshtein distance (insert, delete, substitute), case-sensitive.
size_t edit_distance(std::string_view a, std::string_view b);

// The candidates nearest to `name`, closest first (ties in candidate order), at most
// `max_count`, and only those close enough to be a plausible misspelling.
std::vector<std::string> nearest_names(std::string_view name,
                                       const std::vector<std::string>& candidates,
                                       size_t max_count = 3);

// " (did you mean 'a' or 'b'?)", or "" when nothing is near.
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

// "'a', 'b' or 'c'" for a message listing what was expected.
std::string quoted_list(const std::vector<std::string>& items, std::string_view last_sep = " or ");

}  // namespace geosim
