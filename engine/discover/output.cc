#include "discover/output.h"

#include <cmath>
#include <sstream>

#include "io/csv.h"
#include "io/number.h"

namespace geosim::discover {

namespace {

std::string num(double x) { return std::isfinite(x) ? io::format_double(x) : std::string(); }

}  // namespace

namespace {

const std::vector<std::string> kBoxesHeader = {
    "box",      "input",   "low",  "high", "range_low", "range_high", "p_low", "p_high",
    "coverage", "density", "mass", "rows", "cases",     "method",     "node"};

// The rows of one box: one per input it restricts.
void box_rows(io::CsvWriter& csv, const Dataset& data, const Limits& initial, size_t number,
              const Limits& box, const std::vector<double>& p_low,
              const std::vector<double>& p_high, double coverage, double density, double mass,
              int64_t rows, int64_t cases, const std::string& method, const std::string& node) {
  for (size_t j = 0; j < data.names.size(); ++j) {
    const bool lo = box.low[j] != initial.low[j], hi = box.high[j] != initial.high[j];
    if (!lo && !hi) continue;
    csv.row({std::to_string(number), data.names[j], num(box.low[j]), num(box.high[j]),
             num(initial.low[j]), num(initial.high[j]), lo ? num(p_low[j]) : "",
             hi ? num(p_high[j]) : "", num(coverage), num(density), num(mass), std::to_string(rows),
             std::to_string(cases), method, node});
  }
}

}  // namespace

std::string boxes_csv(const Dataset& data, const PrimResult& r) {
  std::ostringstream out;
  io::CsvWriter csv(out);
  csv.row(kBoxesHeader);
  for (size_t b = 0; b < r.boxes.size(); ++b) {
    const FoundBox& fb = r.boxes[b];
    const TradeoffPoint& c = fb.trajectory[fb.chosen];
    box_rows(csv, data, r.initial, b + 1, c.box, fb.p_low, fb.p_high, c.coverage, c.density, c.mass,
             c.rows, c.cases, "prim", "");
  }
  return out.str();
}

std::string boxes_csv(const Dataset& data, const CartResult& r) {
  std::ostringstream out;
  io::CsvWriter csv(out);
  csv.row(kBoxesHeader);
  for (size_t b = 0; b < r.boxes.size(); ++b) {
    const CartBox& x = r.boxes[b];
    box_rows(csv, data, r.initial, b + 1, x.box, x.p_low, x.p_high, x.coverage, x.density, x.mass,
             x.rows, x.cases, "cart", std::to_string(x.node));
  }
  return out.str();
}

std::string tree_csv(const Dataset& data, const CartResult& r) {
  std::ostringstream out;
  io::CsvWriter csv(out);
  csv.row(
      {"node", "parent", "side", "depth", "input", "threshold", "rows", "cases", "share", "box"});
  for (size_t t = 0; t < r.nodes.size(); ++t) {
    const CartNode& n = r.nodes[t];
    const bool split = n.input >= 0;
    csv.row({std::to_string(t), n.parent >= 0 ? std::to_string(n.parent) : "",
             n.parent < 0 ? ""
             : n.left     ? "<="
                          : ">",
             std::to_string(n.depth), split ? data.names[static_cast<size_t>(n.input)] : "",
             split ? num(n.threshold) : "", std::to_string(n.rows), std::to_string(n.cases),
             num(n.rows > 0 ? static_cast<double>(n.cases) / static_cast<double>(n.rows) : 0),
             n.box_number > 0 ? std::to_string(n.box_number) : ""});
  }
  return out.str();
}

std::string tradeoff_csv(const PrimResult& r) {
  std::ostringstream out;
  io::CsvWriter csv(out);
  csv.row({"box", "step", "phase", "coverage", "density", "mass", "restricted", "rows", "cases",
           "chosen"});
  for (size_t b = 0; b < r.boxes.size(); ++b) {
    const FoundBox& fb = r.boxes[b];
    for (size_t t = 0; t < fb.trajectory.size(); ++t) {
      const TradeoffPoint& p = fb.trajectory[t];
      csv.row({std::to_string(b + 1), std::to_string(t), p.pasted ? "paste" : "peel",
               num(p.coverage), num(p.density), num(p.mass), std::to_string(p.restricted),
               std::to_string(p.rows), std::to_string(p.cases), t == fb.chosen ? "1" : "0"});
    }
  }
  return out.str();
}

}  // namespace geosim::discover
