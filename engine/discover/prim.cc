#include "discover/prim.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.h"
#include "stats/distributions.h"

namespace geosim::discover {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The EMA Workbench's default objective ("lenient1"): the change in density divided by
// the change in the number of rows.
double lenient1(int64_t n_old, int64_t k_old, int64_t n_new, int64_t k_new) {
  const double mean_old = n_old > 0 ? static_cast<double>(k_old) / static_cast<double>(n_old) : 0;
  const double mean_new = n_new > 0 ? static_cast<double>(k_new) / static_cast<double>(n_new) : 0;
  if (mean_old == mean_new || n_old == n_new) return 0;
  return (mean_new - mean_old) / static_cast<double>(std::llabs(n_old - n_new));
}

class Search {
 public:
  Search(const Dataset& data, const PrimOptions& o) : d_(data), o_(o) {
    const size_t k = d_.names.size();
    n_ = static_cast<int64_t>(d_.rows());
    init_.low.assign(k, 0);
    init_.high.assign(k, 0);
    order_.resize(k);
    for (size_t j = 0; j < k; ++j) {
      const auto& x = d_.columns[j];
      init_.low[j] = *std::min_element(x.begin(), x.end());
      init_.high[j] = *std::max_element(x.begin(), x.end());
      // Sorted as (value, row) pairs, contiguous: far faster than an indirect comparison.
      std::vector<std::pair<double, uint32_t>> pairs(d_.rows());
      for (size_t i = 0; i < d_.rows(); ++i) pairs[i] = {x[i], static_cast<uint32_t>(i)};
      std::sort(pairs.begin(), pairs.end());
      auto& ord = order_[j];
      ord.resize(d_.rows());
      for (size_t i = 0; i < d_.rows(); ++i) ord[i] = pairs[i].second;
    }
    for (uint8_t v : d_.y) total_cases_ += v;
    remaining_.assign(d_.rows(), 1);
    violations_.assign(d_.rows(), 0);
    violated_.assign(d_.rows(), 0);
  }

  PrimResult run() {
    PrimResult r;
    r.initial = init_;
    r.total_rows = n_;
    r.total_cases = total_cases_;
    for (int b = 0; b < o_.boxes; ++b) {
      int64_t left = 0, left_cases = 0;
      for (size_t i = 0; i < d_.rows(); ++i) {
        left += remaining_[i];
        left_cases += remaining_[i] & d_.y[i];
      }
      if (left == 0 || left_cases == 0) break;
      FoundBox fb = find_box();
      const TradeoffPoint& chosen = fb.trajectory[fb.chosen];
      if (chosen.restricted == 0) break;
      significance(fb);
      for (size_t i = 0; i < d_.rows(); ++i)
        if (remaining_[i] && inside(i, chosen.box)) remaining_[i] = 0;
      r.boxes.push_back(std::move(fb));
    }
    return r;
  }

 private:
  bool inside(size_t i, const Limits& box, size_t skip = SIZE_MAX) const {
    for (size_t j = 0; j < box.low.size(); ++j) {
      if (j == skip) continue;
      const double x = d_.columns[j][i];
      if (x < box.low[j] || x > box.high[j]) return false;
    }
    return true;
  }

  int restricted(const Limits& box) const {
    int r = 0;
    for (size_t j = 0; j < box.low.size(); ++j)
      r += box.low[j] != init_.low[j] || box.high[j] != init_.high[j];
    return r;
  }

  TradeoffPoint point(const Limits& box, int64_t rows, int64_t cases, bool pasted) const {
    TradeoffPoint p;
    p.box = box;
    p.rows = rows;
    p.cases = cases;
    p.coverage =
        total_cases_ > 0 ? static_cast<double>(cases) / static_cast<double>(total_cases_) : 0;
    p.density = rows > 0 ? static_cast<double>(cases) / static_cast<double>(rows) : 0;
    p.mass = static_cast<double>(rows) / static_cast<double>(n_);
    p.restricted = restricted(box);
    p.pasted = pasted;
    return p;
  }

