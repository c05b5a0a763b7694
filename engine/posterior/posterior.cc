#include "posterior/posterior.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "core/text.h"
#include "io/csv.h"
#include "io/number.h"
#include "io/read_file.h"
#include "io/sha256.h"
#include "random/stream.h"

namespace geosim::posterior {

namespace {

// 1-based column where each field of `line` starts (commas inside quotes skipped).
std::vector<int> field_columns(std::string_view line) {
  std::vector<int> cols = {1};
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') quoted = !quoted;
    if (line[i] == ',' && !quoted) cols.push_back(static_cast<int>(i) + 2);
  }
  return cols;
}

// The text of each line (1-based: lines[0] is line 1).
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string shortest(double v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

}  // namespace

double Posterior::effective_draws() const {
  double s = 0;
  for (double w : weights) s += w * w;
  return s > 0 ? 1 / s : 0;
}

size_t Posterior::pick(uint64_t seed, uint64_t replicate) const {
  const double u = rnd::uniform(
      seed, rnd::Counter{static_cast<uint32_t>(replicate), rnd::kInitStep, kPosteriorSite, 0});
  // The first draw whose cumulative weight exceeds u; a draw of weight 0 is never chosen.
  auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
  size_t i = static_cast<size_t>(it - cumulative.begin());
  if (i >= draws()) {  // u above a total rounded below 1: the last draw of positive weight
    i = draws() - 1;
    while (i > 0 && weights[i] == 0) --i;
  }
  return i;
}

Posterior parse_posterior(std::string_view text, const std::string& path) {
  io::CsvTable table = io::parse_csv(text, path);
  const std::vector<std::string_view> lines = split_lines(text);
  auto columns_of = [&](int line) {
    return line >= 1 && static_cast<size_t>(line) <= lines.size()
               ? field_columns(lines[static_cast<size_t>(line - 1)])
               : std::vector<int>{};
  };
  Posterior p;
  p.path = path;
  p.sha256 = io::sha256_hex(text);
  // The header's line: the first row's line minus one is wrong with quoted line breaks,
  // so take the first non-blank line.
  int header_line = 1;
  while (static_cast<size_t>(header_line) <= lines.size() &&
         lines[static_cast<size_t>(header_line - 1)].find_first_not_of("\r") ==
             std::string_view::npos)
    ++header_line;
  const std::vector<int> header_cols = columns_of(header_line);
  auto header_loc = [&](size_t j) {
    return SourceLoc{path, header_line, j < header_cols.size() ? header_cols[j] : 0};
  };
  int weight_col = -1;
  std::vector<size_t> param_cols;
  std::set<std::string> seen;
  for (size_t j = 0; j < table.header.size(); ++j) {
    const std::string& name = table.header[j];
    if (name.empty())
      throw UserError(header_loc(j), "column " + std::to_string(j + 1) +
                                         " has no name; expected draw, weight or a parameter name");
    if (!seen.insert(name).second)
      throw UserError(header_loc(j), "column '" + name + "' appears twice in the header");
    if (name == "draw") continue;
    if (name == "weight") {
      weight_col = static_cast<int>(j);
      continue;
    }
    param_cols.push_back(j);
    p.names.push_back(name);
    p.name_locs.push_back(header_loc(j));
  }
  if (p.names.empty())
    throw UserError(header_loc(0),
                    "no parameter columns; expected a header such as draw,weight,NAME... "
                    "(one column per parameter)");
  if (table.rows.empty())
    throw UserError(header_loc(0), "no draws; expected one row per draw after the header");
  p.weighted = weight_col >= 0;
  std::vector<double> raw;
  double total = 0;
  for (size_t i = 0; i < table.rows.size(); ++i) {
    const auto& row = table.rows[i];
    const int line = table.row_lines[i];
    std::vector<int> cols = columns_of(line);
    cols.resize(table.header.size(), 0);
    auto at = [&](size_t j) { return SourceLoc{path, line, cols[j]}; };
    double w = 1;
    if (weight_col >= 0) {
      const size_t j = static_cast<size_t>(weight_col);
      w = io::parse_double(row[j], at(j), "a finite weight >= 0");
      if (w < 0)
        throw UserError(at(j), "weight " + row[j] + " is negative; expected a weight >= 0");
    }
    raw.push_back(w);
    total += w;
    std::vector<int> draw_cols;
    for (size_t k = 0; k < param_cols.size(); ++k) {
      const size_t j = param_cols[k];
      p.values.push_back(
          io::parse_double(row[j], at(j), "a finite number for '" + p.names[k] + "'"));
      draw_cols.push_back(cols[j]);
    }
    p.lines.push_back(line);
    p.cols.push_back(std::move(draw_cols));
  }
  if (!(total > 0) || !std::isfinite(total))
    throw UserError(header_loc(static_cast<size_t>(weight_col)),
                    !(total > 0) ? "every weight is 0; expected at least one positive weight"
                                 : "the weights sum to infinity; expected a finite sum");
  double run = 0;
  for (double w : raw) {
    p.weights.push_back(w / total);
    run += w;
    p.cumulative.push_back(run / total);
  }
  return p;
}

Posterior read_posterior(const std::string& path) {
  return parse_posterior(io::read_file(path, kMaxFileBytes), path);
}

Binding::Binding(const Posterior& posterior, const sim::Model& model) : posterior_(posterior) {
  std::vector<size_t> cols;
  for (size_t k = 0; k < posterior.names.size(); ++k)
    if (const sim::ParameterInfo* info = model.find_parameter(posterior.names[k])) {
      cols.push_back(k);
      names_.push_back(posterior.names[k]);
      rp_.rows.push_back(info->row);
    }
  const size_t width = posterior.names.size();
  for (size_t d = 0; d < posterior.draws(); ++d)
    for (size_t k : cols) values_.push_back(posterior.values[d * width + k]);
  const size_t n = cols.size();
  rp_.values = [this, n](uint64_t seed, uint64_t replicate) {
    return values_.data() + posterior_.pick(seed, replicate) * n;
  };
}

std::vector<std::unique_ptr<Binding>> bind(
    const Posterior& p, const std::vector<const sim::Model*>& models,
    const std::vector<std::pair<std::string, std::string>>& taken) {
  std::vector<std::string> declared;
  for (const auto* m : models)
    for (const auto& q : m->parameters) declared.push_back(q.name);
  for (size_t k = 0; k < p.names.size(); ++k) {
    const std::string& name = p.names[k];
    if (std::find(declared.begin(), declared.end(), name) == declared.end())
      throw UserError(p.name_locs[k], "no scenario declares a parameter '" + name + "'" +
                                          did_you_mean(name, declared) +
                                          "; expected draw, weight or a parameter of the scenario");
    for (const auto& [other, option] : taken)
      if (other == name)
        throw UserError(p.name_locs[k],
                        "parameter '" + name + "' is taken from this posterior and also given by " +
                            option +
                            "; expected it in one place only (drop the option or the column)");
  }
  for (const auto* m : models)
    for (size_t k = 0; k < p.names.size(); ++k) {
      const sim::ParameterInfo* info = m->find_parameter(p.names[k]);
      if (!info) continue;
      for (size_t d = 0; d < p.draws(); ++d) {
        const double v = p.values[d * p.names.size() + k];
        if ((info->min && v < *info->min) || (info->max && v > *info->max)) {
          auto fmt = [](std::optional<double> x) { return x ? shortest(*x) : "unbounded"; };
          throw UserError(p.cell(d, k), "'" + p.names[k] + "' is " + shortest(v) +
                                            ", outside its declared range [" + fmt(info->min) +
                                            ", " + fmt(info->max) + "] in scenario '" + m->id +
                                            "'; expected a value inside it");
        }
      }
    }
  std::vector<std::unique_ptr<Binding>> out;
  for (const auto* m : models) {
    auto b = std::make_unique<Binding>(p, *m);
    out.push_back(b->parameters().empty() ? nullptr : std::move(b));
  }
  return out;
}

}  // namespace geosim::posterior
