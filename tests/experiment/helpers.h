// Small helpers shared by the experiment module's tests.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "experiment/vary.h"

namespace geosim::experiment::test {

// The message of the UserError that f throws, or "no error".
inline std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const UserError& e) {
    return e.what();
  }
  return "no error";
}

// parse_vary of each `--vary` argument.
inline std::vector<VarySpec> specs(const std::vector<std::string>& args) {
  std::vector<VarySpec> out;
  for (const std::string& a : args) out.push_back(parse_vary(a));
  return out;
}

}  // namespace geosim::experiment::test
