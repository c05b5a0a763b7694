#include "discover/cart.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace geosim::discover {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A node's rows as a segment [b, e) of every input's sorted list (the same b and e for
// every input). Each list entry packs the row's rank among the input's distinct values
// (high 31 bits: hence fewer than 2^31 rows), whether the row is a case (bit 32) and the
// row (low 32 bits), so that scanning a node reads one contiguous array and nothing else.
struct Pending {
  size_t b = 0, e = 0;
  int parent = -1;
  bool left = false;
  int depth = 0;
  Limits box;
};

uint64_t rank_of(uint64_t v) { return v >> 33; }
uint32_t case_of(uint64_t v) { return static_cast<uint32_t>(v >> 32) & 1u; }
uint32_t row_of(uint64_t v) { return static_cast<uint32_t>(v); }

class Tree {
 public:
  Tree(const Dataset& d, const CartOptions& o) : d_(d), o_(o) {
    const size_t k = d_.names.size(), n = d_.rows();
    r_.total_rows = static_cast<int64_t>(n);
    for (uint8_t y : d_.y) r_.total_cases += y;
    r_.min_leaf =
        o_.min_leaf > 0
            ? o_.min_leaf
            : std::max<int64_t>(
                  1, static_cast<int64_t>(std::ceil(o_.mass_min * static_cast<double>(n) - 1e-9)));
    r_.initial.low.resize(k);
    r_.initial.high.resize(k);
    values_.resize(k);
    sorted_.resize(k);
    for (size_t j = 0; j < k; ++j) {
      const auto& x = d_.columns[j];
      std::vector<std::pair<double, uint32_t>> pairs(n);
      for (size_t i = 0; i < n; ++i) pairs[i] = {x[i], static_cast<uint32_t>(i)};
      std::sort(pairs.begin(), pairs.end());
      auto& vals = values_[j];
      auto& s = sorted_[j];
      s.resize(n);
      for (size_t i = 0; i < n; ++i) {
        if (vals.empty() || pairs[i].first != vals.back()) vals.push_back(pairs[i].first);
        const uint32_t row = pairs[i].second;
        s[i] = (static_cast<uint64_t>(vals.size() - 1) << 33) |
               (static_cast<uint64_t>(d_.y[row] & 1u) << 32) | row;
      }
      r_.initial.low[j] = vals.front();
      r_.initial.high[j] = vals.back();
    }
    goes_left_.assign(n, 0);
    scratch_.resize(n);
  }

  CartResult run() {
    grow();
    if (o_.ccp_alpha > 0) prune();
    renumber();
    choose_boxes();
    return std::move(r_);
  }

 private:
  void grow() {
    std::vector<Pending> stack;
    stack.push_back(Pending{0, d_.rows(), -1, false, 0, r_.initial});
    while (!stack.empty()) {
      Pending p = std::move(stack.back());
      stack.pop_back();
      const int id = static_cast<int>(nodes_.size());
      CartNode node;
      node.parent = p.parent;
      node.left = p.left;
      node.depth = p.depth;
      node.rows = static_cast<int64_t>(p.e - p.b);
      for (size_t i = p.b; i < p.e; ++i) node.cases += case_of(sorted_[0][i]);
      node.box = p.box;
      if (p.parent >= 0)
        (p.left ? nodes_[static_cast<size_t>(p.parent)].left_child
                : nodes_[static_cast<size_t>(p.parent)].right_child) = id;
      nodes_.push_back(node);
      size_t split_input = 0, split_at = 0;
      if (!best_split(p, node.rows, node.cases, split_input, split_at)) continue;
      // Rows up to split_at (in split_input's order) go left.
      const auto& s = sorted_[split_input];
      const double a = values_[split_input][rank_of(s[split_at])];
      const double b = values_[split_input][rank_of(s[split_at + 1])];
      double t = (a + b) / 2;
      if (t == b) t = a;  // neighbouring doubles: the midpoint rounds up to b
      nodes_.back().input = static_cast<int>(split_input);
      nodes_.back().threshold = t;
      const size_t nl = split_at + 1 - p.b;
      partition(p.b, p.e, split_input, nl);
      Pending left{p.b, p.b + nl, id, true, p.depth + 1, p.box};
      Pending right{p.b + nl, p.e, id, false, p.depth + 1, p.box};
      left.box.high[split_input] = std::min(left.box.high[split_input], t);
      right.box.low[split_input] = std::max(right.box.low[split_input], t);
      stack.push_back(std::move(right));
      stack.push_back(std::move(left));  // popped first: ids in preorder
    }
  }

