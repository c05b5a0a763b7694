#include "experiment/vary.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "core/error.h"
#include "core/text.h"
#include "io/number.h"
#include "stats/distributions.h"

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

struct DistributionForm {
  const char* name;
  VaryDistribution::Kind kind;
  size_t min_args, max_args;
  const char* usage;
};

constexpr DistributionForm kForms[] = {
    {"uniform", VaryDistribution::Kind::kUniform, 2, 2, "uniform(LO,HI)"},
    {"normal", VaryDistribution::Kind::kNormal, 2, 2, "normal(MEAN,SD)"},
    {"truncnormal", VaryDistribution::Kind::kTruncNormal, 4, 4, "truncnormal(LO,HI,MEAN,SD)"},
    {"triangular", VaryDistribution::Kind::kTriangular, 3, 3, "triangular(LO,MODE,HI)"},
    {"beta", VaryDistribution::Kind::kBeta, 2, 4, "beta(A,B) or beta(A,B,LO,HI)"},
    {"loguniform", VaryDistribution::Kind::kLogUniform, 2, 2, "loguniform(LO,HI)"},
    {"lognormal", VaryDistribution::Kind::kLogNormal, 2, 2, "lognormal(MU,SIGMA)"},
};

// NAME(ARGS) as a distribution; refused with the forms' usage when malformed.
VaryDistribution parse_distribution(const std::string& arg, std::string_view rhs) {
  size_t open = rhs.find('(');
  std::string fname(trim(rhs.substr(0, open)));
  if (rhs.back() != ')') fail(arg, "'" + fname + "(' is not closed; expected " + fname + "(...)");
  const DistributionForm* form = nullptr;
  std::vector<std::string> names;
  for (const auto& f : kForms) {
    names.emplace_back(f.name);
    if (fname == f.name) form = &f;
  }
  if (!form)
    fail(arg, "unknown distribution '" + fname + "'" + did_you_mean(fname, names) + "; expected " +
                  quoted_list(names));
  VaryDistribution d;
  d.kind = form->kind;
  std::string_view inner = rhs.substr(open + 1, rhs.size() - open - 2);
  auto items = split(inner, ',');
  if (items.size() < form->min_args || items.size() > form->max_args || trim(inner).empty())
    fail(arg, "expected " + std::string(form->usage));
  const SourceLoc where{"--vary"};
  for (size_t i = 0; i < items.size(); ++i)
    d.args.push_back(
        parse_finite_number(items[i], where, "'" + arg + "' argument " + std::to_string(i + 1)));
  const auto& a = d.args;
  auto need = [&](bool ok, const std::string& what) {
    if (!ok) fail(arg, what + " in " + form->usage);
  };
  switch (d.kind) {
    case VaryDistribution::Kind::kUniform:
      need(a[0] < a[1], "expected LO < HI");
      break;
    case VaryDistribution::Kind::kNormal:
      need(a[1] > 0, "expected SD > 0");
      break;
    case VaryDistribution::Kind::kTruncNormal:
      need(a[0] < a[1], "expected LO < HI");
      need(a[3] > 0, "expected SD > 0");
      // Both bounds more than 37 sd on one side leave no probability to sample.
      need(stats::normal_cdf((a[1] - a[2]) / a[3]) - stats::normal_cdf((a[0] - a[2]) / a[3]) >
               1e-300,
           "expected [LO, HI] to hold some of the normal's probability");
      break;
    case VaryDistribution::Kind::kTriangular:
      need(a[0] <= a[1] && a[1] <= a[2] && a[0] < a[2], "expected LO <= MODE <= HI, LO < HI");
      break;
    case VaryDistribution::Kind::kBeta:
      need(a.size() != 3, "expected 2 or 4 arguments");
      need(a[0] > 0 && a[1] > 0, "expected A > 0 and B > 0");
      if (a.size() == 4) need(a[2] < a[3], "expected LO < HI");
      break;
    case VaryDistribution::Kind::kLogUniform:
      need(a[0] > 0 && a[0] < a[1], "expected 0 < LO < HI");
      break;
    case VaryDistribution::Kind::kLogNormal:
      need(a[1] > 0, "expected SIGMA > 0");
      break;
  }
  return d;
}

}  // namespace

double VaryDistribution::at(double u) const {
  constexpr double kTiny = 0x1p-53;
  u = std::clamp(u, 0.0, 1.0);
  const double v = std::clamp(u, kTiny, 1 - kTiny);  // for unbounded tails
  const auto& a = args;
  switch (kind) {
    case Kind::kUniform:
      return a[0] + (a[1] - a[0]) * u;
    case Kind::kNormal:
      return a[0] + a[1] * stats::normal_quantile(v);
    case Kind::kTruncNormal: {
      const double pa = stats::normal_cdf((a[0] - a[2]) / a[3]);
      const double pb = stats::normal_cdf((a[1] - a[2]) / a[3]);
      const double p = std::clamp(pa + u * (pb - pa), kTiny, 1 - kTiny);
      return std::clamp(a[2] + a[3] * stats::normal_quantile(p), a[0], a[1]);
    }
    case Kind::kTriangular: {
      const double lo = a[0], mode = a[1], hi = a[2];
      const double cut = (mode - lo) / (hi - lo);
      return u < cut ? lo + std::sqrt(u * (hi - lo) * (mode - lo))
                     : hi - std::sqrt((1 - u) * (hi - lo) * (hi - mode));
    }
    case Kind::kBeta: {
      // Inverse of the regularized incomplete beta by bisection (monotone in x): 60
      // halvings of [0, 1] reach double precision in x.
      double lo = 0, hi = 1;
      for (int i = 0; i < 64 && hi - lo > 0; ++i) {
        const double mid = 0.5 * (lo + hi);
        if (stats::incomplete_beta(a[0], a[1], mid, 1 - mid) < u)
          lo = mid;
        else
          hi = mid;
      }
      const double x = 0.5 * (lo + hi);
      return a.size() == 4 ? a[2] + (a[3] - a[2]) * x : x;
    }
    case Kind::kLogUniform:
      return std::clamp(std::exp(std::log(a[0]) + (std::log(a[1]) - std::log(a[0])) * u), a[0],
                        a[1]);
    case Kind::kLogNormal:
      return std::exp(a[0] + a[1] * stats::normal_quantile(v));
  }
  return NAN;
}

double VaryDistribution::low() const {
  switch (kind) {
    case Kind::kUniform:
    case Kind::kTruncNormal:
    case Kind::kTriangular:
    case Kind::kLogUniform:
      return args[0];
    case Kind::kBeta:
      return args.size() == 4 ? args[2] : 0.0;
    case Kind::kLogNormal:
      return 0.0;
    case Kind::kNormal:
      break;
  }
  return -HUGE_VAL;
}

double VaryDistribution::high() const {
  switch (kind) {
    case Kind::kUniform:
    case Kind::kTruncNormal:
    case Kind::kLogUniform:
      return args[1];
    case Kind::kTriangular:
      return args[2];
    case Kind::kBeta:
      return args.size() == 4 ? args[3] : 1.0;
    case Kind::kNormal:
    case Kind::kLogNormal:
      break;
  }
  return HUGE_VAL;
}

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

  if (size_t open = rhs.find('('); open != std::string_view::npos && open > 0) {
    spec.kind = VarySpec::Kind::kDistribution;
    spec.distribution = parse_distribution(arg, rhs);
    spec.low = spec.distribution.low();
    spec.high = spec.distribution.high();
    return spec;
  }

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
      spec.distribution = VaryDistribution{VaryDistribution::Kind::kUniform, {lo, hi}};
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
