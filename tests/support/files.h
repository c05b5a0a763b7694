// Files for tests: a temporary folder removed at the end of the test, and whole-file reads.
// Link the test with geosim_test_support and include "support/files.h".
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace geosim::test {

// A fresh folder under the system's temporary folder, named after the test binary's
// `prefix`, the test's `name` and the process, so that tests run in parallel by ctest do
// not meet. Removed (with everything in it) when the object goes.
class TempDir {
 public:
  TempDir(const std::string& prefix, const std::string& name) {
    path_ = std::filesystem::temp_directory_path() /
            ("geosim-" + prefix + "-" + name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // The path of `file` inside the folder.
  std::string operator/(const std::string& file) const { return (path_ / file).string(); }
  std::string str() const { return path_.string(); }
  // Writes `text` to `file` in the folder and returns its path.
  std::string write(const std::string& file, const std::string& text) const {
    std::ofstream(path_ / file, std::ios::binary) << text;
    return (path_ / file).string();
  }

 private:
  std::filesystem::path path_;
};

// The whole content of `path` ("" if it cannot be read).
inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace geosim::test
