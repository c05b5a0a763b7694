// Text helpers for the HTML report: every string that came from a file goes through
// escape_html() before it reaches the page, so a scenario title such as
// "<script>" is shown as text and never run. Numbers are shown for reading, with a few
// significant digits; the CSV files keep the exact values.
#pragma once

#include <string>
#include <string_view>

namespace geosim::report {

// Escapes & < > " ' for use in element text and in quoted attribute values. Bytes that
// are not valid UTF-8 become U+FFFD and control characters other than tab, newline and
// carriage return are dropped, so the page stays well-formed whatever the input held.
std::string escape_html(std::string_view text);

// A number for a human reader: `significant` digits, trailing zeros removed, scientific
// notation only for very large or very small magnitudes; "–" for NaN (a missing value).
std::string display_number(double x, int significant = 4);

// `x` with `decimals` digits after the point, then trailing zeros (and a bare point)
// dropped, and "-0" shown as "0": fixed_trimmed(2.50, 2) is "2.5".
std::string fixed_trimmed(double x, int decimals);

// 0.5531 -> "55.3%"; "–" for NaN; 0 -> "0.0%", 1 -> "100.0%". A value that `decimals` would
// show as 0 or 100 gets two significant digits of itself or of its gap to 100%:
// 0.0004 -> "0.04%", 0.99996 -> "99.996%" (issue 13, item 18).
std::string display_percent(double p, int decimals = 1);

// A fragment identifier made of [a-z0-9-] only, for in-page links; never empty.
std::string slug(std::string_view text);

}  // namespace geosim::report
