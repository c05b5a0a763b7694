// Result folders as one unit (docs/reliability.md, "Result folders"): who may write a
// folder, what a command may replace in it, and how a set of result files appears.
//
//  - One owner at a time. A command that writes into a folder holds an exclusive flock on
//    FOLDER/.geosim.lock for as long as it runs; one that only reads a result folder holds
//    a shared lock when that file exists. A second writer, or a writer while someone
//    reads, is refused (UserError, exit 2) before anything runs or is written. The kernel
//    drops the lock when the process ends in any way (kill -9 too), so a lock is never
//    stale. A writer removes the lock file when it ends normally; one left by a killed
//    process is unlocked and is simply reused.
//  - Writable before work. Taking the write lock also creates and removes a probe file,
//    so a folder that cannot be written is refused before a long run, not after it.
//  - Nothing replaced that is not ours. A command replaces (or, as stale, removes) a
//    result file only when the folder's manifest.json lists it among the files of the
//    result it describes with the same sha256, and that result is of the same kind (a run
//    or a sweep); a report.html only when geosim wrote it. Anything else is listed in a
//    refusal unless the user gives --overwrite. Devices, FIFOs and folders are never
//    replaced (io::check_replaceable_kind), even with --overwrite.
//  - Published together. A Publication writes every file of a result under a temporary
//    name, finishes (fsyncs) them all, and only then renames them into place: first the
//    old manifest.json goes, then the data files, then the stale results, and the new
//    manifest.json last. A failure before that (a full disk while writing runs.csv) leaves
//    the old set untouched; a crash during the renames leaves no manifest, and a manifest
//    always lists the sha256 of the files it describes, so verify_result_set (used by
//    report and compare) refuses a folder that mixes two results.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace geosim::io {
class AtomicFile;
}

namespace geosim::outdir {

// The hidden lock file of a folder.
inline constexpr const char* kLockName = ".geosim.lock";

// Every result file name a command writes into a folder; stale ones are removed.
const std::vector<std::string>& result_names();

// A held lock; released by the destructor (or by the process ending). Locks are counted
// per folder within the process, so a command that locks a folder twice (merge hands a
// sweep to the sweep command) does not refuse itself.
class FolderLock {
 public:
  FolderLock() = default;
  FolderLock(FolderLock&&) noexcept;
  FolderLock& operator=(FolderLock&&) noexcept;
  ~FolderLock();
  struct Held;

 private:
  explicit FolderLock(std::shared_ptr<Held> held) : held_(std::move(held)) {}
  std::shared_ptr<Held> held_;
  friend FolderLock lock_for_writing(const std::string&, const std::string&);
  friend FolderLock lock_for_reading(const std::string&);
};

// The exclusive lock of `dir` (which must exist), for `command` ("geosim run"); checks
// that the folder can be written (probe file). UserError when another process holds a
// lock on it (naming its pid and command) or the folder cannot be written.
FolderLock lock_for_writing(const std::string& dir, const std::string& command);
// Whether `dir` has a lock file (a geosim command is writing there, or was killed there).
bool has_lock_file(const std::string& dir);
// A shared lock of `dir` when it has a lock file (else nothing to do); UserError when a
// writer holds it.
FolderLock lock_for_reading(const std::string& dir);

// The kind of result a folder's files belong to.
enum class Kind { kRun, kSweep, kCalibrate, kBacktest, kDiscover };

// Refuses (UserError listing each file and why) when `dir` holds result files that a
// command writing a result of `kind` would replace or remove and that are not geosim's
// files of the folder's current result of that kind; `overwrite` lifts the refusal
// (never for devices, FIFOs or folders). `command` names the command in the message.
void check_may_replace_results(const std::string& dir, Kind kind, bool overwrite,
                               const std::string& command);

// For a single file a command writes (report.html, compare.csv): refuses an existing
// non-empty regular file that geosim did not write (`is_ours` decides from its first
// bytes) unless `overwrite`; devices and FIFOs are fine here (written directly).
void check_may_replace_file(const std::string& path, bool overwrite,
                            bool (*is_ours)(std::string_view head), const std::string& command);

// Writes `content` to `path`: atomically (temporary name and rename) for a new or
// regular file; directly for a character device (/dev/null, /dev/stdout) or a FIFO (a
// FIFO nobody reads is refused rather than waited on). Anything else is refused.
void write_output(const std::string& path, std::string_view content);

// A result set under construction in `dir`. Files are staged with add()/write() and
// appear only at publish(); destroying an unpublished Publication removes every
// temporary file and leaves the folder as it was.
class Publication {
 public:
  explicit Publication(std::string dir);
  ~Publication();
  Publication(const Publication&) = delete;
  Publication& operator=(const Publication&) = delete;

  // A staged file FOLDER/name; write into out(), the Publication finishes it.
  io::AtomicFile& add(const std::string& name);
  void write(const std::string& name, std::string_view content);
  // Finishes every staged file (fsync; errors here leave the folder untouched) and
  // returns (name, sha256, size) of each, for the manifest's "outputs".
  struct Output {
    std::string name, sha256;
    uint64_t size = 0;
  };
  std::vector<Output> finish();
  // Publishes: removes the old manifest.json, renames the staged files (manifest.json,
  // if staged, last) and, before the manifest, removes the files of `stale` that were not
  // staged. finish() must have been called (and the manifest staged after it, if any).
  void publish(const std::vector<std::string>& stale);

 private:
  std::string dir_;
  std::vector<std::pair<std::string, std::unique_ptr<io::AtomicFile>>> files_;
};

// Checks that the result files a folder's manifest.json lists ("outputs") are present
// with the sha256 it records; UserError naming the first that is not (the folder mixes
// two results: a write was interrupted, or a file was changed by hand). A folder whose
// manifest has no "outputs" (written before they were recorded) passes.
void verify_result_set(const std::string& dir);

}  // namespace geosim::outdir
