#include "report/html.h"

#include <cmath>
#include <cstdint>
#include <cstdio>

namespace geosim::report {

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not valid.
size_t utf8_sequence_length(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  size_t len = 0;
  uint32_t min_code = 0;
  uint32_t code = 0;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) {
    len = 2, min_code = 0x80, code = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, min_code = 0x800, code = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, min_code = 0x10000, code = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  if (code < min_code || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  // U+FFFE and U+FFFF are not characters in XML; treat them as invalid.
  if (code == 0xFFFE || code == 0xFFFF) return 0;
  return len;
}

}  // namespace

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    switch (c) {
      case '&':
        out += "&amp;";
        ++i;
        continue;
      case '<':
        out += "&lt;";
        ++i;
        continue;
      case '>':
        out += "&gt;";
        ++i;
        continue;
      case '"':
        out += "&quot;";
        ++i;
        continue;
      case '\'':
        out += "&#39;";
        ++i;
        continue;
      default:
        break;
    }
    const auto uc = static_cast<unsigned char>(c);
    if (uc < 0x20 || uc == 0x7F) {
      if (c == '\t' || c == '\n' || c == '\r') out += c;
      ++i;
      continue;
    }
    const size_t len = utf8_sequence_length(text, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    out.append(text.substr(i, len));
    i += len;
  }
  return out;
}

std::string display_number(double x, int significant) {
  if (std::isnan(x)) return "\xE2\x80\x93";
  if (std::isinf(x)) return x > 0 ? "\xE2\x88\x9E" : "-\xE2\x88\x9E";
  if (x == 0) return "0";
  const double mag = std::fabs(x);
  char buf[64];
  if (mag >= 1e6 || mag < 1e-4) {
    std::snprintf(buf, sizeof buf, "%.*e", significant - 1, x);
    std::string s(buf);
    const size_t e = s.find('e');
    std::string mant = s.substr(0, e);
    if (mant.find('.') != std::string::npos) {
      while (mant.back() == '0') mant.pop_back();
      if (mant.back() == '.') mant.pop_back();
    }
    return mant + s.substr(e);
  }
  const int exponent = static_cast<int>(std::floor(std::log10(mag)));
  return fixed_trimmed(x, std::max(0, significant - 1 - exponent));
}

std::string fixed_trimmed(double x, int decimals) {
  char buf[400];  // %f of the largest double has 309 digits before the point
  std::snprintf(buf, sizeof buf, "%.*f", std::min(decimals, 40), x);
  std::string s(buf);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

std::string display_percent(double p, int decimals) {
  if (std::isnan(p)) return "\xE2\x80\x93";
  const double v = 100.0 * p;
  char buf[64];
  // Two significant digits of a small probability, or of what a large one falls short of
  // 100%: 0.04% is not "0.0%", and 99.96% is not "100.0%".
  const double floor_shown = std::pow(10.0, -decimals);
  const bool small = v != 0 && std::fabs(v) < floor_shown;
  const bool near_all = v >= 50 && v < 100 && 100 - v < floor_shown;
  const double gap = small ? std::fabs(v) : 100 - v;
  if (small || near_all) {
    const int k = std::min(12, static_cast<int>(std::ceil(-std::log10(gap))) + 1);
    std::snprintf(buf, sizeof buf, "%.*f", k, v);
    std::string s = buf;
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s + "%";
  }
  std::snprintf(buf, sizeof buf, "%.*f%%", decimals, v);
  return buf;
}

std::string slug(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (keep) {
      out += c;
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.empty() || (out[0] >= '0' && out[0] <= '9')) out = "s-" + out;
  if (out.back() == '-') out.pop_back();
  return out;
}

}  // namespace geosim::report