  // The best split of the node (see cart.h); false when it stays a leaf.
  bool best_split(const Pending& p, int64_t n, int64_t k, size_t& input, size_t& at) const {
    const int64_t min_leaf = r_.min_leaf;
    if (k == 0 || k == n || n < 2 * min_leaf || (o_.max_depth > 0 && p.depth >= o_.max_depth))
      return false;
    const auto nd = static_cast<double>(n), kd = static_cast<double>(k);
    const double parent = kd * (nd - kd) / nd;
    double best = HUGE_VAL;
    bool found = false;
    for (size_t j = 0; j < sorted_.size(); ++j) {
      const auto& s = sorted_[j];
      int64_t nl = 0, kl = 0;
      for (size_t i = p.b; i + 1 < p.e; ++i) {
        const uint64_t v = s[i];
        ++nl;
        kl += case_of(v);
        if (nl < min_leaf) continue;
        if (n - nl < min_leaf) break;
        if (rank_of(s[i + 1]) == rank_of(v)) continue;
        const auto nld = static_cast<double>(nl), kld = static_cast<double>(kl);
        const auto nrd = static_cast<double>(n - nl), krd = static_cast<double>(k - kl);
        const double score = kld * (nld - kld) / nld + krd * (nrd - krd) / nrd;
        if (score < best) {
          best = score;
          input = j;
          at = i;
          found = true;
        }
      }
    }
    return found && parent - best > 1e-9 * nd;
  }

  // Splits the segment [b, e) of every input's list into its left nl rows and the rest,
  // keeping each part in order.
  void partition(size_t b, size_t e, size_t input, size_t nl) {
    const auto& s = sorted_[input];
    for (size_t i = b; i < e; ++i) goes_left_[row_of(s[i])] = i < b + nl;
    for (size_t j = 0; j < sorted_.size(); ++j) {
      if (j == input) continue;  // already in order: its left rows come first
      auto& t = sorted_[j];
      size_t l = 0, r = nl;
      for (size_t i = b; i < e; ++i) scratch_[goes_left_[row_of(t[i])] ? l++ : r++] = t[i];
      std::copy(scratch_.begin(), scratch_.begin() + static_cast<std::ptrdiff_t>(e - b),
                t.begin() + static_cast<std::ptrdiff_t>(b));
    }
  }

  // R(t) = g(t) n_t / N with g = 2 p (1 - p).
  double cost(const CartNode& node) const {
    const auto n = static_cast<double>(node.rows), k = static_cast<double>(node.cases);
    return 2 * k * (n - k) / (n * static_cast<double>(r_.total_rows));
  }

  void prune() {
    for (;;) {
      // Leaves and their summed cost under each node: in reverse preorder every child
      // comes before its parent.
      std::vector<double> sub(nodes_.size());
      std::vector<int64_t> leaves(nodes_.size());
      for (size_t t = nodes_.size(); t-- > 0;) {
        const CartNode& node = nodes_[t];
        if (node.input < 0) {
          sub[t] = cost(node);
          leaves[t] = 1;
        } else {
          const auto l = static_cast<size_t>(node.left_child),
                     r = static_cast<size_t>(node.right_child);
          sub[t] = sub[l] + sub[r];
          leaves[t] = leaves[l] + leaves[r];
        }
      }
      double weakest = HUGE_VAL;
      size_t at = 0;
      for (size_t t = 0; t < nodes_.size(); ++t) {
        if (nodes_[t].input < 0 || !reachable(t)) continue;
        const double alpha = (cost(nodes_[t]) - sub[t]) / static_cast<double>(leaves[t] - 1);
        if (alpha < weakest) {
          weakest = alpha;
          at = t;
        }
      }
      if (!(weakest <= o_.ccp_alpha)) return;
      nodes_[at].input = -1;  // a leaf now; its subtree is dropped by renumber()
    }
  }

  bool reachable(size_t t) const {
    for (int p = nodes_[t].parent; p >= 0; p = nodes_[static_cast<size_t>(p)].parent)
      if (nodes_[static_cast<size_t>(p)].input < 0) return false;
    return true;
  }

  // The nodes still in the tree, in preorder (ids are preorder already; pruning leaves
  // gaps).
  void renumber() {
    std::vector<int> id(nodes_.size(), -1);
    for (size_t t = 0; t < nodes_.size(); ++t) {
      const int p = nodes_[t].parent;
      if (p >= 0 && (id[static_cast<size_t>(p)] < 0 ||
                     r_.nodes[static_cast<size_t>(id[static_cast<size_t>(p)])].input < 0))
        continue;
      id[t] = static_cast<int>(r_.nodes.size());
      CartNode node = nodes_[t];
      node.parent = p >= 0 ? id[static_cast<size_t>(p)] : -1;
      node.left_child = node.right_child = -1;
      if (node.parent >= 0)
        (node.left ? r_.nodes[static_cast<size_t>(node.parent)].left_child
                   : r_.nodes[static_cast<size_t>(node.parent)].right_child) = id[t];
      if (node.input < 0) node.threshold = 0;
      r_.nodes.push_back(std::move(node));
    }
  }

