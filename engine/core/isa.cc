#include "core/isa.h"

#include <cstdlib>
#include <cstring>

namespace geosim::core {

namespace {

bool choose() {
  const char* forced = std::getenv("GEOSIM_ISA");
  if (forced && std::strcmp(forced, "baseline") == 0) return false;
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
#else
  return false;
#endif
}

}  // namespace

bool use_avx2() {
  static const bool avx2 = choose();
  return avx2;
}

const char* isa_name() { return use_avx2() ? "avx2" : "baseline"; }

}  // namespace geosim::core
