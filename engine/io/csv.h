// CSV as RFC 4180 describes it: comma-separated, fields quoted only when they hold a
// comma, a double quote, CR or LF (quotes inside doubled). geosim writes LF line endings
// and reads LF or CRLF. Every output table (summary.csv, compare.csv, ...) goes through
// CsvWriter so that quoting is never forgotten; every input table goes through parse_csv
// so that a malformed file is a UserError with file:line, never a silent misread.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace geosim::io {

// `field` as it must appear in a CSV line: unchanged when it holds no comma, quote, CR or
// LF, otherwise wrapped in double quotes with inner quotes doubled.
std::string csv_field(std::string_view field);

// The fields joined by commas, each through csv_field, without a line ending. A row made
// of one empty field is written as "" so that it cannot be mistaken for a blank line.
std::string csv_line(const std::vector<std::string>& fields);

// Writes rows to a stream, one line each, ended by "\n". Stream errors are the caller's
// to check (AtomicFile::commit does).
class CsvWriter {
 public:
  explicit CsvWriter(std::ostream& out) : out_(out) {}
  void row(const std::vector<std::string>& fields);

 private:
  std::ostream& out_;
};

// A parsed CSV file: the first record is the header, every other record is a row with
// exactly as many fields as the header.
struct CsvTable {
  std::string path;  // as given to read_csv / parse_csv
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int> row_lines;  // 1-based line where each row starts

  // Index of the header column called `name`, -1 if there is none.
  int column(std::string_view name) const;
  // As column(), but a missing column is the user's mistake: throws UserError at the
  // header line ("missing column 'x'", with the nearest names).
  int require_column(std::string_view name) const;
  // Where row `row` (0-based index into rows) starts, for messages about its values.
  SourceLoc row_loc(size_t row) const;
};

// Parses CSV text. `display_path` is used in messages only. Accepts quoted fields with
// commas, doubled quotes and line breaks, LF or CRLF endings, a final line with or
// without a line ending, and a UTF-8 byte-order mark. Blank lines are skipped (write a
// lone empty field as "" to keep it). Throws UserError at file:line:column on an
// unterminated quote, text after a closing quote, a quote inside an unquoted field, a
// row whose field count differs from the header's, or an empty input (no header).
CsvTable parse_csv(std::string_view text, const std::string& display_path);

// Reads and parses the file at `path`; a file that cannot be read is a UserError naming
// the path and the system's reason.
CsvTable read_csv(const std::string& path);

}  // namespace geosim::io
