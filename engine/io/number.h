// Numbers as text. Every number geosim writes must read back to the same double, so
// that a result file is an exact record (docs/architecture.md, "Output files"), and every
// number it reads from a file must be checked rather than half-parsed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace geosim::io {

// The shortest text that std::from_chars / strtod read back to exactly `x`
// (std::to_chars without a format, which picks fixed or exponent form, whichever is
// shorter: "0.25", "1e-05", "1e+300"). Whole numbers below 2^53 are always written as
// plain digits without a decimal point ("3", "-12", "1000000"). Negative zero stays "-0"
// because it is a different double and the promise is an exact round trip. Non-finite
// values give "inf", "-inf" and "nan"; callers that write result files reject them
// before they get here (a non-finite outcome is a RunError).
std::string format_double(double x);

// Appends format_double(x) to `out` without a temporary string.
void append_double(std::string& out, double x);

// Parses the whole of `text` as a finite decimal number: an optional sign, digits with an
// optional fraction and exponent ("1", "-2.5", "+3e-4", ".5"). Leading or trailing
// characters, an empty string, "inf", "nan", hex and values beyond the double range are
// rejected with nullopt. Values that underflow round to the nearest double (possibly 0).
std::optional<double> try_parse_double(std::string_view text);

// As try_parse_double, but a failure is the user's: throws UserError at `where`
// ("expected a number, found 'abc'"). `what` names the thing being read, for the message
// ("expected <what>, found ..."); it defaults to "a number".
double parse_double(std::string_view text, const SourceLoc& where,
                    std::string_view what = "a number");

// A whole signed 64-bit integer: optional sign and digits only. nullopt on anything else
// or on overflow.
std::optional<int64_t> try_parse_int64(std::string_view text);

// As try_parse_int64, throwing UserError at `where` ("expected an integer, found '2.5'").
int64_t parse_int64(std::string_view text, const SourceLoc& where,
                    std::string_view what = "an integer");

}  // namespace geosim::io
