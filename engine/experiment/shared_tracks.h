// The tracked series of a run, shared by its threads (experiment/runner.cc).
//
// A scenario that tracks a few variables over many steps has thousands of series, each an
// exact sum and a quantile sketch of a few kilobytes. When every thread kept its own copy,
// a second thread doubled the memory, its first-touch page faults and each series'
// decision between exact list and bins, and the copies had to be merged at the end. Now
// the series are shared, one lock each, held for one block's values at one step (about a
// microsecond). The statistics are exact and depend only on the multiset of values, so
// the order in which threads add their blocks changes nothing.
//
// The threads run the steps of their blocks at the same pace and would meet on the same
// series at every step: a TrackWriter that finds a series locked puts the values aside and
// adds them at its next chance (or, blocking, at the end of its block) instead of waiting.
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

#include "experiment/runner.h"

namespace geosim::experiment {

class SharedTracks {
 public:
  SharedTracks(size_t tracks, size_t steps);
  // Adds the values unless another thread holds the series; returns whether it did.
  bool try_add(int index, int64_t t, const double* values, int n);
  // Adds the values, waiting for the series' lock.
  void add(int index, int64_t t, const double* values, int n);
  // Settles the sketches of series [lo, hi) in (track, step) order (no lock: for after the
  // last add).
  void settle(size_t lo, size_t hi);
  size_t series() const { return locks_.size(); }
  std::mutex& lock_of(int index, int64_t t) {
    return locks_[static_cast<size_t>(index) * steps_ + static_cast<size_t>(t)];
  }
  std::vector<std::vector<TrackStats>>& track() { return track_; }

 private:
  std::vector<std::vector<TrackStats>> track_;  // [track][step]
  std::vector<std::mutex> locks_;               // [track * steps + step]
  size_t steps_;
};

// One thread's adds to the shared series.
class TrackWriter {
 public:
  explicit TrackWriter(SharedTracks& tracks) : tracks_(tracks) {}
  // Adds what waits whose series is free, then these values, or puts them aside.
  void add(int index, int64_t t, const double* values, int n);
  // Adds everything put aside, waiting for locks (at the end of a block).
  void flush();
  size_t waiting() const { return waiting_; }

 private:
  void add_waiting(bool all);
  struct Waiting {
    int index = 0;
    int64_t t = 0;
    std::vector<double> values;
  };
  SharedTracks& tracks_;
  std::vector<Waiting> waiting_values_;  // the first waiting_ are live (capacity is kept)
  size_t waiting_ = 0;
};

}  // namespace geosim::experiment
