// Ctrl-C for long commands (run, sweep). The first SIGINT or SIGTERM only sets a flag:
// the runner stops taking new blocks, the command writes nothing it has not finished,
// says on standard error what was kept, and exits with kExitInterrupted (130, the shell's
// convention for death by SIGINT). A second signal ends the process at once with the
// default action; output files are still complete or absent (io/atomic_file.h), though
// hidden temporary files may then remain beside them.
#pragma once

#include <atomic>

namespace geosim::cli {

inline constexpr int kExitInterrupted = 130;

// Installs the handlers (idempotent). Call it once the command is about to do work that
// polls interrupted(); before that, Ctrl-C keeps its default effect.
void install_interrupt_handler();

// True once SIGINT or SIGTERM arrived after install_interrupt_handler().
bool interrupted();

// The flag itself, for code outside engine/cli that polls it (RunOptions::stop).
const std::atomic<bool>& interrupt_flag();

}  // namespace geosim::cli
