#include "io/csv.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

namespace geosim::io {
namespace {

std::string error_of(std::string_view text) {
  try {
    parse_csv(text, "t.csv");
  } catch (const UserError& e) {
    return e.what();
  }
  return "no error";
}

TEST(CsvField, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\r"), "\"cr\r\"");
  EXPECT_EQ(csv_field(" spaced "), " spaced ");
}

TEST(CsvWriter, WritesOneLinePerRowWithLf) {
  std::ostringstream out;
  CsvWriter w(out);
  w.row({"a", "b,c"});
  w.row({"1", ""});
  w.row({""});
  EXPECT_EQ(out.str(), "a,\"b,c\"\n1,\n\"\"\n");
}

TEST(ParseCsv, ReadsQuotedFieldsDoubledQuotesAndCrlf) {
  CsvTable t = parse_csv("name,note\r\n\"x,\"\"y\"\"\",2\r\nplain,\"multi\r\nline\"\r\n", "t.csv");
  ASSERT_EQ(t.header, (std::vector<std::string>{"name", "note"}));
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0], (std::vector<std::string>{"x,\"y\"", "2"}));
  EXPECT_EQ(t.rows[1], (std::vector<std::string>{"plain", "multi\r\nline"}));
  EXPECT_EQ(t.row_lines, (std::vector<int>{2, 3}));
  EXPECT_EQ(t.path, "t.csv");
}

TEST(ParseCsv, RowLinesCountLineBreaksInsideQuotes) {
  CsvTable t = parse_csv("a\n\"1\n2\n3\"\n4\n", "t.csv");
  EXPECT_EQ(t.row_lines, (std::vector<int>{2, 5}));
  EXPECT_EQ(t.row_loc(1).str(), "t.csv:5");
}

TEST(ParseCsv, AcceptsAMissingFinalNewlineBomAndBlankLines) {
  CsvTable t = parse_csv(
      "\xEF\xBB\xBF"
      "a,b\n\n1,2\n\n3,4",
      "t.csv");
  EXPECT_EQ(t.header[0], "a");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[1], (std::vector<std::string>{"3", "4"}));
  EXPECT_EQ(t.row_lines, (std::vector<int>{3, 5}));
}

TEST(ParseCsv, EmptyTrailingFieldsAreKept) {
  CsvTable t = parse_csv("a,b,c\n1,,\n", "t.csv");
  EXPECT_EQ(t.rows[0], (std::vector<std::string>{"1", "", ""}));
}

TEST(ParseCsv, ColumnFindsHeaderNames) {
  CsvTable t = parse_csv("scenario,outcome,value\n", "t.csv");
  EXPECT_EQ(t.column("outcome"), 1);
  EXPECT_EQ(t.column("nope"), -1);
  EXPECT_EQ(t.require_column("value"), 2);
  try {
    t.require_column("outcom");
    FAIL();
  } catch (const UserError& e) {
    EXPECT_STREQ(e.what(), "t.csv:1: missing column 'outcom' (did you mean 'outcome'?)");
  }
}

TEST(ParseCsv, WrongFieldCountNamesTheLine) {
  EXPECT_EQ(error_of("a,b\n1,2\n1,2,3\n"),
            "t.csv:3: row has 3 fields; expected 2 as in the header");
  EXPECT_EQ(error_of("a,b\n\"x\ny\"\n"), "t.csv:2: row has 1 field; expected 2 as in the header");
}

TEST(ParseCsv, MalformedQuotingIsAnErrorWithItsPosition) {
  EXPECT_EQ(error_of("a,b\n1,\"open\n"),
            "t.csv:2:3: unterminated quoted field; expected a closing '\"'");
  EXPECT_EQ(error_of("a,b\n\"x\"y,2\n"),
            "t.csv:2:4: unexpected 'y' after a closing quote; expected ',' or the end of the line");
  EXPECT_EQ(error_of("a,b\n1,x\"y\n"),
            "t.csv:2:4: '\"' inside an unquoted field; expected the whole field in quotes with "
            "inner quotes doubled");
  EXPECT_EQ(error_of(""), "t.csv: empty CSV file; expected a header line");
}

TEST(ParseCsv, MutatedFilesGiveATableOrAUserErrorWithALine) {
  const std::string text = "a,b,c\n1,\"x,\"\"y\",3\r\n\"multi\nline\",,z\n";
  const std::string alphabet = ",\"\r\nab";
  std::mt19937 rng(13);
  int rejected = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string t = text;
    for (int k = 1 + static_cast<int>(rng() % 3); k > 0; --k) {
      size_t pos = rng() % t.size();
      if (rng() % 2) {
        t[pos] = alphabet[rng() % alphabet.size()];
      } else {
        t.insert(pos, 1, alphabet[rng() % alphabet.size()]);
      }
    }
    try {
      CsvTable table = parse_csv(t, "t.csv");
      for (const auto& row : table.rows) EXPECT_EQ(row.size(), table.header.size());
    } catch (const UserError& e) {
      ++rejected;
      EXPECT_GT(e.diagnostics()[0].loc.line, 0) << t;
    }
  }
  EXPECT_GT(rejected, 500);
}

TEST(ReadCsv, MissingFileIsAUserErrorNamingThePath) {
  try {
    read_csv("/nonexistent/geosim/x.csv");
    FAIL();
  } catch (const UserError& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/geosim/x.csv: does not exist; expected a CSV file");
  }
}

TEST(Csv, NastyFieldsRoundTripThroughWriterAndFile) {
  std::vector<std::vector<std::string>> rows = {
      {"h1", "h,2", "h\"3"},
      {"", ",", "\"\""},
      {"line\nbreak", "crlf\r\ninside", "  spaces  "},
      {"ünïcødé", "tab\there", "end\""},
  };
  std::mt19937 rng(3);
  const std::string alphabet = "ab,\"\n\r x";
  for (int r = 0; r < 200; ++r) {
    std::vector<std::string> row;
    for (int c = 0; c < 3; ++c) {
      std::string f;
      int len = static_cast<int>(rng() % 8);
      for (int i = 0; i < len; ++i) f += alphabet[rng() % alphabet.size()];
      row.push_back(f);
    }
    rows.push_back(row);
  }
  std::ostringstream out;
  CsvWriter w(out);
  for (const auto& row : rows) w.row(row);
  std::string path = ::testing::TempDir() + "/geosim_csv_roundtrip.csv";
  {
    std::ofstream f(path, std::ios::binary);
    f << out.str();
  }
  CsvTable t = read_csv(path);
  EXPECT_EQ(t.header, rows[0]);
  ASSERT_EQ(t.rows.size(), rows.size() - 1);
  for (size_t i = 1; i < rows.size(); ++i) EXPECT_EQ(t.rows[i - 1], rows[i]) << "row " << i;
  std::remove(path.c_str());
}

TEST(Csv, SingleEmptyFieldRowsSurviveTheRoundTrip) {
  std::ostringstream out;
  CsvWriter w(out);
  w.row({"only"});
  w.row({""});
  w.row({"x"});
  CsvTable t = parse_csv(out.str(), "t.csv");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0], (std::vector<std::string>{""}));
}

}  // namespace
}  // namespace geosim::io
