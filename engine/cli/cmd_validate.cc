// geosim validate FILE... : checks files and prints every error; exit 0 only if all are valid.
#include <cstdio>
#include <iostream>

#include "cli/command.h"
#include "cli/options.h"
#include "core/error.h"
#include "io/json.h"
#include "scenario/load.h"
#include "sim/model.h"

namespace geosim::cli {
namespace {

int validate_main(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  std::string format = "text";
  po::options_description desc("validate options");
  desc.add_options()("file", po::value<std::vector<std::string>>(&files), "scenario files")(
      "format", po::value<std::string>(&format)->default_value("text"),
      "text (one message per line) or json (for editors and CI)");
  po::positional_options_description pos;
  pos.add("file", -1);
  po::variables_map vm;
  if (!parse_options(args, desc, pos, vm, "validate FILE... [--format text|json]")) return kExitOk;
  if (format != "text" && format != "json")
    throw UserError(SourceLoc{"geosim validate"},
                    "--format '" + format + "' is not known; expected 'text' or 'json'");
  if (files.empty())
    throw UserError(SourceLoc{"geosim validate"},
                    "no scenario file given; usage: geosim validate FILE...");

  bool all_ok = true;
  io::JsonWriter w;
  w.begin_array();
  for (const std::string& f : files) {
    std::vector<Diagnostic> errors;
    try {
      sim::build_model(load_scenario_spec(f));
    } catch (const UserError& e) {
      errors = e.diagnostics();
    }
    all_ok &= errors.empty();
    if (format == "text") {
      if (errors.empty()) std::printf("%s: valid\n", f.c_str());
      for (const Diagnostic& d : errors) std::fprintf(stderr, "%s\n", d.str().c_str());
    } else {
      w.begin_object();
      w.member("file", f);
      w.member("valid", errors.empty());
      w.key("errors").begin_array();
      for (const Diagnostic& d : errors) {
        w.begin_object();
        w.member("file", d.loc.file);
        w.member("line", static_cast<int64_t>(d.loc.line));
        w.member("column", static_cast<int64_t>(d.loc.column));
        w.member("message", d.message);
        w.end_object();
      }
      w.end_array();
      w.end_object();
    }
  }
  w.end_array();
  if (format == "json") std::cout << w.str() << "\n";
  return all_ok ? kExitOk : kExitUsage;
}

const RegisterCommand kRegister{Command{"validate", "validate FILE... [--format text|json]",
                                        "check scenario files and print every error",
                                        validate_main}};

}  // namespace
}  // namespace geosim::cli
