#include "io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <streambuf>

#include "core/error.h"

namespace geosim::io {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what, int err) {
  throw UserError(SourceLoc{path, 0, 0}, what + ": " + std::strerror(err));
}

std::string folder_of(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string name_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Writes all of [data, data + n) to fd; 0 or errno.
int write_all(int fd, const char* data, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data += w;
    n -= static_cast<size_t>(w);
  }
  return 0;
}

std::atomic<unsigned> temp_counter{0};

}  // namespace

// A buffered stream buffer over a file descriptor that remembers the first error.
class AtomicFile::FdBuf : public std::streambuf {
 public:
  explicit FdBuf(int fd) : fd_(fd) { setp(buffer_, buffer_ + sizeof buffer_); }
  int fd() const { return fd_; }
  int error() const { return error_; }
  void release() { fd_ = -1; }

  int sync() override { return flush_buffer() ? 0 : -1; }

 protected:
  int_type overflow(int_type ch) override {
    if (!flush_buffer()) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }

  std::streamsize xsputn(const char* s, std::streamsize n) override {
    if (n >= static_cast<std::streamsize>(sizeof buffer_)) {
      if (!flush_buffer()) return 0;
      if (int err = write_all(fd_, s, static_cast<size_t>(n))) {
        error_ = error_ ? error_ : err;
        return 0;
      }
      return n;
    }
    return std::streambuf::xsputn(s, n);
  }

 private:
  bool flush_buffer() {
    size_t n = static_cast<size_t>(pptr() - pbase());
    setp(buffer_, buffer_ + sizeof buffer_);
    if (error_) return false;
    if (n > 0) {
      if (int err = write_all(fd_, buffer_, n)) {
        error_ = err;
        return false;
      }
    }
    return true;
  }

  int fd_;
  int error_ = 0;
  char buffer_[1 << 16];
};

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  temp_path_ = folder_of(path_) + "/." + name_of(path_) + ".tmp." +
               std::to_string(static_cast<long>(::getpid())) + "." +
               std::to_string(temp_counter.fetch_add(1));
  int fd = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) fail(path_, "cannot write the file", errno);
  buf_ = std::make_unique<FdBuf>(fd);
  out_ = std::make_unique<std::ostream>(buf_.get());
}

AtomicFile::~AtomicFile() { discard(); }

std::ostream& AtomicFile::out() {
  GEOSIM_ASSERT(!committed_ && out_, "AtomicFile::out after commit or a failed commit");
  return *out_;
}

void AtomicFile::discard() noexcept {
  if (committed_ || !buf_) return;
  if (buf_->fd() >= 0) ::close(buf_->fd());
  buf_->release();
  ::unlink(temp_path_.c_str());
  out_.reset();
  buf_.reset();
}

void AtomicFile::commit() {
  GEOSIM_ASSERT(!committed_ && buf_, "AtomicFile::commit twice");
  out_->flush();
  int fd = buf_->fd();
  int err = buf_->error();
  if (!err && ::fsync(fd) != 0) err = errno;
  buf_->release();
  if (::close(fd) != 0 && !err) err = errno;
  if (err) {
    ::unlink(temp_path_.c_str());
    out_.reset();
    buf_.reset();
    fail(path_, "cannot write the file", err);
  }
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    err = errno;
    ::unlink(temp_path_.c_str());
    out_.reset();
    buf_.reset();
    fail(path_, "cannot replace the file", err);
  }
  committed_ = true;
  out_.reset();
  buf_.reset();
  // Make the rename durable. A folder that cannot be opened or synced (some network file
  // systems) does not undo a rename that has happened, so this is best effort.
  int dir = ::open(folder_of(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

void write_file_atomically(const std::string& path, std::string_view content) {
  AtomicFile file(path);
  file.out().write(content.data(), static_cast<std::streamsize>(content.size()));
  file.commit();
}

}  // namespace geosim::io
