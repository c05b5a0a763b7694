#include "story/paths.h"

#include <algorithm>
#include <cstring>

#include "core/error.h"
#include "stats/wire.h"

namespace geosim::story {

namespace w = stats::wire;

namespace {

constexpr size_t kElementBytes = 8, kElementBytesWithStep = 12;

size_t element_bytes(bool with_steps) { return with_steps ? kElementBytesWithStep : kElementBytes; }

void put_u32_le(std::string& out, uint32_t v) {
  for (int b = 0; b < 4; ++b) out.push_back(static_cast<char>((v >> (8 * b)) & 0xFFu));
}
uint32_t get_u32_le(std::string_view s, size_t at) {
  uint32_t v = 0;
  for (int b = 0; b < 4; ++b)
    v |= static_cast<uint32_t>(static_cast<unsigned char>(s[at + static_cast<size_t>(b)]))
         << (8 * b);
  return v;
}

// FNV-1a over the key's bytes, then the splitmix64 finalizer: fixed, so that which paths a
// full table keeps is the same on every machine.
uint64_t hash_key(std::string_view key) {
  uint64_t h = 1469598103934665603ull;
  for (char c : key) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}

void serialize_stats(std::string& out, const PathStats& p) {
  w::put_i64(out, p.replicates);
  w::put_varint(out, p.outcomes.size());
  for (const OutcomeSums& o : p.outcomes) {
    w::put_i64(out, o.held);
    w::put_i64(out, o.present);
    o.sum.serialize(out);
    w::put_varint(out, o.label_counts.size());
    for (int64_t c : o.label_counts) w::put_i64(out, c);
  }
}

PathStats deserialize_stats(std::string_view& in, const std::vector<OutcomeShape>& shapes) {
  PathStats p;
  p.replicates = w::get_i64(in);
  const uint64_t n = w::get_varint(in);
  if (n != shapes.size()) w::damaged("a storyline path with the wrong number of outcomes");
  p.outcomes.resize(n);
  for (size_t k = 0; k < n; ++k) {
    OutcomeSums& o = p.outcomes[k];
    o.held = w::get_i64(in);
    o.present = w::get_i64(in);
    o.sum = stats::ExactSum::deserialize(in);
    const uint64_t labels = w::get_varint(in);
    if (labels != shapes[k].labels) w::damaged("a storyline outcome with the wrong labels");
    for (uint64_t j = 0; j < labels; ++j) o.label_counts.push_back(w::get_i64(in));
  }
  return p;
}

}  // namespace

void PathStats::merge(const PathStats& o) {
  replicates += o.replicates;
  GEOSIM_ASSERT(outcomes.size() == o.outcomes.size(), "storyline tables of different outcomes");
  for (size_t k = 0; k < outcomes.size(); ++k) {
    OutcomeSums& a = outcomes[k];
    const OutcomeSums& b = o.outcomes[k];
    a.held += b.held;
    a.present += b.present;
    a.sum.merge(b.sum);
    for (size_t j = 0; j < a.label_counts.size(); ++j) a.label_counts[j] += b.label_counts[j];
  }
}

std::string path_key(const std::vector<Element>& elements, bool with_steps, int64_t max_length) {
  size_t n = elements.size();
  if (max_length > 0) n = std::min(n, static_cast<size_t>(max_length));
  std::string key;
  key.reserve(n * element_bytes(with_steps));
  for (size_t i = 0; i < n; ++i) {
    put_u32_le(key, elements[i].item);
    put_u32_le(key, elements[i].label);
    if (with_steps) put_u32_le(key, elements[i].step);
  }
  return key;
}

size_t path_length(std::string_view key, bool with_steps) {
  return key.size() / element_bytes(with_steps);
}

std::string path_text(std::string_view key, bool with_steps, const std::vector<ItemNames>& items) {
  const size_t n = path_length(key, with_steps), eb = element_bytes(with_steps);
  if (n == 0) return "(none)";
  std::string text;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t item = get_u32_le(key, i * eb), label = get_u32_le(key, i * eb + 4);
    GEOSIM_ASSERT(item < items.size(), "storyline item out of range");
    if (i) text += " > ";
    text += items[item].name;
    if (label != kNoLabel) {
      GEOSIM_ASSERT(label < items[item].options.size(), "storyline option out of range");
      text += "=" + items[item].options[label];
    }
    if (with_steps) text += "@" + std::to_string(get_u32_le(key, i * eb + 8));
  }
  return text;
}

PathStats PathTable::fresh() const {
  PathStats p;
  p.outcomes.resize(shapes_.size());
  for (size_t k = 0; k < shapes_.size(); ++k)
    p.outcomes[k].label_counts.assign(shapes_[k].labels, 0);
  return p;
}

