// The shape suite's driver: times one implementation of one shape per call (so that the
// suite script, run.py, can interleave geosim and the hand-written twin in separate
// processes and read each one's peak memory), or checks that both agree.
//   bench_shapes list
//   bench_shapes info  --shape NAME          (its default replicates and steps, as JSON)
//   bench_shapes time  --shape NAME --impl geosim|hand [--threads T] [--replicates N]
//   bench_shapes check [--shape NAME] [--replicates N] [--z Z]
// `time` prints one JSON object: seconds (wall) and cpu of the run itself, geosim's
// including loading and compiling the scenario; `check` compares every outcome's mean (and
// tracked means at the middle and last steps) and exits 1 when some |z| exceeds Z.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "experiment/runner.h"
#include "scenario/load.h"
#include "sim/model.h"
#include "twins.h"

namespace {

using namespace geosim;

struct Args {
  std::string mode, shape, impl = "geosim";
  int threads = 1;
  int64_t replicates = 0;  // 0: the scenario's own
  double z = 4;
};

std::string path_of(const std::string& shape) {
  return std::string(GEOSIM_SOURCE_DIR) + "/bench/shapes/scenarios/" + shape + ".yaml";
}

const shapes::ShapeInfo* find_shape(const std::string& name) {
  for (const auto& s : shapes::all_shapes())
    if (name == s.name) return &s;
  return nullptr;
}

struct GeosimResult {
  sim::Model model;
  experiment::RunStats stats;
};

GeosimResult run_geosim(const std::string& shape, int64_t replicates, int threads) {
  GeosimResult g{sim::build_model(load_scenario_spec(path_of(shape))), {}};
  experiment::RunOptions o;
  o.replicates = replicates > 0 ? replicates : g.model.default_replicates;
  o.seed = g.model.default_seed;
  o.threads = threads;
  g.stats = experiment::run_replicates(g.model, g.model.uniforms, o);
  return g;
}

int64_t twin_seed(const std::string& shape) { return 1000 + static_cast<int64_t>(shape.size()); }

int time_one(const Args& a) {
  const shapes::ShapeInfo* s = find_shape(a.shape);
  if (!s) {
    std::fprintf(stderr, "bench_shapes: unknown shape '%s'\n", a.shape.c_str());
    return 2;
  }
  // The scenario file gives steps and the default replicate count for both.
  const sim::Model probe = sim::build_model(load_scenario_spec(path_of(a.shape)));
  const int64_t n = a.replicates > 0 ? a.replicates : probe.default_replicates;
  std::vector<double> means;
  const std::clock_t c0 = std::clock();
  const auto t0 = std::chrono::steady_clock::now();
  if (a.impl == "hand") {
    means = s->twin(static_cast<uint64_t>(twin_seed(a.shape)), n).means;
  } else {
    GeosimResult g = run_geosim(a.shape, n, a.threads);
    for (const auto& o : g.stats.outcomes) means.push_back(o.values.moments.mean());
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  std::printf(
      "{\"shape\": \"%s\", \"impl\": \"%s\", \"threads\": %d, \"replicates\": %lld, \"steps\": "
      "%lld, \"seconds\": %.6f, \"cpu\": %.6f, \"means\": [",
      a.shape.c_str(), a.impl.c_str(), a.impl == "hand" ? 1 : a.threads, static_cast<long long>(n),
      static_cast<long long>(probe.steps), wall, cpu);
  for (size_t k = 0; k < means.size(); ++k) std::printf("%s%.17g", k ? ", " : "", means[k]);
  std::printf("]}\n");
  return 0;
}

// |z| of the difference of two means of n observations each, both with the sd geosim saw.
double z_of(double g, double h, double sd, int64_t n) {
  const double se = sd * std::sqrt(2.0 / static_cast<double>(n));
  if (se == 0) return g == h ? 0 : INFINITY;
  return std::fabs(g - h) / se;
}

int check(const Args& a) {
  bool ok = true;
  for (const auto& s : shapes::all_shapes()) {
    if (!a.shape.empty() && a.shape != s.name) continue;
    GeosimResult g = run_geosim(s.name, a.replicates, 1);
    const int64_t n = g.stats.replicates;
    const shapes::TwinResult h = s.twin(static_cast<uint64_t>(twin_seed(s.name)), n);
    std::printf("%s (%lld replicates):\n", s.name, static_cast<long long>(n));
    if (h.means.size() != g.model.outcomes.size() || h.track_means.size() != g.model.track.size()) {
      std::printf("  the twin reports %zu outcomes and %zu tracks; the scenario has %zu and %zu\n",
                  h.means.size(), h.track_means.size(), g.model.outcomes.size(),
                  g.model.track.size());
      ok = false;
      continue;
    }
    auto compare = [&](const std::string& what, double mean, double sd, double hv) {
      const double z = z_of(mean, hv, sd, n);
      const bool good = z <= a.z;
      ok = ok && good;
      std::printf("  %-28s geosim %12.6g  hand-written %12.6g  |z| %5.2f %s\n", what.c_str(), mean,
                  hv, z, good ? "ok" : "DISAGREE");
    };
    for (size_t k = 0; k < h.means.size(); ++k) {
      const stats::ExactMoments& m = g.stats.outcomes[k].values.moments;
      compare(g.model.outcomes[k].name, m.mean(), m.sd(), h.means[k]);
    }
    // Tracked values keep a mean and quantiles, no sd: the spread is estimated from the
    // quantiles (the interquartile range, or the 5-95% range, over its value for a normal).
    for (size_t k = 0; k < h.track_means.size(); ++k)
      for (int64_t t : {g.model.steps / 2, g.model.steps - 1}) {
        const auto& tr = g.stats.track[k][static_cast<size_t>(t)];
        const double spread =
            std::max((tr.sketch.quantile(0.75) - tr.sketch.quantile(0.25)) / 1.349,
                     (tr.sketch.quantile(0.95) - tr.sketch.quantile(0.05)) / 3.290);
        compare("track " + g.model.track[k].name + " @" + std::to_string(t), tr.mean.mean(), spread,
                h.track_means[k][static_cast<size_t>(t)]);
      }
  }
  std::printf("%s\n", ok ? "all agree within Monte Carlo error" : "DISAGREEMENT");
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_shapes list|time|check [options]\n");
    return 2;
  }
  a.mode = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--shape")
      a.shape = v;
    else if (k == "--impl")
      a.impl = v;
    else if (k == "--threads")
      a.threads = std::atoi(v.c_str());
    else if (k == "--replicates")
      a.replicates = std::atoll(v.c_str());
    else if (k == "--z")
      a.z = std::atof(v.c_str());
    else {
      std::fprintf(stderr, "bench_shapes: unknown option %s\n", k.c_str());
      return 2;
    }
  }
  try {
    if (a.mode == "list") {
      for (const auto& s : shapes::all_shapes()) std::printf("%s\n", s.name);
      return 0;
    }
    if (a.mode == "info") {
      const sim::Model m = sim::build_model(load_scenario_spec(path_of(a.shape)));
      std::printf("{\"replicates\": %lld, \"steps\": %lld}\n",
                  static_cast<long long>(m.default_replicates), static_cast<long long>(m.steps));
      return 0;
    }
    if (a.mode == "time") return time_one(a);
    if (a.mode == "check") return check(a);
    std::fprintf(stderr, "bench_shapes: unknown mode %s\n", a.mode.c_str());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_shapes: %s\n", e.what());
    return 2;
  }
}
