#include "io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <streambuf>

#include "core/error.h"
#include "io/sha256.h"

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
  Sha256& hash() { return hash_; }
  uint64_t bytes() const { return bytes_; }
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
      hash_.update(std::string_view(s, static_cast<size_t>(n)));
      bytes_ += static_cast<uint64_t>(n);
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
      hash_.update(std::string_view(buffer_, n));
      bytes_ += n;
    }
    return true;
  }

  int fd_;
  int error_ = 0;
  Sha256 hash_;
  uint64_t bytes_ = 0;
  char buffer_[1 << 16];
};

void check_replaceable_kind(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode)) return;
  const char* what = S_ISDIR(st.st_mode)    ? "a folder"
                     : S_ISFIFO(st.st_mode) ? "a FIFO (named pipe)"
                     : S_ISCHR(st.st_mode)  ? "a character device"
                     : S_ISBLK(st.st_mode)  ? "a block device"
                     : S_ISSOCK(st.st_mode) ? "a socket"
                                            : "not a regular file";
  throw UserError(SourceLoc{path}, std::string("is ") + what +
                                       "; geosim replaces only regular files; expected a "
                                       "file name (or a folder for the files)");
}

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  check_replaceable_kind(path_);
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
  GEOSIM_ASSERT(!committed_ && !finished_ && out_,
                "AtomicFile::out after commit or a failed commit");
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
  finish();
  publish();
}

void AtomicFile::finish() {
  GEOSIM_ASSERT(!committed_ && !finished_ && buf_, "AtomicFile::finish twice");
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
  sha256_ = buf_->hash().hex_digest();
  size_ = buf_->bytes();
  finished_ = true;
  out_.reset();
}

void AtomicFile::publish() {
  GEOSIM_ASSERT(finished_ && !committed_, "AtomicFile::publish before finish or twice");
  try {
    check_replaceable_kind(path_);  // it may have changed since the constructor
  } catch (...) {
    ::unlink(temp_path_.c_str());
    buf_.reset();
    committed_ = true;  // nothing left to discard
    throw;
  }
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    int err = errno;
    ::unlink(temp_path_.c_str());
    buf_.reset();
    committed_ = true;
    fail(path_, "cannot replace the file", err);
  }
  committed_ = true;
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
