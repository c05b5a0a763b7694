// Just enough JSON for manifest.json: a writer that produces stable, diff-friendly text
// and a small DOM reader for `report` and `merge`. No third-party JSON library, because
// the needs are small and the error messages must follow the house grammar
// (file:line:column, what was found, what was expected).
#pragma once

#include <concepts>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace geosim::io {

// `s` as a JSON string literal, quotes included. '"', '\\' and control characters are
// escaped (\n, \t, ... or \u00XX); every other byte, UTF-8 included, passes through as is.
std::string json_quote(std::string_view s);

// Builds JSON text in one pass. Layout: two-space indentation, one member per line in
// objects; arrays whose elements are all scalars stay on one line ("[1, 2, 3]") when that
// line is short, so that long parameter lists remain readable. Numbers use format_double,
// so they read back exactly. Misuse (a value where a key is due, unbalanced ends, a
// non-finite double, which JSON cannot hold) is a bug and asserts.
class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view s);
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(double x);
  JsonWriter& value(bool b);
  template <std::integral T>
  requires(!std::same_as<T, bool>) JsonWriter& value(T n) { return raw_scalar(std::to_string(n)); }
  JsonWriter& null();

  // key(name) followed by value(v).
  template <typename T>
  JsonWriter& member(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }

  // The finished text, ending with a newline. Asserts that every container was closed.
  const std::string& str() const;

 private:
  struct Frame {
    bool is_array = false;
    size_t count = 0;                 // elements or members written so far
    size_t start = 0;                 // offset of '[' in out_ (arrays)
    bool all_scalars = true;          // arrays: may be folded onto one line
    std::vector<std::string> tokens;  // arrays: the scalar texts, for folding
  };
  JsonWriter& raw_scalar(std::string text);
  void before_value(bool is_container);
  void newline_indent(size_t depth);

  std::string out_;
  std::vector<Frame> stack_;
  bool key_pending_ = false;
  bool done_ = false;
};

// A parsed JSON value. Objects keep their members in file order; duplicate keys are
// rejected by the parser. Accessors that find the wrong type throw UserError at the
// value's position ("expected a string, found a number"), because a manifest with a
// wrong type is a damaged input file, not a bug.
class JsonValue {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  using Member = std::pair<std::string, JsonValue>;

  JsonValue() = default;

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_bool() const { return type_ == Type::kBool; }
  bool is_number() const { return type_ == Type::kNumber; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_object() const { return type_ == Type::kObject; }

  bool as_bool() const;
  double as_double() const;
  // A number written as an integer that fits in int64 (checked on the literal text, so
  // values beyond 2^53 are exact).
  int64_t as_int64() const;
  const std::string& as_string() const;
  // The number exactly as written in the file.
  const std::string& number_text() const;

  // Arrays: the elements. Objects: the members in file order.
  const std::vector<JsonValue>& items() const;
  const std::vector<Member>& members() const;
  // Number of elements or members; asserts the type as items()/members() do.
  size_t size() const;

  // Objects: the member called `key`, or nullptr when absent (or when this is not an
  // object — find never throws).
  const JsonValue* find(std::string_view key) const;
  // Objects: the member called `key`; a missing key is a UserError at this object's
  // position, naming the nearest keys.
  const JsonValue& operator[](std::string_view key) const;
  // Arrays: element i; out of range is a UserError.
  const JsonValue& at(size_t i) const;

  // Where the value starts in its file.
  SourceLoc loc() const;
  // "null", "a boolean", "a number", "a string", "an array", "an object".
  static const char* type_name(Type t);

 private:
  friend class JsonParser;
  [[noreturn]] void wrong_type(const char* expected) const;

  Type type_ = Type::kNull;
  bool bool_ = false;
  double number_ = 0;
  std::string text_;  // string value or number literal
  std::vector<JsonValue> items_;
  std::vector<Member> members_;
  std::shared_ptr<const std::string> file_;
  int line_ = 0;
  int column_ = 0;
};

// Parses one JSON document (RFC 8259): null, booleans, numbers, strings with every escape
// including \u surrogate pairs (decoded to UTF-8), arrays and objects, surrounded by
// optional whitespace. Throws UserError at line:column (1-based; columns count bytes) on
// malformed text, a lone surrogate, a raw control character in a string, a duplicate
// key, a number beyond the double range, or nesting deeper than 256.
JsonValue parse_json(std::string_view text, const std::string& display_path);

// read_file + parse_json.
JsonValue read_json(const std::string& path);

}  // namespace geosim::io
