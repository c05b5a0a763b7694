// geosim's entry point: dispatch to a registered command; turn errors into exit codes.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/command.h"
#include "core/error.h"
#include "core/text.h"

int main(int argc, char** argv) {
  return geosim::cli::dispatch(std::vector<std::string>(argv + 1, argv + argc));
}
