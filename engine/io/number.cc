#include "io/number.h"

#include <charconv>
#include <cmath>
#include <system_error>

namespace geosim::io {

void append_double(std::string& out, double x) {
  char buf[64];
  // Whole numbers below 2^53 (counts, years, sizes) in plain digits: to_chars alone would
  // pick "1e+06" over "1000000" as the shorter text.
  bool whole = std::fabs(x) < 0x1p53 && x == std::trunc(x);
  auto [end, ec] = whole ? std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed)
                         : std::to_chars(buf, buf + sizeof buf, x);
  GEOSIM_ASSERT(ec == std::errc(), "to_chars failed for a double");
  out.append(buf, end);
}

std::string format_double(double x) {
  std::string s;
  append_double(s, x);
  return s;
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The decimal grammar accepted by try_parse_double; from_chars alone would also take
// "inf", "nan" and "1e" prefixes of longer junk, so the shape is checked first.
bool is_decimal_number(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++frac_digits;
  }
  if (int_digits + frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < s.size() && is_digit(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

std::string shown(std::string_view text) {
  if (text.empty()) return "nothing";
  std::string s = "'";
  s.append(text.substr(0, 60));
  if (text.size() > 60) s += "...";
  return s + "'";
}

}  // namespace

std::optional<double> try_parse_double(std::string_view text) {
  if (!is_decimal_number(text)) return std::nullopt;
  // from_chars takes no leading '+'.
  if (text.front() == '+') text.remove_prefix(1);
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) {
    // Underflow is reported as out of range too; it still rounds to a finite double.
    // Overflow is the only failure: decide by the magnitude strtod would give.
    std::string copy(text);
    double v = std::strtod(copy.c_str(), nullptr);
    if (!std::isfinite(v)) return std::nullopt;
    return v;
  }
  if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

double parse_double(std::string_view text, const SourceLoc& where, std::string_view what) {
  if (auto v = try_parse_double(text)) return *v;
  throw UserError(where, "expected " + std::string(what) + ", found " + shown(text));
}

std::optional<int64_t> try_parse_int64(std::string_view text) {
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
    if (text.empty() || !is_digit(text.front())) return std::nullopt;
  }
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

int64_t parse_int64(std::string_view text, const SourceLoc& where, std::string_view what) {
  if (auto v = try_parse_int64(text)) return *v;
  throw UserError(where, "expected " + std::string(what) + ", found " + shown(text));
}

}  // namespace geosim::io
