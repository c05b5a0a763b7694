// geosim explore FILE: a local page (127.0.0.1 only) with one slider per parameter that
// reruns the scenario as a slider moves, and saves the settings as a variant YAML and a
// result folder (engine/explore, docs/explore.md).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <thread>

#include "cli/command.h"
#include "cli/options.h"
#include "cli/scenario_args.h"
#include "core/error.h"
#include "explore/explorer.h"
#include "explore/server.h"
#include "geosim/api.h"

extern char** environ;

namespace geosim::cli {
namespace {

constexpr const char* kUsage =
    "explore FILE [--port N] [--replicates N] [--seed S] [--threads T] [--set NAME=VALUE]... "
    "[--save-dir DIR] [--no-open]";

// Opens `url` in the desktop's browser (xdg-open) without waiting; nothing happens where
// there is none.
void open_browser(const std::string& url) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  const char* argv[] = {"xdg-open", url.c_str(), nullptr};
  pid_t pid = 0;
  if (posix_spawnp(&pid, "xdg-open", &actions, nullptr, const_cast<char* const*>(argv), environ) ==
      0)
    std::thread([pid] { waitpid(pid, nullptr, 0); }).detach();
  posix_spawn_file_actions_destroy(&actions);
}

int explore_main(const std::vector<std::string>& args) {
  std::vector<std::string> files, sets;
  std::optional<int64_t> replicates;
  std::optional<uint64_t> seed;
  int threads = 0, port = 0;
  std::string save_dir = "explore-saves";
  bool no_open = false;
  po::options_description desc("explore options");
  desc.add_options()("port,p", po::value<int>(&port)->default_value(0),
                     "port on 127.0.0.1 (0: a free port the system picks)")(
      "replicates,n", po::value<int64_t>()->notifier([&](int64_t v) { replicates = v; }),
      "replicates per run (default: the file's)")(
      "seed,s",
      po::value<std::string>()->notifier([&](const std::string& v) { seed = parse_seed(v); }),
      "random seed, the same for every run (default: the file's)")(
      "threads,j", po::value<int>(&threads)->default_value(0), "worker threads (0: all cores)")(
      "set", po::value<std::vector<std::string>>(&sets)->composing(),
      "NAME=VALUE: the page starts from this value (repeatable)")(
      "save-dir", po::value<std::string>(&save_dir)->default_value("explore-saves"),
      "the folder Save writes into (NAME.yaml and NAME/); nothing is saved outside it")(
      "no-open", po::bool_switch(&no_open), "do not open the page in a browser");
  po::options_description hidden;
  hidden.add_options()("file", po::value<std::vector<std::string>>(&files), "scenario file");
  desc.add(hidden);
  po::positional_options_description pos;
  pos.add("file", -1);
  po::variables_map vm;
  if (!parse_options(args, desc, pos, vm, kUsage)) return kExitOk;
  const SourceLoc where{"geosim explore"};
  if (files.size() != 1)
    throw UserError(where, "expected one scenario file, found " + std::to_string(files.size()) +
                               "; usage: geosim " + kUsage);
  if (port < 0 || port > 65535)
    throw UserError(SourceLoc{"--port"},
                    std::to_string(port) + " is out of range; expected 0 (a free port) to 65535");
  if (replicates && (*replicates < 1 || *replicates > 4294967295LL))
    throw UserError(SourceLoc{"--replicates"},
                    std::to_string(*replicates) + " is out of range; expected 1 to 4294967295");
  if (threads < 0 || threads > 1024)
    throw UserError(SourceLoc{"--threads"},
                    std::to_string(threads) + " is out of range; expected 0 (all cores) to 1024");
  if (save_dir.empty())
    throw UserError(SourceLoc{"--save-dir"}, "the folder name is empty; expected a folder");
  std::error_code ec;
  if (std::filesystem::exists(save_dir, ec) && !std::filesystem::is_directory(save_dir, ec))
    throw UserError(SourceLoc{save_dir}, "--save-dir names a file; expected a folder");

  std::vector<std::pair<std::string, std::string>> initial;
  for (const auto& s : sets) {
    parse_set(s);  // the --set grammar's messages (NAME=VALUE, a number)
    const size_t eq = s.find('=');
    initial.emplace_back(s.substr(0, eq), s.substr(eq + 1));
  }
  // Loads and checks everything, the --set values included, before serving anything.
  api::Scenario scenario = api::load(files[0], initial);
  explore::Options o;
  o.replicates = replicates.value_or(0);
  o.seed = seed.value_or(0);
  o.seed_given = seed.has_value();
  o.threads = threads;
  o.save_dir = save_dir;
  explore::Explorer explorer(std::move(scenario), initial, o);
  explore::Server server(explorer, static_cast<uint16_t>(port));
  std::printf("geosim explore: %s\n", server.url().c_str());
  std::fflush(stdout);
  std::fprintf(stderr,
               "geosim explore: serving %s on 127.0.0.1 only (%lld replicates, seed %llu); saves "
               "go to %s; Ctrl-C stops\n",
               files[0].c_str(), static_cast<long long>(explorer.options().replicates),
               static_cast<unsigned long long>(explorer.options().seed),
               explorer.options().save_dir.c_str());
  if (!no_open) open_browser(server.url());
  server.run(/*until_signal=*/true);
  std::fprintf(stderr, "geosim explore: stopped\n");
  return kExitOk;
}

RegisterCommand reg({"explore", kUsage,
                     "a local page with a slider per parameter and live charts; saves variants",
                     explore_main});

}  // namespace
}  // namespace geosim::cli
