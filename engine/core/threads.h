// Where a new thread starts running (Linux; elsewhere these do nothing).
//
// Linux may start a new thread on its creator's CPU and move it to an idle CPU only at the
// next load balance. Measured on the 2-vCPU machine of docs/performance.md: in one start
// in three the two threads of a run shared one CPU for up to 16 ms while the other idled.
// A run's worker threads therefore ask, once, to move off their creator's CPU.
#pragma once

namespace geosim::core {

// The CPU the calling thread runs on, or -1 where that cannot be known.
int current_cpu();

// Moves the calling thread to the w-th CPU after `creator_cpu` among those it may run on
// (w >= 1), then gives it back every CPU it had: the move is immediate, and the scheduler
// stays free to move it again later. Returns whether it moved: false when only one CPU is
// allowed, when creator_cpu is -1 or not allowed, or when the target is creator_cpu itself.
bool move_off_cpu(int creator_cpu, int w);

}  // namespace geosim::core
