// docs/api.md's sweep, compare, discover and calibrate example, compiled and run by ctest
// (api.example_sweep_runs);
// docs/api.md holds this file verbatim (api_test: Api.DocsHoldTheExampleVerbatim).
#include <cstdio>
#include <iostream>

#include "geosim/api.h"

int main(int argc, char** argv) {
  namespace api = geosim::api;
  const std::string file =
      argc > 1 ? argv[1] : "scenarios/kazakhstan-2022/intervention-request.yaml";
  try {
    api::Scenario s = api::load(file);

    // `geosim sweep FILE --vary grievance0=0.4,0.5,0.6 -n 1000 --seed 7 --out DIR`
    api::SweepOptions o;
    o.vary = {"grievance0=0.4,0.5,0.6"};
    o.replicates = 1000;
    o.seed = 7;
    api::SweepResult sw = api::sweep(s, o);
    for (const api::SweepRow& row : sw.summary)
      if (row.summary.statistic == "probability" && row.summary.value)
        std::cout << "point " << row.point << " (grievance0 = " << row.parameters[0]
                  << "): " << row.summary.outcome << " " << *row.summary.value << "\n";
    if (argc > 2) sw.write_result_folder(argv[2]);

    // `geosim compare A B`, on two runs held in memory.
    api::RunOptions ro;
    ro.replicates = 1000;
    ro.seed = 7;
    api::RunResult base = api::run(s, ro);
    api::RunResult high = api::run(s.with({{"grievance0", "0.7"}}), ro);
    api::CompareResult c = api::compare(base, high);
    for (const api::CompareRow& row : c.rows)
      if (row.significant && row.statistic == "probability")
        std::cout << row.outcome << " " << row.statistic << ": " << row.a << " -> " << row.b
                  << " (p = " << row.p_value.value_or(1) << ")\n";

    // `geosim discover` on the sweep's points: where is an intervention likely?
    api::DiscoverOptions d;
    d.outcome = "intervention";
    d.statistic = "probability";
    d.threshold = 0.5;
    std::cout << api::discover(sw, d).text();

    // `geosim calibrate FILE --cases observed.csv --free consult_value`, briefly.
    api::CalibrateOptions fit;
    fit.cases = file.substr(0, file.rfind('/') + 1) + "observed.csv";
    fit.free = {"consult_value"};
    fit.evaluations = 20;
    fit.replicates = 64;
    fit.profile = false;
    api::CalibrateResult cal = api::calibrate(s, fit);
    for (const api::FitRow& row : cal.fit)
      if (row.statistic == "estimate")
        std::cout << "fitted " << row.parameter << " = " << row.text << "\n";
  } catch (const geosim::UserError& e) {  // file:line:column: message
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  return 0;
}
