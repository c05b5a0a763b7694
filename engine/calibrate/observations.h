// The observations a calibration fits: a CSV of cases (docs/calibration.md).
//
//   case,sets,<outcome>,<outcome>,...
//   kazakhstan-2022,requester_member=1 legal_basis=4,1,3,2030~150,left_within_14_days
//
// `case` names the case; `sets` (optional) holds the case's --set overrides as NAME=VALUE
// separated by spaces; `title`, `sources` and `notes` columns are ignored; every other column
// names an outcome of the scenario. A cell is what was observed for that outcome in that case
// (empty: not observed): a label for a `cases` outcome, a step (or `never`) for a
// {first: ...} outcome, a number otherwise, exact (an exact match is needed) or as
// VALUE~SD (observed with Gaussian measurement error of that standard deviation).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "io/csv.h"
#include "sim/model.h"

namespace geosim::calibrate {

enum class TargetKind {
  kExact,   // a number that must be matched exactly (0/1 outcomes, counts)
  kNumber,  // a number with measurement error `sd`
  kLabel,   // a label of a `cases` outcome: `value` is the label index
  kFirst,   // a first-step time: `value` is the step, -1 for never
};

struct Target {
  int outcome = -1;  // index into model.outcomes
  TargetKind kind = TargetKind::kExact;
  double value = 0;
  double sd = 0;  // kNumber (and kFirst given as STEP~SD)
  std::string text;
  SourceLoc loc;
};

struct Case {
  std::string id;
  SourceLoc loc;
  std::vector<std::pair<int32_t, double>> sets;  // parameter row, value
  std::vector<std::string> set_texts;            // as written, for manifests
  std::vector<Target> targets;
};

struct Observations {
  std::string path;
  std::vector<std::string> outcome_columns;  // outcome names, in column order
  std::vector<Case> cases;
};

// Parses and checks against the model; throws UserError with every problem found, each at
// file:line:column: an unknown outcome column, an unknown label, a step outside the
// scenario, a value that is not a number, an unknown --set name or a value outside its
// range, a duplicate case id, a file without cases. `free` names parameters a case may
// not set (they are being fitted).
Observations parse_observations(const io::CsvTable& table, const sim::Model& model,
                                const std::vector<std::string>& free);
Observations read_observations(const std::string& path, const sim::Model& model,
                               const std::vector<std::string>& free);

// The subset of cases with the given indices (for leave-one-out and k-fold backtests).
Observations select_cases(const Observations& obs, const std::vector<size_t>& indices);

}  // namespace geosim::calibrate