  // One peel candidate on input j: the limit q, and the rows and cases it removes.
  struct Peel {
    double q = 0;
    int64_t removed = 0, removed_cases = 0;
  };

  // The k-th (0-based) in-box value of input j from the low end (ascending) or the high end.
  // `pos` is a cursor into order_[j] that the caller advances.
  Peel peel(size_t j, bool upper, int64_t m) {
    const auto& x = d_.columns[j];
    const auto& ord = work_[j];
    const double quant = upper ? 1 - o_.peel_alpha : o_.peel_alpha;
    const double at = static_cast<double>(m - 1) * quant;
    // Positions in ascending in-box order; the walk goes from the near end.
    auto lo = static_cast<int64_t>(std::floor(at)), hi = static_cast<int64_t>(std::ceil(at));
    // From the near end: rank r_near of the element at ascending position p.
    auto near = [&](int64_t p) { return upper ? m - 1 - p : p; };
    // Walk from the near end collecting in-box values by near rank.
    std::vector<double> seen;  // in-box values from the near end, as many as needed
    size_t cursor = upper ? ord.size() : 0;
    auto next = [&]() -> bool {  // appends the next in-box value; false at the end
      if (upper) {
        while (cursor > 0) {
          const uint32_t i = ord[--cursor];
          if (in_[i]) {
            seen.push_back(x[i]);
            return true;
          }
        }
      } else {
        while (cursor < ord.size()) {
          const uint32_t i = ord[cursor++];
          if (in_[i]) {
            seen.push_back(x[i]);
            return true;
          }
        }
      }
      return false;
    };
    auto value = [&](int64_t p) {  // the in-box value at ascending position p
      const auto r = static_cast<size_t>(near(p));
      while (seen.size() <= r && next()) {
      }
      return seen[r];
    };
    // sdtoolkit's ties rule: move the far index outwards past equal values.
    if (!upper) {
      while (value(lo) == value(hi) && hi < m - 1) ++hi;
    } else {
      while (value(lo) == value(hi) && lo > 0) --lo;
    }
    Peel pl;
    pl.q = (value(lo) + value(hi)) / 2;
    // Rows removed: in-box values strictly beyond q on the near side.
    if (upper) {
      for (size_t c = ord.size(); c > 0;) {
        const uint32_t i = ord[--c];
        if (!in_[i]) continue;
        if (!(x[i] > pl.q)) break;
        ++pl.removed;
        pl.removed_cases += d_.y[i];
      }
    } else {
      for (size_t c = 0; c < ord.size(); ++c) {
        const uint32_t i = ord[c];
        if (!in_[i]) continue;
        if (!(x[i] < pl.q)) break;
        ++pl.removed;
        pl.removed_cases += d_.y[i];
      }
    }
    return pl;
  }

