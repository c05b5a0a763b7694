// Small text helpers shared by every layer: name suggestions for messages, and the check
// and escaping of text that may reach a terminal.
#pragma once

#include <cstdint>
#include <optional>
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

// Length of the valid UTF-8 sequence starting at s[i] (1 to 4), or 0 when it is not one
// (a stray byte, an overlong form, a surrogate, past U+10FFFF).
size_t utf8_length(std::string_view s, size_t i);

// A character a terminal could act on: C0 controls but tab, line feed and carriage return;
// DEL; C1 controls (U+0080..U+009F, which some terminals read as escape sequences).
struct ControlCharacter {
  size_t offset = 0;        // byte offset in the text
  uint32_t code_point = 0;  // the character, or the byte itself when `invalid_utf8`
  bool invalid_utf8 = false;
  std::string name() const;  // "U+001B", or "byte 0xFF"
};

// The first such character in `text`, or a byte that is not valid UTF-8.
std::optional<ControlCharacter> find_control_character(std::string_view text);

// `text` safe to write to a terminal: what find_control_character finds (and carriage
// returns) becomes \xNN or \u{NN}; tabs and line feeds stay. At most `max_bytes` of the
// text are kept, then "...".
std::string printable(std::string_view text, size_t max_bytes = std::string_view::npos);

}  // namespace geosim
