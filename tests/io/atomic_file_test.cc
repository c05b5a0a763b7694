#include "io/atomic_file.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <stdexcept>

#include "core/error.h"
#include "io/read_file.h"

namespace geosim::io {
namespace {

// A fresh empty folder per test, removed with its files afterwards.
class TempFolder {
 public:
  TempFolder() {
    std::string templ = ::testing::TempDir() + "/geosim_atomic_XXXXXX";
    path_ = ::mkdtemp(templ.data());
  }
  ~TempFolder() {
    for (const std::string& f : files()) std::remove((path_ + "/" + f).c_str());
    ::rmdir(path_.c_str());
  }
  const std::string& path() const { return path_; }
  std::vector<std::string> files() const {
    std::vector<std::string> names;
    DIR* d = ::opendir(path_.c_str());
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n != "." && n != "..") names.push_back(n);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    return names;
  }

 private:
  std::string path_;
};

TEST(AtomicFile, WriteReplacesTheFileAndLeavesNoTemporary) {
  TempFolder dir;
  std::string path = dir.path() + "/summary.csv";
  write_file_atomically(path, "old\n");
  write_file_atomically(path, "new content\n");
  EXPECT_EQ(read_file(path), "new content\n");
  EXPECT_EQ(dir.files(), (std::vector<std::string>{"summary.csv"}));
}

TEST(AtomicFile, StreamedContentAppearsOnlyAtCommit) {
  TempFolder dir;
  std::string path = dir.path() + "/runs.csv";
  write_file_atomically(path, "old\n");
  AtomicFile f(path);
  EXPECT_EQ(f.temp_path().substr(0, dir.path().size() + 11), dir.path() + "/.runs.csv.");
  for (int i = 0; i < 100000; ++i) f.out() << i << '\n';
  EXPECT_EQ(read_file(path), "old\n");
  EXPECT_EQ(dir.files().size(), 2u);
  f.commit();
  std::string content = read_file(path);
  EXPECT_EQ(content.substr(0, 4), "0\n1\n");
  EXPECT_EQ(content.size(), 588890u);
  EXPECT_EQ(dir.files(), (std::vector<std::string>{"runs.csv"}));
}

TEST(AtomicFile, AbandonedWriteKeepsTheOldFileAndRemovesTheTemporary) {
  TempFolder dir;
  std::string path = dir.path() + "/summary.csv";
  write_file_atomically(path, "old\n");
  try {
    AtomicFile f(path);
    f.out() << "half of a new file";
    throw std::runtime_error("run failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(read_file(path), "old\n");
  EXPECT_EQ(dir.files(), (std::vector<std::string>{"summary.csv"}));
}

TEST(AtomicFile, MissingFolderIsAUserErrorNamingThePath) {
  try {
    write_file_atomically("/nonexistent/geosim/out.csv", "x");
    FAIL();
  } catch (const UserError& e) {
    EXPECT_STREQ(e.what(),
                 "/nonexistent/geosim/out.csv: cannot write the file: No such file or directory");
  }
}

TEST(AtomicFile, TargetThatIsAFolderIsAUserError) {
  TempFolder dir;
  std::string path = dir.path() + "/sub";
  ASSERT_EQ(::mkdir(path.c_str(), 0755), 0);
  EXPECT_THROW(write_file_atomically(path, "x"), UserError);
  ::rmdir(path.c_str());
  EXPECT_TRUE(dir.files().empty());
}

// A file-size limit makes write() fail with EFBIG, which stands in for a full disk.
TEST(AtomicFile, FailedWritesAreReportedAtCommitAndLeaveNothingBehind) {
  TempFolder dir;
  std::string path = dir.path() + "/big.csv";
  write_file_atomically(path, "old\n");
  struct sigaction ignore {
  }, previous{};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGXFSZ, &ignore, &previous);
  rlimit saved{};
  ::getrlimit(RLIMIT_FSIZE, &saved);
  rlimit small = saved;
  small.rlim_cur = 1 << 20;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  std::string message;
  try {
    AtomicFile f(path);
    std::string line(1000, 'x');
    for (int i = 0; i < 3000; ++i) f.out() << line << '\n';
    f.commit();
  } catch (const UserError& e) {
    message = e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &saved);
  ::sigaction(SIGXFSZ, &previous, nullptr);
  EXPECT_EQ(message, path + ": cannot write the file: File too large");
  EXPECT_EQ(read_file(path), "old\n");
  EXPECT_EQ(dir.files(), (std::vector<std::string>{"big.csv"}));
}

// A child process rewrites the file in a loop, alternating two large contents, and is
// killed at a random moment: the file must then hold one of the two, complete.
TEST(AtomicFile, KillAtAnyMomentLeavesTheOldOrTheNewFile) {
  TempFolder dir;
  const std::string path = dir.path() + "/summary.csv";
  const std::string a(300000, 'a'), b(200000, 'b');
  write_file_atomically(path, a);
  std::mt19937 rng(4);
  for (int trial = 0; trial < 20; ++trial) {
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      for (int i = 0;; ++i) write_file_atomically(path, i % 2 ? a : b);
    }
    ::usleep(200 + rng() % 3000);
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    std::string content = read_file(path);
    ASSERT_TRUE(content == a || content == b) << "trial " << trial << ": " << content.size();
  }
  // A killed writer cannot remove its temporary file; only such names may be left.
  for (const std::string& f : dir.files()) {
    if (f != "summary.csv") {
      EXPECT_EQ(f.rfind(".summary.csv.tmp.", 0), 0u) << f;
    }
  }
}

TEST(ReadFile, MissingFileAndFolderAreUserErrors) {
  TempFolder dir;
  EXPECT_THROW(read_file(dir.path() + "/none"), UserError);
  try {
    read_file(dir.path());
    FAIL();
  } catch (const UserError& e) {
    EXPECT_EQ(std::string(e.what()), dir.path() + ": is a directory; expected a readable file");
  }
}

}  // namespace
}  // namespace geosim::io
