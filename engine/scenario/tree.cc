#include "scenario/tree.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <cstdio>
#include <map>
#include <sstream>
#include <unordered_map>

#include "core/text.h"

namespace geosim::loader {

int Node::index_of(std::string_view key) const {
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] == key) return static_cast<int>(i);
  }
  return -1;
}

const Node* Node::find(std::string_view key) const {
  int i = index_of(key);
  return i < 0 ? nullptr : &items[static_cast<size_t>(i)];
}

void Node::erase(size_t index) {
  keys.erase(keys.begin() + static_cast<std::ptrdiff_t>(index));
  key_locs.erase(key_locs.begin() + static_cast<std::ptrdiff_t>(index));
  items.erase(items.begin() + static_cast<std::ptrdiff_t>(index));
}

namespace {

// Aliases copy the anchored subtree; past this many nodes, or this many bytes of scalars,
// a file is refused, so that a "billion laughs" file cannot exhaust memory (nor a few
// aliases of a long string). The bytes bound equals the file size limit: a file without
// aliases never reaches it.
constexpr size_t kMaxNodes = 1'000'000;
constexpr size_t kMaxBytes = size_t{64} << 20;

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (true) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

// Refuses bytes that cannot be YAML text: NUL, other control characters, invalid UTF-8.
void check_text(std::string_view text, const std::string& file) {
  int line = 1, col = 1;
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    size_t n = utf8_length(text, i);
    bool control = c < 0x20 && c != '\n' && c != '\r' && c != '\t';
    if (n == 0 || control || c == 0x7F) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", c);
      throw UserError(SourceLoc{file, line, col}, std::string("binary data (byte ") + hex +
                                                      "); expected a YAML text file in UTF-8");
    }
    if (c == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
    i += n;
  }
}

class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(std::string_view text, const std::string& file, DiagnosticList& diags)
      : lines_(split_lines(text)), file_(file), diags_(diags) {}

  bool has_root() const { return has_root_; }
  Node take_root() { return std::move(root_); }
  SourceLoc second_document() const { return second_doc_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    ++documents_;
    if (documents_ == 2) second_doc_ = loc(mark);
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Node n;
    n.loc = n.text_loc = loc(mark);
    complete(std::move(n), anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      throw UserError(loc(mark), "an alias to an unknown anchor; expected a defined &anchor");
    }
    count(it->second.size, mark, it->second.bytes);
    complete(it->second, 0);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    Node n;
    n.kind = NodeKind::kScalar;
    n.loc = loc(mark);
    n.text_loc = text_loc(mark);
    n.scalar = value;
    n.plain = (tag == "?");
    // The bytes of the file were checked (check_text), but escapes in quoted text ("\0",
    // "\e", "\x9b") make control characters only now: refused, and replaced by their
    // escaped form so that no later message carries them.
    if (auto bad = find_control_character(value)) {
      diags_.add(n.loc, "the quoted text holds " +
                            (bad->invalid_utf8 ? bad->name() + ", not UTF-8,"
                                               : "the control character " + bad->name()) +
                            " (written as an escape such as \\0 or \\e); expected printable text");
      n.scalar = printable(value);
    }
    n.bytes = value.size();
    count(1, mark, n.bytes);
    complete(std::move(n), anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    start(NodeKind::kSeq, mark, anchor);
  }
  void OnSequenceEnd() override { end(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    start(NodeKind::kMap, mark, anchor);
  }
  void OnMapEnd() override { end(); }

 private:
  struct Frame {
    Node node;
    YAML::anchor_t anchor = 0;
    bool have_key = false;
    bool skip_value = false;  // the key was a duplicate
    std::string key;
    SourceLoc key_loc;
    std::unordered_map<std::string, size_t> seen;  // key -> index, for duplicate checks
  };

  SourceLoc loc(const YAML::Mark& m) const { return SourceLoc{file_, m.line + 1, m.column + 1}; }

  // The first character of a scalar's value: past any anchor or tag, after an opening
  // quote, and for a block scalar (| or >) the first non-blank character of its first line.
  SourceLoc text_loc(const YAML::Mark& m) const {
    size_t line = static_cast<size_t>(m.line), col = static_cast<size_t>(m.column);
    if (line >= lines_.size()) return loc(m);
    auto at = [&](size_t l, size_t c) { return c < lines_[l].size() ? lines_[l][c] : '\n'; };
    auto skip_blanks = [&] {
      while (line < lines_.size()) {
        while (at(line, col) == ' ' || at(line, col) == '\t') ++col;
        if (at(line, col) != '\n' && at(line, col) != '\r') return;
        ++line;
        col = 0;
      }
    };
    while (line < lines_.size() && (at(line, col) == '&' || at(line, col) == '!')) {
      while (at(line, col) != '\n' && at(line, col) != ' ' && at(line, col) != '\t') ++col;
      skip_blanks();
    }
    if (line >= lines_.size()) return loc(m);
    char c = at(line, col);
    if (c == '"' || c == '\'') {
      ++col;
    } else if (c == '|' || c == '>') {
      ++line;
      col = 0;
      skip_blanks();
      if (line >= lines_.size()) return loc(m);
    }
    return SourceLoc{file_, static_cast<int>(line) + 1, static_cast<int>(col) + 1};
  }

  void count(size_t n, const YAML::Mark& mark, size_t bytes = 0) {
    total_ += n;
    total_bytes_ += bytes;
    if (total_ > kMaxNodes) {
      throw UserError(loc(mark), "more than " + std::to_string(kMaxNodes) +
                                     " YAML nodes once aliases are expanded; expected a "
                                     "scenario of reasonable size");
    }
    if (total_bytes_ > kMaxBytes) {
      throw UserError(loc(mark), "more than " + std::to_string(kMaxBytes) +
                                     " bytes once aliases are expanded (64 MiB, the limit of a "
                                     "file); expected a scenario of reasonable size");
    }
  }

  void start(NodeKind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    count(1, mark);
    Frame f;
    f.node.kind = kind;
    f.node.loc = f.node.text_loc = loc(mark);
    f.anchor = anchor;
    stack_.push_back(std::move(f));
  }

  void end() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    complete(std::move(f.node), f.anchor);
  }

  void complete(Node n, YAML::anchor_t anchor) {
    if (anchor != 0) anchors_[anchor] = n;
    if (stack_.empty()) {
      if (documents_ == 1) {
        root_ = std::move(n);
        has_root_ = true;
      }
      return;
    }
    Frame& f = stack_.back();
    f.node.size += n.size;
    f.node.bytes += n.bytes;
    if (f.node.kind == NodeKind::kSeq) {
      f.node.items.push_back(std::move(n));
      return;
    }
    if (!f.have_key) {
      f.have_key = true;
      f.key_loc = n.loc;
      f.skip_value = false;
      if (!n.is_scalar()) {
        diags_.add(n.loc, describe(n) + " used as a key; expected a name");
        f.skip_value = true;
        return;
      }
      f.key = n.scalar;
      auto [it, inserted] = f.seen.emplace(f.key, f.node.keys.size());
      if (!inserted) {
        diags_.add(n.loc, "duplicate key '" + f.key + "' (first at line " +
                              std::to_string(f.node.key_locs[it->second].line) +
                              "); expected each key once in a mapping");
        f.skip_value = true;
      }
      return;
    }
    f.have_key = false;
    if (f.skip_value) return;
    f.node.keys.push_back(f.key);
    f.node.key_locs.push_back(f.key_loc);
    f.node.items.push_back(std::move(n));
  }

  std::vector<std::string_view> lines_;
  std::string file_;
  DiagnosticList& diags_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, Node> anchors_;
  Node root_;
  bool has_root_ = false;
  int documents_ = 0;
  SourceLoc second_doc_;
  size_t total_ = 0;
  size_t total_bytes_ = 0;
};

