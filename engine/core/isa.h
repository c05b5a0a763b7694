// Which instruction-set path the hot loops take. The lane interpreter (expr/vm.cc), the
// lane generator (random/ars.cc: VAES, AES-NI or software rounds, after the CPU's AES
// support), the normal quantiles and lognormal transform (random/distributions.cc) and
// the logit choice (sim/engine.cc) are compiled three times from one source: for the
// x86-64 baseline, for AVX2 and for AVX-512. Every path uses only integer or exactly
// rounded operations (no FMA, no contraction), so all give the same bits; the wider ones
// only do more lanes per instruction. The choice is made once per process: the widest
// path the CPU has, unless the environment variable GEOSIM_ISA names a narrower one
// ("baseline", "avx2"; "avx512" is the default where the CPU has it), which lets a test
// check on one machine that the paths agree.
#pragma once

namespace geosim::core {

enum class Isa { kBaseline, kAvx2, kAvx512 };

// The path chosen for this process.
Isa isa();
inline bool use_avx2() { return isa() >= Isa::kAvx2; }

// "avx512", "avx2" or "baseline": the path isa() chose.
const char* isa_name();

// The widest path this CPU has, whatever GEOSIM_ISA says.
Isa cpu_isa();

// Whether the CPU has AES-NI (the AES round on 16 bytes), and VAES with AVX-512 (on 64
// bytes). The lane generator (random/ars.h) uses them on the AVX2 and AVX-512 paths; the
// baseline path, and CPUs without them, compute the same rounds in software.
bool cpu_has_aes();
bool cpu_has_vaes512();

// One of three versions of a function, for the path chosen.
template <typename F>
F pick_path(F baseline, F avx2, F avx512) {
  switch (isa()) {
    case Isa::kAvx512:
      return avx512;
    case Isa::kAvx2:
      return avx2;
    case Isa::kBaseline:
      break;
  }
  return baseline;
}

}  // namespace geosim::core

// The attribute for a function compiled for AVX-512 (F, DQ, VL, BW: what the generator and
// conversion intrinsics need), with GCC asked to vectorise plain loops 512 bits wide (it
// prefers 256 otherwise). Clang takes the ISA only.
#if defined(__clang__)
#define GEOSIM_AVX512 gnu::target("avx512f,avx512dq,avx512vl,avx512bw")
#else
#define GEOSIM_AVX512 gnu::target("avx512f,avx512dq,avx512vl,avx512bw,prefer-vector-width=512")
#endif
