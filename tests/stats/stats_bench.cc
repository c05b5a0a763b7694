// Micro benchmark of the streaming summaries: nanoseconds per observation for
// ExactMoments and QuantileSketch on a few kinds of data, with a plain Welford update as
// the yardstick. Not a test; run by hand:
//   build/tests/stats/stats_bench [observations]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "stats/moments.h"
#include "stats/sketch.h"

namespace {

using geosim::stats::ExactMoments;
using geosim::stats::QuantileSketch;

struct Welford {
  double n = 0, mean = 0, m2 = 0;
  void add(double x) {
    n += 1;
    double d = x - mean;
    mean += d / n;
    m2 += d * (x - mean);
  }
};

template <typename F>
double ns_per_item(size_t items, F&& body) {
  double best = 1e300;
  for (int rep = 0; rep < 5; ++rep) {
    auto start = std::chrono::steady_clock::now();
    body();
    std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
    best = std::min(best, took.count() / static_cast<double>(items));
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 2000000;
  std::mt19937_64 rng(1);
  std::vector<std::pair<std::string, std::vector<double>>> datasets;
  {
    std::uniform_real_distribution<double> u(0, 1);
    std::lognormal_distribution<double> ln(0, 1);
    std::normal_distribution<double> nd(100, 15);
    std::uniform_int_distribution<int> cat(0, 9);
    std::vector<double> a(n), b(n), c(n), d(n);
    for (size_t i = 0; i < n; ++i) {
      a[i] = u(rng);
      b[i] = ln(rng);
      c[i] = nd(rng);
      d[i] = cat(rng);
    }
    datasets = {
        {"uniform(0,1)", a}, {"lognormal(0,1)", b}, {"normal(100,15)", c}, {"integers 0..9", d}};
  }
  double sink = 0;
  std::printf("%-16s %10s %14s %16s\n", "data", "Welford", "ExactMoments", "QuantileSketch");
  for (const auto& [name, xs] : datasets) {
    double w = ns_per_item(n, [&] {
      Welford acc;
      for (double x : xs) acc.add(x);
      sink += acc.m2;
    });
    double m = ns_per_item(n, [&] {
      ExactMoments acc;
      acc.add(xs.data(), xs.size());
      sink += acc.count();
    });
    double q = ns_per_item(n, [&] {
      QuantileSketch acc;
      acc.add(xs.data(), xs.size());
      sink += acc.count();
    });
    std::printf("%-16s %10.2f %14.2f %16.2f\n", name.c_str(), w, m, q);
  }
  std::printf("(ns per observation, best of 5 passes over %zu observations; sink %g)\n", n, sink);
  return 0;
}
