// Which instruction-set path the hot loops take. The lane interpreter (expr/vm.cc) and the
// Philox batch (random/distributions.cc) are compiled twice, for the x86-64 baseline and
// for AVX2, from one source; both paths use only integer or exactly rounded operations
// (no FMA, no contraction), so they give the same bits. The choice is made once per
// process: AVX2 when the CPU has it, unless the environment variable GEOSIM_ISA is
// "baseline" (which lets a test check that both paths agree on one machine).
#pragma once

namespace geosim::core {

bool use_avx2();

// "avx2" or "baseline": the path use_avx2() chose.
const char* isa_name();

}  // namespace geosim::core
