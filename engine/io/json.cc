#include "io/json.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <unordered_set>

#include "core/text.h"
#include "io/number.h"
#include "io/read_file.h"

namespace geosim::io {

// ---------------------------------------------------------------- writing

std::string json_quote(std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  std::string q;
  q.reserve(s.size() + 2);
  q += '"';
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        q += "\\\"";
        break;
      case '\\':
        q += "\\\\";
        break;
      case '\b':
        q += "\\b";
        break;
      case '\f':
        q += "\\f";
        break;
      case '\n':
        q += "\\n";
        break;
      case '\r':
        q += "\\r";
        break;
      case '\t':
        q += "\\t";
        break;
      default:
        if (c < 0x20) {
          q += "\\u00";
          q += kHex[c >> 4];
          q += kHex[c & 15];
        } else {
          q += ch;
        }
    }
  }
  q += '"';
  return q;
}

namespace {
constexpr size_t kFoldWidth = 100;  // longest line an all-scalar array may fold onto
}

void JsonWriter::newline_indent(size_t depth) {
  out_ += '\n';
  out_.append(2 * depth, ' ');
}

void JsonWriter::before_value(bool is_container) {
  GEOSIM_ASSERT(!done_, "JsonWriter: a value after the document was complete");
  if (stack_.empty()) return;
  Frame& top = stack_.back();
  if (!top.is_array) {
    GEOSIM_ASSERT(key_pending_, "JsonWriter: a value inside an object without a key");
    key_pending_ = false;
    return;
  }
  if (top.count > 0) out_ += ',';
  newline_indent(stack_.size());
  ++top.count;
  if (is_container) top.all_scalars = false;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  GEOSIM_ASSERT(!stack_.empty() && !stack_.back().is_array && !key_pending_,
                "JsonWriter: a key outside an object or twice in a row");
  Frame& top = stack_.back();
  if (top.count > 0) out_ += ',';
  newline_indent(stack_.size());
  ++top.count;
  out_ += json_quote(name);
  out_ += ": ";
  key_pending_ = true;
  return *this;
}

JsonWriter& JsonWriter::raw_scalar(std::string text) {
  before_value(false);
  out_ += text;
  if (stack_.empty()) {
    done_ = true;
    out_ += '\n';
  } else if (stack_.back().is_array) {
    stack_.back().tokens.push_back(std::move(text));
  }
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view s) { return raw_scalar(json_quote(s)); }

JsonWriter& JsonWriter::value(double x) {
  GEOSIM_ASSERT(std::isfinite(x), "JsonWriter: JSON cannot hold a non-finite number");
  return raw_scalar(format_double(x));
}

JsonWriter& JsonWriter::value(bool b) { return raw_scalar(b ? "true" : "false"); }

JsonWriter& JsonWriter::null() { return raw_scalar("null"); }

JsonWriter& JsonWriter::begin_object() {
  before_value(true);
  out_ += '{';
  stack_.push_back(Frame{});
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  before_value(true);
  Frame f;
  f.is_array = true;
  f.start = out_.size();
  out_ += '[';
  stack_.push_back(std::move(f));
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  GEOSIM_ASSERT(!stack_.empty() && !stack_.back().is_array && !key_pending_,
                "JsonWriter: end_object without a matching begin_object, or after a key");
  size_t count = stack_.back().count;
  stack_.pop_back();
  if (count > 0) newline_indent(stack_.size());
  out_ += '}';
  if (stack_.empty()) {
    done_ = true;
    out_ += '\n';
  }
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  GEOSIM_ASSERT(!stack_.empty() && stack_.back().is_array,
                "JsonWriter: end_array without a matching begin_array");
  Frame f = std::move(stack_.back());
  stack_.pop_back();
  bool folded = false;
  if (f.count > 0 && f.all_scalars) {
    std::string line = "[";
    for (size_t i = 0; i < f.tokens.size(); ++i) {
      if (i) line += ", ";
      line += f.tokens[i];
    }
    line += ']';
    size_t line_start = out_.rfind('\n', f.start);
    line_start = line_start == std::string::npos ? 0 : line_start + 1;
    if (f.start - line_start + line.size() <= kFoldWidth) {
      out_.resize(f.start);
      out_ += line;
      folded = true;
    }
  }
  if (!folded) {
    if (f.count > 0) newline_indent(stack_.size());
    out_ += ']';
  }
  if (stack_.empty()) {
    done_ = true;
    out_ += '\n';
  }
  return *this;
}

const std::string& JsonWriter::str() const {
  GEOSIM_ASSERT(done_ && stack_.empty(), "JsonWriter: document is incomplete");
  return out_;
}

// ---------------------------------------------------------------- values

const char* JsonValue::type_name(Type t) {
  switch (t) {
    case Type::kNull:
      return "null";
    case Type::kBool:
      return "a boolean";
    case Type::kNumber:
      return "a number";
    case Type::kString:
      return "a string";
    case Type::kArray:
      return "an array";
    case Type::kObject:
      return "an object";
  }
  return "?";
}

SourceLoc JsonValue::loc() const {
  return SourceLoc{file_ ? *file_ : std::string(), line_, column_};
}

