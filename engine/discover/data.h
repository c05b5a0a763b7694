// What `geosim discover` mines: rows of inputs and a 0/1 "case of interest" per row, read
// from a result folder (a sweep's points, a sweep's or a run's per-replicate rows) or a
// CSV file (docs/discovery.md, "Inputs").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "discover/prim.h"

namespace geosim::discover {

// Which rows are cases of interest.
struct Target {
  std::string outcome;              // column (runs.csv, a CSV) or outcome (sweep.csv)
  std::optional<double> threshold;  // value > threshold (or < with below)
  bool below = false;
  std::string label;                // a cases outcome: value == label
  std::string statistic;            // sweep.csv: which statistic (default: see docs)
  bool per_point = false;           // a sweep folder: its points even when runs.csv exists
  std::vector<std::string> inputs;  // empty: every numeric input column (see docs)
};

struct LoadedData {
  Dataset data;
  std::string source;  // the file the rows came from
  std::string unit;    // "sweep points", "replicates" or "rows"
};

// Reads the rows; every mistake (no such outcome or input, a non-number, values that are
// not 0/1 without --threshold or --label, no input columns) is a UserError naming the file
// and, where it applies, its line.
LoadedData load_data(const std::string& path, const Target& target);

}  // namespace geosim::discover
