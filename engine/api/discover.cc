// geosim::api::discover, and the steps `geosim discover` shares with it (api/internal.h).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "api/batch.h"
#include "api/internal.h"
#include "core/text.h"
#include "discover/cart.h"
#include "discover/data.h"
#include "discover/output.h"
#include "discover/prim.h"
#include "experiment/output.h"
#include "io/csv.h"
#include "io/json.h"
#include "io/number.h"
#include "outdir/outdir.h"

namespace geosim::api {

namespace fs = std::filesystem;

namespace detail {
namespace {

std::optional<double> number(const std::string& field) { return field_number(field); }
double value(const std::string& field) { return number(field).value_or(NAN); }
int64_t whole(const std::string& field) {
  return static_cast<int64_t>(io::try_parse_double(field).value_or(0));
}
std::optional<int64_t> maybe_whole(const std::string& field) {
  if (field.empty()) return std::nullopt;
  return whole(field);
}

// The typed rows, parsed from the files' text (so they hold what the files hold).
void fill_rows(DiscoverResult& r, const DiscoverState& st) {
  for (const auto& f : io::parse_csv(st.boxes_csv, "boxes.csv").rows)
    r.boxes.push_back(BoxRow{whole(f[0]), f[1], value(f[2]), value(f[3]), value(f[4]), value(f[5]),
                             number(f[6]), number(f[7]), value(f[8]), value(f[9]), value(f[10]),
                             whole(f[11]), whole(f[12]), f[13], maybe_whole(f[14])});
  if (!st.cart)
    for (const auto& f : io::parse_csv(st.tradeoff_csv, "tradeoff.csv").rows)
      r.tradeoff.push_back(TradeoffRow{whole(f[0]), whole(f[1]), f[2], value(f[3]), value(f[4]),
                                       value(f[5]), whole(f[6]), whole(f[7]), whole(f[8]),
                                       f[9] == "1"});
  else
    for (const auto& f : io::parse_csv(st.tree_csv, "tree.csv").rows)
      r.tree.push_back(TreeRow{whole(f[0]), maybe_whole(f[1]), f[2], whole(f[3]), f[4],
                               number(f[5]), whole(f[6]), whole(f[7]), value(f[8]),
                               maybe_whole(f[9])});
}

// discover.json's members and manifest.json's "discover" object.
void describe(io::JsonWriter& w, const DiscoverState& st) {
  const DiscoverOptions& o = st.options;
  w.member("source", st.source);
  w.member("unit", st.unit);
  w.member("outcome", o.outcome);
  if (o.threshold) w.member("threshold", *o.threshold);
  if (o.threshold) w.member("below", o.below);
  if (!o.label.empty()) w.member("label", o.label);
  w.member("method", o.method);
  w.member("rows", st.total_rows);
  w.member("cases", st.total_cases);
  w.key("inputs").begin_array();
  for (const auto& n : st.names) w.value(n);
  w.end_array();
  w.key("range_low").begin_array();
  for (double v : st.range_low) w.value(v);
  w.end_array();
  w.key("range_high").begin_array();
  for (double v : st.range_high) w.value(v);
  w.end_array();
  w.member("mass_min", o.mass_min);
  if (o.density) w.member("density", *o.density);
  if (st.cart) {
    w.member("min_leaf", st.min_leaf);
    w.member("max_depth", static_cast<int64_t>(o.max_depth));
    w.member("ccp_alpha", o.ccp_alpha);
    w.member("nodes", st.nodes);
  } else {
    w.member("peel_alpha", o.peel_alpha);
    w.member("paste_alpha", o.paste_alpha);
    w.member("boxes", static_cast<int64_t>(o.boxes));
  }
  w.member("read_seconds", st.read_seconds);
  w.member(st.cart ? "cart_seconds" : "prim_seconds", st.method_seconds);
}

// `geosim discover PATH --outcome ...` with the options that give this result.
std::vector<std::string> equivalent_discover_command(const std::string& path,
                                                     const DiscoverOptions& o) {
  std::vector<std::string> c = {"geosim", "discover", path, "--outcome", o.outcome};
  if (o.threshold) c.insert(c.end(), {"--threshold", io::format_double(*o.threshold)});
  if (o.below) c.push_back("--below");
  if (!o.label.empty()) c.insert(c.end(), {"--label", o.label});
  if (!o.statistic.empty()) c.insert(c.end(), {"--statistic", o.statistic});
  if (o.per_point) c.push_back("--per-point");
  if (!o.inputs.empty()) {
    std::string names;
    for (const auto& n : o.inputs) names += (names.empty() ? "" : ",") + n;
    c.insert(c.end(), {"--inputs", names});
  }
  c.insert(c.end(), {"--method", o.method});
  const DiscoverOptions d;
  if (o.boxes != d.boxes) c.insert(c.end(), {"--boxes", std::to_string(o.boxes)});
  if (o.peel_alpha != d.peel_alpha)
    c.insert(c.end(), {"--peel-alpha", io::format_double(o.peel_alpha)});
  if (o.paste_alpha != d.paste_alpha)
    c.insert(c.end(), {"--paste-alpha", io::format_double(o.paste_alpha)});
  if (o.mass_min != d.mass_min) c.insert(c.end(), {"--mass-min", io::format_double(o.mass_min)});
  if (o.density) c.insert(c.end(), {"--density", io::format_double(*o.density)});
  if (o.min_leaf) c.insert(c.end(), {"--min-leaf", std::to_string(o.min_leaf)});
  if (o.max_depth) c.insert(c.end(), {"--max-depth", std::to_string(o.max_depth)});
  if (o.ccp_alpha != 0) c.insert(c.end(), {"--ccp-alpha", io::format_double(o.ccp_alpha)});
  return c;
}

// The options given with a value other than their default (for the checks that an option
// applies to the method).
std::vector<std::string> changed_options(const DiscoverOptions& o) {
  const DiscoverOptions d;
  std::vector<std::string> out;
  if (o.boxes != d.boxes) out.push_back("boxes");
  if (o.peel_alpha != d.peel_alpha) out.push_back("peel-alpha");
  if (o.paste_alpha != d.paste_alpha) out.push_back("paste-alpha");
  if (o.min_leaf != d.min_leaf) out.push_back("min-leaf");
  if (o.max_depth != d.max_depth) out.push_back("max-depth");
  if (o.ccp_alpha != d.ccp_alpha) out.push_back("ccp-alpha");
  return out;
}

// The same error, its file names for `folder` replaced by `display` (a result mined from
// memory is written to a temporary folder first).
UserError renamed(const UserError& e, const std::string& folder, const std::string& display) {
  std::vector<Diagnostic> d;
  for (auto x : e.diagnostics()) {
    if (x.loc.file.starts_with(folder)) x.loc.file = display + x.loc.file.substr(folder.size());
    d.push_back(std::move(x));
  }
  return UserError(std::move(d));
}

DiscoverResult discover_in_memory(const std::function<void(const std::string&)>& write,
                                  const std::string& display, const DiscoverOptions& options) {
  TemporaryFolder tmp;
  write(tmp.path());
  try {
    DiscoverResult r = discover_data(tmp.path(), options, display);
    return r;
  } catch (const UserError& e) {
    throw renamed(e, tmp.path(), display);
  }
}

}  // namespace

void check_discover_options(const DiscoverOptions& o, const std::vector<std::string>& given) {
  const SourceLoc where{"geosim discover"};
  if (o.outcome.empty()) throw UserError(where, "--outcome NAME is required");
  if (o.threshold && !std::isfinite(*o.threshold))
    throw UserError(SourceLoc{"--threshold"}, "expected a finite number");
  if (o.threshold && !o.label.empty())
    throw UserError(where, "give --threshold or --label, not both");
  if (o.below && !o.threshold) throw UserError(where, "--below needs --threshold T");
  auto in_open = [&](double v, const char* name) {
    if (!(v > 0 && v < 0.5))
      throw UserError(SourceLoc{std::string("--") + name},
                      io::format_double(v) + " is outside (0, 0.5); expected e.g. 0.05");
  };
  in_open(o.peel_alpha, "peel-alpha");
  in_open(o.paste_alpha, "paste-alpha");
  if (!(o.mass_min > 0 && o.mass_min < 1))
    throw UserError(SourceLoc{"--mass-min"}, "expected a share in (0, 1)");
  if (o.boxes < 1 || o.boxes > 100) throw UserError(SourceLoc{"--boxes"}, "expected 1 to 100");
  if (o.method != "prim" && o.method != "cart")
    throw UserError(
        SourceLoc{"--method " + o.method},
        "unknown method" + did_you_mean(o.method, {"prim", "cart"}) + "; expected prim or cart");
  const bool is_cart = o.method == "cart";
  for (const std::string& opt : given) {
    const bool cart_only = opt == "min-leaf" || opt == "max-depth" || opt == "ccp-alpha";
    if (cart_only != is_cart)
      throw UserError(SourceLoc{"--" + opt}, std::string("applies to --method ") +
                                                 (cart_only ? "cart" : "prim") + ", not " +
                                                 o.method);
  }
  if (o.min_leaf < 0) throw UserError(SourceLoc{"--min-leaf"}, "expected 0 or more rows");
  if (o.max_depth < 0 || o.max_depth > 1000)
    throw UserError(SourceLoc{"--max-depth"}, "expected 0 (no cap) to 1000");
  if (!(o.ccp_alpha >= 0 && o.ccp_alpha <= 1))
    throw UserError(SourceLoc{"--ccp-alpha"}, "expected a value in [0, 1]");
  if (o.density && !(*o.density >= 0 && *o.density <= 1))
    throw UserError(SourceLoc{"--density"}, "expected a density in [0, 1]");
}

DiscoverResult discover_data(const std::string& path, const DiscoverOptions& o,
                             const std::string& display) {
  auto st = std::make_shared<DiscoverState>();
  st->options = o;
  st->cart = o.method == "cart";
  st->start_time = experiment::utc_now_iso8601();
  st->t0 = std::chrono::steady_clock::now();
  discover::Target target;
  target.outcome = o.outcome;
  target.threshold = o.threshold;
  target.below = o.below;
  target.label = o.label;
  target.statistic = o.statistic;
  target.per_point = o.per_point;
  target.inputs = o.inputs;
  discover::LoadedData ld = discover::load_data(path, target);
  const auto t1 = std::chrono::steady_clock::now();
  discover::Limits initial;
  if (st->cart) {
    discover::CartOptions co;
    co.min_leaf = o.min_leaf;
    co.max_depth = o.max_depth;
    co.ccp_alpha = o.ccp_alpha;
    co.mass_min = o.mass_min;
    if (o.density) co.min_density = *o.density;
    const discover::CartResult cr = discover::cart(ld.data, co);
    st->boxes_csv = discover::boxes_csv(ld.data, cr);
    st->tree_csv = discover::tree_csv(ld.data, cr);
    for (const auto& b : cr.boxes)
      st->found.push_back({b.box.low, b.box.high, b.coverage, b.density, b.mass});
    initial = cr.initial;
    st->total_rows = cr.total_rows;
    st->total_cases = cr.total_cases;
    st->min_leaf = cr.min_leaf;
    st->nodes = static_cast<int64_t>(cr.nodes.size());
  } else {
    discover::PrimOptions po;
    po.boxes = o.boxes;
    po.peel_alpha = o.peel_alpha;
    po.paste_alpha = o.paste_alpha;
    po.mass_min = o.mass_min;
    if (o.density) po.min_density = *o.density;
    const discover::PrimResult pr = discover::prim(ld.data, po);
    st->boxes_csv = discover::boxes_csv(ld.data, pr);
    st->tradeoff_csv = discover::tradeoff_csv(pr);
    for (const auto& b : pr.boxes) {
      const auto& c = b.trajectory[b.chosen];
      st->found.push_back({c.box.low, c.box.high, c.coverage, c.density, c.mass});
    }
    initial = pr.initial;
    st->total_rows = pr.total_rows;
    st->total_cases = pr.total_cases;
  }
  const auto t2 = std::chrono::steady_clock::now();
  st->read_seconds = std::chrono::duration<double>(t1 - st->t0).count();
  st->method_seconds = std::chrono::duration<double>(t2 - t1).count();
  st->source =
      display.empty() ? ld.source : display + "/" + fs::path(ld.source).filename().string();
  st->unit = ld.unit;
  st->names = ld.data.names;
  st->range_low = initial.low;
  st->range_high = initial.high;
  st->command_line = equivalent_discover_command(display.empty() ? path : display, o);

  DiscoverResult r;
  r.source = st->source;
  r.unit = st->unit;
  r.method = o.method;
  r.rows = st->total_rows;
  r.cases = st->total_cases;
  r.inputs = st->names;
  r.range_low = st->range_low;
  r.range_high = st->range_high;
  fill_rows(r, *st);
  r.state = std::move(st);
  return r;
}

void write_discover_folder(const DiscoverState& st, const std::string& dir, bool overwrite,
                           const std::vector<std::string>& command_line, double wall_seconds) {
  // Everything was read and checked: only now is the folder claimed (created, locked, and
  // what the result replaces checked to be geosim's discovery files).
  outdir::FolderLock lock =
      claim_out_dir(dir, outdir::Kind::kDiscover, overwrite, true, "geosim discover");
  // Every file appears together, manifest.json last; a failure leaves the folder as it was.
  outdir::Publication pub(dir);
  pub.write("boxes.csv", st.boxes_csv);
  if (st.cart)
    pub.write("tree.csv", st.tree_csv);
  else
    pub.write("tradeoff.csv", st.tradeoff_csv);
  io::JsonWriter d;
  d.begin_object();
  d.member("program", std::string("geosim"));
  d.member("version", std::string(GEOSIM_VERSION));
  d.member("kind", std::string("discover"));
  describe(d, st);
  d.end_object();
  pub.write("discover.json", d.str() + "\n");
  io::JsonWriter w;
  w.begin_object();
  w.member("program", std::string("geosim"));
  w.member("version", std::string(GEOSIM_VERSION));
  w.member("command", std::string("discover"));
  w.key("command_line").begin_array();
  for (const auto& x : command_line) w.value(x);
  w.end_array();
  w.member("start_time", st.start_time);
  w.member("wall_seconds",
           wall_seconds >= 0
               ? wall_seconds
               : std::chrono::duration<double>(std::chrono::steady_clock::now() - st.t0).count());
  w.key("discover").begin_object();
  describe(w, st);
  w.end_object();
  experiment::write_outputs_json(w, pub);
  w.end_object();
  pub.write("manifest.json", w.str() + "\n");
  pub.publish(outdir::result_names());
}

}  // namespace detail

namespace {
const detail::DiscoverState& discover_state(const DiscoverResult& r) {
  return detail::state_or_refuse(r, "DiscoverResult", "discovery", "discover");
}
}  // namespace

DiscoverResult discover(const std::string& path, const DiscoverOptions& options) {
  detail::check_discover_options(options, detail::changed_options(options));
  // A result folder being written by another geosim command is not read half-written.
  std::error_code ec;
  outdir::FolderLock read_lock;
  if (fs::is_directory(path, ec)) read_lock = outdir::lock_for_reading(path);
  return detail::discover_data(path, options, "");
}

DiscoverResult discover(const SweepResult& sweep, const DiscoverOptions& options) {
  detail::check_discover_options(options, detail::changed_options(options));
  if (!sweep.state) throw UserError(SourceLoc{"geosim::api"}, "this SweepResult holds no sweep");
  return detail::discover_in_memory(
      [&](const std::string& dir) { detail::write_sweep_folder(*sweep.state, dir, false); },
      "sweep of " + sweep.scenario, options);
}

DiscoverResult discover(const RunResult& run, const DiscoverOptions& options) {
  detail::check_discover_options(options, detail::changed_options(options));
  if (!run.state) throw UserError(SourceLoc{"geosim::api"}, "this RunResult holds no run");
  if (!run.state->per_run)
    throw UserError(SourceLoc{"geosim::api"},
                    "discovery over a run needs its replicates; expected RunOptions::per_run = "
                    "true");
  return detail::discover_in_memory(
      [&](const std::string& dir) { detail::write_folder(*run.state, dir, false); },
      "run of " + run.scenario, options);
}

std::string DiscoverResult::boxes_csv() const { return discover_state(*this).boxes_csv; }
std::string DiscoverResult::tradeoff_csv() const { return discover_state(*this).tradeoff_csv; }
std::string DiscoverResult::tree_csv() const { return discover_state(*this).tree_csv; }

std::string DiscoverResult::text() const {
  const detail::DiscoverState& st = discover_state(*this);
  std::string out;
  char buf[512];
  std::snprintf(buf, sizeof buf, "%lld %s, %lld cases of interest (%.3g%%), %zu inputs\n",
                static_cast<long long>(st.total_rows), st.unit.c_str(),
                static_cast<long long>(st.total_cases),
                st.total_rows ? 100.0 * static_cast<double>(st.total_cases) /
                                    static_cast<double>(st.total_rows)
                              : 0.0,
                st.names.size());
  out += buf;
  if (st.cart) {
    std::snprintf(buf, sizeof buf, "cart: a tree of %lld nodes, leaves of at least %lld rows\n",
                  static_cast<long long>(st.nodes), static_cast<long long>(st.min_leaf));
    out += buf;
  }
  for (size_t b = 0; b < st.found.size(); ++b) {
    const auto& c = st.found[b];
    std::snprintf(buf, sizeof buf, "box %zu: coverage %.3g, density %.3g, mass %.3g\n", b + 1,
                  c.coverage, c.density, c.mass);
    out += buf;
    for (size_t j = 0; j < st.names.size(); ++j) {
      if (c.low[j] == st.range_low[j] && c.high[j] == st.range_high[j]) continue;
      std::snprintf(buf, sizeof buf, "  %-28s [%.4g, %.4g] of [%.4g, %.4g]\n", st.names[j].c_str(),
                    c.low[j], c.high[j], st.range_low[j], st.range_high[j]);
      out += buf;
    }
  }
  if (st.found.empty())
    out += st.cart ? "no box: no leaf of the tree has the density asked for\n"
                   : "no box: no restriction raises the density\n";
  return out;
}

void DiscoverResult::write_result_folder(const std::string& dir, bool overwrite) const {
  const detail::DiscoverState& st = discover_state(*this);
  std::vector<std::string> command = st.command_line;
  command.insert(command.end(), {"--out", dir});
  detail::write_discover_folder(st, dir, overwrite, command, -1);
}

}  // namespace geosim::api