void JsonValue::wrong_type(const char* expected) const {
  throw UserError(loc(), std::string("expected ") + expected + ", found " + type_name(type_));
}

bool JsonValue::as_bool() const {
  if (!is_bool()) wrong_type("a boolean");
  return bool_;
}

double JsonValue::as_double() const {
  if (!is_number()) wrong_type("a number");
  return number_;
}

int64_t JsonValue::as_int64() const {
  if (!is_number()) wrong_type("an integer");
  if (auto v = try_parse_int64(text_)) return *v;
  throw UserError(loc(), "expected an integer, found " + text_);
}

const std::string& JsonValue::as_string() const {
  if (!is_string()) wrong_type("a string");
  return text_;
}

const std::string& JsonValue::number_text() const {
  if (!is_number()) wrong_type("a number");
  return text_;
}

const std::vector<JsonValue>& JsonValue::items() const {
  if (!is_array()) wrong_type("an array");
  return items_;
}

const std::vector<JsonValue::Member>& JsonValue::members() const {
  if (!is_object()) wrong_type("an object");
  return members_;
}

size_t JsonValue::size() const {
  if (is_array()) return items_.size();
  return members().size();
}

const JsonValue* JsonValue::find(std::string_view key) const {
  if (!is_object()) return nullptr;
  for (const Member& m : members_) {
    if (m.first == key) return &m.second;
  }
  return nullptr;
}

const JsonValue& JsonValue::operator[](std::string_view key) const {
  if (!is_object()) wrong_type("an object");
  if (const JsonValue* v = find(key)) return *v;
  std::vector<std::string> keys;
  for (const Member& m : members_) keys.push_back(m.first);
  throw UserError(loc(), "missing key '" + std::string(key) + "'" + did_you_mean(key, keys));
}

const JsonValue& JsonValue::at(size_t i) const {
  if (!is_array()) wrong_type("an array");
  if (i >= items_.size()) {
    throw UserError(loc(), "expected at least " + std::to_string(i + 1) + " elements, found " +
                               std::to_string(items_.size()));
  }
  return items_[i];
}

// ---------------------------------------------------------------- parsing

class JsonParser {
 public:
  JsonParser(std::string_view text, const std::string& path)
      : text_(text), file_(std::make_shared<const std::string>(path)) {}

  JsonValue parse_document() {
    skip_ws();
    JsonValue v = parse_value(0);
    skip_ws();
    if (pos_ < text_.size()) fail(" after the end of the document; expected nothing more");
    return v;
  }

 private:
  static constexpr int kMaxDepth = 256;

  int column() const { return static_cast<int>(pos_ - line_start_) + 1; }

