// KTAB's CSV input for the spatial model of politics, read with KTAB's checks and with
// messages at file:line:column.
//
// Layout: line 1 `name, description, number of actors, number of dimensions` (anything
// after the fourth field is ignored, as KTAB does); line 2 a header whose position labels
// name the dimensions; then one row per actor: name, description, capability, then
// position and salience for each dimension, both on a 0..100 scale. The separator is the
// one the header row uses more (comma, or semicolon), so the other character may appear
// inside text fields, as in KTAB's SOE files. Fields may be quoted;
// surrounding blanks are trimmed; empty trailing fields, CRLF line endings and blank lines
// are accepted. With semicolons as separators, numbers may use a decimal comma.
//
// Checks (KTAB's, plus what keeps results unambiguous): 3 to 250 actors, at least one
// dimension, capability in [0, 1e8], positions and saliences in [0, 100], an actor's
// saliences summing to at most 100, non-empty and distinct actor names, finite numbers,
// exactly as many actor rows as line 1 announces.
#pragma once

#include <Eigen/Dense>
#include <string>
#include <string_view>
#include <vector>

namespace geosim::bargain {

struct KtabScenario {
  std::string name;
  std::string description;
  std::vector<std::string> dimensions;  // the position labels of the header
  std::vector<std::string> actors;
  std::vector<std::string> actor_descriptions;
  Eigen::VectorXd capability;  // per actor
  Eigen::MatrixXd position;    // actors x dimensions, file value / 100
  Eigen::MatrixXd salience;    // actors x dimensions, file value / 100
};

inline constexpr int kKtabMinActors = 3;
inline constexpr int kKtabMaxActors = 250;
inline constexpr double kKtabMaxCapability = 1e8;

// Parses the text of a KTAB CSV file; `display_path` is used in messages. Throws
// UserError at file:line:column on the first problem found.
KtabScenario parse_ktab_csv(std::string_view text, const std::string& display_path);

// Reads and parses the file at `path` (an unreadable file is a UserError).
KtabScenario read_ktab_csv(const std::string& path);

}  // namespace geosim::bargain
