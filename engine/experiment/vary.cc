#include "experiment/vary.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "core/error.h"
#include "io/number.h"

namespace geosim::experiment {

namespace {

// LO + i*STEP in binary floating point lands a unit in the last place off the decimal a
// user means (0.3 + 0.1 = 0.30000000000000004). Snap to the nearest 15-significant-digit
// decimal, which is what was written whenever LO and STEP were short decimals.
double snap_decimal(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return std::strtod(buf, nullptr);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (c == ' ' || c == '\t' || c == ',' || c == ':' || c == '=') return false;
  }
  return true;
}

[[noreturn]] void fail(const std::string& arg, const std::string& message) {
  throw UserError(SourceLoc{"--vary"}, "'" + arg + "': " + message);
}

// LO:HI:STEP expanded; see parse_vary for the landing rule.
std::vector<double> expand_step_range(const std::string& arg, double lo, double hi, double step) {
  if (!(step > 0)) fail(arg, "STEP must be greater than 0 in LO:HI:STEP");
  if (lo > hi) fail(arg, "LO is greater than HI in LO:HI:STEP; expected LO <= HI");
  double span = (hi - lo) / step;
  if (!std::isfinite(span) || span >= static_cast<double>(kMaxVaryPoints)) {
    fail(arg, "the range has more than " + std::to_string(kMaxVaryPoints) +
                  " values; expected a larger STEP");
  }
  double nearest = std::round(span);
  bool lands = std::fabs(span - nearest) <= 1e-9 * std::max(1.0, span);
  auto steps = static_cast<size_t>(lands ? nearest : std::floor(span));
  std::vector<double> values;
  values.reserve(steps + 1);
  for (size_t i = 0; i <= steps; ++i) {
    double v = lands && steps > 0
                   ? lo + (hi - lo) * static_cast<double>(i) / static_cast<double>(steps)
                   : lo + step * static_cast<double>(i);
    values.push_back(snap_decimal(v));
  }
  if (lands) values.back() = hi;
  return values;
}

}  // namespace

double parse_finite_number(std::string_view text, const SourceLoc& where,
                           std::string_view context) {
  std::string_view t = trim(text);
  std::optional<double> value = io::try_parse_double(t);
  if (!value) {
    throw UserError(
        where, std::string(context) + ": found '" + std::string(t) + "'; expected a finite number");
  }
  return *value;
}

VarySpec parse_vary(std::string_view arg_view) {
  const std::string arg(arg_view);
  size_t eq = arg.find('=');
  if (eq == std::string::npos) fail(arg, "expected NAME=SPEC, e.g. hazard.p=0.1,0.2 or x=0:1:0.25");
  VarySpec spec;
  spec.text = arg;
  spec.name = std::string(trim(std::string_view(arg).substr(0, eq)));
  if (!valid_name(spec.name)) fail(arg, "expected a parameter name before '='");
  std::string_view rhs = trim(std::string_view(arg).substr(eq + 1));
  if (rhs.empty()) fail(arg, "nothing after '='; expected a list 0.1,0.2, LO:HI:STEP or LO:HI");
  const SourceLoc where{"--vary"};
  const std::string ctx = "'" + arg + "'";

  bool has_colon = rhs.find(':') != std::string_view::npos;
  bool has_comma = rhs.find(',') != std::string_view::npos;
  if (has_colon && has_comma) fail(arg, "mixes ',' and ':'; expected a list or a range");

  if (has_colon) {
    auto parts = split(rhs, ':');
    if (parts.size() > 3) fail(arg, "too many ':'; expected LO:HI:STEP or LO:HI");
    double lo = parse_finite_number(parts[0], where, ctx + " LO");
    double hi = parse_finite_number(parts[1], where, ctx + " HI");
    spec.low = lo;
    spec.high = hi;
    if (parts.size() == 2) {
      if (!(lo < hi)) fail(arg, "LO must be less than HI in LO:HI");
      spec.kind = VarySpec::Kind::kRange;
      return spec;
    }
    double step = parse_finite_number(parts[2], where, ctx + " STEP");
    spec.kind = VarySpec::Kind::kStepRange;
    spec.values = expand_step_range(arg, lo, hi, step);
    return spec;
  }

  auto items = split(rhs, ',');
  if (items.size() > kMaxVaryPoints) {
    fail(arg, "more than " + std::to_string(kMaxVaryPoints) + " values");
  }
  spec.kind = VarySpec::Kind::kList;
  for (size_t i = 0; i < items.size(); ++i) {
    if (trim(items[i]).empty()) {
      fail(arg, "value " + std::to_string(i + 1) + " is empty; expected a number");
    }
    spec.values.push_back(
        parse_finite_number(items[i], where, ctx + " value " + std::to_string(i + 1)));
  }
  spec.low = spec.values.front();
  spec.high = spec.values.front();
  for (double v : spec.values) {
    spec.low = std::min(spec.low, v);
    spec.high = std::max(spec.high, v);
  }
  return spec;
}

}  // namespace geosim::experiment
