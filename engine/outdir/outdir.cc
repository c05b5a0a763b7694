#include "outdir/outdir.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include "core/error.h"
#include "io/atomic_file.h"
#include "io/json.h"
#include "io/sha256.h"

namespace geosim::outdir {

namespace fs = std::filesystem;

namespace {

// Present while a Publication renames its files; a folder holding it is incomplete.
constexpr const char* kPublishingName = ".geosim-publishing";

std::string join(const std::string& dir, const std::string& name) {
  return (fs::path(dir) / name).string();
}

std::string key_of(const std::string& dir) {
  std::error_code ec;
  fs::path p = fs::canonical(dir, ec);
  return ec ? fs::absolute(dir).lexically_normal().string() : p.string();
}

// What the lock file says about its last holder ("pid 123, geosim run"), or "".
std::string holder(int fd) {
  char buf[512];
  ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return "";
  std::string s(buf, static_cast<size_t>(n));
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  return s.empty() ? "" : " (" + s + ")";
}

void fsync_folder(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

const std::vector<std::string>& result_names() {
  static const std::vector<std::string> names = {
      "summary.csv", "trajectories.csv", "runs.csv",      "sweep.csv", "sensitivity.csv",
      "compare.csv", "manifest.json",    "report.html",   "boxes.csv", "tradeoff.csv",
      "tree.csv",    "discover.json",    "storylines.csv"};
  return names;
}

// ---- locks ------------------------------------------------------------------------------

struct FolderLock::Held {
  std::string key;
  std::string path;  // the lock file
  int fd = -1;
  bool exclusive = false;
  ~Held() {
    // A writer removes the lock file while it still holds the lock, so no folder keeps
    // one after a command that ended normally; a process that lost the race and locked
    // the removed file notices (same_file below) and starts again.
    if (exclusive) ::unlink(path.c_str());
    if (fd >= 0) ::close(fd);  // closing the last descriptor releases the flock
  }
};

namespace {
std::mutex registry_mu;
std::map<std::string, std::weak_ptr<FolderLock::Held>>& registry() {
  static std::map<std::string, std::weak_ptr<FolderLock::Held>> r;
  return r;
}

// Whether `fd` is still the file at `path` (a writer may have removed it meanwhile).
bool same_file(int fd, const std::string& path) {
  struct stat a, b;
  return ::fstat(fd, &a) == 0 && ::stat(path.c_str(), &b) == 0 && a.st_dev == b.st_dev &&
         a.st_ino == b.st_ino;
}

[[noreturn]] void refuse_busy(const std::string& dir, int fd, bool writing) {
  throw UserError(SourceLoc{dir},
                  "another geosim process" + holder(fd) + " is " + (writing ? "using" : "writing") +
                      " this folder; expected one process per result folder at a time: wait "
                      "for it to finish, or choose another folder");
}
}  // namespace

FolderLock::FolderLock(FolderLock&&) noexcept = default;
FolderLock& FolderLock::operator=(FolderLock&&) noexcept = default;
FolderLock::~FolderLock() = default;

FolderLock lock_for_writing(const std::string& dir, const std::string& command) {
  std::lock_guard<std::mutex> guard(registry_mu);
  const std::string key = key_of(dir);
  std::shared_ptr<FolderLock::Held> held = registry()[key].lock();
  if (held && held->exclusive) return FolderLock(held);
  const std::string lock_path = join(dir, kLockName);
  for (int attempt = 0;; ++attempt) {
    if (!held) {
      held = std::make_shared<FolderLock::Held>();
      held->key = key;
      held->path = lock_path;
      held->fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
      if (held->fd < 0)
        throw UserError(SourceLoc{dir}, std::string("cannot write into this folder: ") +
                                            std::strerror(errno) +
                                            "; expected a folder geosim may write (checked "
                                            "before running, so that no work is lost)");
    }
    if (::flock(held->fd, LOCK_EX | LOCK_NB) != 0) refuse_busy(dir, held->fd, true);
    if (same_file(held->fd, lock_path) || attempt > 100) break;
    held.reset();  // locked a lock file its writer had just removed: again
  }
  held->exclusive = true;
  registry()[key] = held;
  // Say who holds it (for the message of a refused second process).
  std::string who = "pid " + std::to_string(static_cast<long>(::getpid())) + ", " + command + "\n";
  if (::ftruncate(held->fd, 0) == 0) {
    ssize_t ignored = ::pwrite(held->fd, who.data(), who.size(), 0);
    (void)ignored;
  }
  // A folder that can be opened but not written (permissions, a read-only or full file
  // system) is found now, before the work, not when the results are written.
  const std::string probe = join(dir, ".geosim-probe." + std::to_string(::getpid()));
  int pfd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  int err = pfd < 0 ? errno : 0;
  if (pfd >= 0) {
    if (::write(pfd, "x", 1) != 1) err = errno ? errno : EIO;
    ::close(pfd);
    ::unlink(probe.c_str());
  }
  if (err)
    throw UserError(SourceLoc{dir}, std::string("cannot write into this folder: ") +
                                        std::strerror(err) +
                                        "; expected a folder geosim may write (checked before "
                                        "running, so that no work is lost)");
  return FolderLock(held);
}

bool has_lock_file(const std::string& dir) {
  std::error_code ec;
  return fs::exists(join(dir, kLockName), ec);
}

FolderLock lock_for_reading(const std::string& dir) {
  std::lock_guard<std::mutex> guard(registry_mu);
  const std::string key = key_of(dir);
  if (auto held = registry()[key].lock()) return FolderLock(held);
  const std::string lock_path = join(dir, kLockName);
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto held = std::make_shared<FolderLock::Held>();
    held->key = key;
    held->path = lock_path;
    held->fd = ::open(lock_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (held->fd < 0) return FolderLock();  // no lock file: no writer
    if (::flock(held->fd, LOCK_SH | LOCK_NB) != 0) refuse_busy(dir, held->fd, false);
    if (!same_file(held->fd, lock_path)) continue;  // its writer removed it meanwhile
    registry()[key] = held;
    return FolderLock(held);
  }
  return FolderLock();
}

// ---- what may be replaced ---------------------------------------------------------------

namespace {

struct ManifestView {
  bool ours = false;  // parsed, program geosim
  Kind kind = Kind::kRun;
  std::string command;
  std::map<std::string, std::pair<std::string, uint64_t>> outputs;  // name -> sha, size
};

ManifestView view_manifest(const std::string& dir) {
  ManifestView v;
  const std::string path = join(dir, "manifest.json");
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return v;
  try {
    io::JsonValue m = io::read_json(path);
    const io::JsonValue* program = m.find("program");
    if (!program || !program->is_string() || program->as_string() != "geosim") return v;
    v.ours = true;
    v.kind = m.find("sweep")         ? Kind::kSweep
             : m.find("calibration") ? Kind::kCalibrate
             : m.find("backtest")    ? Kind::kBacktest
             : m.find("discover")    ? Kind::kDiscover
                                     : Kind::kRun;
    if (const io::JsonValue* c = m.find("command"); c && c->is_string()) v.command = c->as_string();
    if (const io::JsonValue* outs = m.find("outputs"); outs && outs->is_array())
      for (const auto& o : outs->items()) {
        const io::JsonValue* p = o.find("path");
        const io::JsonValue* s = o.find("sha256");
        const io::JsonValue* b = o.find("bytes");
        if (p && s && b && p->is_string() && s->is_string() && b->is_number())
          v.outputs[p->as_string()] = {s->as_string(), static_cast<uint64_t>(b->as_int64())};
      }
  } catch (const UserError&) {
    v = ManifestView();
  }
  return v;
}

std::string head_of(const std::string& path, size_t n) {
  std::ifstream in(path, std::ios::binary);
  std::string s(n, '\0');
  in.read(s.data(), static_cast<std::streamsize>(n));
  s.resize(static_cast<size_t>(in.gcount()));
  return s;
}

bool is_our_report(std::string_view head) {
  return head.find("<meta name=\"generator\" content=\"geosim ") != std::string_view::npos;
}

const char* kind_word(Kind k) {
  return k == Kind::kSweep       ? "sweep"
         : k == Kind::kCalibrate ? "calibrate"
         : k == Kind::kBacktest  ? "backtest"
         : k == Kind::kDiscover  ? "discover"
                                 : "run";
}

}  // namespace

void check_may_replace_results(const std::string& dir, Kind kind, bool overwrite,
                               const std::string& command) {
  std::error_code ec;
  const ManifestView manifest = view_manifest(dir);
  std::vector<std::string> problems;
  for (const std::string& name : result_names()) {
    const std::string path = join(dir, name);
    if (!fs::exists(fs::symlink_status(path, ec))) continue;
    io::check_replaceable_kind(path);  // never a device, FIFO or folder
    std::string why;
    if (name == "report.html") {
      if (!is_our_report(head_of(path, 4096))) why = "not written by geosim";
    } else if (!manifest.ours) {
      why = "not written by geosim (no geosim manifest.json describes it)";
    } else if (manifest.kind != kind) {
      why = std::string("part of the result of a geosim ") + kind_word(manifest.kind);
    } else if (name != "manifest.json") {
      auto it = manifest.outputs.find(name);
      if (it == manifest.outputs.end()) {
        why = name.starts_with("compare.")
                  ? "written by geosim compare, not part of the folder's result"
                  : "not among the files manifest.json lists";
      } else if (fs::file_size(path, ec) != it->second.second ||
                 io::sha256_file(path) != it->second.first) {
        why = "changed since geosim wrote it";
      }
    }
    if (!why.empty()) problems.push_back(name + " (" + why + ")");
  }
  if (problems.empty() || overwrite) return;
  std::string list;
  for (const auto& p : problems) list += (list.empty() ? "" : ", ") + p;
  throw UserError(SourceLoc{dir}, command + " would replace or remove " + list +
                                      "; expected a new folder or one holding a result of geosim " +
                                      kind_word(kind) +
                                      ": choose another --out, or give --overwrite to replace "
                                      "them");
}

void check_may_replace_file(const std::string& path, bool overwrite,
                            bool (*is_ours)(std::string_view head), const std::string& command) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return;                                // new file
  if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) return;                   // written directly
  io::check_replaceable_kind(path);                                          // folders, sockets
  if (st.st_size == 0 || overwrite || is_ours(head_of(path, 4096))) return;  // ours or empty
  throw UserError(SourceLoc{path}, command +
                                       " would replace this file, which geosim did not write; "
                                       "expected a new file name, or give --overwrite to "
                                       "replace it");
}

void write_output(const std::string& path, std::string_view content) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode)) {
    io::write_file_atomically(path, content);
    return;
  }
  if (!S_ISCHR(st.st_mode) && !S_ISFIFO(st.st_mode)) io::check_replaceable_kind(path);
  // A FIFO opened for writing without a reader would wait for ever: open it
  // non-blocking (ENXIO when nobody reads), then write blocking.
  int fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    throw UserError(SourceLoc{path}, err == ENXIO
                                         ? std::string("is a FIFO that no process reads; "
                                                       "expected a reader on the other end")
                                         : std::string("cannot write: ") + std::strerror(err));
  }
  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  const char* p = content.data();
  size_t n = content.size();
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      throw UserError(SourceLoc{path}, std::string("cannot write: ") + std::strerror(err));
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  ::close(fd);
}

