#include "core/isa.h"

#include <cstdlib>
#include <cstring>

namespace geosim::core {

namespace {

Isa supported() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw"))
    return Isa::kAvx512;
  if (__builtin_cpu_supports("avx2")) return Isa::kAvx2;
#endif
  return Isa::kBaseline;
}

Isa choose() {
  const Isa best = supported();
  const char* forced = std::getenv("GEOSIM_ISA");
  if (forced && std::strcmp(forced, "baseline") == 0) return Isa::kBaseline;
  if (forced && std::strcmp(forced, "avx2") == 0 && best >= Isa::kAvx2) return Isa::kAvx2;
  return best;
}

}  // namespace

Isa isa() {
  static const Isa chosen = choose();
  return chosen;
}

const char* isa_name() {
  switch (isa()) {
    case Isa::kAvx512:
      return "avx512";
    case Isa::kAvx2:
      return "avx2";
    case Isa::kBaseline:
      break;
  }
  return "baseline";
}

}  // namespace geosim::core
