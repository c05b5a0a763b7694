// `geosim smp FILE.csv`: KTAB's spatial model of politics on a KTAB CSV input
// (docs/bargaining.md).
#include <chrono>
#include <cstdint>
#include <iostream>
#include <string>

#include "bargain/ktab_csv.h"
#include "bargain/smp.h"
#include "bargain/smp_options.h"
#include "bargain/smp_output.h"
#include "cli/command.h"
#include "cli/options.h"
#include "core/error.h"

namespace geosim::cli {
namespace {

using bargain::KtabScenario;
using bargain::Smp;
using bargain::SmpChoice;
using bargain::SmpHistory;
using bargain::StateTransitions;

const char* const kUsage = "smp FILE.csv [--out DIR] [--stochastic --seed S] [model options]";

int smp_main(const std::vector<std::string>& args) {
  std::string file, out;
  uint64_t seed = 0;
  bool stochastic = false, history = false;
  bargain::SmpOptions options;

  po::options_description desc("options");
  desc.add_options()("out", po::value(&out), "write positions.csv and probabilities.csv here")(
      "stochastic", po::bool_switch(&stochastic),
      "stochastic state transitions (same as --state-transitions Stochastic)")(
      "seed", po::value(&seed), "seed of the stochastic transitions (default 0)")(
      "history", po::bool_switch(&history), "also print the full history, as KTAB does")(
      "threads", po::value(&options.threads)->default_value(1), "worker threads")(
      "max-turns", po::value(&options.max_turns)->default_value(100), "stop after this many turns")(
      "min-delta-ratio", po::value(&options.min_delta_ratio)->default_value(0.02),
      "stop when a turn moves less than this fraction of the first turn's movement");
  for (const SmpChoice& c : bargain::smp_choices()) {
    std::string help = "KTAB's " + c.ktab_name + ": ";
    for (size_t v = 0; v < c.values.size(); ++v) help += (v ? "|" : "") + c.values[v];
    desc.add_options()(
        c.key.c_str(),
        po::value<std::string>()->default_value(bargain::smp_choice_value(options, c.key)),
        help.c_str());
  }
  desc.add_options()("file", po::value(&file), "KTAB CSV input");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  if (!parse_options(args, desc, pos, vm, kUsage)) return kExitOk;

  const SourceLoc where{"geosim smp"};
  if (file.empty()) throw UserError(where, "no input file; usage: geosim " + std::string(kUsage));
  for (const SmpChoice& c : bargain::smp_choices())
    bargain::set_smp_choice(options, c.key, vm[c.key].as<std::string>(), where);
  if (stochastic) options.state_transitions = StateTransitions::kStochastic;
  if (vm.count("seed") && !vm["seed"].defaulted() &&
      options.state_transitions != StateTransitions::kStochastic)
    throw UserError(where,
                    "--seed given without --stochastic; the deterministic model draws "
                    "no random numbers");
  bargain::validate(options, where);

  KtabScenario scenario = bargain::read_ktab_csv(file);
  Smp model(scenario.capability, scenario.salience, options);
  auto start = std::chrono::steady_clock::now();
  SmpHistory h = model.run(scenario.position, bargain::philox_uniforms(seed));
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!out.empty()) {
    bargain::write_smp_csv(out, scenario, h);
    std::cout << "wrote " << out << "/positions.csv and " << out << "/probabilities.csv ("
              << h.num_states() << " states, " << seconds << " s)\n";
    return kExitOk;
  }
  bargain::print_smp_table(std::cout, scenario, options, h, history);
  return kExitOk;
}

const RegisterCommand kRegister{
    {"smp", kUsage, "run KTAB's spatial model of politics on a KTAB CSV file", smp_main}};

}  // namespace
}  // namespace geosim::cli
