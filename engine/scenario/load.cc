#include "scenario/load.h"

#include <algorithm>
#include <filesystem>
#include <tuple>
#include <utility>

#include "core/text.h"
#include "io/read_file.h"
#include "scenario/build.h"
#include "scenario/tree.h"

namespace geosim {

namespace {

namespace fs = std::filesystem;
using loader::Node;

constexpr uintmax_t kMaxFileBytes = 64u << 20;
// Files in one chain of `extends` (the user's file included). Loading recurses once per
// file; the bound keeps the stack and the merged copies small.
constexpr size_t kMaxExtendsFiles = 100;

const std::vector<std::string> kRemovableSections = {
    "parameters", "world", "actors", "relations", "decisions", "events", "outcomes", "bargaining"};

std::string singular(const std::string& section) {
  if (section == "world") return "world variable";
  if (section == "parameters") return "parameter";
  if (section == "bargaining") return "issue set";
  return section.substr(0, section.size() - 1);  // actors -> actor, ...
}

// Reads a whole file through the guard every input shares (io/read_file.h); `where` and
// `what` say how to name it in messages: the user's file itself, or the `extends` value
// that named a base.
std::string read_text(const std::string& path, const SourceLoc& where, const std::string& what) {
  io::InputFile how;
  how.expected = "a scenario file";
  how.max_bytes = kMaxFileBytes;
  how.where = where;
  how.subject = what;
  return io::read_input(path, how);
}

std::string canonical_key(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::path(path), ec);
  if (ec) p = fs::absolute(fs::path(path), ec).lexically_normal();
  return p.string();
}

Node* child_map(Node& parent, std::string_view key) {
  int i = parent.is_map() ? parent.index_of(key) : -1;
  Node* n = i >= 0 ? &parent.items[static_cast<size_t>(i)] : nullptr;
  return n && n->is_map() ? n : nullptr;
}

const Node* base_map(const Node* parent, std::string_view key) {
  const Node* n = parent && parent->is_map() ? parent->find(key) : nullptr;
  return n && n->is_map() ? n : nullptr;
}

// Format v1.1 (Composition): in `section` of a file that extends a base, a bare value
// overriding a declaration the base writes in long form sets only its `field` (`value`
// or `init`): it becomes {field: value} here, which the generic merge then lays onto the
// base's declaration, keeping its range and doc.
void wrap_bare_overrides(const Node* base_section, Node* section, const char* field) {
  if (!base_section || !section) return;
  for (size_t j = 0; j < section->keys.size(); ++j) {
    Node& item = section->items[j];
    if (!item.is_scalar() || !base_map(base_section, section->keys[j])) continue;
    Node wrapped;
    wrapped.kind = loader::NodeKind::kMap;
    wrapped.loc = item.loc;
    wrapped.text_loc = item.text_loc;
    wrapped.keys = {field};
    wrapped.key_locs = {item.loc};
    wrapped.size = item.size + 1;
    wrapped.items.push_back(std::move(item));
    item = std::move(wrapped);
  }
}

void wrap_all_bare_overrides(const Node& base, Node& child) {
  wrap_bare_overrides(base_map(&base, "parameters"), child_map(child, "parameters"), "value");
  wrap_bare_overrides(base_map(&base, "world"), child_map(child, "world"), "init");
  Node* actors = child_map(child, "actors");
  const Node* base_actors = base_map(&base, "actors");
  if (!actors || !base_actors) return;
  for (size_t a = 0; a < actors->keys.size(); ++a) {
    wrap_bare_overrides(base_map(base_map(base_actors, actors->keys[a]), "state"),
                        child_map(actors->items[a], "state"), "init");
  }
}

// Thrown inside the loader when a file-level problem makes further checking pointless;
// the diagnostics collected so far are then reported.
struct Abort {};

class Loader {
 public:
  ScenarioSpec load(const std::string& text, const std::string& display) {
    ScenarioSpec spec;
    spec.path = display;
    try {
      Node root = load_tree(text, display);
      loader::build_spec(root, spec, diags_);
    } catch (const Abort&) {
    }
    throw_sorted();
    spec.files = files_;
    return spec;
  }

 private:
  struct ChainLink {
    std::string canonical, display;
    SourceLoc extends_loc;  // where this file names its base, once read
  };

  // The merged tree of one file and its bases, with its own `remove` applied. chain_
  // holds the files from the user's down to this one (pushed here, popped on return).
  Node load_tree(const std::string& text, const std::string& display) {
    files_.push_back(display);
    chain_.push_back({canonical_key(display), display, {}});
    Node merged = load_tree_in_chain(text, display);
    chain_.pop_back();
    return merged;
  }

