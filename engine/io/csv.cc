#include "io/csv.h"

#include "core/text.h"
#include "io/read_file.h"

namespace geosim::io {

std::string csv_field(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string s;
  s.reserve(field.size() + 2);
  s += '"';
  for (char c : field) {
    if (c == '"') s += '"';
    s += c;
  }
  s += '"';
  return s;
}

std::string csv_line(const std::vector<std::string>& fields) {
  if (fields.size() == 1 && fields[0].empty()) return "\"\"";
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) line += ',';
    line += csv_field(fields[i]);
  }
  return line;
}

void CsvWriter::row(const std::vector<std::string>& fields) { out_ << csv_line(fields) << '\n'; }

int CsvTable::column(std::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

int CsvTable::require_column(std::string_view name) const {
  int c = column(name);
  if (c >= 0) return c;
  throw UserError(SourceLoc{path, 1, 0},
                  "missing column '" + std::string(name) + "'" + did_you_mean(name, header));
}

SourceLoc CsvTable::row_loc(size_t row) const {
  return SourceLoc{path, row < row_lines.size() ? row_lines[row] : 0, 0};
}

namespace {

// A hand-written scanner: one pass, tracking line and column for messages.
class CsvParser {
 public:
  CsvParser(std::string_view text, const std::string& path) : text_(text), path_(path) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") text_.remove_prefix(3);
  }

  CsvTable parse() {
    CsvTable table;
    table.path = path_;
    std::vector<std::string> record;
    bool have_header = false;
    while (pos_ < text_.size()) {
      int start_line = line_;
      if (!read_record(record)) continue;  // blank line
      if (!have_header) {
        table.header = std::move(record);
        have_header = true;
      } else {
        if (record.size() != table.header.size()) {
          throw UserError(SourceLoc{path_, start_line, 0},
                          "row has " + std::to_string(record.size()) + " field" +
                              (record.size() == 1 ? "" : "s") + "; expected " +
                              std::to_string(table.header.size()) + " as in the header");
        }
        table.rows.push_back(std::move(record));
        table.row_lines.push_back(start_line);
      }
      record = {};
    }
    if (!have_header) {
      throw UserError(SourceLoc{path_, 0, 0}, "empty CSV file; expected a header line");
    }
    return table;
  }

 private:
  char peek() const { return text_[pos_]; }
  bool at_end() const { return pos_ >= text_.size(); }
  void advance() {
    if (text_[pos_] == '\n') {
      ++line_;
      col_ = 1;
    } else {
      ++col_;
    }
    ++pos_;
  }
  bool at_line_end() const {
    return at_end() || peek() == '\n' ||
           (peek() == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n');
  }
  void skip_line_end() {
    if (at_end()) return;
    if (peek() == '\r') advance();
    advance();
  }
  [[noreturn]] void fail(int line, int col, const std::string& msg) const {
    throw UserError(SourceLoc{path_, line, col}, msg);
  }

  // Reads one record into `fields`; false for a blank line (consumed, nothing read).
  bool read_record(std::vector<std::string>& fields) {
    if (at_line_end()) {
      skip_line_end();
      return false;
    }
    for (;;) {
      fields.push_back(read_field());
      if (at_line_end()) {
        skip_line_end();
        return true;
      }
      GEOSIM_ASSERT(peek() == ',', "CSV field ended without a separator");
      advance();
    }
  }

  std::string read_field() {
    std::string field;
    if (!at_end() && peek() == '"') {
      int open_line = line_, open_col = col_;
      advance();
      for (;;) {
        if (at_end())
          fail(open_line, open_col, "unterminated quoted field; expected a closing '\"'");
        char c = peek();
        if (c == '"') {
          advance();
          if (!at_end() && peek() == '"') {
            field += '"';
            advance();
            continue;
          }
          break;
        }
        field += c;
        advance();
      }
      if (!at_end() && peek() != ',' && !at_line_end()) {
        fail(line_, col_,
             std::string("unexpected '") + peek() +
                 "' after a closing quote; expected ',' or the end of the line");
      }
      return field;
    }
    while (!at_end() && peek() != ',' && !at_line_end()) {
      char c = peek();
      if (c == '"') {
        fail(line_, col_,
             "'\"' inside an unquoted field; expected the whole field in quotes with inner "
             "quotes doubled");
      }
      if (c == '\r') fail(line_, col_, "carriage return not followed by a line feed");
      field += c;
      advance();
    }
    return field;
  }

  std::string_view text_;
  const std::string& path_;
  size_t pos_ = 0;
  int line_ = 1;
  int col_ = 1;
};

}  // namespace

CsvTable parse_csv(std::string_view text, const std::string& display_path) {
  check_text_input(text, display_path, "a CSV text file in UTF-8");
  return CsvParser(text, display_path).parse();
}

CsvTable read_csv(const std::string& path) {
  InputFile how;
  how.expected = "a CSV file";
  return parse_csv(read_input(path, how), path);
}

}  // namespace geosim::io
