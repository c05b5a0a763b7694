// Output files that are never seen half-written. geosim promises (docs/interfaces) that a
// run killed at any moment leaves each output as either the old file or the complete new
// one. The recipe: write a temporary file in the same folder (so rename stays within one
// file system), fsync it, rename it over the target (atomic on POSIX), then fsync the
// folder so that the rename itself survives a crash.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace geosim::io {

// Writes `content` to `path` atomically (see AtomicFile). Failures are UserErrors naming
// the path and the system's reason: a missing folder, no permission, a full disk.
void write_file_atomically(const std::string& path, std::string_view content);

// Streams into a temporary file ".<name>.tmp.<pid>.<n>" next to `path` and publishes it
// with commit(). Without a commit (an exception, an early return) the destructor removes
// the temporary file and the target is untouched. Errors from the constructor (cannot
// create the temporary file) and from commit (a write, fsync, close or rename failed)
// are UserErrors naming the target path and strerror; write errors met while streaming
// are remembered and reported by commit, so code writing to out() need not check.
// A process killed before commit leaves its temporary file behind (nothing can remove
// it); the name, starting with '.', marks it as such.
//
// Only a missing or regular file is ever replaced: a target that is a device, a FIFO, a
// socket or a folder (also through a symbolic link) is a UserError, from the
// constructor and again just before the rename (docs/reliability.md, issue 13 part B).
// commit() is finish() then publish(); a set of files that must appear together
// (outdir::Publication) finishes them all before publishing any.
class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& out();
  void commit();
  // Flushes, fsyncs and closes the temporary file (errors as commit); the target is
  // untouched until publish(). After finish, sha256() and size() describe the content.
  void finish();
  // Renames the finished temporary file over the target and fsyncs the folder.
  void publish();

  const std::string& sha256() const { return sha256_; }
  uint64_t size() const { return size_; }

  const std::string& path() const { return path_; }
  const std::string& temp_path() const { return temp_path_; }

 private:
  class FdBuf;
  void discard() noexcept;

  std::string path_;
  std::string temp_path_;
  std::unique_ptr<FdBuf> buf_;
  std::unique_ptr<std::ostream> out_;
  bool committed_ = false;
  bool finished_ = false;
  std::string sha256_;
  uint64_t size_ = 0;
};

// Refuses (UserError naming `path` and what it is) a path that exists and is not a
// regular file once symbolic links are followed: geosim never renames over a device, a
// FIFO, a socket or a folder.
void check_replaceable_kind(const std::string& path);

}  // namespace geosim::io
