#include "core/text.h"

#include <algorithm>
#include <cstdio>
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

size_t utf8_length(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  size_t n;
  unsigned min;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  unsigned cp = c & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) {
    auto d = static_cast<unsigned char>(s[i + k]);
    if ((d & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (d & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

namespace {

bool is_control(uint32_t cp) {
  return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp <= 0x9F);
}

// The code point of the valid sequence of length n at s[i].
uint32_t decode(std::string_view s, size_t i, size_t n) {
  auto c = static_cast<unsigned char>(s[i]);
  if (n == 1) return c;
  uint32_t cp = c & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  return cp;
}

}  // namespace

std::string ControlCharacter::name() const {
  char buf[32];
  if (invalid_utf8) {
    std::snprintf(buf, sizeof buf, "byte 0x%02X", static_cast<unsigned>(code_point));
  } else {
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(code_point));
  }
  return buf;
}

std::optional<ControlCharacter> find_control_character(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F) {  // the common case: printable ASCII
      ++i;
      continue;
    }
    const size_t n = utf8_length(text, i);
    if (n == 0) return ControlCharacter{i, c, true};
    const uint32_t cp = decode(text, i, n);
    if (is_control(cp)) return ControlCharacter{i, cp, false};
    i += n;
  }
  return std::nullopt;
}

std::string printable(std::string_view text, size_t max_bytes) {
  std::string out;
  const bool cut = text.size() > max_bytes;
  if (cut) text = text.substr(0, max_bytes);
  char buf[16];
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t n = utf8_length(text, i);
    if (n == 0) {
      if (cut && i + 4 > text.size()) break;  // a sequence cut by the excerpt
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned>(c));
      out += buf;
      ++i;
      continue;
    }
    const uint32_t cp = decode(text, i, n);
    if (is_control(cp) || cp == '\r') {
      std::snprintf(buf, sizeof buf, cp < 0x80 ? "\\x%02X" : "\\u{%X}", static_cast<unsigned>(cp));
      out += buf;
    } else {
      out.append(text.substr(i, n));
    }
    i += n;
  }
  if (cut) out += "...";
  return out;
}

}  // namespace geosim