  FoundBox find_box() {
    FoundBox fb;
    Limits box = init_;
    in_ = remaining_;
    int64_t m = 0, k = 0;
    for (size_t i = 0; i < d_.rows(); ++i) {
      m += in_[i];
      k += in_[i] & d_.y[i];
    }
    work_.clear();  // from the remaining rows, not the previous box's
    compact();
    fb.trajectory.push_back(point(box, m, k, false));
    const size_t dims = d_.names.size();
    // Peeling.
    for (;;) {
      double best_obj = -HUGE_VAL;
      int best_free = -1;
      size_t best_j = 0;
      bool best_upper = false;
      Peel best;
      const int res_now = restricted(box);
      for (size_t j = 0; j < dims; ++j) {
        for (bool upper : {true, false}) {
          Peel pl = peel(j, upper, m);
          const double obj = lenient1(m, k, m - pl.removed, k - pl.removed_cases);
          const bool was = box.low[j] != init_.low[j] || box.high[j] != init_.high[j];
          const bool now = upper ? pl.q != init_.high[j] || box.low[j] != init_.low[j]
                                 : pl.q != init_.low[j] || box.high[j] != init_.high[j];
          const int free = static_cast<int>(dims) - (res_now - was + now);
          if (obj > best_obj || (obj == best_obj && free > best_free)) {
            best_obj = obj;
            best_free = free;
            best_j = j;
            best_upper = upper;
            best = pl;
          }
        }
      }
      const int64_t m_new = m - best.removed;
      const double mass_new = static_cast<double>(m_new) / static_cast<double>(n_);
      if (!(best_obj > 0) || mass_new < o_.mass_min || m_new >= m) break;
      const auto& x = d_.columns[best_j];
      for (uint32_t i : work_[best_j])
        if (in_[i] && (best_upper ? x[i] > best.q : x[i] < best.q)) in_[i] = 0;
      (best_upper ? box.high : box.low)[best_j] = best.q;
      m = m_new;
      k -= best.removed_cases;
      fb.trajectory.push_back(point(box, m, k, false));
      // Keep the sorted lists mostly in-box, so that each peel walks about its own rows.
      if (static_cast<size_t>(m) * 2 < work_[0].size()) compact();
    }
    // Pasting.
    for (;;) {
      double best_obj = -HUGE_VAL;
      int best_free = -1;
      Limits best_box;
      int64_t best_m = 0, best_k = 0;
      // Per remaining row: how many limits of the box it violates, and which one when
      // it is one; a row is inside the box widened on input j iff it violates none, or only
      // j's. One pass over the rows instead of one per candidate and input.
      for (size_t i = 0; i < d_.rows(); ++i) {
        uint32_t count = 0, which = 0;
        if (remaining_[i])
          for (size_t j = 0; j < dims; ++j) {
            const double x = d_.columns[j][i];
            if (x < box.low[j] || x > box.high[j]) {
              ++count;
              which = static_cast<uint32_t>(j);
            }
          }
        violations_[i] = remaining_[i] ? std::min<uint32_t>(count, 2) : 3;
        violated_[i] = which;
      }
      auto inside_except = [&](size_t i, size_t j) {
        return violations_[i] == 0 || (violations_[i] == 1 && violated_[i] == j);
      };
      for (size_t j = 0; j < dims; ++j) {
        if (box.low[j] == init_.low[j] && box.high[j] == init_.high[j]) continue;
        for (bool upper : {false, true}) {
          // The rows just outside the limit (within the other limits).
          std::vector<double> data;
          const auto& xj = d_.columns[j];
          for (size_t i = 0; i < d_.rows(); ++i) {
            if (!inside_except(i, j)) continue;
            const double v = xj[i];
            if (upper ? (v >= box.high[j] && v <= init_.high[j])
                      : (v >= init_.low[j] && v <= box.low[j]))
              data.push_back(v);
          }
          double value = upper ? init_.high[j] : init_.low[j];
          if (!data.empty())
            value =
                sdtoolkit_quantile(std::move(data), upper ? o_.paste_alpha : 1 - o_.paste_alpha);
          Limits cand = box;
          (upper ? cand.high : cand.low)[j] = value;
          int64_t mc = 0, kc = 0;
          for (size_t i = 0; i < d_.rows(); ++i)
            if (inside_except(i, j) && xj[i] >= cand.low[j] && xj[i] <= cand.high[j]) {
              ++mc;
              kc += d_.y[i];
            }
          const double obj = lenient1(m, k, mc, kc);
          const int free = static_cast<int>(dims) - restricted(cand);
          if (obj > best_obj || (obj == best_obj && free > best_free)) {
            best_obj = obj;
            best_free = free;
            best_box = cand;
            best_m = mc;
            best_k = kc;
          }
        }
      }
      if (best_free < 0) break;
      const double mass_new = static_cast<double>(best_m) / static_cast<double>(n_);
      const double mean_old = static_cast<double>(k) / static_cast<double>(m);
      const double mean_new = static_cast<double>(best_k) / static_cast<double>(best_m);
      if (!(best_obj > 0) || mass_new < o_.mass_min || best_m <= m || !(mean_new > mean_old)) break;
      box = best_box;
      m = best_m;
      k = best_k;
      fb.trajectory.push_back(point(box, m, k, true));
    }
    fb.chosen = fb.trajectory.size() - 1;
    if (!std::isnan(o_.min_density)) {
      double best = -1;
      for (size_t t = 0; t < fb.trajectory.size(); ++t) {
        const TradeoffPoint& p = fb.trajectory[t];
        if (p.density >= o_.min_density && p.coverage > best) {
          best = p.coverage;
          fb.chosen = t;
        }
      }
    }
    return fb;
  }

