// Storylines: the ordered path each replicate takes through a scenario's storyline items
// (docs/format.md, "Storylines"), counted in a table that merges exactly.
//
// A path is the list of items that occurred, in the order of their first occurrence
// (ties on one step in phase order: the item order of the model). Each element is an
// item, for a decision the option chosen then, and, when asked, the step. The table keeps,
// per distinct path, the number of replicates and the sums that give every outcome's mean
// (exact sums, stats/exact_sum.h), so that it is a monoid whose state depends only on the
// multiset of replicates: threads, MPI ranks and shards merge it in any order into the
// same bytes.
//
// Memory stays flat in the number of replicates: at most kKept distinct paths are kept
// one by one. When more occur, the kept ones are those with the kKept smallest
// (hash(path), path) pairs, and every replicate of any other path is folded into one
// `other` entry. That set is a function of the set of distinct paths seen, not of the order
// they were seen or merged in, so the cap too is merge-order independent (a path kept at
// the end was never evicted on the way, since it was among the kKept smallest of every
// subset it belonged to). The number of rows shown (max_paths) is applied only when the
// table is written (rows() below), to the merged table.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stats/exact_sum.h"

namespace geosim::story {

// What an outcome contributes to a path's row: a mean (plain, max/min/mean, first) or the
// share of each label (cases, `labels` > 0).
struct OutcomeShape {
  size_t labels = 0;
};

// One outcome's observations among a path's replicates.
struct OutcomeSums {
  int64_t held = 0;     // replicates where the outcome's `given` held (all without one)
  int64_t present = 0;  // of those, with a value (a reached {first:}, a matched case)
  stats::ExactSum sum;  // of the values (not for cases)
  std::vector<int64_t> label_counts;  // cases: per label
};

struct PathStats {
  int64_t replicates = 0;
  std::vector<OutcomeSums> outcomes;
  void merge(const PathStats& o);
};

// One element of a path: item index (into the model's storyline items), the option index
// for a decision (kNoLabel for an event), the step of the first occurrence.
struct Element {
  uint32_t item = 0;
  uint32_t label = 0;
  uint32_t step = 0;
};
inline constexpr uint32_t kNoLabel = 0xFFFFFFFFu;

// The names used to write a path: per item its name and, for a decision, its options.
struct ItemNames {
  std::string name;
  std::vector<std::string> options;
};

// A path's key: its elements as fixed-width bytes (the step only when `with_steps`), the
// first `max_length` elements when max_length > 0. `elements` must be in path order.
std::string path_key(const std::vector<Element>& elements, bool with_steps, int64_t max_length);
// The canonical text of a path (docs/outputs.md): elements joined by " > ", each
// `item` (an event) or `item=option` (a decision), followed by `@step` when the key has
// steps; "(none)" for the empty path.
std::string path_text(std::string_view key, bool with_steps, const std::vector<ItemNames>& items);
// Elements in a key.
size_t path_length(std::string_view key, bool with_steps);

class PathTable {
 public:
  static constexpr size_t kKept = 1000;

  PathTable() = default;
  explicit PathTable(std::vector<OutcomeShape> shapes) : shapes_(std::move(shapes)) {}

  // The statistics of the path with this key, created if new (the key may then go to the
  // `other` entry instead, see above). The reference is valid until the next call.
  PathStats& at(std::string_view key);
  void merge(const PathTable& o);

  bool empty() const { return paths_.empty() && other_.replicates == 0; }
  int64_t replicates() const;
  // Paths kept one by one (key -> statistics), and the replicates of paths beyond kKept.
  std::vector<std::pair<std::string, const PathStats*>> paths() const;
  const PathStats& other() const { return other_; }
  const std::vector<OutcomeShape>& shapes() const { return shapes_; }

  void serialize(std::string& out) const;
  static PathTable deserialize(std::string_view& in);

 private:
  PathStats fresh() const;
  // Moves the entries beyond the kKept smallest into other_.
  void trim();
  std::vector<OutcomeShape> shapes_;
  // Ordered by (hash, key); looked up without copying the key.
  struct IdLess {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      if (a.first != b.first) return a.first < b.first;
      return std::string_view(a.second) < std::string_view(b.second);
    }
  };
  std::map<std::pair<uint64_t, std::string>, PathStats, IdLess> paths_;
  PathStats other_;
};

// One row of storylines.csv: a path (rank >= 1), or every other path together (rank 0).
struct PathRow {
  int rank = 0;
  std::string path;     // path_text, or "(other paths)"
  int64_t length = -1;  // elements; -1 for the other row
  PathStats stats;
};

// The table's rows as written: paths by decreasing replicates (ties by path text), the
// first max_paths of them, then one "(other paths)" row with the rest (and the table's
// `other` entry), when there is any.
std::vector<PathRow> rows(const PathTable& table, bool with_steps,
                          const std::vector<ItemNames>& items, int64_t max_paths);

}  // namespace geosim::story
