#include "core/error.h"

#include <cstdio>
#include <cstdlib>
#include <unordered_set>

namespace geosim {

std::string SourceLoc::str() const {
  std::string s = file.empty() ? std::string("<input>") : file;
  if (line > 0) {
    s += ":" + std::to_string(line);
    if (column > 0) s += ":" + std::to_string(column);
  }
  return s;
}

std::string Diagnostic::str() const { return loc.str() + ": " + message; }

namespace {
std::string join(const std::vector<Diagnostic>& d) {
  std::string s;
  for (size_t i = 0; i < d.size(); ++i) {
    if (i) s += "\n";
    s += d[i].str();
  }
  return s;
}

// The diagnostics in order, each (position, message) once: a mistake met several times
// (an unknown name in a group decision, compiled once per member) is reported once.
std::vector<Diagnostic> without_repeats(const std::vector<Diagnostic>& d) {
  std::vector<Diagnostic> out;
  std::unordered_set<std::string> seen;
  for (const Diagnostic& x : d) {
    if (seen.insert(x.str()).second) out.push_back(x);
  }
  return out;
}
}  // namespace

UserError::UserError(SourceLoc loc, const std::string& message)
    : UserError(std::vector<Diagnostic>{Diagnostic{std::move(loc), message}}) {}

UserError::UserError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join(without_repeats(diagnostics))),
      diagnostics_(without_repeats(diagnostics)) {}

void DiagnosticList::add(SourceLoc loc, std::string message) {
  items_.push_back(Diagnostic{std::move(loc), std::move(message)});
}

void DiagnosticList::add(const UserError& e) {
  items_.insert(items_.end(), e.diagnostics().begin(), e.diagnostics().end());
}

void DiagnosticList::throw_if_any() const {
  if (!items_.empty()) throw UserError(items_);
}

void assertion_failed(const char* expr, const char* file, int line, const std::string& detail) {
  std::fprintf(stderr, "geosim: internal error (a bug): %s:%d: assertion '%s' failed: %s\n", file,
               line, expr, detail.c_str());
  std::abort();
}

}  // namespace geosim
