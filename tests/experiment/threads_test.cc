// core/threads.h: a run's worker leaves its creator's CPU at once and keeps every CPU it
// was allowed.
#include "core/threads.h"

#include <gtest/gtest.h>
#include <sched.h>

#include <thread>

namespace geosim::core {
namespace {

TEST(Threads, AWorkerMovesOffItsCreatorsCpuAndKeepsItsAffinity) {
  cpu_set_t allowed;
  ASSERT_EQ(sched_getaffinity(0, sizeof allowed, &allowed), 0);
  const int creator = current_cpu();
  ASSERT_GE(creator, 0);
  bool moved = false;
  int after = -1;
  cpu_set_t kept;
  std::thread t([&] {
    moved = move_off_cpu(creator, 1);
    after = current_cpu();
    sched_getaffinity(0, sizeof kept, &kept);
  });
  t.join();
  EXPECT_TRUE(CPU_EQUAL(&allowed, &kept));
  if (CPU_COUNT(&allowed) < 2) {
    EXPECT_FALSE(moved);  // nowhere to go
    return;
  }
  EXPECT_TRUE(moved);
  EXPECT_NE(after, creator);
  // Nothing to do for a CPU that is not allowed, for w = 0, or for an unknown creator.
  EXPECT_FALSE(move_off_cpu(-1, 1));
  EXPECT_FALSE(move_off_cpu(creator, 0));
  EXPECT_FALSE(move_off_cpu(CPU_SETSIZE + 5, 1));
}

TEST(Threads, MoveOffCpuCyclesThroughTheAllowedCpus) {
  // With k allowed CPUs, the worker w = k lands back on the creator's CPU: no move.
  cpu_set_t allowed;
  ASSERT_EQ(sched_getaffinity(0, sizeof allowed, &allowed), 0);
  const int k = CPU_COUNT(&allowed);
  const int creator = current_cpu();
  bool moved = true;
  std::thread t([&] { moved = move_off_cpu(creator, k); });
  t.join();
  EXPECT_FALSE(moved);
}

}  // namespace
}  // namespace geosim::core
