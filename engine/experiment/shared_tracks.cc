#include "experiment/shared_tracks.h"

#include <utility>

namespace geosim::experiment {

// Nothing per step without a tracked expression: a scenario of many millions of steps
// tracks nothing, and must not allocate a step's worth of anything.
SharedTracks::SharedTracks(size_t tracks, size_t steps)
    : track_(tracks), locks_(tracks * steps), steps_(steps) {
  for (auto& series : track_) series.resize(steps);
}

bool SharedTracks::try_add(int index, int64_t t, const double* values, int n) {
  std::mutex& m = lock_of(index, t);
  if (!m.try_lock()) return false;
  track_[static_cast<size_t>(index)][static_cast<size_t>(t)].add(values, n);
  m.unlock();
  return true;
}

void SharedTracks::add(int index, int64_t t, const double* values, int n) {
  std::lock_guard<std::mutex> lock(lock_of(index, t));
  track_[static_cast<size_t>(index)][static_cast<size_t>(t)].add(values, n);
}

void SharedTracks::settle(size_t lo, size_t hi) {
  for (size_t i = lo; i < hi; ++i) track_[i / steps_][i % steps_].sketch.settle();
}

void TrackWriter::add(int index, int64_t t, const double* values, int n) {
  add_waiting(false);
  if (tracks_.try_add(index, t, values, n)) return;
  if (waiting_ == waiting_values_.size()) waiting_values_.emplace_back();
  Waiting& w = waiting_values_[waiting_++];
  w.index = index;
  w.t = t;
  w.values.assign(values, values + n);
}

void TrackWriter::flush() { add_waiting(true); }

void TrackWriter::add_waiting(bool all) {
  size_t kept = 0;
  for (size_t i = 0; i < waiting_; ++i) {
    Waiting& w = waiting_values_[i];
    const int n = static_cast<int>(w.values.size());
    if (all)
      tracks_.add(w.index, w.t, w.values.data(), n);
    else if (!tracks_.try_add(w.index, w.t, w.values.data(), n))
      std::swap(waiting_values_[kept++], w);
  }
  waiting_ = kept;
}

}  // namespace geosim::experiment
