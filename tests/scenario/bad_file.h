// A table row for "this bad scenario file is refused with exactly this message at exactly
// this position", and the check itself; shared by bad_files_test.cc (tests/data/bad/) and
// bargaining_test.cc (tests/data/bad-bargaining/).
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "scenario/load.h"

namespace geosim::test {

struct BadFile {
  const char* file;      // in the table's folder
  const char* reported;  // the file named by the first diagnostic ("" = `file`)
  int line, column;
  const char* message;
};

// Loads dir + b.file and requires the first diagnostic to be exactly b's.
inline void expect_refused(const std::string& dir, const BadFile& b) {
  try {
    load_scenario_spec(dir + b.file);
    FAIL() << b.file << " was accepted";
  } catch (const UserError& e) {
    ASSERT_FALSE(e.diagnostics().empty());
    const Diagnostic& d = e.diagnostics()[0];
    EXPECT_EQ(d.loc.file, dir + (*b.reported ? b.reported : b.file));
    EXPECT_EQ(d.loc.line, b.line) << e.what();
    EXPECT_EQ(d.loc.column, b.column) << e.what();
    EXPECT_EQ(d.message, b.message);
  }
}

// The file's name without its extension, '-' made '_': a valid GoogleTest parameter name.
inline std::string bad_file_test_name(const ::testing::TestParamInfo<BadFile>& info) {
  std::string name = info.param.file;
  name = name.substr(0, name.find('.'));
  for (char& c : name)
    if (c == '-') c = '_';
  return name;
}

}  // namespace geosim::test