  std::string found() const {
    if (pos_ >= text_.size()) return "end of input";
    unsigned char c = static_cast<unsigned char>(text_[pos_]);
    if (c >= 0x20 && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
    static const char kHex[] = "0123456789ABCDEF";
    return std::string("byte 0x") + kHex[c >> 4] + kHex[c & 15];
  }

  [[noreturn]] void fail_at(int line, int col, const std::string& msg) const {
    throw UserError(SourceLoc{*file_, line, col}, msg);
  }
  // "unexpected <found><context>"; context starts with "; " or a space.
  [[noreturn]] void fail(const std::string& context) const {
    fail_at(line_, column(), "unexpected " + found() + context);
  }

  void skip_ws() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '\n') {
        ++pos_;
        ++line_;
        line_start_ = pos_;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++pos_;
      } else {
        break;
      }
    }
  }

  bool consume_literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  JsonValue parse_value(int depth) {
    JsonValue v;
    v.file_ = file_;
    v.line_ = line_;
    v.column_ = column();
    if (pos_ >= text_.size()) fail("; expected a value");
    char c = text_[pos_];
    if (c == '{') {
      if (depth >= kMaxDepth) fail_at(line_, column(), "nesting deeper than 256 levels");
      parse_object(v, depth + 1);
    } else if (c == '[') {
      if (depth >= kMaxDepth) fail_at(line_, column(), "nesting deeper than 256 levels");
      parse_array(v, depth + 1);
    } else if (c == '"') {
      v.type_ = JsonValue::Type::kString;
      v.text_ = parse_string();
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      parse_number(v);
    } else if (consume_literal("true")) {
      v.type_ = JsonValue::Type::kBool;
      v.bool_ = true;
    } else if (consume_literal("false")) {
      v.type_ = JsonValue::Type::kBool;
    } else if (consume_literal("null")) {
      v.type_ = JsonValue::Type::kNull;
    } else {
      fail("; expected a value (object, array, string, number, true, false or null)");
    }
    return v;
  }

  void parse_object(JsonValue& v, int depth) {
    v.type_ = JsonValue::Type::kObject;
    ++pos_;  // '{'
    skip_ws();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return;
    }
    std::unordered_set<std::string> seen;
    for (;;) {
      if (pos_ >= text_.size() || text_[pos_] != '"') fail("; expected a key in double quotes");
      int key_line = line_, key_col = column();
      std::string key = parse_string();
      if (!seen.insert(key).second) fail_at(key_line, key_col, "duplicate key '" + key + "'");
      skip_ws();
      if (pos_ >= text_.size() || text_[pos_] != ':') fail("; expected ':' after the key");
      ++pos_;
      skip_ws();
      JsonValue member = parse_value(depth);
      v.members_.emplace_back(std::move(key), std::move(member));
      skip_ws();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        skip_ws();
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '}') {
        ++pos_;
        return;
      }
      fail("; expected ',' or '}' in an object");
    }
  }

  void parse_array(JsonValue& v, int depth) {
    v.type_ = JsonValue::Type::kArray;
    ++pos_;  // '['
    skip_ws();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return;
    }
    for (;;) {
      v.items_.push_back(parse_value(depth));
      skip_ws();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        skip_ws();
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        return;
      }
      fail("; expected ',' or ']' in an array");
    }
  }

  static bool is_digit(char c) { return c >= '0' && c <= '9'; }

  void parse_number(JsonValue& v) {
    size_t start = pos_;
    int col = column();
    auto digits = [&] {
      size_t n = 0;
      while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_, ++n;
      return n;
    };
    if (text_[pos_] == '-') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '0') {
      ++pos_;
      if (pos_ < text_.size() && is_digit(text_[pos_]))
        fail("; a number may not have a leading zero");
    } else if (digits() == 0) {
      fail("; expected a digit");
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (digits() == 0) fail("; expected a digit after '.'");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (digits() == 0) fail("; expected a digit in the exponent");
    }
    v.type_ = JsonValue::Type::kNumber;
    v.text_ = std::string(text_.substr(start, pos_ - start));
    std::optional<double> x = try_parse_double(v.text_);
    if (!x) fail_at(line_, col, "number " + v.text_ + " is beyond the range of a double");
    v.number_ = *x;
  }

  unsigned parse_hex4() {
    if (pos_ + 4 > text_.size()) {
      pos_ = text_.size();
      fail("; expected four hex digits after \\u");
    }
    unsigned u = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text_[pos_];
      unsigned d;
      if (c >= '0' && c <= '9')
        d = c - '0';
      else if (c >= 'a' && c <= 'f')
        d = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        d = c - 'A' + 10;
      else
        fail("; expected four hex digits after \\u");
      u = u * 16 + d;
      ++pos_;
    }
    return u;
  }

  static void append_utf8(std::string& s, unsigned cp) {
    if (cp < 0x80) {
      s += static_cast<char>(cp);
    } else if (cp < 0x800) {
      s += static_cast<char>(0xC0 | (cp >> 6));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      s += static_cast<char>(0xE0 | (cp >> 12));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      s += static_cast<char>(0xF0 | (cp >> 18));
      s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  std::string parse_string() {
    int open_line = line_, open_col = column();
    ++pos_;  // opening quote
    std::string s;
    for (;;) {
      if (pos_ >= text_.size()) {
        fail_at(open_line, open_col, "unterminated string; expected a closing '\"'");
      }
      char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return s;
      }
      if (static_cast<unsigned char>(c) < 0x20) {
        fail(" in a string; control characters must be escaped (\\n, \\t, \\u00XX)");
      }
      if (c != '\\') {
        s += c;
        ++pos_;
        continue;
      }
      int esc_col = column();
      ++pos_;
      if (pos_ >= text_.size()) fail(" after '\\'; expected an escape");
      char e = text_[pos_++];
      switch (e) {
        case '"':
          s += '"';
          break;
        case '\\':
          s += '\\';
          break;
        case '/':
          s += '/';
          break;
        case 'b':
          s += '\b';
          break;
        case 'f':
          s += '\f';
          break;
        case 'n':
          s += '\n';
          break;
        case 'r':
          s += '\r';
          break;
        case 't':
          s += '\t';
          break;
        case 'u': {
          unsigned cp = parse_hex4();
          if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail_at(line_, esc_col,
                    "lone low surrogate \\u escape; expected a high surrogate first");
          }
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (text_.substr(pos_, 2) != "\\u") {
              fail_at(line_, esc_col,
                      "high surrogate \\u escape not followed by a low surrogate \\u escape");
            }
            pos_ += 2;
            unsigned lo = parse_hex4();
            if (lo < 0xDC00 || lo > 0xDFFF) {
              fail_at(line_, esc_col,
                      "high surrogate \\u escape not followed by a low surrogate \\u escape");
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          append_utf8(s, cp);
          break;
        }
        default:
          --pos_;
          fail(" after '\\'; expected one of \" \\ / b f n r t u");
      }
    }
  }

  std::string_view text_;
  std::shared_ptr<const std::string> file_;
  size_t pos_ = 0;
  int line_ = 1;
  size_t line_start_ = 0;
};

JsonValue parse_json(std::string_view text, const std::string& display_path) {
  return JsonParser(text, display_path).parse_document();
}

JsonValue read_json(const std::string& path) {
  InputFile how;
  how.expected = "a JSON file";
  return parse_json(read_input(path, how), path);
}

}  // namespace geosim::io
