#include "io/read_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/error.h"

namespace geosim::io {

namespace {

[[noreturn]] void fail(const std::string& path, const char* what, int err) {
  throw UserError(SourceLoc{path, 0, 0}, std::string(what) + ": " + std::strerror(err));
}

}  // namespace

std::string read_file(const std::string& path, size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(path, "cannot open the file", errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    fail(path, "cannot read the file", err);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    fail(path, "cannot read the file", EISDIR);
  }
  auto too_large = [&] {
    ::close(fd);
    throw UserError(SourceLoc{path, 0, 0}, "the file is larger than the limit of " +
                                               std::to_string(max_bytes) +
                                               " bytes; expected a smaller file");
  };
  if (S_ISREG(st.st_mode) && static_cast<uintmax_t>(st.st_size) > max_bytes) too_large();
  std::string data;
  if (S_ISREG(st.st_mode) && st.st_size > 0)
    data.reserve(std::min(static_cast<size_t>(st.st_size), max_bytes));
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      fail(path, "cannot read the file", err);
    }
    if (n == 0) break;
    if (static_cast<size_t>(n) > max_bytes - data.size()) too_large();
    data.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return data;
}

}  // namespace geosim::io
