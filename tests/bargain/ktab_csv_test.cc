// KTAB's CSV input: every reference file loads, and each malformed file in
// tests/data/ktab/bad is refused with the right message at the right line and column.
#include "bargain/ktab_csv.h"

#include <gtest/gtest.h>

#include <string>

#include "core/error.h"

namespace geosim::bargain {
namespace {

const std::string kData = GEOSIM_TEST_DATA "/ktab/";

TEST(KtabCsv, ReadsEveryReferenceInputWithItsDeclaredSize) {
  struct Case {
    const char* file;
    int actors;
    int dims;
  };
  for (Case c : {Case{"dummyData_3Dim.csv", 7, 3}, Case{"dummyData_6Dim.csv", 27, 6},
                 Case{"SOE-Pol-Comp.csv", 13, 2}, Case{"SOE-Policy.csv", 26, 1},
                 Case{"SOE-Competitive.csv", 34, 1}, Case{"dummyData-a040.csv", 40, 1},
                 Case{"dummyData-a080.csv", 80, 1}, Case{"dummyData-a160.csv", 160, 1}}) {
    KtabScenario s = read_ktab_csv(kData + c.file);
    EXPECT_EQ(static_cast<int>(s.actors.size()), c.actors) << c.file;
    EXPECT_EQ(s.position.rows(), c.actors) << c.file;
    EXPECT_EQ(s.position.cols(), c.dims) << c.file;
    EXPECT_EQ(static_cast<int>(s.dimensions.size()), c.dims) << c.file;
  }
}

TEST(KtabCsv, KeepsSemicolonsInsideCommaSeparatedTextAndScalesBy100) {
  KtabScenario s = read_ktab_csv(kData + "SOE-Pol-Comp.csv");
  EXPECT_EQ(s.name, "China Policy/Competitive; scen 2");
  EXPECT_EQ(s.description, "Scenario-0002;Combined Policy and Competitive");
  EXPECT_EQ(s.dimensions[1], "Competitive Position");
  EXPECT_EQ(s.actors[4], "LH");
  EXPECT_EQ(s.actor_descriptions[4], "Liu He - Deputy Director of DRC");
  EXPECT_DOUBLE_EQ(s.capability(1), 60.2);
  EXPECT_DOUBLE_EQ(s.position(1, 1), 0.65);
  EXPECT_DOUBLE_EQ(s.salience(1, 0), 0.447);
}

TEST(KtabCsv, ReadsQuotedFieldsAndCrlfLineEndings) {
  KtabScenario q = read_ktab_csv(kData + "dummyData_3Dim.csv");
  EXPECT_EQ(q.description, "Dummy scenario to test reading format");
  KtabScenario crlf = read_ktab_csv(kData + "dummyData_6Dim.csv");
  EXPECT_EQ(crlf.dimensions[5], "Dim5 Position");
}

TEST(KtabCsv, ReadsSemicolonSeparatedFilesWithDecimalCommas) {
  KtabScenario s = read_ktab_csv(kData + "semicolons.csv");
  EXPECT_EQ(s.name, "Semicolons");
  EXPECT_EQ(s.description, "with, commas in text");
  EXPECT_EQ(s.dimensions[0], "Left, right");
  EXPECT_EQ(s.actor_descriptions[0], "a, the first");
  EXPECT_DOUBLE_EQ(s.position(0, 0), 0.505);
}

struct BadFile {
  const char* file;
  int line;
  int column;
  const char* message;
};

class KtabCsvBadFile : public ::testing::TestWithParam<BadFile> {};

TEST_P(KtabCsvBadFile, IsRefusedWithMessageAtLineAndColumn) {
  const BadFile& b = GetParam();
  const std::string path = kData + "bad/" + b.file;
  try {
    read_ktab_csv(path);
    FAIL() << b.file << " was accepted";
  } catch (const UserError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    const Diagnostic& d = e.diagnostics()[0];
    EXPECT_EQ(d.loc.file, path);
    EXPECT_EQ(d.loc.line, b.line) << d.str();
    EXPECT_EQ(d.loc.column, b.column) << d.str();
    EXPECT_NE(d.message.find(b.message), std::string::npos) << d.str();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Files, KtabCsvBadFile,
    ::testing::Values(
        BadFile{"too_few_actors.csv", 1, 10, "number of actors is 2; expected 3 to 250"},
        BadFile{"bad_actor_count.csv", 1, 10,
                "expected the number of actors (an integer), found 'three'"},
        BadFile{"position_out_of_range.csv", 4, 8,
                "position of 'B' on 'P1' is 120; expected a value in [0, 100]"},
        BadFile{"salience_out_of_range.csv", 4, 17,
                "salience of 'B' on 'P2' is -5; expected a value in [0, 100]"},
        BadFile{"salience_sum.csv", 3, 17,
                "saliences of 'A' add up to 110; expected a total of at most 100"},
        BadFile{"capability_out_of_range.csv", 4, 5,
                "capability of 'B' is 2e8; expected a value in [0, 1e8]"},
        BadFile{"not_a_number.csv", 4, 14, "expected a position, found 'abc'"},
        BadFile{"missing_columns.csv", 4, 16, "row has 6 fields; expected 7 columns"},
        BadFile{"extra_value.csv", 4, 20, "unexpected value '7' after the last salience"},
        BadFile{"missing_rows.csv", 1, 10,
                "line 1 announces 4 actors but the file has 3 actor rows"},
        BadFile{"extra_rows.csv", 6, 1, "more actor rows than the 3 announced on line 1"},
        BadFile{"duplicate_name.csv", 5, 1, "duplicate actor name 'A'"},
        BadFile{"unterminated_quote.csv", 4, 1, "unterminated quoted field"}),
    [](const ::testing::TestParamInfo<BadFile>& info) {
      std::string name = info.param.file;
      name = name.substr(0, name.find('.'));
      return name;
    });

TEST(KtabCsv, MissingFileIsAUserError) {
  EXPECT_THROW(read_ktab_csv(kData + "no-such-file.csv"), UserError);
}

}  // namespace
}  // namespace geosim::bargain