PathStats& PathTable::at(std::string_view key) {
  const std::pair<uint64_t, std::string_view> id{hash_key(key), key};
  auto it = paths_.find(id);
  if (it != paths_.end()) return it->second;
  if (other_.outcomes.size() != shapes_.size()) other_ = fresh();
  if (paths_.size() >= kKept) {
    auto last = std::prev(paths_.end());
    if (IdLess()(last->first, id)) return other_;  // beyond the kKept smallest: in `other`
    other_.merge(last->second);
    paths_.erase(last);
  }
  return paths_.emplace(std::pair<uint64_t, std::string>{id.first, std::string(key)}, fresh())
      .first->second;
}

void PathTable::merge(const PathTable& o) {
  if (shapes_.empty() && paths_.empty()) shapes_ = o.shapes_;
  if (other_.outcomes.size() != shapes_.size()) other_ = fresh();
  for (const auto& [id, stats] : o.paths_) {
    auto it = paths_.find(id);
    if (it == paths_.end()) it = paths_.emplace(id, fresh()).first;
    it->second.merge(stats);
  }
  if (o.other_.outcomes.size() == shapes_.size()) other_.merge(o.other_);
  trim();
}

void PathTable::trim() {
  while (paths_.size() > kKept) {
    auto last = std::prev(paths_.end());
    other_.merge(last->second);
    paths_.erase(last);
  }
}

int64_t PathTable::replicates() const {
  int64_t n = other_.replicates;
  for (const auto& [id, p] : paths_) n += p.replicates;
  return n;
}

std::vector<std::pair<std::string, const PathStats*>> PathTable::paths() const {
  std::vector<std::pair<std::string, const PathStats*>> out;
  for (const auto& [id, p] : paths_) out.emplace_back(id.second, &p);
  return out;
}

void PathTable::serialize(std::string& out) const {
  w::put_varint(out, shapes_.size());
  for (const auto& s : shapes_) w::put_varint(out, s.labels);
  w::put_varint(out, paths_.size());
  for (const auto& [id, p] : paths_) {
    w::put_varint(out, id.second.size());
    out += id.second;
    serialize_stats(out, p);
  }
  // `other` is written in its canonical form: empty outcomes until something was folded.
  PathStats other = other_.outcomes.size() == shapes_.size() ? other_ : fresh();
  serialize_stats(out, other);
}

PathTable PathTable::deserialize(std::string_view& in) {
  PathTable t;
  const uint64_t n_shapes = w::get_varint(in);
  if (n_shapes > in.size()) w::damaged("a storyline table with too many outcomes");
  for (uint64_t k = 0; k < n_shapes; ++k) t.shapes_.push_back({w::get_varint(in)});
  const uint64_t n = w::get_varint(in);
  if (n > kKept) w::damaged("a storyline table with more paths than it may keep");
  for (uint64_t i = 0; i < n; ++i) {
    const uint64_t len = w::get_varint(in);
    if (len > in.size()) w::damaged("a truncated storyline path");
    std::string key(in.substr(0, len));
    in.remove_prefix(len);
    t.paths_.emplace(std::pair<uint64_t, std::string>{hash_key(key), key},
                     deserialize_stats(in, t.shapes_));
  }
  t.other_ = deserialize_stats(in, t.shapes_);
  return t;
}

std::vector<PathRow> rows(const PathTable& table, bool with_steps,
                          const std::vector<ItemNames>& items, int64_t max_paths) {
  std::vector<PathRow> all;
  for (const auto& [key, p] : table.paths()) {
    PathRow r;
    r.path = path_text(key, with_steps, items);
    r.length = static_cast<int64_t>(path_length(key, with_steps));
    r.stats = *p;
    all.push_back(std::move(r));
  }
  std::sort(all.begin(), all.end(), [](const PathRow& a, const PathRow& b) {
    if (a.stats.replicates != b.stats.replicates) return a.stats.replicates > b.stats.replicates;
    return a.path < b.path;
  });
  std::vector<PathRow> out;
  PathRow other;
  other.path = "(other paths)";
  other.stats = table.other();
  for (size_t i = 0; i < all.size(); ++i) {
    if (static_cast<int64_t>(i) < max_paths) {
      all[i].rank = static_cast<int>(i) + 1;
      out.push_back(std::move(all[i]));
    } else if (other.stats.outcomes.size() == all[i].stats.outcomes.size()) {
      other.stats.merge(all[i].stats);
    } else {
      other.stats = all[i].stats;
    }
  }
  if (other.stats.replicates > 0) out.push_back(std::move(other));
  return out;
}

}  // namespace geosim::story
