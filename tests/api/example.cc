// docs/api.md's example, compiled and run by ctest (api.example_runs); docs/api.md holds
// this file verbatim (api_test: Api.DocsHoldTheExampleVerbatim).
#include <cstdio>
#include <iostream>

#include "geosim/api.h"

int main(int argc, char** argv) {
  namespace api = geosim::api;
  const std::string file =
      argc > 1 ? argv[1] : "scenarios/kazakhstan-2022/intervention-request.yaml";
  try {
    // Load with an override, checked as `geosim run --set grievance0=0.6` is.
    api::Scenario s = api::load(file, {{"grievance0", "0.6"}});
    for (const api::Parameter& p : s.parameters())
      if (p.name == "grievance0")
        std::cout << p.name << " = " << p.value << " (file: " << p.file_value << ", range "
                  << p.min.value_or(0) << " to " << p.max.value_or(0) << ")\n";

    api::RunOptions o;
    o.replicates = 2000;
    o.seed = 7;
    api::RunResult r = api::run(s, o);
    for (const api::SummaryRow& row : r.summary)
      if (row.statistic == "probability" && row.value)
        std::cout << row.outcome << ": " << *row.value << " [" << row.ci_low.value_or(0) << ", "
                  << row.ci_high.value_or(0) << "]\n";

    // Move a parameter and run again: no file is read again, same seed (common random numbers).
    s.set("grievance0", "0.7");
    api::RunResult moved = api::run(s, o);
    std::cout << "rows at grievance0 = 0.7: " << moved.summary.size() << "\n";

    // The folder `geosim run FILE --set grievance0=0.7 -n 2000 --seed 7 --out DIR` writes.
    if (argc > 2) moved.write_result_folder(argv[2]);
  } catch (const geosim::UserError& e) {  // file:line:column: message
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  return 0;
}
