// The command registry. Each command lives in its own file (cmd_NAME.cc) and registers
// itself with a static `RegisterCommand`; main.cc only dispatches. Boost.Program_options is
// used only inside engine/cli/.
//
// Exit codes (interfaces.md): 0 done, 1 a run failed, 2 bad usage or an invalid file,
// 3 `compare --fail-on-difference` found a significant difference.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace geosim::cli {

enum ExitCode : int { kExitOk = 0, kExitRunFailed = 1, kExitUsage = 2, kExitDifference = 3 };

// argv[0] is the command name; the function returns the process exit code. It may throw
// UserError (exit 2) or RunError (exit 1); main() prints those and exits accordingly.
using CommandMain = std::function<int(const std::vector<std::string>& args)>;

struct Command {
  std::string name;
  std::string usage;    // "run FILE... [options]"
  std::string summary;  // one line for `geosim --help`
  CommandMain main;
};

const std::vector<Command>& commands();

struct RegisterCommand {
  explicit RegisterCommand(Command c);
};

}  // namespace geosim::cli

namespace geosim::cli {
// Runs `geosim ARGS...` in-process (ARGS without the program name) and returns the exit
// code, printing messages as the program would. Used by main() and by tests.
int dispatch(const std::vector<std::string>& args);
}  // namespace geosim::cli
