// Micro benchmark of the streaming summaries: nanoseconds per observation for
// ExactMoments and QuantileSketch on a few kinds of data, with a plain Welford update as
// the yardstick. Not a test; run by hand:
//   build/tests/stats/stats_bench [observations]
#include <time.h>

#include <algorithm>
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

// Thread CPU time rather than wall time: the machine is shared, and time spent waiting
// for a core is not the code's.
double cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

template <typename F>
double ns_per_item(size_t items, F&& body) {
  double best = 1e300;
  for (int rep = 0; rep < 7; ++rep) {
    double start = cpu_ns();
    body();
    best = std::min(best, (cpu_ns() - start) / static_cast<double>(items));
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
  std::printf("%-16s %8s %14s %14s %16s\n", "data", "Welford", "ExactMoments", "(one by one)",
              "QuantileSketch");
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
    double m1 = ns_per_item(n, [&] {
      ExactMoments acc;
      for (double x : xs) acc.add(x);
      sink += acc.count();
    });
    double q = ns_per_item(n, [&] {
      QuantileSketch acc;
      acc.add(xs.data(), xs.size());
      sink += acc.count();
    });
    std::printf("%-16s %8.2f %14.2f %14.2f %16.2f\n", name.c_str(), w, m, m1, q);
  }
  // The occasional operations: merge two filled states, and read mean and sd.
  const auto& xs = datasets[1].second;
  ExactMoments a, b;
  a.add(xs.data(), xs.size() / 2);
  b.add(xs.data() + xs.size() / 2, xs.size() - xs.size() / 2);
  const int reps = 2000;
  double merge_ns = ns_per_item(reps, [&] {
    for (int i = 0; i < reps; ++i) {
      ExactMoments c = a;
      c.merge(b);
      sink += c.count();
    }
  });
  double read_ns = ns_per_item(reps, [&] {
    for (int i = 0; i < reps; ++i) sink += a.mean() + a.sd();
  });
  QuantileSketch qa, qb;
  qa.add(xs.data(), xs.size() / 2);
  qb.add(xs.data() + xs.size() / 2, xs.size() - xs.size() / 2);
  double qmerge_ns = ns_per_item(reps, [&] {
    for (int i = 0; i < reps; ++i) {
      QuantileSketch c = qa;
      c.merge(qb);
      sink += c.count();
    }
  });
  std::printf(
      "ExactMoments: copy+merge %.0f ns, mean()+sd() %.0f ns; "
      "QuantileSketch (lognormal): copy+merge %.0f ns\n",
      merge_ns, read_ns, qmerge_ns);
  std::printf(
      "(ns of thread CPU time per observation, best of 7 passes over %zu observations; sink %g)\n",
      n, sink);
  return 0;
}
