// The hand-written twins (see twins.h). Deliberately self-contained: only the standard
// library, no geosim header. Each function mirrors scenarios/<shape>.yaml; the comments
// name the phase of geosim's step ("One step" in docs/format.md) each part implements.
#include "twins.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace shapes {

namespace {

// xoshiro256++ (Blackman & Vigna), seeded through splitmix64 as its authors recommend.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (auto& s : s_) {
      seed += 0x9E3779B97F4A7C15ull;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      s = z ^ (z >> 31);
    }
  }
  uint64_t next() {
    const uint64_t result = rotl(s_[0] + s_[3], 23) + s_[0];
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1), 53 bits.
  double u() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double a, double b) { return a + (b - a) * u(); }
  bool bernoulli(double p) { return u() < p; }
  // Box–Muller, both variates of a pair used.
  double normal(double mu, double sd) {
    if (has_spare_) {
      has_spare_ = false;
      return mu + sd * spare_;
    }
    const double u1 = 1.0 - u(), u2 = u();  // u1 in (0, 1]
    const double r = std::sqrt(-2.0 * std::log(u1)), a = 6.283185307179586 * u2;
    spare_ = r * std::sin(a);
    has_spare_ = true;
    return mu + sd * r * std::cos(a);
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

// Logit choice: option j with probability exp(l u_j) / sum exp(l u_k).
template <int K>
int logit_choice(Rng& rng, double lambda, const double (&utility)[K]) {
  double mx = utility[0];
  for (int j = 1; j < K; ++j) mx = std::max(mx, utility[j]);
  double w[K], total = 0;
  for (int j = 0; j < K; ++j) total += (w[j] = std::exp(lambda * (utility[j] - mx)));
  const double x = rng.u() * total;
  double acc = 0;
  for (int j = 0; j < K - 1; ++j) {
    acc += w[j];
    if (x < acc) return j;
  }
  return K - 1;
}

double clamp(double x, double lo, double hi) { return std::min(std::max(x, lo), hi); }

TwinResult finish(std::vector<double> sums, int64_t replicates,
                  std::vector<std::vector<double>> track = {}) {
  const double n = static_cast<double>(replicates);
  for (double& s : sums) s /= n;
  for (auto& tr : track)
    for (double& s : tr) s /= n;
  return TwinResult{std::move(sums), std::move(track)};
}

// scenarios/logit.yaml
TwinResult twin_logit(uint64_t seed, int64_t replicates) {
  constexpr int kN = 32, kSteps = 50;
  constexpr double kLambda = 3;
  Rng rng(seed);
  std::vector<double> sum(3, 0.0);
  for (int64_t r = 0; r < replicates; ++r) {
    double pull = 0, taste[kN], wins[kN];
    int pick[kN];
    for (int i = 0; i < kN; ++i) {
      taste[i] = rng.uniform(-1, 1);
      pick[i] = 0;
      wins[i] = 0;
    }
    for (int t = 0; t < kSteps; ++t) {
      int choice[kN];
      for (int i = 0; i < kN; ++i) {
        const double u[4] = {taste[i] + pull, 0.5 - taste[i], 0.2 * wins[i], 0.1};
        choice[i] = logit_choice(rng, kLambda, u);
      }
      int n0 = 0, n1 = 0;
      for (int i = 0; i < kN; ++i) {
        pick[i] = choice[i];
        n0 += pick[i] == 0;
        n1 += pick[i] == 1;
      }
      pull = 0.8 * pull + 0.5 * (n0 - n1) / 32.0;
      for (int i = 0; i < kN; ++i) wins[i] = 0.9 * wins[i] + (pick[i] == 2 ? 1 : 0);
    }
    double n0 = 0, w = 0;
    for (int i = 0; i < kN; ++i) {
      n0 += pick[i] == 0;
      w += wins[i];
    }
    sum[0] += n0 / 32;
    sum[1] += pull;
    sum[2] += w / kN;
  }
  return finish(sum, replicates);
}

// scenarios/draws.yaml
TwinResult twin_draws(uint64_t seed, int64_t replicates) {
  constexpr int kN = 16, kSteps = 50;
  Rng rng(seed);
  std::vector<double> sum(5, 0.0);
  for (int64_t r = 0; r < replicates; ++r) {
    double level = 0, x[kN] = {}, y[kN] = {}, hits[kN] = {}, size[kN];
    std::fill(size, size + kN, 1.0);
    for (int t = 0; t < kSteps; ++t) {
      for (int i = 0; i < kN; ++i) {
        x[i] = 0.9 * x[i] + rng.normal(0, 0.1);
        y[i] += rng.uniform(-0.1, 0.1);
        hits[i] += rng.bernoulli(0.05);
        size[i] = 0.5 * size[i] + 0.5 * std::exp(rng.normal(0, 0.2));
      }
      level = std::max(level, *std::max_element(x, x + kN));
    }
    double mx = 0, my2 = 0, h = 0, s = 0;
    for (int i = 0; i < kN; ++i) {
      mx += x[i];
      my2 += y[i] * y[i];
      h += hits[i];
      s += size[i];
    }
    sum[0] += mx / kN;
    sum[1] += my2 / kN;
    sum[2] += h;
    sum[3] += s / kN;
    sum[4] += level;
  }
  return finish(sum, replicates);
}

// scenarios/aggregates.yaml
TwinResult twin_aggregates(uint64_t seed, int64_t replicates) {
  constexpr int kN = 64, kSteps = 50;
  Rng rng(seed);
  std::vector<double> sum(4, 0.0);
  for (int64_t r = 0; r < replicates; ++r) {
    double x[kN], w[kN];
    for (int i = 0; i < kN; ++i) {
      x[i] = rng.uniform(0, 1);
      w[i] = rng.uniform(0.5, 1.5);
    }
    double m = 0, s = 0, peak_spread = -INFINITY, above_total = 0;
    for (int t = 0; t < kSteps; ++t) {
      double sx = 0, hi = -INFINITY, lo = INFINITY, sxw = 0, sw = 0;
      for (int i = 0; i < kN; ++i) {
        sx += x[i];
        hi = std::max(hi, x[i]);
        lo = std::min(lo, x[i]);
        sxw += x[i] * w[i];
        sw += w[i];
      }
      m = sx / kN;
      int above = 0;
      for (int i = 0; i < kN; ++i) above += x[i] > m;
      s = sxw / sw;
      const double spread = hi - lo;
      for (int i = 0; i < kN; ++i) x[i] = x[i] + 0.2 * (s - x[i]) + 0.1 * spread * rng.normal(0, 1);
      peak_spread = std::max(peak_spread, spread);
      above_total += above;
    }
    sum[0] += m;
    sum[1] += peak_spread;
    sum[2] += above_total / kSteps;
    sum[3] += s;
  }
  return finish(sum, replicates);
}

// scenarios/events.yaml
TwinResult twin_events(uint64_t seed, int64_t replicates) {
  constexpr int kVars = 8, kEvents = 24, kSteps = 60;
  Rng rng(seed);
  std::vector<double> sum(4, 0.0);
  for (int64_t r = 0; r < replicates; ++r) {
    double v[kVars], total = 0, peak7 = -INFINITY, late = 0;
    bool fired[kEvents] = {};
    for (int k = 0; k < kVars; ++k) v[k] = rng.uniform(0, 0.5);
    for (int t = 0; t < kSteps; ++t) {
      for (int e = 0; e < kEvents; ++e) {  // events, in file order
        double& x = v[e % kVars];
        const bool once = e % 4 == 3;
        if (x < 2 && !(once && fired[e]) && rng.bernoulli(0.01 + 0.02 * x)) {
          x += 0.3;
          total += 1;
          fired[e] = true;
        }
      }
      for (int k = 0; k < kVars; ++k) v[k] = clamp(0.95 * v[k], 0, 3);  // dynamics, bounds
      peak7 = std::max(peak7, v[7]);
      late += v[3] > 0.4;
    }
    sum[0] += total;
    sum[1] += v[0];
    sum[2] += peak7;
    sum[3] += late / kSteps;
  }
  return finish(sum, replicates);
}

// scenarios/tracked.yaml
TwinResult twin_tracked(uint64_t seed, int64_t replicates) {
  constexpr int kN = 6, kSteps = 500;
  Rng rng(seed);
  std::vector<double> sum(3, 0.0);
  std::vector<std::vector<double>> track(4, std::vector<double>(kSteps, 0.0));
  for (int64_t r = 0; r < replicates; ++r) {
    double a = 0, b = 1, x[kN] = {}, sum_a = 0, peak_b = -INFINITY, mean_x = 0;
    for (int t = 0; t < kSteps; ++t) {
      a = 0.99 * a + rng.normal(0, 0.1);
      b = 0.9 * b + 0.1 * std::fabs(a);
      double sx = 0, mx = -INFINITY;
      for (int i = 0; i < kN; ++i) {
        x[i] = 0.95 * x[i] + 0.05 * a + rng.normal(0, 0.05);
        sx += x[i];
        mx = std::max(mx, x[i]);
      }
      a = clamp(a, -5, 5);
      mean_x = sx / kN;
      sum_a += a;
      peak_b = std::max(peak_b, b);
      track[0][t] += a;
      track[1][t] += b;
      track[2][t] += mean_x;
      track[3][t] += mx;
    }
    sum[0] += sum_a / kSteps;
    sum[1] += peak_b;
    sum[2] += mean_x;
  }
  return finish(sum, replicates, std::move(track));
}

// scenarios/crowd.yaml
TwinResult twin_crowd(uint64_t seed, int64_t replicates) {
  constexpr int kN = 64, kSteps = 30;
  Rng rng(seed);
  std::vector<double> sum(3, 0.0);
  for (int64_t r = 0; r < replicates; ++r) {
    double mood = 0.5, red[kN], blue[kN];
    int red_active[kN] = {}, blue_active[kN] = {};
    for (int i = 0; i < kN; ++i) red[i] = rng.uniform(0, 1);
    for (int i = 0; i < kN; ++i) blue[i] = rng.uniform(0, 1);
    for (int t = 0; t < kSteps; ++t) {
      // Argmax, ties to the first option ("act"); both groups decide on the same state.
      int nr = 0, nb = 0;
      for (int i = 0; i < kN; ++i) nr += red_active[i] = red[i] + mood >= 1;
      for (int i = 0; i < kN; ++i) nb += blue_active[i] = blue[i] + 1 - mood >= 1;
      mood = clamp(mood + 0.01 * (nr - nb) / 64, 0, 1);
      for (int i = 0; i < kN; ++i) red[i] = 0.9 * red[i] + 0.1 * mood + rng.normal(0, 0.05);
      for (int i = 0; i < kN; ++i) blue[i] = 0.9 * blue[i] + 0.1 * (1 - mood) + rng.normal(0, 0.05);
    }
    int nr = 0, nb = 0;
    for (int i = 0; i < kN; ++i) {
      nr += red_active[i];
      nb += blue_active[i];
    }
    sum[0] += mood;
    sum[1] += nr;
    sum[2] += nb;
  }
  return finish(sum, replicates);
}

// scenarios/twelve.yaml: the 12-actor scenario.
TwinResult twin_twelve(uint64_t seed, int64_t replicates) {
  constexpr int kN = 12, kSteps = 60;  // members 0-5 north, 6-11 south
  constexpr double kLambda = 4, kNoise = 0.05;
  Rng rng(seed);
  std::vector<double> sum(4, 0.0);
  std::vector<std::vector<double>> track(1, std::vector<double>(kSteps, 0.0));
  for (int64_t r = 0; r < replicates; ++r) {
    double tension = rng.uniform(0.1, 0.3), incidents = 0, peak = -INFINITY, sum_t = 0;
    double mood[kN], stance[kN] = {}, cost[kN] = {};
    for (int i = 0; i < kN; ++i) mood[i] = rng.uniform(0, 1);
    for (int t = 0; t < kSteps; ++t) {
      if (rng.bernoulli(0.02 + 0.1 * tension)) {  // the hazard
        tension += 0.15;
        incidents += 1;
      }
      int choice[kN];
      for (int i = 0; i < kN; ++i) {  // decisions, all on the same state
        choice[i] = -1;
        if (!(mood[i] > 0.2)) continue;
        const double bias = i < 6 ? 0 : 0.1;
        const double u[3] = {tension + 0.5 * mood[i] - 0.2 * cost[i] + bias, 0.3, 0.6 - tension};
        choice[i] = logit_choice(rng, kLambda, u);
      }
      for (int i = 0; i < kN; ++i) {  // then their effects
        if (choice[i] == 0) {
          stance[i] = 1;
          cost[i] += 0.1;
        } else if (choice[i] == 1) {
          stance[i] = 0;
        } else if (choice[i] == 2) {
          stance[i] = -1;
        }
      }
      double stances = 0;
      for (int i = 0; i < kN; ++i) stances += stance[i];
      tension = 0.9 * tension + 0.01 * stances;
      for (int i = 0; i < kN; ++i)
        mood[i] = clamp(mood[i] + rng.normal(0, kNoise) - 0.02 * stance[i], 0, 1);
      incidents *= 0.98;
      tension = clamp(tension, 0, 1);
      peak = std::max(peak, tension);
      sum_t += tension;
      track[0][t] += tension;
    }
    int escalating = 0;
    for (int i = 0; i < kN; ++i) escalating += stance[i] == 1;
    sum[0] += escalating;
    sum[1] += incidents;
    sum[2] += peak;
    sum[3] += sum_t / kSteps;
  }
  return finish(sum, replicates, std::move(track));
}

}  // namespace

const std::vector<ShapeInfo>& all_shapes() {
  static const std::vector<ShapeInfo> shapes = {
      {"logit", twin_logit},   {"draws", twin_draws},     {"aggregates", twin_aggregates},
      {"events", twin_events}, {"tracked", twin_tracked}, {"crowd", twin_crowd},
      {"twelve", twin_twelve},
  };
  return shapes;
}

}  // namespace shapes
