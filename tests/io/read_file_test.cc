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
  EXPECT_EQ(message(dir_ + "/none.csv", how), dir_ + "/none.csv: does not exist; expected a CSV file");
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

TEST(ByteSizeText, NamesRoundSizesInTheirUnit) {
  EXPECT_EQ(byte_size_text(64u << 20), "64 MiB");
  EXPECT_EQ(byte_size_text(uint64_t{1} << 30), "1 GiB");
  EXPECT_EQ(byte_size_text(1000), "1000 bytes");
}

}  // namespace
}  // namespace geosim::io
