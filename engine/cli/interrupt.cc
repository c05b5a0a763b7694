#include "cli/interrupt.h"

#include <signal.h>

namespace geosim::cli {

namespace {

std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler needs a lock-free flag");

// Async-signal-safe: a lock-free atomic store only. SA_RESETHAND restores the default
// action, so a second signal ends the process.
extern "C" void on_signal(int) { g_interrupted.store(true, std::memory_order_relaxed); }

}  // namespace

void install_interrupt_handler() {
  static const bool installed = [] {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART | SA_RESETHAND;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    return true;
  }();
  (void)installed;
}

bool interrupted() { return g_interrupted.load(std::memory_order_relaxed); }

const std::atomic<bool>& interrupt_flag() { return g_interrupted; }

}  // namespace geosim::cli
