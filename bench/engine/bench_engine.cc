// Speed of the lane engine against the same model written by hand (handwritten.cc).
// Prints replicate-steps per second for geosim on 1 and 2 threads and for the scalar
// loop, and their ratios, measured in this one process (best of --repeat runs each).
//   build/bench/engine/bench_engine [--replicates N] [--repeat R] [--scenario FILE]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "experiment/runner.h"
#include "experiment/summary.h"
#include "handwritten.h"
#include "scenario/load.h"
#include "sim/model.h"

using namespace geosim;

namespace {
struct Timing {
  double wall = 1e300;  // best wall-clock seconds
  double cpu = 1e300;   // best CPU seconds of the process (all threads)
};

// Best of `repeat` runs. CPU time is reported too because on a shared machine the wall
// time of a single-threaded loop is inflated by other processes, its CPU time much less.
template <typename F>
Timing best_of(int repeat, F f) {
  Timing t;
  for (int i = 0; i < repeat; ++i) {
    std::clock_t c0 = std::clock();
    auto t0 = std::chrono::steady_clock::now();
    f();
    t.wall = std::min(t.wall,
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    t.cpu = std::min(t.cpu, static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC);
  }
  return t;
}
}  // namespace

int main(int argc, char** argv) {
  int64_t replicates = 20000;
  int repeat = 3;
  std::string scenario = std::string(GEOSIM_SOURCE_DIR) + "/bench/engine/rivalry.yaml";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--replicates"))
      replicates = std::atoll(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--repeat"))
      repeat = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--scenario"))
      scenario = argv[i + 1];
  }
  try {
    sim::Model model = sim::build_model(load_scenario_spec(scenario));
    const double rep_steps = static_cast<double>(replicates) * static_cast<double>(model.steps);
    experiment::RunOptions o;
    o.replicates = replicates;
    o.seed = 7;
    experiment::RunStats s1, s2;
    o.threads = 1;
    Timing t1 = best_of(repeat, [&] { s1 = experiment::run_replicates(model, model.uniforms, o); });
    o.threads = 2;
    Timing t2 = best_of(repeat, [&] { s2 = experiment::run_replicates(model, model.uniforms, o); });
    bench::HandwrittenResult h;
    Timing th = best_of(repeat, [&] { h = bench::run_handwritten(7, replicates); });

    std::printf("scenario %s: %lld replicates x %lld steps, best of %d\n", model.id.c_str(),
                static_cast<long long>(replicates), static_cast<long long>(model.steps), repeat);
    std::printf("%-28s %10s %10s %20s\n", "", "wall s", "cpu s", "replicate-steps/s");
    std::printf("%-28s %10.4f %10.4f %20.4g\n", "hand-written scalar loop", th.wall, th.cpu,
                rep_steps / th.wall);
    std::printf("%-28s %10.4f %10.4f %20.4g\n", "geosim, 1 thread", t1.wall, t1.cpu,
                rep_steps / t1.wall);
    std::printf("%-28s %10.4f %10.4f %20.4g\n", "geosim, 2 threads", t2.wall, t2.cpu,
                rep_steps / t2.wall);
    std::printf(
        "ratio geosim(1 thread) / hand-written: %.3f wall, %.3f cpu (lower is better; target <= "
        "1)\n",
        t1.wall / th.wall, t1.cpu / th.cpu);
    std::printf("speed-up 2 threads / 1 thread: %.2fx wall (target >= 1.8)\n", t1.wall / t2.wall);
    // The two implementations must describe the same model: compare outcome means.
    auto mean_of = [&](const char* name) {
      for (size_t k = 0; k < model.outcomes.size(); ++k)
        if (model.outcomes[k].name == name) return s1.outcomes[k].values.moments.mean();
      return 0.0;
    };
    std::printf(
        "check (geosim vs hand-written): aligned %.4f vs %.4f, peak tension %.4f vs %.4f, "
        "intervened %.4f vs %.4f\n",
        mean_of("aligned_with_hegemon"), h.mean_aligned, mean_of("peak_tension"), h.mean_peak,
        mean_of("intervened"), h.p_intervened);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_engine: %s\n", e.what());
    return 2;
  }
  return 0;
}