  Node load_tree_in_chain(const std::string& text, const std::string& display) {
    Node root;
    try {
      root = loader::parse_yaml(text, display, diags_);
    } catch (const UserError& e) {
      diags_.add(e);
      throw Abort{};
    }
    // A scenario that only lacks its version (it has `scenario:`) gets the usual messages.
    const bool is_scenario = root.is_map() && (root.find("geosim") || root.find("scenario"));
    if (chain_.size() > 1 && !is_scenario) {
      // A base named by `extends` that is not a scenario at all (a CSV, /etc/passwd):
      // one message at the extends, quoting nothing of the file.
      const ChainLink& parent = chain_[chain_.size() - 2];
      const char* holds = root.is_map()   ? "a mapping without geosim: 1 or scenario:"
                          : root.is_seq() ? "a list, not a mapping with geosim: 1"
                                          : "text, not a mapping with geosim: 1";
      diags_.add(parent.extends_loc, "extends names '" + printable(display, 200) +
                                         "', which is not a scenario file (it holds " + holds +
                                         "); expected the path of a base scenario");
      throw Abort{};
    }
    if (!root.is_map()) {
      diags_.add(root.loc, "the file holds " + loader::describe(root) +
                               "; expected a mapping with geosim: 1, scenario: and the rest of "
                               "a scenario");
      throw Abort{};
    }
    check_version(root, display);

    Node base;
    bool has_base = false;
    if (int i = root.index_of("extends"); i >= 0) {
      const Node ex = root.items[static_cast<size_t>(i)];
      root.erase(static_cast<size_t>(i));
      if (!ex.is_scalar() || ex.scalar.empty()) {
        diags_.add(ex.loc,
                   "extends is " + loader::describe(ex) + "; expected the path of a base file");
        throw Abort{};  // without its base the file cannot be checked meaningfully
      } else {
        chain_.back().extends_loc = ex.text_loc;
        base = load_base(ex, display);
        has_base = true;
      }
    }
    Node removes;
    bool has_remove = false;
    if (int i = root.index_of("remove"); i >= 0) {
      removes = root.items[static_cast<size_t>(i)];
      root.erase(static_cast<size_t>(i));
      has_remove = true;
    }
    if (has_base) wrap_all_bare_overrides(base, root);
    Node merged = has_base ? loader::merge(base, root) : std::move(root);
    if (has_remove) apply_removes(merged, removes);
    return merged;
  }

  Node load_base(const Node& ex, const std::string& display) {
    const std::vector<ChainLink>& chain = chain_;
    fs::path p = fs::path(ex.scalar);
    if (p.is_relative()) p = fs::path(display).parent_path() / p;
    std::string base_display = p.lexically_normal().string();
    std::string key = canonical_key(base_display);
    for (size_t k = 0; k < chain.size(); ++k) {
      if (chain[k].canonical != key) continue;
      std::string shown;
      for (size_t m = k; m < chain.size(); ++m) shown += chain[m].display + " -> ";
      shown += base_display;
      diags_.add(ex.text_loc, "extends loop: " + shown + "; expected a chain of extends that ends");
      throw Abort{};
    }
    if (chain.size() >= kMaxExtendsFiles) {
      const std::string shown = chain[0].display + " -> " + chain[1].display + " -> ... -> " +
                                chain.back().display + " -> " + base_display;
      diags_.add(chain[0].extends_loc,
                 "a chain of extends more than " + std::to_string(kMaxExtendsFiles) +
                     " files deep (" + shown + "); expected at most " +
                     std::to_string(kMaxExtendsFiles) + " files in one chain");
      throw Abort{};
    }
    std::string text;
    try {
      text = read_text(base_display, ex.text_loc, "extends names '" + base_display + "', which ");
    } catch (const UserError& e) {
      diags_.add(e);
      throw Abort{};
    }
    return load_tree(text, base_display);
  }

  void check_version(const Node& root, const std::string& display) {
    const Node* v = root.find("geosim");
    if (!v) {
      diags_.add(SourceLoc{display, root.loc.line, root.loc.column},
                 "no 'geosim' key; expected geosim: 1 (the format version) at the top level");
      return;
    }
    if (!(v->is_scalar() && v->plain && v->scalar == "1")) {
      diags_.add(v->loc, "geosim is " + loader::describe(*v) +
                             "; expected 1 (this program reads format version 1)");
    }
  }

