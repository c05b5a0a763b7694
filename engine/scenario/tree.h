// The loader's own YAML tree: what yaml-cpp parsed, with every node's position (file name
// included, 1-based line and column) and whether a scalar was written plain. Keeping our
// own tree lets `extends` merge nodes from several files while each keeps the file it came
// from, and lets the checker refuse duplicate keys, which yaml-cpp accepts silently.
// Internal to engine/scenario/: no yaml-cpp type appears here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace geosim::loader {

enum class NodeKind { kNull, kScalar, kSeq, kMap };

// A YAML node. Maps keep file order in the parallel vectors `keys`, `key_locs`, `items`;
// sequences keep theirs in `items`.
struct Node {
  NodeKind kind = NodeKind::kNull;
  SourceLoc loc;       // where the node starts (for a scalar: its first character, quote included)
  SourceLoc text_loc;  // scalars: the first character of the value itself (after a quote)
  std::string scalar;
  bool plain = false;  // scalar written without quotes, block indicator or tag
  std::vector<std::string> keys;
  std::vector<SourceLoc> key_locs;
  std::vector<Node> items;
  size_t size = 1;   // nodes in this subtree: bounds the expansion of aliases
  size_t bytes = 0;  // bytes of the scalars (keys included) in this subtree: bounds it too

  bool is_map() const { return kind == NodeKind::kMap; }
  bool is_seq() const { return kind == NodeKind::kSeq; }
  bool is_scalar() const { return kind == NodeKind::kScalar; }
  bool is_null() const { return kind == NodeKind::kNull; }
  // Index of `key` in a map, or -1.
  int index_of(std::string_view key) const;
  const Node* find(std::string_view key) const;
  void erase(size_t index);
};

// Parses the text of one file into a tree. File-level problems (binary data, YAML syntax,
// more than one document, an empty file, alias bombs) throw UserError at once; duplicate
// keys are added to `diags` (the first occurrence is kept) so that checking can go on.
Node parse_yaml(const std::string& text, const std::string& file, DiagnosticList& diags);

// `child` merged onto `base`: maps key by key, recursively (base keys keep base order and
// positions, new keys follow in the child's order); anything else: the child replaces.
Node merge(const Node& base, const Node& child);

// "a mapping", "a list", "nothing", "'text'" or "the quoted text \"text\"", for messages.
std::string describe(const Node& node);

}  // namespace geosim::loader