  void choose_boxes() {
    std::vector<int> chosen;
    for (size_t t = 0; t < r_.nodes.size(); ++t) {
      const CartNode& node = r_.nodes[t];
      if (node.input >= 0 || node.rows == 0) continue;
      const bool predicts =
          std::isnan(o_.min_density)
              ? 2 * node.cases > node.rows
              : static_cast<double>(node.cases) >= o_.min_density * static_cast<double>(node.rows);
      if (predicts && node.cases > 0) chosen.push_back(static_cast<int>(t));
    }
    // By density (compared exactly as fractions), then cases, then node.
    std::stable_sort(chosen.begin(), chosen.end(), [&](int a, int b) {
      const CartNode& x = r_.nodes[static_cast<size_t>(a)];
      const CartNode& y = r_.nodes[static_cast<size_t>(b)];
      const __int128 lhs = static_cast<__int128>(x.cases) * y.rows;
      const __int128 rhs = static_cast<__int128>(y.cases) * x.rows;
      if (lhs != rhs) return lhs > rhs;
      return x.cases > y.cases;
    });
    for (int t : chosen) {
      CartNode& node = r_.nodes[static_cast<size_t>(t)];
      CartBox b;
      b.node = t;
      b.box = node.box;
      b.rows = node.rows;
      b.cases = node.cases;
      b.coverage = r_.total_cases > 0
                       ? static_cast<double>(b.cases) / static_cast<double>(r_.total_cases)
                       : 0;
      b.density = static_cast<double>(b.cases) / static_cast<double>(b.rows);
      b.mass = static_cast<double>(b.rows) / static_cast<double>(r_.total_rows);
      significance(b);
      r_.boxes.push_back(std::move(b));
      node.box_number = static_cast<int>(r_.boxes.size());
    }
  }

  // Quasi-p of each restricted limit (prim.h): rows inside the box with that one limit
  // dropped are those violating no limit or only it; one pass over the rows.
  void significance(CartBox& b) const {
    const size_t k = d_.names.size();
    b.p_low.assign(k, kNaN);
    b.p_high.assign(k, kNaN);
    std::vector<uint8_t> low_r(k), high_r(k);
    for (size_t j = 0; j < k; ++j) {
      low_r[j] = b.box.low[j] != r_.initial.low[j];
      high_r[j] = b.box.high[j] != r_.initial.high[j];
    }
    std::vector<int64_t> rows(2 * k), cases(2 * k);
    int64_t in_rows = 0, in_cases = 0;
    for (size_t i = 0; i < d_.rows(); ++i) {
      int count = 0;
      size_t which = 0;
      for (size_t j = 0; j < k && count < 2; ++j) {
        const double x = d_.columns[j][i];
        if (low_r[j] && x <= b.box.low[j]) ++count, which = 2 * j;
        if (high_r[j] && x > b.box.high[j]) ++count, which = 2 * j + 1;
      }
      if (count == 0) {
        ++in_rows;
        in_cases += d_.y[i];
      } else if (count == 1) {
        ++rows[which];
        cases[which] += d_.y[i];
      }
    }
    GEOSIM_ASSERT(in_rows == b.rows && in_cases == b.cases, "a CART box holds its leaf's rows");
    for (size_t l = 0; l < 2 * k; ++l) {
      const size_t j = l / 2;
      if (!(l % 2 ? high_r[j] : low_r[j])) continue;
      const int64_t t = in_rows + rows[l], h = in_cases + cases[l];
      const double p = static_cast<double>(h) / static_cast<double>(t);
      (l % 2 ? b.p_high : b.p_low)[j] = binomial_upper_tail(b.cases, b.rows, p);
    }
  }

  const Dataset& d_;
  CartOptions o_;
  CartResult r_;
  std::vector<std::vector<double>> values_;    // distinct values of each input, ascending
  std::vector<std::vector<uint64_t>> sorted_;  // packed entries, see Pending
  std::vector<uint8_t> goes_left_;
  std::vector<uint64_t> scratch_;
  std::vector<CartNode> nodes_;  // as grown (pruning marks, renumber() compacts)
};

}  // namespace

CartResult cart(const Dataset& data, const CartOptions& options) {
  GEOSIM_ASSERT(!data.names.empty() && data.columns.size() == data.names.size(),
                "cart needs at least one input column");
  for (const auto& c : data.columns)
    GEOSIM_ASSERT(c.size() == data.rows(), "cart: every input column has one value per row");
  GEOSIM_ASSERT(data.rows() < (uint64_t{1} << 31), "cart: fewer than 2^31 rows");
  if (data.rows() == 0) return CartResult{};
  return Tree(data, options).run();
}

}  // namespace geosim::discover
