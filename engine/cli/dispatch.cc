#include <algorithm>
#include <cstdio>
#include <exception>
#include <iostream>
#include <new>

#include "cli/command.h"
#include "core/error.h"
#include "core/text.h"
#include "dist/dist.h"

namespace geosim::cli {

namespace {
std::vector<Command>& registry() {
  static std::vector<Command> r;
  return r;
}

void print_help() {
  std::printf("geosim %s: Monte Carlo simulation of geopolitical scenarios\n\n", GEOSIM_VERSION);
  std::printf("usage: geosim COMMAND [options]\n\ncommands:\n");
  std::vector<Command> sorted = commands();
  for (const Command& c : sorted) std::printf("  %-10s %s\n", c.name.c_str(), c.summary.c_str());
  std::printf("\n`geosim COMMAND --help` lists a command's options. Docs: docs/cli.md\n");
}
}  // namespace

RegisterCommand::RegisterCommand(Command c) {
  auto& r = registry();
  r.push_back(std::move(c));
  std::sort(r.begin(), r.end(), [](const Command& a, const Command& b) { return a.name < b.name; });
}

const std::vector<Command>& commands() { return registry(); }

int dispatch(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_help();
    return args.empty() ? kExitUsage : kExitOk;
  }
  if (args[0] == "--version") {
    std::printf("geosim %s\n", GEOSIM_VERSION);
    return kExitOk;
  }
  const Command* cmd = nullptr;
  std::vector<std::string> names;
  for (const Command& c : commands()) {
    names.push_back(c.name);
    if (c.name == args[0]) cmd = &c;
  }
  if (!cmd) {
    std::fprintf(stderr, "geosim: unknown command '%s'%s; see geosim --help\n",
                 printable(args[0], 60).c_str(), printable(did_you_mean(args[0], names)).c_str());
    return kExitUsage;
  }
  try {
    return cmd->main(args);
  } catch (const UserError& e) {
    // Every MPI rank meets the same mistake; one of them says so.
    if (dist::rank() == 0)
      for (const Diagnostic& d : e.diagnostics())
        std::fprintf(stderr, "%s\n", printable(d.str()).c_str());
    return kExitUsage;
  } catch (const Interrupted& e) {
    if (dist::rank() == 0)
      std::fprintf(stderr, "geosim: interrupted: %s\n", printable(e.what()).c_str());
    return 130;
  } catch (const RunError& e) {
    if (dist::rank() == 0)
      std::fprintf(stderr, "geosim: run failed: %s\n", printable(e.what()).c_str());
    return kExitRunFailed;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "geosim: out of memory\n");
    return kExitRunFailed;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "geosim: error: %s\n", printable(e.what()).c_str());
    return kExitRunFailed;
  }
}

}  // namespace geosim::cli
