// experiment/shared_tracks.h: the tracked series a run's threads share. A writer that
// finds a series locked puts its values aside and adds them later; whatever the order,
// the statistics are those of adding every value directly.
#include "experiment/shared_tracks.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

namespace geosim::experiment {
namespace {

std::vector<double> block_values(int seed, int n) {
  std::vector<double> v(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) v[static_cast<size_t>(i)] = 0.37 * seed + 0.001 * i * i - 3;
  return v;
}

std::string bytes(SharedTracks& tracks) {
  std::string out;
  tracks.settle(0, tracks.series());
  for (const auto& tr : tracks.track())
    for (const auto& s : tr) s.serialize(out);
  return out;
}

// Holds one series' lock from another thread until release() (a std::mutex must not be
// try-locked by the thread that holds it).
class Holder {
 public:
  explicit Holder(std::mutex& m) {
    std::promise<void> locked;
    auto is_locked = locked.get_future();
    thread_ = std::thread([&m, &locked, this] {
      m.lock();
      locked.set_value();
      release_.get_future().wait();
      m.unlock();
    });
    is_locked.wait();
  }
  void release() {
    if (thread_.joinable()) {
      release_.set_value();
      thread_.join();
    }
  }
  ~Holder() { release(); }

 private:
  std::promise<void> release_;
  std::thread thread_;
};

TEST(SharedTracks, ALockedSeriesIsAddedLaterAndTheResultIsTheSame) {
  SharedTracks tracks(2, 3), direct(2, 3);
  TrackWriter w(tracks);
  const auto a = block_values(1, 256), b = block_values(2, 200), c = block_values(3, 256),
             d = block_values(4, 7);
  {
    Holder h(tracks.lock_of(0, 1));
    w.add(0, 1, a.data(), 256);  // locked: put aside
    EXPECT_EQ(w.waiting(), 1u);
    EXPECT_EQ(tracks.track()[0][1].mean.count(), 0);
    w.add(1, 2, b.data(), 200);  // free: added, (0, 1) still waits
    EXPECT_EQ(w.waiting(), 1u);
    EXPECT_EQ(tracks.track()[1][2].mean.count(), 200);
  }
  w.add(0, 2, c.data(), 256);  // (0, 1) is free now: added first
  EXPECT_EQ(w.waiting(), 0u);
  EXPECT_EQ(tracks.track()[0][1].mean.count(), 256);
  {
    Holder h(tracks.lock_of(1, 2));
    w.add(1, 2, d.data(), 7);
    EXPECT_EQ(w.waiting(), 1u);
    // flush() waits for the lock: release it from another thread a little later.
    std::thread later([&h] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      h.release();
    });
    w.flush();
    later.join();
    EXPECT_EQ(w.waiting(), 0u);
  }
  direct.add(0, 1, a.data(), 256);
  direct.add(1, 2, b.data(), 200);
  direct.add(0, 2, c.data(), 256);
  direct.add(1, 2, d.data(), 7);
  EXPECT_EQ(bytes(tracks), bytes(direct));
}

TEST(SharedTracks, ManyWritersOnTheSameSeriesGiveTheBytesOfOne) {
  // Four threads add the same 40 blocks to each of 2 x 50 series, each in its own order
  // (so they meet on series and put values aside), against one thread adding them all.
  constexpr int kTracks = 2, kSteps = 50, kBlocks = 40, kThreads = 4;
  SharedTracks shared(kTracks, kSteps), alone(kTracks, kSteps);
  std::vector<std::vector<double>> blocks;
  for (int b = 0; b < kBlocks * kThreads; ++b) blocks.push_back(block_values(b, 64 + b % 192));
  std::vector<std::thread> pool;
  for (int w = 0; w < kThreads; ++w)
    pool.emplace_back([&, w] {
      TrackWriter writer(shared);
      for (int b = w; b < kBlocks * kThreads; b += kThreads) {
        const auto& v = blocks[static_cast<size_t>(b)];
        for (int t = 0; t < kSteps; ++t)
          for (int k = 0; k < kTracks; ++k)
            writer.add(k, (t + w * 7) % kSteps, v.data(), static_cast<int>(v.size()));
        writer.flush();
      }
    });
  for (auto& t : pool) t.join();
  for (int w = 0; w < kThreads; ++w)
    for (int b = w; b < kBlocks * kThreads; b += kThreads) {
      const auto& v = blocks[static_cast<size_t>(b)];
      for (int t = 0; t < kSteps; ++t)
        for (int k = 0; k < kTracks; ++k) alone.add(k, t, v.data(), static_cast<int>(v.size()));
    }
  EXPECT_EQ(bytes(shared), bytes(alone));
  EXPECT_EQ(shared.track()[1][49].mean.count(), alone.track()[1][49].mean.count());
}

}  // namespace
}  // namespace geosim::experiment
