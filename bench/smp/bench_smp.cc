// Times the KTAB-compatible SMP on KTAB's reference inputs and compares with KTAB's
// measured wall times (/work/shared/ktab/README.md). Usage: bench_smp DATA_DIR [THREADS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

#include "bargain/ktab_csv.h"
#include "bargain/smp.h"

namespace {

struct Input {
  const char* file;
  double ktab_seconds;  // KTAB -O2 with minimal SQLite logging; 0 = not measured
};

constexpr Input kInputs[] = {
    {"dummyData_3Dim.csv", 0.07}, {"dummyData_6Dim.csv", 2.5},          {"SOE-Pol-Comp.csv", 0.3},
    {"SOE-Policy.csv", 0},        {"SOE-Competitive.csv", 6.2},         {"dummyData-a040.csv", 6.1},
    {"dummyData-a080.csv", 55.6}, {"dummyData-a160.csv", 22 * 60 + 18},
};

}  // namespace

int main(int argc, char** argv) {
  using geosim::bargain::Smp;
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_smp DATA_DIR [THREADS]\n");
    return 2;
  }
  const std::string dir = std::string(argv[1]) + "/";
  const int threads = argc > 2 ? std::atoi(argv[2]) : 1;
  std::printf("%-20s %6s %4s %6s %10s %10s %10s %10s %12s %9s\n", "input", "actors", "dims",
              "states", "s/run", "cpu s/run", "ms/turn", "KTAB s", "KTAB ms/turn", "speed-up");
  for (const Input& in : kInputs) {
    auto scenario = geosim::bargain::read_ktab_csv(dir + in.file);
    geosim::bargain::SmpOptions options;
    options.threads = threads;
    Smp model(scenario.capability, scenario.salience, options);
    double best = 1e300, best_cpu = 1e300, total = 0;
    int states = 0;
    for (int rep = 0; rep < 5 || (total < 1.0 && rep < 200); ++rep) {
      auto t0 = std::chrono::steady_clock::now();
      const std::clock_t c0 = std::clock();
      auto h = model.run(scenario.position);
      double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      best_cpu = std::min(best_cpu, static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC);
      states = h.num_states();
      best = std::min(best, s);
      total += s;
    }
    const int turns = states - 1;
    char ktab[32] = "-", ktab_turn[32] = "-", speed[32] = "-";
    if (in.ktab_seconds > 0) {
      std::snprintf(ktab, sizeof ktab, "%.2f", in.ktab_seconds);
      std::snprintf(ktab_turn, sizeof ktab_turn, "%.1f", 1e3 * in.ktab_seconds / turns);
      std::snprintf(speed, sizeof speed, "%.0fx", in.ktab_seconds / best);
    }
    std::printf("%-20s %6d %4d %6d %10.5f %10.5f %10.4f %10s %12s %9s\n", in.file,
                model.num_actors(), model.num_dimensions(), states, best, best_cpu,
                1e3 * best / turns, ktab, ktab_turn, speed);
  }
  std::printf(
      "(best of >= 5 runs, wall and process CPU time, %d thread%s; KTAB: -O2, minimal SQLite "
      "logging, per turn "
      "assuming the same number of turns)\n",
      threads, threads == 1 ? "" : "s");
  return 0;
}
