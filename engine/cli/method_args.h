// The fitting method's options, shared by `calibrate` and `backtest` (docs/calibration.md).
#pragma once

#include <string>

#include "calibrate/calibrate.h"
#include "cli/options.h"

namespace geosim::cli {

struct MethodArgs {
  std::string method = "mle";
  bool no_profile = false;
  calibrate::Method m;
  // Declares --method --evaluations --bootstrap --no-profile --particles --generations
  // --quantile --min-acceptance --chains --iterations --burn-in.
  void add_options(po::options_description& desc);
  // The method with its kind and profile switch set (seed and replicates are the caller's).
  calibrate::Method method_settings() const;
};

}  // namespace geosim::cli