// ---- publication ------------------------------------------------------------------------

Publication::Publication(std::string dir) : dir_(std::move(dir)) {}
Publication::~Publication() = default;  // unpublished AtomicFiles remove their temporaries

io::AtomicFile& Publication::add(const std::string& name) {
  files_.emplace_back(name, std::make_unique<io::AtomicFile>(join(dir_, name)));
  return *files_.back().second;
}

void Publication::write(const std::string& name, std::string_view content) {
  add(name).out().write(content.data(), static_cast<std::streamsize>(content.size()));
}

std::vector<Publication::Output> Publication::finish() {
  std::vector<Output> outputs;
  for (auto& [name, file] : files_) {
    if (file->sha256().empty()) file->finish();
    outputs.push_back(Output{name, file->sha256(), file->size()});
  }
  return outputs;
}

void Publication::publish(const std::vector<std::string>& stale) {
  finish();
  const std::string marker = join(dir_, kPublishingName);
  int fd = ::open(marker.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0)
    throw UserError(SourceLoc{dir_},
                    std::string("cannot write into this folder: ") + std::strerror(errno));
  ::close(fd);
  fsync_folder(dir_);
  std::error_code ec;
  io::AtomicFile* manifest = nullptr;
  for (auto& [name, file] : files_)
    if (name == "manifest.json") fs::remove(join(dir_, name), ec);  // the old one goes first
  for (auto& [name, file] : files_) {
    if (name == "manifest.json") {
      manifest = file.get();
      continue;
    }
    file->publish();
  }
  for (const std::string& name : stale) {
    if (std::any_of(files_.begin(), files_.end(), [&](const auto& f) { return f.first == name; }))
      continue;
    fs::remove(join(dir_, name), ec);
  }
  if (manifest) manifest->publish();
  ::unlink(marker.c_str());
  fsync_folder(dir_);
}

void verify_result_set(const std::string& dir) {
  std::error_code ec;
  if (fs::exists(join(dir, kPublishingName), ec))
    throw UserError(SourceLoc{dir},
                    "a geosim command stopped while publishing its results here (" +
                        std::string(kPublishingName) +
                        " is present), so the folder may mix two results; expected a complete "
                        "result: run the command again");
  const ManifestView manifest = view_manifest(dir);
  for (const auto& [name, expected] : manifest.outputs) {
    const std::string path = join(dir, name);
    if (!fs::is_regular_file(path, ec))
      throw UserError(SourceLoc{path},
                      "listed in manifest.json but missing; expected the "
                      "complete result the manifest describes");
    if (fs::file_size(path, ec) != expected.second || io::sha256_file(path) != expected.first)
      throw UserError(SourceLoc{path},
                      "does not match the sha256 that manifest.json records for it: the folder "
                      "mixes two results (or the file was edited); expected the files of one "
                      "result: run the command again");
  }
}

}  // namespace geosim::outdir
