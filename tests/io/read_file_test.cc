// The guard every input goes through (issue 13, item 13): regular files only, opened
// without blocking, with a size bound, and the same messages for every kind of input.
#include "io/read_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.h"
#include "core/text.h"

namespace geosim::io {
namespace {

namespace fs = std::filesystem;

class ReadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = ::testing::TempDir() + "/geosim_read_XXXXXX";
    dir_ = ::mkdtemp(templ.data());
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  static std::string message(const std::string& path, const InputFile& how) {
    try {
      read_input(path, how);
    } catch (const UserError& e) {
      return e.what();
    }
    return "(no error)";
  }
  std::string dir_;
};

TEST_F(ReadInput, ARegularFileIsReadWhole) {
  std::string path = write("a.csv", std::string(100000, 'x') + "\n");
  EXPECT_EQ(read_file(path).size(), 100001u);
  EXPECT_EQ(read_input(write("empty.csv", ""), {}), "");
}

TEST_F(ReadInput, EachRefusalSaysWhatWasFoundAndWhatWasExpected) {
  InputFile how;
  how.expected = "a CSV file";
  EXPECT_EQ(message(dir_ + "/none.csv", how),
            dir_ + "/none.csv: does not exist; expected a CSV file");
  EXPECT_EQ(message(dir_, how), dir_ + ": is a directory; expected a CSV file");
  EXPECT_EQ(message("/dev/zero", how),
            "/dev/zero: is not a regular file (a character device); expected a CSV file");
  how.max_bytes = 10;
  EXPECT_EQ(message(write("big.csv", std::string(11, 'x')), how),
            dir_ + "/big.csv: has 11 bytes, above the limit of 10 bytes; expected a CSV file");
  how.max_bytes = 64u << 20;
  how.where = SourceLoc{"child.yaml", 2, 10};
  how.subject = "extends names 'x', which ";
  EXPECT_EQ(message(dir_ + "/x", how),
            "child.yaml:2:10: extends names 'x', which does not exist; expected a CSV file");
}

TEST_F(ReadInput, AFifoWithoutAWriterIsRefusedAtOnce) {
  std::string path = dir_ + "/fifo.csv";
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(message(path, {}), path + ": is not a regular file (a FIFO); expected a readable file");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST_F(ReadInput, ALinkToADeviceIsRefused) {
  std::string path = dir_ + "/point.csv";
  fs::create_symlink("/dev/zero", path);
  EXPECT_EQ(message(path, {}),
            path + ": is not a regular file (a character device); expected a readable file");
}

// Issue 13, item 15: text inputs are checked for what a terminal could act on, and
// whatever is printed can be escaped.
TEST(TextInput, ControlCharactersAreRefusedAtTheirLineAndColumn) {
  auto message = [](std::string_view text) {
    try {
      check_text_input(text, "a.csv", "a CSV file");
    } catch (const UserError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message("a,b\tc\r\nd,\xC3\xA9\n"), "accepted");
  EXPECT_EQ(message("a,b\nc\x1b[2J"),
            "a.csv:2:2: the control character U+001B; expected a CSV file");
  EXPECT_EQ(message("\xC3\xA9\xC2\x9B"),
            "a.csv:1:2: the control character U+009B; expected a CSV file");
  EXPECT_EQ(message(std::string_view("x\0", 2)),
            "a.csv:1:2: the control character U+0000; expected a CSV file");
  EXPECT_EQ(message("ok\xFF"),
            "a.csv:1:3: binary data (byte 0xFF, not UTF-8); expected a CSV file");
}

TEST(TextInput, PrintableEscapesWhatATerminalWouldActOn) {
  EXPECT_EQ(printable("plain \xC3\xA9\tand\nlines"), "plain \xC3\xA9\tand\nlines");
  EXPECT_EQ(printable(std::string_view("a\0b\x1b[31m\r\x7f\xC2\x9B\xFF", 13)),
            "a\\x00b\\x1B[31m\\x0D\\x7F\\u{9B}\\xFF");
  EXPECT_EQ(printable("abcdef", 3), "abc...");
  EXPECT_EQ(printable("ab\xC3\xA9", 3), "ab...");  // a character cut by the excerpt is dropped
}

TEST(ByteSizeText, NamesRoundSizesInTheirUnit) {
  EXPECT_EQ(byte_size_text(64u << 20), "64 MiB");
  EXPECT_EQ(byte_size_text(uint64_t{1} << 30), "1 GiB");
  EXPECT_EQ(byte_size_text(1000), "1000 bytes");
}

}  // namespace
}  // namespace geosim::io
