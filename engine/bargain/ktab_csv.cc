#include "bargain/ktab_csv.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "core/error.h"
#include "io/read_file.h"

namespace geosim::bargain {

namespace {

struct Field {
  std::string text;
  int column = 1;  // 1-based column of the field's first non-blank character
};

struct Line {
  int number = 0;
  std::string text;
  std::vector<Field> fields;
};

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && is_blank(s[b])) ++b;
  while (e > b && is_blank(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

class Reader {
 public:
  Reader(std::string_view text, std::string path) : path_(std::move(path)) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    int number = 0;
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      std::string_view line = text.substr(start, end - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      lines_.push_back(Line{++number, std::string(line), {}});
      start = end + 1;
    }
  }

  KtabScenario parse() {
    // The separator is the header's; the header is the second non-blank line.
    std::vector<size_t> content;
    for (size_t i = 0; i < lines_.size(); ++i)
      if (trim(lines_[i].text).size() > 0) content.push_back(i);
    if (content.empty()) throw UserError(loc(1, 1), "empty file; expected KTAB's CSV layout");
    if (content.size() < 2)
      throw UserError(loc(lines_[content[0]].number + 1, 1),
                      "file ends after line 1; expected a header row and one row per actor");
    const std::string& header_text = lines_[content[1]].text;
    const auto commas = std::count(header_text.begin(), header_text.end(), ',');
    const auto semicolons = std::count(header_text.begin(), header_text.end(), ';');
    sep_ = semicolons > commas ? ';' : ',';
    std::vector<Line*> rows;
    for (size_t i : content) {
      split(lines_[i]);
      bool all_empty = true;
      for (const Field& f : lines_[i].fields) all_empty = all_empty && f.text.empty();
      if (!all_empty) rows.push_back(&lines_[i]);
    }
    if (rows.size() < 2)
      throw UserError(loc(rows.empty() ? 1 : rows[0]->number + 1, 1),
                      "file ends after line 1; expected a header row and one row per actor");

    KtabScenario s;
    const Line& first = *rows[0];
    if (first.fields.size() < 4)
      throw UserError(end_of(first), "line 1 has " + std::to_string(first.fields.size()) +
                                         " fields; expected name, description, number of "
                                         "actors, number of dimensions");
    s.name = first.fields[0].text;
    s.description = first.fields[1].text;
    const int num_actors = integer(first, first.fields[2], "the number of actors");
    const int num_dims = integer(first, first.fields[3], "the number of dimensions");
    if (num_actors < kKtabMinActors || num_actors > kKtabMaxActors)
      throw UserError(at(first, first.fields[2]),
                      "number of actors is " + std::to_string(num_actors) + "; expected " +
                          std::to_string(kKtabMinActors) + " to " + std::to_string(kKtabMaxActors));
    if (num_dims < 1 || num_dims > 1000)
      throw UserError(
          at(first, first.fields[3]),
          "number of dimensions is " + std::to_string(num_dims) + "; expected 1 to 1000");
    const size_t width = 3 + 2 * static_cast<size_t>(num_dims);
    const std::string layout = std::to_string(width) +
                               " columns (actor, description, capability, then position and "
                               "salience for each of " +
                               std::to_string(num_dims) + " dimensions)";

    const Line& header = *rows[1];
    check_width(header, width, layout);
    for (int d = 0; d < num_dims; ++d) {
      const Field& f = header.fields[3 + 2 * d];
      if (f.text.empty())
        throw UserError(at(header, f), "empty position label for dimension " +
                                           std::to_string(d + 1) + "; expected its name");
      s.dimensions.push_back(f.text);
    }

    s.capability.resize(num_actors);
    s.position.resize(num_actors, num_dims);
    s.salience.resize(num_actors, num_dims);
    std::set<std::string> names;
    int count = 0;
    for (size_t r = 2; r < rows.size(); ++r) {
      const Line& row = *rows[r];
      if (count == num_actors)
        throw UserError(
            loc(row.number, 1),
            "more actor rows than the " + std::to_string(num_actors) + " announced on line 1");
      check_width(row, width, layout);
      const Field& name = row.fields[0];
      if (name.text.empty()) throw UserError(at(row, name), "empty actor name");
      if (!names.insert(name.text).second)
        throw UserError(at(row, name), "duplicate actor name '" + name.text + "'");
      s.actors.push_back(name.text);
      s.actor_descriptions.push_back(row.fields[1].text);
      const Field& cap = row.fields[2];
      double c = number(row, cap, "a capability");
      if (c < 0.0 || c > kKtabMaxCapability)
        throw UserError(at(row, cap), "capability of '" + name.text + "' is " + cap.text +
                                          "; expected a value in [0, 1e8]");
      s.capability(count) = c;
      double total = 0.0;
      for (int d = 0; d < num_dims; ++d) {
        const Field& pf = row.fields[3 + 2 * d];
        const Field& sf = row.fields[4 + 2 * d];
        double p = number(row, pf, "a position");
        if (p < 0.0 || p > 100.0)
          throw UserError(at(row, pf), "position of '" + name.text + "' on '" + s.dimensions[d] +
                                           "' is " + pf.text + "; expected a value in [0, 100]");
        double sal = number(row, sf, "a salience");
        if (sal < 0.0 || sal > 100.0)
          throw UserError(at(row, sf), "salience of '" + name.text + "' on '" + s.dimensions[d] +
                                           "' is " + sf.text + "; expected a value in [0, 100]");
        total = total + sal;
        if (total > 100.0)
          throw UserError(at(row, sf), "saliences of '" + name.text + "' add up to " +
                                           format_total(total) +
                                           "; expected a total of at most 100");
        s.position(count, d) = p / 100.0;
        s.salience(count, d) = sal / 100.0;
      }
      ++count;
    }
    if (count < num_actors)
      throw UserError(at(first, first.fields[2]), "line 1 announces " + std::to_string(num_actors) +
                                                      " actors but the file has " +
                                                      std::to_string(count) + " actor rows");
    return s;
  }

 private:
  SourceLoc loc(int line, int column) const { return SourceLoc{path_, line, column}; }
  SourceLoc at(const Line& l, const Field& f) const { return loc(l.number, f.column); }
  SourceLoc end_of(const Line& l) const {
    return loc(l.number, static_cast<int>(l.text.size()) + 1);
  }

  void split(Line& line) {
    const std::string& t = line.text;
    size_t i = 0;
    while (true) {
      size_t start = i;
      while (i < t.size() && is_blank(t[i])) ++i;
      Field f;
      f.column = static_cast<int>((i < t.size() ? i : start) + 1);
      if (i < t.size() && t[i] == '"') {
        std::string value;
        size_t j = i + 1;
        bool closed = false;
        while (j < t.size()) {
          if (t[j] == '"') {
            if (j + 1 < t.size() && t[j + 1] == '"') {
              value += '"';
              j += 2;
              continue;
            }
            closed = true;
            ++j;
            break;
          }
          value += t[j++];
        }
        if (!closed) throw UserError(loc(line.number, f.column), "unterminated quoted field");
        while (j < t.size() && is_blank(t[j])) ++j;
        if (j < t.size() && t[j] != sep_)
          throw UserError(loc(line.number, static_cast<int>(j) + 1),
                          "text after a closing quote; expected a separator");
        f.text = value;
        i = j;
      } else {
        size_t end = t.find(sep_, i);
        if (end == std::string::npos) end = t.size();
        f.text = trim(std::string_view(t).substr(i, end - i));
        i = end;
      }
      line.fields.push_back(std::move(f));
      if (i >= t.size()) break;
      ++i;  // past the separator
      if (i == t.size()) {
        line.fields.push_back(Field{"", static_cast<int>(i) + 1});
        break;
      }
    }
  }

  void check_width(const Line& l, size_t width, const std::string& layout) const {
    if (l.fields.size() < width)
      throw UserError(end_of(l),
                      "row has " + std::to_string(l.fields.size()) + " fields; expected " + layout);
    for (size_t k = width; k < l.fields.size(); ++k)
      if (!l.fields[k].text.empty())
        throw UserError(at(l, l.fields[k]), "unexpected value '" + l.fields[k].text +
                                                "' after the last salience; expected " + layout);
  }

  int integer(const Line& l, const Field& f, const std::string& what) const {
    int v = 0;
    const char* b = f.text.data();
    const char* e = b + f.text.size();
    auto [p, ec] = std::from_chars(b, e, v);
    if (f.text.empty() || ec != std::errc() || p != e)
      throw UserError(at(l, f), "expected " + what + " (an integer), found '" + f.text + "'");
    return v;
  }

  double number(const Line& l, const Field& f, const std::string& what) const {
    std::string text = f.text;
    // With semicolons as separators, a comma is a decimal comma ("50,5").
    if (sep_ == ';') std::replace(text.begin(), text.end(), ',', '.');
    std::string_view s = text;
    if (!s.empty() && s[0] == '+') s.remove_prefix(1);
    double v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    bool digits_only = s.find_first_of("iInN") == std::string_view::npos;
    if (s.empty() || ec != std::errc() || p != s.data() + s.size() || !digits_only ||
        !std::isfinite(v))
      throw UserError(at(l, f), "expected " + what + ", found '" + f.text + "'");
    return v;
  }

  static std::string format_total(double x) {
    std::ostringstream out;
    out << x;
    return out.str();
  }

  std::string path_;
  std::vector<Line> lines_;
  char sep_ = ',';
};

}  // namespace

KtabScenario parse_ktab_csv(std::string_view text, const std::string& display_path) {
  io::check_text_input(text, display_path, "a KTAB CSV text file in UTF-8");
  return Reader(text, display_path).parse();
}

KtabScenario read_ktab_csv(const std::string& path) {
  io::InputFile how;
  how.expected = "a KTAB CSV file";
  return parse_ktab_csv(io::read_input(path, how), path);
}

}  // namespace geosim::bargain
