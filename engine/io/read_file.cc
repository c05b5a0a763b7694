#include "io/read_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/text.h"

namespace geosim::io {

namespace {

const char* kind_of(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "a special file";
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::string byte_size_text(uint64_t bytes) {
  if (bytes >= (uint64_t{1} << 30) && bytes % (uint64_t{1} << 30) == 0)
    return std::to_string(bytes >> 30) + " GiB";
  if (bytes >= (uint64_t{1} << 20) && bytes % (uint64_t{1} << 20) == 0)
    return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

std::string read_input(const std::string& path, const InputFile& how) {
  const SourceLoc where = how.where.file.empty() ? SourceLoc{path, 0, 0} : how.where;
  const std::string expected = "; expected " + how.expected;
  auto fail = [&](const std::string& what) {
    throw UserError(where, how.subject + what + expected);
  };
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (fd.get() < 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) fail("does not exist");
    fail(std::string("cannot be read (") + std::strerror(err) + ")");
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0)
    fail(std::string("cannot be read (") + std::strerror(errno) + ")");
  if (S_ISDIR(st.st_mode)) fail("is a directory");
  if (!S_ISREG(st.st_mode))
    fail(std::string("is not a regular file (") + kind_of(st.st_mode) + ")");
  const auto size = static_cast<uint64_t>(st.st_size);
  auto too_large = [&](uint64_t n, const char* at_least) {
    fail("has " + std::string(at_least) + std::to_string(n) + " bytes, above the limit of " +
         byte_size_text(how.max_bytes));
  };
  if (size > how.max_bytes) too_large(size, "");
  std::string data;
  data.reserve(static_cast<size_t>(size));
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(std::string("cannot be read (") + std::strerror(errno) + ")");
    }
    if (n == 0) break;
    if (data.size() + static_cast<size_t>(n) > how.max_bytes)
      too_large(data.size() + n, "at least ");
    data.append(buf, static_cast<size_t>(n));
  }
  return data;
}

void check_text_input(std::string_view text, const std::string& path, const std::string& expected) {
  const auto bad = find_control_character(text);
  if (!bad) return;
  int line = 1, column = 1;
  for (size_t i = 0; i < bad->offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;  // count characters, not continuation bytes
    }
  }
  throw UserError(SourceLoc{path, line, column},
                  (bad->invalid_utf8 ? "binary data (" + bad->name() + ", not UTF-8)"
                                     : "the control character " + bad->name()) +
                      "; expected " + expected);
}

std::string read_file(const std::string& path, uint64_t max_bytes) {
  InputFile how;
  how.max_bytes = max_bytes;
  return read_input(path, how);
}

}  // namespace geosim::io