std::string shorten(const std::string& s) {
  std::string out = s.size() > 40 ? s.substr(0, 37) + "..." : s;
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return out;
}

}  // namespace

Node parse_yaml(const std::string& text_in, const std::string& file, DiagnosticList& diags) {
  std::string_view text = text_in;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  check_text(text, file);
  std::istringstream in{std::string(text)};
  TreeBuilder builder(text, file, diags);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
      if (builder.second_document().known()) {
        throw UserError(builder.second_document(),
                        "a second YAML document; expected one document per file");
      }
    }
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own message for this is "bad file".
    throw UserError(SourceLoc{file, e.mark.line + 1, e.mark.column + 1},
                    "YAML syntax error (mappings and lists nested more than about 500 levels "
                    "deep); expected a scenario of reasonable depth");
  } catch (const YAML::Exception& e) {
    SourceLoc where{file, e.mark.is_null() ? 0 : e.mark.line + 1,
                    e.mark.is_null() ? 0 : e.mark.column + 1};
    throw UserError(where, "YAML syntax error (" + e.msg + "); expected well-formed YAML");
  }
  Node root = builder.has_root() ? builder.take_root() : Node{};
  if (root.is_null()) {
    throw UserError(SourceLoc{file, 1, 1},
                    "the file is empty; expected a mapping with geosim: 1, scenario: and the "
                    "rest of a scenario");
  }
  return root;
}

Node merge(const Node& base, const Node& child) {
  if (!base.is_map() || !child.is_map()) return child;
  Node out = base;
  std::unordered_map<std::string_view, size_t> index;
  for (size_t i = 0; i < base.keys.size(); ++i) index.emplace(base.keys[i], i);
  for (size_t j = 0; j < child.keys.size(); ++j) {
    if (auto it = index.find(child.keys[j]); it != index.end()) {
      out.items[it->second] = merge(out.items[it->second], child.items[j]);
    } else {
      out.keys.push_back(child.keys[j]);
      out.key_locs.push_back(child.key_locs[j]);
      out.items.push_back(child.items[j]);
    }
  }
  return out;
}

std::string describe(const Node& node) {
  switch (node.kind) {
    case NodeKind::kNull:
      return "nothing";
    case NodeKind::kMap:
      return "a mapping";
    case NodeKind::kSeq:
      return "a list";
    case NodeKind::kScalar:
      break;
  }
  if (node.plain) return "'" + shorten(node.scalar) + "'";
  return "the quoted text \"" + shorten(node.scalar) + "\"";
}

}  // namespace geosim::loader
