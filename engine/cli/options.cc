#include "cli/options.h"

#include <iostream>
#include <set>

#include "core/error.h"
#include "core/text.h"

namespace geosim::cli {

namespace {

// `--vary x 0:1` (the '=' forgotten) leaves 'x' as the option's value and '0:1' as one more
// file, and the command would then complain about its files. Caught before: the option
// and what was probably meant.
void check_forgotten_equals(const std::vector<std::string>& args,
                            const po::options_description& desc) {
  static const std::pair<const char*, const char*> kNameValueOptions[] = {{"set", "NAME=VALUE"},
                                                                          {"vary", "NAME=SPEC"}};
  for (const auto& [name, form] : kNameValueOptions) {
    if (!desc.find_nothrow(name, false)) continue;
    const std::string flag = std::string("--") + name;
    for (size_t i = 1; i + 2 < args.size(); ++i) {
      const std::string& value = args[i + 1];
      const std::string& next = args[i + 2];
      if (args[i] != flag || value.find('=') != std::string::npos || value.starts_with("-") ||
          next.empty() || next.starts_with("-")) {
        continue;
      }
      throw UserError(SourceLoc{flag + " " + value}, std::string("expected ") + form + ", found '" +
                                                         value + "' without '=' (did you mean " +
                                                         flag + " " + value + "=" + next + "?)");
    }
  }
}

}  // namespace

bool parse_options(const std::vector<std::string>& args, const po::options_description& desc,
                   const po::positional_options_description& positional, po::variables_map& vm,
                   const std::string& usage) {
  po::options_description all(desc);
  all.add_options()("help,h", "show this help");
  std::vector<std::string> rest(args.begin() + 1, args.end());
  std::set<std::string> positional_names;
  for (unsigned i = 0; i < positional.max_total_count() && i < 64; ++i)
    positional_names.insert(positional.name_for_position(i));
  try {
    // No guessing of abbreviated options (--replicate for --replicates): an option is
    // spelled out, or refused with the nearest valid name.
    const int style =
        po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    po::store(po::command_line_parser(rest).options(all).positional(positional).style(style).run(),
              vm);
    if (vm.count("help")) {
      // Positional arguments appear in the usage line, not as --options.
      po::options_description visible(all.get_option_column_width() ? "options" : "options");
      for (const auto& o : all.options())
        if (!positional_names.count(o->long_name())) visible.add(o);
      std::cout << "usage: geosim " << usage << "\n\n" << visible << "\n";
      return false;
    }
    po::notify(vm);
    check_forgotten_equals(args, desc);
  } catch (const po::unknown_option& e) {
    std::vector<std::string> names;
    for (const auto& o : all.options())
      if (!positional_names.count(o->long_name())) names.push_back("--" + o->long_name());
    std::string opt = e.get_option_name();
    throw UserError(SourceLoc{"geosim " + args[0]}, "unknown option '" + opt + "'" +
                                                        did_you_mean(opt, names) + "; see geosim " +
                                                        args[0] + " --help");
  } catch (const po::too_many_positional_options_error&) {
    throw UserError(SourceLoc{"geosim " + args[0]}, "too many arguments; usage: geosim " + usage);
  } catch (const po::error& e) {
    throw UserError(SourceLoc{"geosim " + args[0]},
                    std::string(e.what()) + "; usage: geosim " + usage);
  }
  return true;
}

}  // namespace geosim::cli
