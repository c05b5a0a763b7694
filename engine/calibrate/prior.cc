#include "calibrate/prior.h"

#include <cmath>
#include <limits>

#include "core/text.h"
#include "io/number.h"
#include "stats/distributions.h"

namespace geosim::calibrate {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double log_beta_fn(double a, double b) {
  return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b);
}

std::string num(double x) { return io::format_double(x); }

}  // namespace

double Prior::log_density(double x) const {
  if (!(x >= lo && x <= hi)) return -kInf;
  switch (kind) {
    case PriorKind::kUniform:
      return -std::log(hi - lo);
    case PriorKind::kNormal:
    case PriorKind::kTruncNormal: {
      const double z = (x - a) / b;
      const double mass = stats::normal_cdf((hi - a) / b) - stats::normal_cdf((lo - a) / b);
      return -0.5 * z * z - std::log(b) - 0.5 * std::log(2 * M_PI) - std::log(mass);
    }
    case PriorKind::kBeta: {
      const double w = hi - lo, y = (x - lo) / w;
      if ((y <= 0 && a < 1) || (y >= 1 && b < 1)) return kInf;
      return (a - 1) * std::log(y) + (b - 1) * std::log1p(-y) - log_beta_fn(a, b) - std::log(w);
    }
    case PriorKind::kLogUniform:
      return -std::log(x) - std::log(std::log(hi / lo));
  }
  return -kInf;
}

double Prior::quantile(double u) const {
  switch (kind) {
    case PriorKind::kUniform:
      return std::min(hi, lo + u * (hi - lo));
    case PriorKind::kNormal:
    case PriorKind::kTruncNormal: {
      const double pa = stats::normal_cdf((lo - a) / b), pb = stats::normal_cdf((hi - a) / b);
      double p = pa + u * (pb - pa);
      p = std::min(std::max(p, 1e-300), 1 - 1e-16);
      return std::min(hi, std::max(lo, a + b * stats::normal_quantile(p)));
    }
    case PriorKind::kBeta: {
      // Bisection on the regularised incomplete beta function (monotone): 80 halvings reach
      // the resolution of a double.
      double l = 0, h = 1;
      for (int i = 0; i < 80; ++i) {
        const double m = 0.5 * (l + h);
        if (stats::incomplete_beta(a, b, m, 1 - m) < u)
          l = m;
        else
          h = m;
      }
      return lo + 0.5 * (l + h) * (hi - lo);
    }
    case PriorKind::kLogUniform:
      return std::min(hi, std::max(lo, lo * std::exp(u * std::log(hi / lo))));
  }
  return lo;
}

std::string Prior::text() const {
  switch (kind) {
    case PriorKind::kUniform:
      return "uniform(" + num(lo) + ", " + num(hi) + ")";
    case PriorKind::kNormal:
      return "normal(" + num(a) + ", " + num(b) + ") on [" + num(lo) + ", " + num(hi) + "]";
    case PriorKind::kTruncNormal:
      return "truncnormal(" + num(a) + ", " + num(b) + ", " + num(lo) + ", " + num(hi) + ")";
    case PriorKind::kBeta:
      return "beta(" + num(a) + ", " + num(b) + ") on [" + num(lo) + ", " + num(hi) + "]";
    case PriorKind::kLogUniform:
      return "loguniform(" + num(lo) + ", " + num(hi) + ")";
  }
  return "";
}

