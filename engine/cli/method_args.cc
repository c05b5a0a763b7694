#include "cli/method_args.h"

namespace geosim::cli {

void MethodArgs::add_options(po::options_description& desc) {
  desc.add_options()("method", po::value<std::string>(&method)->default_value("mle"),
                     "mle | abc-smc | pmmh")("evaluations",
                                             po::value<int>(&m.max_evaluations)->default_value(300),
                                             "mle: Nelder-Mead evaluations at most")(
      "bootstrap", po::value<int>(&m.bootstrap)->default_value(0),
      "mle: case-bootstrap refits written as posterior draws (0: the optimum only)")(
      "no-profile", po::bool_switch(&no_profile), "mle: skip the profile-likelihood intervals")(
      "particles", po::value<int>(&m.particles)->default_value(200), "abc-smc: population size")(
      "generations", po::value<int>(&m.generations)->default_value(8),
      "abc-smc: generations at most (the prior is generation 0)")(
      "quantile", po::value<double>(&m.quantile)->default_value(0.5),
      "abc-smc: next tolerance = this quantile of the previous distances")(
      "min-acceptance", po::value<double>(&m.min_acceptance)->default_value(0.01),
      "abc-smc: stop when a generation accepts fewer proposals")(
      "chains", po::value<int>(&m.chains)->default_value(4), "pmmh: chains")(
      "iterations", po::value<int>(&m.iterations)->default_value(1000),
      "pmmh: iterations per chain after burn-in")(
      "burn-in", po::value<int>(&m.burn_in)->default_value(300), "pmmh: burn-in per chain");
}

calibrate::Method MethodArgs::method_settings() const {
  calibrate::Method r = m;
  r.kind = calibrate::parse_method(method);
  r.profile = !no_profile;
  return r;
}

}  // namespace geosim::cli
