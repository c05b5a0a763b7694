// Shared option parsing for commands (Boost.Program_options stays inside engine/cli/).
#pragma once

#include <boost/program_options.hpp>
#include <string>
#include <vector>

namespace geosim::cli {

namespace po = boost::program_options;

// Parses args (args[0] is the command name). An unknown or malformed option throws a
// UserError naming it and the nearest valid option. Returns false when --help was given
// (the usage and options have then been printed to standard output).
bool parse_options(const std::vector<std::string>& args, const po::options_description& desc,
                   const po::positional_options_description& positional, po::variables_map& vm,
                   const std::string& usage);

}  // namespace geosim::cli