FreeParam parse_free(const std::string& text, const sim::Model& model) {
  FreeParam f;
  f.loc = SourceLoc{"--free " + text};
  const size_t colon = text.find(':');
  f.name = text.substr(0, colon);
  const sim::ParameterInfo* info = model.find_parameter(f.name);
  if (f.name.empty()) throw UserError(f.loc, "expected NAME or NAME:PRIOR, found '" + text + "'");
  if (!info) {
    std::vector<std::string> names;
    for (const auto& p : model.parameters) names.push_back(p.name);
    throw UserError(f.loc, "scenario '" + model.id + "' declares no parameter '" + f.name + "'" +
                               did_you_mean(f.name, names));
  }
  f.row = info->row;
  const double dlo = info->min ? *info->min : -kInf, dhi = info->max ? *info->max : kInf;
  const std::string range = "[" + (info->min ? num(*info->min) : std::string("-inf")) + ", " +
                            (info->max ? num(*info->max) : std::string("inf")) + "]";
  std::string spec = colon == std::string::npos ? "" : text.substr(colon + 1);
  if (spec.empty()) spec = "uniform";
  // NAME(arg, arg, ...)
  std::string kind = spec;
  std::vector<double> args;
  const size_t open = spec.find('(');
  if (open != std::string::npos) {
    if (spec.back() != ')')
      throw UserError(f.loc, "expected a prior such as beta(2, 3), found '" + spec + "'");
    kind = spec.substr(0, open);
    std::string inner = spec.substr(open + 1, spec.size() - open - 2);
    size_t start = 0;
    while (true) {
      size_t comma = inner.find(',', start);
      std::string piece =
          inner.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      while (!piece.empty() && piece.front() == ' ') piece.erase(piece.begin());
      while (!piece.empty() && piece.back() == ' ') piece.pop_back();
      args.push_back(io::parse_double(piece, f.loc, "a number as the prior's argument"));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  auto need = [&](size_t n, const char* form) {
    if (args.size() != n)
      throw UserError(f.loc, "the prior " + kind + " takes " + std::to_string(n) +
                                 " numbers; expected " + form);
  };
  auto inside = [&](double lo, double hi) {
    if (!(lo < hi))
      throw UserError(
          f.loc, "the prior's lower bound " + num(lo) + " is not below its upper bound " + num(hi));
    if (lo < dlo || hi > dhi)
      throw UserError(f.loc, "the prior reaches [" + num(lo) + ", " + num(hi) +
                                 "], outside the declared range " + range + " of '" + f.name +
                                 "'; expected a prior inside it");
  };
  auto declared = [&](const char* what) {
    if (!std::isfinite(dlo) || !std::isfinite(dhi))
      throw UserError(f.loc, std::string("'") + f.name + "' declares no finite range " + range +
                                 ", which " + what +
                                 " needs; give the prior its own bounds, e.g. " + f.name +
                                 ":uniform(LO, HI)");
  };
  Prior& p = f.prior;
  if (kind == "uniform") {
    p.kind = PriorKind::kUniform;
    if (args.empty()) {
      declared("a uniform prior over the declared range");
      p.lo = dlo, p.hi = dhi;
    } else {
      need(2, "uniform(LO, HI)");
      inside(args[0], args[1]);
      p.lo = args[0], p.hi = args[1];
    }
    p.a = p.lo, p.b = p.hi;
  } else if (kind == "normal") {
    need(2, "normal(MU, SD)");
    p.kind = PriorKind::kNormal;
    p.a = args[0], p.b = args[1];
    if (!(p.b > 0)) throw UserError(f.loc, "normal: the sd must be > 0, found " + num(p.b));
    if (p.a < dlo || p.a > dhi)
      throw UserError(f.loc, "normal: the mean " + num(p.a) + " lies outside the declared range " +
                                 range + " of '" + f.name + "'; expected a mean inside it");
    p.lo = dlo, p.hi = dhi;
  } else if (kind == "truncnormal") {
    need(4, "truncnormal(MU, SD, LO, HI)");
    p.kind = PriorKind::kTruncNormal;
    p.a = args[0], p.b = args[1];
    if (!(p.b > 0)) throw UserError(f.loc, "truncnormal: the sd must be > 0, found " + num(p.b));
    inside(args[2], args[3]);
    p.lo = args[2], p.hi = args[3];
  } else if (kind == "beta") {
    need(2, "beta(A, B)");
    declared("a beta prior (mapped onto the range)");
    p.kind = PriorKind::kBeta;
    p.a = args[0], p.b = args[1];
    if (!(p.a > 0 && p.b > 0))
      throw UserError(f.loc, "beta: A and B must be > 0, found " + num(p.a) + " and " + num(p.b));
    p.lo = dlo, p.hi = dhi;
  } else if (kind == "loguniform") {
    need(2, "loguniform(LO, HI)");
    if (!(args[0] > 0)) throw UserError(f.loc, "loguniform: LO must be > 0, found " + num(args[0]));
    inside(args[0], args[1]);
    p.kind = PriorKind::kLogUniform;
    p.lo = args[0], p.hi = args[1];
    p.a = p.lo, p.b = p.hi;
  } else {
    throw UserError(
        f.loc, "unknown prior '" + kind + "'" +
                   did_you_mean(kind, {"uniform", "normal", "truncnormal", "beta", "loguniform"}) +
                   "; expected uniform, normal, truncnormal, beta or loguniform");
  }
  return f;
}

}  // namespace geosim::calibrate
