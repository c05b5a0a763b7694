#include "discover/output.h"

#include <cmath>
#include <sstream>

#include "io/csv.h"
#include "io/number.h"

namespace geosim::discover {

namespace {

std::string num(double x) { return std::isfinite(x) ? io::format_double(x) : std::string(); }

}  // namespace

std::string boxes_csv(const Dataset& data, const PrimResult& r) {
  std::ostringstream out;
  io::CsvWriter csv(out);
  csv.row({"box", "input", "low", "high", "range_low", "range_high", "p_low", "p_high", "coverage",
           "density", "mass", "rows", "cases"});
  for (size_t b = 0; b < r.boxes.size(); ++b) {
    const FoundBox& fb = r.boxes[b];
    const TradeoffPoint& c = fb.trajectory[fb.chosen];
    for (size_t j = 0; j < data.names.size(); ++j) {
      const bool lo = c.box.low[j] != r.initial.low[j], hi = c.box.high[j] != r.initial.high[j];
      if (!lo && !hi) continue;
      csv.row({std::to_string(b + 1), data.names[j], num(c.box.low[j]), num(c.box.high[j]),
               num(r.initial.low[j]), num(r.initial.high[j]), lo ? num(fb.p_low[j]) : "",
               hi ? num(fb.p_high[j]) : "", num(c.coverage), num(c.density), num(c.mass),
               std::to_string(c.rows), std::to_string(c.cases)});
    }
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
