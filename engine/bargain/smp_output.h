// Output of an SMP run: the tidy CSV files of `geosim smp --out DIR` and the readable
// table printed otherwise.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>

#include "bargain/ktab_csv.h"
#include "bargain/smp.h"

namespace geosim::bargain {

// Writes DIR/positions.csv (turn,actor,dimension,value; value on the input's 0..100 scale)
// and DIR/probabilities.csv (turn,actor,value), creating DIR if needed. Numbers are the
// shortest text that reads back to the same double. Each file is written under a
// temporary name and renamed when complete. A failure is a RunError naming the file.
void write_smp_csv(const std::filesystem::path& dir, const KtabScenario& scenario,
                   const SmpHistory& history);

// Prints the settings, the number of states and, per actor, the final position on every
// dimension (%5.1f on 0..100) and the final winning probability (%.4f). With
// `full_history`, also KTAB's two history tables (one column per state).
void print_smp_table(std::ostream& out, const KtabScenario& scenario, const SmpOptions& options,
                     const SmpHistory& history, bool full_history);

// "12.5": shortest round-trip text of x.
std::string shortest(double x);

}  // namespace geosim::bargain
