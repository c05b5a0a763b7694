#include "bargain/smp_output.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <system_error>
#include <vector>

#include "core/error.h"

namespace geosim::bargain {

namespace fs = std::filesystem;

namespace {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Writes `content` to `target` through a temporary file in the same folder.
void write_atomically(const fs::path& target, const std::string& content) {
  fs::path tmp = target;
  tmp += ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    out.flush();
    if (!out) {
      std::error_code ignore;
      fs::remove(tmp, ignore);
      throw RunError("cannot write " + target.string());
    }
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) {
    std::error_code ignore;
    fs::remove(tmp, ignore);
    throw RunError("cannot write " + target.string() + ": " + ec.message());
  }
}

std::string printf_string(const char* fmt, double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, x);
  return buf;
}

}  // namespace

std::string shortest(double x) {
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, x);
  GEOSIM_ASSERT(ec == std::errc(), "to_chars");
  return std::string(buf, p);
}

void write_smp_csv(const fs::path& dir, const KtabScenario& sc, const SmpHistory& h) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw RunError("cannot create folder " + dir.string() + ": " + ec.message());
  std::string pos = "turn,actor,dimension,value\n";
  std::string prob = "turn,actor,value\n";
  for (int t = 0; t < h.num_states(); ++t) {
    const std::string turn = std::to_string(t);
    for (size_t i = 0; i < sc.actors.size(); ++i) {
      const std::string actor = csv_field(sc.actors[i]);
      for (size_t d = 0; d < sc.dimensions.size(); ++d) {
        double v = 100.0 * h.positions[t](static_cast<int>(i), static_cast<int>(d));
        if (!std::isfinite(v)) throw RunError("non-finite position at turn " + turn);
        pos += turn + "," + actor + "," + csv_field(sc.dimensions[d]) + "," + shortest(v) + "\n";
      }
      double p = h.probabilities[t](static_cast<int>(i));
      if (!std::isfinite(p)) throw RunError("non-finite probability at turn " + turn);
      prob += turn + "," + actor + "," + shortest(p) + "\n";
    }
  }
  write_atomically(dir / "positions.csv", pos);
  write_atomically(dir / "probabilities.csv", prob);
}

void print_smp_table(std::ostream& out, const KtabScenario& sc, const SmpOptions& o,
                     const SmpHistory& h, bool full_history) {
  out << "Scenario: " << sc.name << " (" << sc.actors.size() << " actors, " << sc.dimensions.size()
      << " dimensions)\n";
  out << "Model:";
  for (const SmpChoice& c : smp_choices())
    out << " " << c.ktab_name << "=" << smp_choice_value(o, c.key);
  out << "\n";
  out << "There were " << h.num_states() << " states, with " << h.num_states() - 1
      << " steps between them\n\n";

  size_t name_width = 5;
  for (const auto& a : sc.actors) name_width = std::max(name_width, a.size());
  const int last = h.num_states() - 1;
  std::string head = "actor";
  head.resize(name_width, ' ');
  out << head;
  std::vector<int> width;
  for (const auto& d : sc.dimensions) {
    width.push_back(std::max<int>(6, static_cast<int>(d.size())));
    out << "  " << std::string(width.back() - static_cast<int>(d.size()), ' ') << d;
  }
  out << "  win prob\n";
  for (size_t i = 0; i < sc.actors.size(); ++i) {
    std::string name = sc.actors[i];
    name.resize(name_width, ' ');
    out << name;
    for (size_t d = 0; d < sc.dimensions.size(); ++d) {
      std::string v = printf_string("%.1f", 100 * h.positions[last](i, d));
      out << "  " << std::string(std::max<int>(0, width[d] - static_cast<int>(v.size())), ' ') << v;
    }
    out << "  " << printf_string("%8.4f", h.probabilities[last](i)) << "\n";
  }
  if (!full_history) return;
  out << "\nHistory of actor positions over time:\n";
  for (size_t i = 0; i < sc.actors.size(); ++i)
    for (size_t d = 0; d < sc.dimensions.size(); ++d) {
      out << sc.actors[i] << ", " << sc.dimensions[d] << ": ";
      for (int t = 0; t < h.num_states(); ++t)
        out << printf_string("%5.1f", 100 * h.positions[t](i, d)) << (t == last ? "\n" : " ");
    }
  out << "History of actors' winning probabilities:\n";
  for (size_t i = 0; i < sc.actors.size(); ++i) {
    out << sc.actors[i] << ", prob : ";
    for (int t = 0; t < h.num_states(); ++t)
      out << printf_string("%.4f", h.probabilities[t](i)) << (t == last ? "\n" : " ");
  }
}

}  // namespace geosim::bargain
