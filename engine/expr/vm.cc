#include "expr/vm.h"

#include <Eigen/Core>
#include <cmath>
#include <limits>

#include "core/error.h"
#include "core/isa.h"
#include "expr/lane_exp.h"
#include "random/detmath.h"

namespace geosim::expr {

namespace {

using LaneArray = Eigen::Array<double, kLanes, 1>;
using Lane = Eigen::Map<LaneArray, Eigen::Aligned64>;

inline Lane row(double* rows, int32_t r) { return Lane(rows + static_cast<size_t>(r) * kLanes); }
inline double* ptr(double* rows, int32_t r) { return rows + static_cast<size_t>(r) * kLanes; }

// Plain loops: GCC vectorises them at the width of the path being compiled (4 lanes in the
// AVX2 path; Eigen's kernels stay at SSE2's 2 lanes in this build, and Eigen 3.4 evaluates
// boolean-valued expressions one coefficient at a time). Arithmetic is exactly rounded, so
// the loops give Eigen's bits; exp and logistic use expr::exp_as_eigen (lane_exp.h); sqrt
// and log still go through Eigen (std::sqrt would not vectorise without -fno-math-errno).
template <typename F>
inline void map1(double* d, const double* a, F f) {
  for (int i = 0; i < kLanes; ++i) d[i] = f(a[i]);
}
template <typename F>
inline void map2(double* d, const double* a, const double* b, F f) {
  for (int i = 0; i < kLanes; ++i) d[i] = f(a[i], b[i]);
}
template <typename F>
inline void map3(double* d, const double* a, const double* b, const double* c, F f) {
  for (int i = 0; i < kLanes; ++i) d[i] = f(a[i], b[i], c[i]);
}

// The arithmetic of kAdd ... kMax, shared by their own instructions and kStoreOp.
struct AddF {
  double operator()(double x, double y) const { return x + y; }
};
struct SubF {
  double operator()(double x, double y) const { return x - y; }
};
struct MulF {
  double operator()(double x, double y) const { return x * y; }
};
struct DivF {
  double operator()(double x, double y) const { return x / y; }
};
struct MinF {
  double operator()(double x, double y) const { return y < x ? y : x; }
};
struct MaxF {
  double operator()(double x, double y) const { return x < y ? y : x; }
};

// d = m != 0 ? f(a, b) : d, lane by lane; returns whether a stored value is not finite.
// a or b may be d itself (x = x * 0.95): each lane reads before it writes, so there is no
// dependence between lanes (ivdep), and the loop vectorises without an overlap check.
template <typename F>
[[gnu::always_inline]] inline bool store_op(double* d, const double* a, const double* b,
                                            const double* m, F f) {
  double any = 0;
#if !defined(__clang__)
#pragma GCC ivdep
#endif
  for (int i = 0; i < kLanes; ++i) {
    const double v = f(a[i], b[i]);
    const bool on = m[i] != 0;
    any = (on & !(std::fabs(v) <= std::numeric_limits<double>::max())) ? 1.0 : any;
    d[i] = on ? v : d[i];
  }
  return any != 0;
}

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
[[gnu::always_inline]] inline int first_bad_lane(const double* value, const double* mask,
                                                 int valid) {
  // |x| <= DBL_MAX is false exactly for NaN and infinities, and vectorises.
  if (!any_lane(kLanes, [&](int i) {
        return (mask[i] != 0) & !(std::fabs(value[i]) <= std::numeric_limits<double>::max());
      }))
    return -1;
  for (int i = 0; i < valid; ++i)
    if (mask[i] != 0 && !std::isfinite(value[i])) return i;
  return -1;
}

}  // namespace

namespace {

// The interpreter's body, inlined into a baseline and an AVX2 entry point (core/isa.h): no
// FMA is enabled and contraction is off, so every operation rounds exactly as in the
// baseline (same bits, faster loops).
[[gnu::always_inline]] inline Failure run_body(const Program& program, double* rows,
                                               const rnd::DrawContext& draw, int valid_lanes) {
  for (const Instr& in : program.code) {
    double* d = ptr(rows, in.dst);
    const double* a = ptr(rows, in.a);
    const double* b = ptr(rows, in.b);
    const double* c = ptr(rows, in.c);
    switch (in.op) {
      case Op::kCopy:
        map1(d, a, [](double x) { return x; });
        break;
      case Op::kNeg:
        map1(d, a, [](double x) { return -x; });
        break;
      case Op::kNot:
        map1(d, a, [](double x) { return x == 0 ? 1.0 : 0.0; });
        break;
      case Op::kAbs:
        map1(d, a, [](double x) { return std::fabs(x); });
        break;
      case Op::kSqrt:
        row(rows, in.dst) = row(rows, in.a).sqrt();
        break;
      case Op::kExp:
        map1(d, a, [](double x) { return exp_as_eigen(x); });
        break;
      case Op::kLog:
        row(rows, in.dst) = row(rows, in.a).log();
        break;
      case Op::kLogistic:
        map1(d, a, [](double x) { return 1.0 / (1.0 + exp_as_eigen(-x)); });
        break;
      case Op::kAdd:
        map2(d, a, b, AddF{});
        break;
      case Op::kSub:
        map2(d, a, b, SubF{});
        break;
      case Op::kMul:
        map2(d, a, b, MulF{});
        break;
      case Op::kDiv:
        map2(d, a, b, DivF{});
        break;
      case Op::kPow:
        map2(d, a, b, det_pow);
        break;
      case Op::kMin:
        map2(d, a, b, MinF{});
        break;
      case Op::kMax:
        map2(d, a, b, MaxF{});
        break;
      case Op::kLt:
        map2(d, a, b, [](double x, double y) { return x < y ? 1.0 : 0.0; });
        break;
      case Op::kLe:
        map2(d, a, b, [](double x, double y) { return x <= y ? 1.0 : 0.0; });
        break;
      case Op::kGt:
        map2(d, a, b, [](double x, double y) { return x > y ? 1.0 : 0.0; });
        break;
      case Op::kGe:
        map2(d, a, b, [](double x, double y) { return x >= y ? 1.0 : 0.0; });
        break;
      case Op::kEq:
        map2(d, a, b, [](double x, double y) { return x == y ? 1.0 : 0.0; });
        break;
      case Op::kNe:
        map2(d, a, b, [](double x, double y) { return x != y ? 1.0 : 0.0; });
        break;
      case Op::kAnd:
        map2(d, a, b, [](double x, double y) { return ((x != 0) & (y != 0)) ? 1.0 : 0.0; });
        break;
      case Op::kOr:
        map2(d, a, b, [](double x, double y) { return ((x != 0) | (y != 0)) ? 1.0 : 0.0; });
        break;
      case Op::kSelect:
        map3(d, a, b, c, [](double cond, double x, double y) { return cond != 0 ? x : y; });
        break;
      case Op::kClamp:
        map3(d, a, b, c, [](double x, double lo, double hi) {
          const double y = x < lo ? lo : x;
          return hi < y ? hi : y;
        });
        break;
      case Op::kUniform:
        rnd::draw_uniform(draw, in.site, a, b, d, kLanes);
        break;
      case Op::kNormal:
        rnd::draw_normal(draw, in.site, a, b, d, kLanes);
        break;
      case Op::kLognormal:
        rnd::draw_lognormal(draw, in.site, a, b, d, kLanes);
        break;
      case Op::kBernoulli:
        rnd::draw_bernoulli(draw, in.site, a, d, kLanes);
        break;
      case Op::kBeta:
        rnd::draw_beta(draw, in.site, a, b, d, kLanes);
        break;
      case Op::kTriangular:
        rnd::draw_triangular(draw, in.site, a, b, c, d, kLanes);
        break;
      case Op::kStoreMasked: {
        // a: value, b: mask. One pass stores and notes whether a stored value is not
        // finite; on a failure the block is abandoned, so what was stored does not matter.
        // (The flag is a double so that the loop vectorises: see any_lane.)
        double any = 0;
        for (int i = 0; i < kLanes; ++i) {
          const bool m = b[i] != 0;
          any = (m & !(std::fabs(a[i]) <= std::numeric_limits<double>::max())) ? 1.0 : any;
          d[i] = m ? a[i] : d[i];
        }
        if (any != 0) {
          const int bad = first_bad_lane(a, b, valid_lanes);
          if (bad >= 0) return Failure{in.check, bad};
        }
        break;
      }
      case Op::kStoreOp: {
        // As the operation into a temporary and kStoreMasked of it, in one pass. On a failure
        // the stored values of the masked lanes are the computed ones, so the first bad lane
        // is found in d.
        bool bad_value = false;
        switch (static_cast<Op>(in.site)) {
          case Op::kAdd:
            bad_value = store_op(d, a, b, c, AddF{});
            break;
          case Op::kSub:
            bad_value = store_op(d, a, b, c, SubF{});
            break;
          case Op::kMul:
            bad_value = store_op(d, a, b, c, MulF{});
            break;
          case Op::kDiv:
            bad_value = store_op(d, a, b, c, DivF{});
            break;
          case Op::kMin:
            bad_value = store_op(d, a, b, c, MinF{});
            break;
          case Op::kMax:
            bad_value = store_op(d, a, b, c, MaxF{});
            break;
          default:
            GEOSIM_ASSERT(false, "kStoreOp with a non-fusable operation");
        }
        if (bad_value) {
          const int bad = first_bad_lane(d, c, valid_lanes);
          if (bad >= 0) return Failure{in.check, bad};
        }
        break;
      }
      case Op::kCheckFinite: {
        const int bad = first_bad_lane(a, b, valid_lanes);
        if (bad >= 0) return Failure{in.check, bad};
        break;
      }
    }
  }
  return Failure{};
}

[[gnu::target("avx2")]] Failure run_avx2(const Program& program, double* rows,
                                         const rnd::DrawContext& draw, int valid_lanes) {
  return run_body(program, rows, draw, valid_lanes);
}

[[GEOSIM_AVX512]] Failure run_avx512(const Program& program, double* rows,
                                     const rnd::DrawContext& draw, int valid_lanes) {
  return run_body(program, rows, draw, valid_lanes);
}

Failure run_baseline(const Program& program, double* rows, const rnd::DrawContext& draw,
                     int valid_lanes) {
  return run_body(program, rows, draw, valid_lanes);
}

}  // namespace

Failure run(const Program& program, double* rows, const rnd::DrawContext& draw, int valid_lanes) {
  static const auto path = core::pick_path(run_baseline, run_avx2, run_avx512);
  return path(program, rows, draw, valid_lanes);
}

}  // namespace geosim::expr
