// The two kinds of failure a user can meet, kept apart (docs/architecture.md):
//  - UserError: a mistake in a file or a flag. Carries one or more diagnostics, each with
//    file:line:column; the command line turns it into exit code 2 and writes nothing.
//  - RunError: a run that went wrong on valid input (a NaN or infinity). Exit code 1.
// Broken invariants inside the engine are bugs and use GEOSIM_ASSERT, never these.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace geosim {

// A position in a source file; line and column are 1-based, 0 means "unknown".
struct SourceLoc {
  std::string file;
  int line = 0;
  int column = 0;

  // "file:line:column", "file:line" or "file", whichever is known.
  std::string str() const;
  bool known() const { return line > 0; }
};

// One message in the house grammar: where, what was found, what was expected,
// and for an unknown name the nearest valid ones (already in `message`).
struct Diagnostic {
  SourceLoc loc;
  std::string message;
  std::string str() const;  // "loc: message"
};

class UserError : public std::runtime_error {
 public:
  UserError(SourceLoc loc, const std::string& message);
  explicit UserError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

class RunError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The user asked the run to stop (SIGINT/SIGTERM). what() says what was kept; the
// command line exits with 130.
class Interrupted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Collects diagnostics so that a checker can report every error in a file at once.
class DiagnosticList {
 public:
  void add(SourceLoc loc, std::string message);
  void add(const UserError& e);
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  // Throws a UserError with everything collected, if anything was.
  void throw_if_any() const;
  const std::vector<Diagnostic>& items() const { return items_; }

 private:
  std::vector<Diagnostic> items_;
};

[[noreturn]] void assertion_failed(const char* expr, const char* file, int line,
                                   const std::string& detail);

}  // namespace geosim

// An engine invariant: failing it is a bug in geosim, reported with the values.
#define GEOSIM_ASSERT(cond, detail)                                               \
  do {                                                                            \
    if (!(cond)) ::geosim::assertion_failed(#cond, __FILE__, __LINE__, (detail)); \
  } while (0)
