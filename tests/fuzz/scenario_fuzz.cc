// libFuzzer target: the scenario loader and the model compiler. Any input must either
// load and compile, or be refused with a UserError; a crash, a sanitizer report, a hang or
// any other exception is a finding (docs/reliability.md).
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "scenario/load.h"
#include "sim/model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    geosim::ScenarioSpec spec = geosim::load_scenario_spec_from_string(text, "fuzz.yaml");
    geosim::sim::Model model = geosim::sim::build_model(spec);
    (void)model;
  } catch (const geosim::UserError&) {
  }
  return 0;
}
