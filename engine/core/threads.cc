#include "core/threads.h"

#if defined(__linux__)
#include <sched.h>
#endif

#include <vector>

namespace geosim::core {

int current_cpu() {
#if defined(__linux__)
  return sched_getcpu();
#else
  return -1;
#endif
}

bool move_off_cpu(int creator_cpu, int w) {
#if defined(__linux__)
  cpu_set_t allowed;
  if (creator_cpu < 0 || w < 1 || sched_getaffinity(0, sizeof allowed, &allowed) != 0) return false;
  std::vector<int> cpus;
  for (int c = 0; c < CPU_SETSIZE; ++c)
    if (CPU_ISSET(c, &allowed)) cpus.push_back(c);
  size_t at = 0;
  while (at < cpus.size() && cpus[at] != creator_cpu) ++at;
  if (cpus.size() < 2 || at == cpus.size()) return false;
  const int target = cpus[(at + static_cast<size_t>(w)) % cpus.size()];
  if (target == creator_cpu) return false;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(target, &one);
  if (sched_setaffinity(0, sizeof one, &one) != 0) return false;
  sched_setaffinity(0, sizeof allowed, &allowed);
  return true;
#else
  (void)creator_cpu;
  (void)w;
  return false;
#endif
}

}  // namespace geosim::core