  void apply_removes(Node& merged, const Node& removes) {
    if (removes.is_null()) return;
    if (!removes.is_seq()) {
      diags_.add(removes.loc, "remove is " + loader::describe(removes) +
                                  "; expected a list of section.name entries");
      return;
    }
    for (size_t i = 0; i < removes.items.size(); ++i) {
      const Node& item = removes.items[i];
      std::string path = "remove[" + std::to_string(i) + "]";
      if (!item.is_scalar()) {
        diags_.add(item.loc, path + " is " + loader::describe(item) + "; expected section.name");
        continue;
      }
      remove_one(merged, item);
    }
  }

  void remove_one(Node& merged, const Node& item) {
    const std::string& entry = item.scalar;
    size_t dot = entry.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == entry.size()) {
      diags_.add(item.text_loc, "remove entry '" + entry +
                                    "' is not section.name; expected for example actors.us");
      return;
    }
    std::string section = entry.substr(0, dot), name = entry.substr(dot + 1);
    if (std::find(kRemovableSections.begin(), kRemovableSections.end(), section) ==
        kRemovableSections.end()) {
      std::string hint = did_you_mean(section, kRemovableSections);
      if (hint.empty()) hint = "; expected one of " + quoted_list(kRemovableSections);
      diags_.add(item.text_loc,
                 "unknown section '" + section + "' in remove entry '" + entry + "'" + hint);
      return;
    }
    int sec = merged.index_of(section);
    Node* map = sec >= 0 ? &merged.items[static_cast<size_t>(sec)] : nullptr;
    int at = (map && map->is_map()) ? map->index_of(name) : -1;
    if (at < 0) {
      std::vector<std::string> candidates;
      if (map && map->is_map()) {
        for (const auto& k : map->keys) candidates.push_back(section + "." + k);
      }
      std::string hint = did_you_mean(entry, candidates);
      diags_.add(item.text_loc, "remove entry '" + entry + "' names no " + singular(section) +
                                    " (after merging); expected an existing " + singular(section) +
                                    hint);
      return;
    }
    map->erase(static_cast<size_t>(at));
    if (section == "actors") {
      drop_relation_entries(merged, name);
      drop_bargaining_entries(merged, name);
    }
  }

  // An issue set lists its actors by id: a removed actor leaves every issue set.
  static void drop_bargaining_entries(Node& merged, const std::string& actor) {
    int b = merged.index_of("bargaining");
    if (b < 0 || !merged.items[static_cast<size_t>(b)].is_map()) return;
    for (Node& set : merged.items[static_cast<size_t>(b)].items) {
      if (!set.is_map()) continue;
      int a = set.index_of("actors");
      if (a < 0) continue;
      Node& actors = set.items[static_cast<size_t>(a)];
      if (!actors.is_map()) continue;
      if (int at = actors.index_of(actor); at >= 0) actors.erase(static_cast<size_t>(at));
    }
  }

  // Relations are the one place an actor id is a key outside `actors`.
  static void drop_relation_entries(Node& merged, const std::string& actor) {
    int r = merged.index_of("relations");
    if (r < 0 || !merged.items[static_cast<size_t>(r)].is_map()) return;
    for (Node& rel : merged.items[static_cast<size_t>(r)].items) {
      if (!rel.is_map()) continue;
      if (int row = rel.index_of(actor); row >= 0) rel.erase(static_cast<size_t>(row));
      for (Node& row : rel.items) {
        if (!row.is_map()) continue;
        if (int col = row.index_of(actor); col >= 0) row.erase(static_cast<size_t>(col));
      }
    }
  }

  // Reports in reading order: by file (the user's first), then line and column.
  void throw_sorted() const {
    if (diags_.empty()) return;
    std::vector<Diagnostic> items = diags_.items();
    auto rank = [&](const Diagnostic& d) {
      auto it = std::find(files_.begin(), files_.end(), d.loc.file);
      return std::tuple(it - files_.begin(), d.loc.line, d.loc.column);
    };
    std::stable_sort(items.begin(), items.end(),
                     [&](const Diagnostic& a, const Diagnostic& b) { return rank(a) < rank(b); });
    throw UserError(std::move(items));
  }

  DiagnosticList diags_;
  std::vector<std::string> files_;
  std::vector<ChainLink> chain_;
};

}  // namespace

ScenarioSpec load_scenario_spec(const std::string& path) {
  std::string text = read_text(path, SourceLoc{path, 0, 0}, "");
  return Loader().load(text, path);
}

ScenarioSpec load_scenario_spec_from_string(const std::string& text,
                                            const std::string& display_path) {
  return Loader().load(text, display_path);
}

}  // namespace geosim
