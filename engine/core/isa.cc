#include "core/isa.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

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

Isa cpu_isa() { return supported(); }

bool cpu_has_aes() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("aes") && __builtin_cpu_supports("sse4.1");
#else
  return false;
#endif
}

bool cpu_has_vaes512() {
#if defined(__x86_64__) || defined(__i386__)
  // VAES is CPUID leaf 7's ECX bit 9 (asked directly: not every compiler's
  // __builtin_cpu_supports knows it); its 512-bit form needs the AVX-512 state, which
  // supported() has checked.
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return false;
  return supported() == Isa::kAvx512 && cpu_has_aes() && (ecx & (1u << 9)) != 0;
#else
  return false;
#endif
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
