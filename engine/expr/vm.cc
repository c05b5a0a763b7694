#include "expr/vm.h"

#include <Eigen/Core>
#include <cmath>
#include <limits>

#include "random/detmath.h"

namespace geosim::expr {

namespace {

using LaneArray = Eigen::Array<double, kLanes, 1>;
using Lane = Eigen::Map<LaneArray, Eigen::Aligned64>;

inline Lane row(double* rows, int32_t r) { return Lane(rows + static_cast<size_t>(r) * kLanes); }
inline double* ptr(double* rows, int32_t r) { return rows + static_cast<size_t>(r) * kLanes; }

// x^y without libm: integral exponents by repeated squaring, otherwise exp(y log x).
double det_pow(double x, double y) {
  if (y == std::nearbyint(y) && std::fabs(y) <= 1024) {
    long n = static_cast<long>(std::fabs(y));
    double result = 1.0, base = x;
    while (n) {
      if (n & 1) result *= base;
      base *= base;
      n >>= 1;
    }
    return y < 0 ? 1.0 / result : result;
  }
  if (x > 0) return rnd::det_exp(y * rnd::det_log(x));
  if (x == 0) return y > 0 ? 0.0 : std::numeric_limits<double>::infinity();
  return std::numeric_limits<double>::quiet_NaN();
}

// Index of the first lane in [0, valid) where mask != 0 and value is not finite, or -1.
int first_bad_lane(const double* value, const double* mask, int valid) {
  bool any = false;
  for (int i = 0; i < kLanes; ++i) any |= (mask[i] != 0) & !std::isfinite(value[i]);
  if (!any) return -1;
  for (int i = 0; i < valid; ++i)
    if (mask[i] != 0 && !std::isfinite(value[i])) return i;
  return -1;
}

}  // namespace

Failure run(const Program& program, double* rows, const rnd::DrawContext& draw, int valid_lanes) {
  for (const Instr& in : program.code) {
    switch (in.op) {
      case Op::kCopy:
        row(rows, in.dst) = row(rows, in.a);
        break;
      case Op::kNeg:
        row(rows, in.dst) = -row(rows, in.a);
        break;
      case Op::kNot:
        row(rows, in.dst) = (row(rows, in.a) == 0).cast<double>();
        break;
      case Op::kAbs:
        row(rows, in.dst) = row(rows, in.a).abs();
        break;
      case Op::kSqrt:
        row(rows, in.dst) = row(rows, in.a).sqrt();
        break;
      case Op::kExp:
        row(rows, in.dst) = row(rows, in.a).exp();
        break;
      case Op::kLog:
        row(rows, in.dst) = row(rows, in.a).log();
        break;
      case Op::kLogistic:
        row(rows, in.dst) = 1.0 / (1.0 + (-row(rows, in.a)).exp());
        break;
      case Op::kAdd:
        row(rows, in.dst) = row(rows, in.a) + row(rows, in.b);
        break;
      case Op::kSub:
        row(rows, in.dst) = row(rows, in.a) - row(rows, in.b);
        break;
      case Op::kMul:
        row(rows, in.dst) = row(rows, in.a) * row(rows, in.b);
        break;
      case Op::kDiv:
        row(rows, in.dst) = row(rows, in.a) / row(rows, in.b);
        break;
      case Op::kPow: {
        double* d = ptr(rows, in.dst);
        const double* a = ptr(rows, in.a);
        const double* b = ptr(rows, in.b);
        for (int i = 0; i < kLanes; ++i) d[i] = det_pow(a[i], b[i]);
        break;
      }
      case Op::kMin:
        row(rows, in.dst) = row(rows, in.a).min(row(rows, in.b));
        break;
      case Op::kMax:
        row(rows, in.dst) = row(rows, in.a).max(row(rows, in.b));
        break;
      case Op::kLt:
        row(rows, in.dst) = (row(rows, in.a) < row(rows, in.b)).cast<double>();
        break;
      case Op::kLe:
        row(rows, in.dst) = (row(rows, in.a) <= row(rows, in.b)).cast<double>();
        break;
      case Op::kGt:
        row(rows, in.dst) = (row(rows, in.a) > row(rows, in.b)).cast<double>();
        break;
      case Op::kGe:
        row(rows, in.dst) = (row(rows, in.a) >= row(rows, in.b)).cast<double>();
        break;
      case Op::kEq:
        row(rows, in.dst) = (row(rows, in.a) == row(rows, in.b)).cast<double>();
        break;
      case Op::kNe:
        row(rows, in.dst) = (row(rows, in.a) != row(rows, in.b)).cast<double>();
        break;
      case Op::kAnd:
        row(rows, in.dst) = ((row(rows, in.a) != 0) && (row(rows, in.b) != 0)).cast<double>();
        break;
      case Op::kOr:
        row(rows, in.dst) = ((row(rows, in.a) != 0) || (row(rows, in.b) != 0)).cast<double>();
        break;
      case Op::kSelect:
        row(rows, in.dst) = (row(rows, in.a) != 0).select(row(rows, in.b), row(rows, in.c));
        break;
      case Op::kClamp:
        row(rows, in.dst) = row(rows, in.a).max(row(rows, in.b)).min(row(rows, in.c));
        break;
      case Op::kUniform:
        rnd::draw_uniform(draw, in.site, ptr(rows, in.a), ptr(rows, in.b), ptr(rows, in.dst),
                          kLanes);
        break;
      case Op::kNormal:
        rnd::draw_normal(draw, in.site, ptr(rows, in.a), ptr(rows, in.b), ptr(rows, in.dst),
                         kLanes);
        break;
      case Op::kLognormal:
        rnd::draw_lognormal(draw, in.site, ptr(rows, in.a), ptr(rows, in.b), ptr(rows, in.dst),
                            kLanes);
        break;
      case Op::kBernoulli:
        rnd::draw_bernoulli(draw, in.site, ptr(rows, in.a), ptr(rows, in.dst), kLanes);
        break;
      case Op::kBeta:
        rnd::draw_beta(draw, in.site, ptr(rows, in.a), ptr(rows, in.b), ptr(rows, in.dst), kLanes);
        break;
      case Op::kTriangular:
        rnd::draw_triangular(draw, in.site, ptr(rows, in.a), ptr(rows, in.b), ptr(rows, in.c),
                             ptr(rows, in.dst), kLanes);
        break;
      case Op::kStoreMasked: {
        int bad = first_bad_lane(ptr(rows, in.a), ptr(rows, in.b), valid_lanes);
        if (bad >= 0) return Failure{in.check, bad};
        row(rows, in.dst) = (row(rows, in.b) != 0).select(row(rows, in.a), row(rows, in.dst));
        break;
      }
      case Op::kCheckFinite: {
        int bad = first_bad_lane(ptr(rows, in.a), ptr(rows, in.b), valid_lanes);
        if (bad >= 0) return Failure{in.check, bad};
        break;
      }
    }
  }
  return Failure{};
}

}  // namespace geosim::expr