  // work_[j]: the rows in the box (in_), in order of input j.
  void compact() {
    work_.resize(order_.size());
    for (size_t j = 0; j < order_.size(); ++j) {
      const auto& from = work_[j].empty() ? order_[j] : work_[j];
      std::vector<uint32_t> kept;
      kept.reserve(from.size());
      for (uint32_t i : from)
        if (in_[i]) kept.push_back(i);
      work_[j] = std::move(kept);
    }
  }

  void significance(FoundBox& fb) const {
    const TradeoffPoint& c = fb.trajectory[fb.chosen];
    const size_t dims = d_.names.size();
    fb.p_low.assign(dims, kNaN);
    fb.p_high.assign(dims, kNaN);
    for (size_t j = 0; j < dims; ++j) {
      for (bool upper : {false, true}) {
        const double lim = upper ? c.box.high[j] : c.box.low[j];
        if (lim == (upper ? init_.high[j] : init_.low[j])) continue;
        Limits wider = c.box;
        (upper ? wider.high : wider.low)[j] = upper ? init_.high[j] : init_.low[j];
        int64_t t = 0, h = 0;
        for (size_t i = 0; i < d_.rows(); ++i)
          if (remaining_[i] && inside(i, wider)) {
            ++t;
            h += d_.y[i];
          }
        const double p = t > 0 ? static_cast<double>(h) / static_cast<double>(t) : 0;
        (upper ? fb.p_high : fb.p_low)[j] = binomial_upper_tail(c.cases, c.rows, p);
      }
    }
  }

  const Dataset& d_;
  PrimOptions o_;
  int64_t n_ = 0, total_cases_ = 0;
  Limits init_;
  std::vector<std::vector<uint32_t>> order_, work_;
  std::vector<uint8_t> remaining_, in_, violations_;
  std::vector<uint32_t> violated_;
};

}  // namespace

double sdtoolkit_quantile(std::vector<double> v, double q) {
  GEOSIM_ASSERT(!v.empty() && q > 0 && q < 1, "sdtoolkit_quantile needs data and 0 < q < 1");
  std::sort(v.begin(), v.end());
  const double at = static_cast<double>(v.size() - 1) * q;
  auto lo = static_cast<size_t>(std::floor(at)), hi = static_cast<size_t>(std::ceil(at));
  if (q > 0.5) {
    while (v[lo] == v[hi] && lo > 0) --lo;
  } else {
    while (v[lo] == v[hi] && hi < v.size() - 1) ++hi;
  }
  return (v[lo] + v[hi]) / 2;
}

double binomial_upper_tail(int64_t k, int64_t n, double p) {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  return stats::incomplete_beta(static_cast<double>(k), static_cast<double>(n - k + 1), p, 1 - p);
}

PrimResult prim(const Dataset& data, const PrimOptions& options) {
  GEOSIM_ASSERT(!data.names.empty() && data.columns.size() == data.names.size(),
                "prim needs at least one input column");
  for (const auto& c : data.columns)
    GEOSIM_ASSERT(c.size() == data.rows(), "prim: every input column has one value per row");
  if (data.rows() == 0) return PrimResult{};
  return Search(data, options).run();
}

}  // namespace geosim::discover
