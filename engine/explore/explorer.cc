// The explorer's request handling (explorer.h, docs/explore.md).
#include "explore/explorer.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>

#include "explore/page.h"
#include "io/atomic_file.h"
#include "io/json.h"
#include "io/number.h"
#include "outdir/outdir.h"
#include "report/charts.h"
#include "report/html.h"

namespace geosim::explore {
namespace fs = std::filesystem;

namespace {

constexpr const char* kVariantMark = "# Written by geosim explore";

// A request that is not well formed for the endpoint (400), as opposed to a value that
// Scenario::set refuses (422).
struct BadRequest {
  std::string message;
};

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

std::string error_json(const std::string& message, const std::string& parameter = "") {
  io::JsonWriter w;
  w.begin_object().member("error", message);
  if (!parameter.empty()) w.member("parameter", parameter);
  w.end_object();
  return w.str();
}

void security_headers(Response& res) {
  res.set(http::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Referrer-Policy", "no-referrer");
  res.set("Cross-Origin-Resource-Policy", "same-origin");
  res.set(http::field::server, "geosim explore");
}

Response make_response(const Request& req, http::status status, const std::string& type,
                       std::string body) {
  Response res{status, req.version()};
  res.set(http::field::content_type, type);
  security_headers(res);
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  if (req.method() == http::verb::head) res.body().clear();  // Content-Length stays
  return res;
}

Response json_response(const Request& req, http::status status, const std::string& json) {
  return make_response(req, status, "application/json; charset=utf-8", json);
}

// Value text as --set takes it: a JSON string as is, a JSON number as written.
std::string value_text(const io::JsonValue& v, const std::string& name) {
  if (v.is_string()) return v.as_string();
  if (v.is_number()) return v.number_text();
  throw BadRequest{"the value of '" + name + "' is " + io::JsonValue::type_name(v.type()) +
                   "; expected a number or a string holding one"};
}

bool same_double(double a, double b) {
  return std::bit_cast<uint64_t>(a) == std::bit_cast<uint64_t>(b);
}

double nice_step(double span) {
  if (!(span > 0) || !std::isfinite(span)) return 0.01;
  return std::pow(10.0, std::floor(std::log10(span / 100.0)));
}

}  // namespace

SliderRange slider_range(const api::Parameter& p) {
  SliderRange r;
  const double v = p.value;
  const double span = std::fabs(v) > 0 ? std::fabs(v) : 1.0;
  if (p.min && p.max && *p.min < *p.max) {
    r.min = *p.min;
    r.max = *p.max;
    r.declared = true;
  } else if (p.min && p.max) {  // min == max: nothing to move
    r.min = *p.min - 0.5 * span;
    r.max = *p.max + 0.5 * span;
    r.note = "the file declares min = max; the slider cannot leave the declared value";
  } else if (p.min) {
    r.min = *p.min;
    r.max = v + std::max(span, v - *p.min);
    r.note = "no max declared in the file; the slider ends at " + io::format_double(r.max) +
             " and the box takes any larger value";
  } else if (p.max) {
    r.max = *p.max;
    r.min = v - std::max(span, *p.max - v);
    r.note = "no min declared in the file; the slider starts at " + io::format_double(r.min) +
             " and the box takes any smaller value";
  } else {
    r.min = v - span;
    r.max = v + span;
    r.note = "no range declared in the file; the slider spans " + io::format_double(r.min) +
             " to " + io::format_double(r.max) + " around the value and the box takes any number";
  }
  r.step = nice_step(r.max - r.min);
  return r;
}

SaveTarget save_target(const std::string& save_dir, const std::string& name) {
  const SourceLoc where{"save name"};
  auto refuse = [&](const std::string& why) {
    std::string shown = name.substr(0, 200);
    for (char& c : shown)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    throw UserError(where, "'" + shown + "' " + why);
  };
  if (name.empty()) refuse("is empty; expected a name such as variant-1");
  if (name.size() > 200) refuse("is longer than 200 characters");
  size_t parts = 0;
  for (size_t start = 0; start <= name.size();) {
    const size_t end = std::min(name.find('/', start), name.size());
    const std::string part = name.substr(start, end - start);
    if (part.empty())
      refuse(
          "has an empty part (a leading '/', '//' or a trailing '/'); expected a path relative "
          "to the save folder");
    if (part[0] == '.')
      refuse("has a part starting with '.' ('" + part +
             "'); a save stays inside the save folder and is not hidden");
    for (char c : part)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
        refuse("holds the character '" + std::string(1, c) +
               "'; expected letters, digits, '-', '_', '.' and '/' between folders");
    if (++parts > 8) refuse("has more than 8 parts");
    start = end + 1;
  }
  if (name.size() > 5 && name.substr(name.size() - 5) == ".yaml")
    refuse("ends with .yaml; give the name without it (NAME.yaml and NAME/ are written)");
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(fs::absolute(save_dir), ec);
  if (ec) throw UserError(SourceLoc{save_dir}, "cannot resolve the save folder: " + ec.message());
  auto inside = [&](const fs::path& p) {
    const fs::path real = fs::weakly_canonical(p, ec);
    if (ec) return false;
    auto r = root.begin();
    auto q = real.begin();
    for (; r != root.end(); ++r, ++q)
      if (q == real.end() || *q != *r) return false;
    return q != real.end();
  };
  SaveTarget t;
  t.yaml = (root / (name + ".yaml")).string();
  t.folder = (root / name).string();
  if (!inside(t.yaml) || !inside(t.folder))
    refuse("leads outside the save folder " + root.string() +
           " (through a symbolic link); expected a place inside it");
  return t;
}

std::string variant_yaml(const std::string& scenario_path, const std::string& yaml_path,
                         uint64_t seed, int64_t replicates,
                         const std::vector<std::pair<std::string, double>>& overrides) {
  // Relative to the variant's folder (a checkout moved as a whole keeps working), unless the
  // two share nothing but the root: then the absolute path.
  std::error_code ec;
  fs::path base = fs::weakly_canonical(fs::absolute(scenario_path), ec);
  if (ec) base = fs::absolute(scenario_path).lexically_normal();
  const fs::path from = fs::weakly_canonical(fs::absolute(yaml_path).parent_path(), ec);
  auto b = base.begin();
  auto f = from.begin();
  size_t common = 0;
  for (; b != base.end() && f != from.end() && *b == *f; ++b, ++f) ++common;
  if (!ec && common > 1) {
    const fs::path rel = base.lexically_relative(from);
    if (!rel.empty()) base = rel;
  }
  std::string shown = fs::path(scenario_path).filename().string();
  for (char& c : shown)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';  // stays one comment line
  std::string y = "geosim: 1\n";
  y += std::string(kVariantMark) + ": " + shown +
       " with the values set on the\n# explorer's page. `geosim run` on this file gives the "
       "numbers of the result folder\n# saved beside it.\n";
  y += "extends: " + io::json_quote(base.string()) + "\n";
  y += "scenario:\n  seed: " + std::to_string(seed) +
       "\n  replicates: " + std::to_string(replicates) + "\n";
  if (!overrides.empty()) {
    y += "parameters:\n";
    for (const auto& o : overrides) y += "  " + o.first + ": " + io::format_double(o.second) + "\n";
  }
  return y;
}

Explorer::Explorer(api::Scenario base, std::vector<std::pair<std::string, std::string>> initial,
                   Options options)
    : base_(std::move(base)), initial_(std::move(initial)), options_(std::move(options)) {
  base_.reset();
  if (options_.replicates <= 0) options_.replicates = base_.default_replicates();
  if (!options_.seed_given) options_.seed = base_.default_seed();
  if (options_.save_dir.empty()) options_.save_dir = "explore-saves";
  options_.save_dir = fs::absolute(options_.save_dir).lexically_normal().string();
}

api::RunOptions Explorer::run_options(const std::atomic<bool>* stop) const {
  api::RunOptions o;
  o.replicates = options_.replicates;
  o.seed = options_.seed;
  o.threads = options_.threads;
  o.stop = stop;
  return o;
}

std::string Explorer::check_host_and_origin(const Request& req, bool& forbidden) const {
  forbidden = true;
  const std::string port = std::to_string(port_);
  const std::string host = lower(std::string(req[http::field::host]));
  if (host != "127.0.0.1:" + port && host != "localhost:" + port)
    return "refused: the Host header is '" + std::string(req[http::field::host]).substr(0, 100) +
           "'; this explorer answers only to 127.0.0.1:" + port + " and localhost:" + port;
  const auto origin_it = req.find(http::field::origin);
  if (origin_it != req.end()) {
    const std::string origin = lower(std::string(origin_it->value()));
    if (origin != "http://127.0.0.1:" + port && origin != "http://localhost:" + port)
      return "refused: a request from another origin ('" +
             std::string(origin_it->value()).substr(0, 100) + "')";
  } else if (req.method() == http::verb::post) {
    return "refused: a POST without an Origin header (the explorer's page sends one)";
  }
  const auto site = req.find("Sec-Fetch-Site");
  if (site != req.end()) {
    const std::string s = lower(std::string(site->value()));
    if (s != "same-origin" && s != "none")
      return "refused: a request from another site (Sec-Fetch-Site: " + s.substr(0, 40) + ")";
  }
  forbidden = false;
  return "";
}

Response Explorer::refusal(http::status status, const std::string& message, unsigned version,
                           bool keep_alive) {
  Response res{status, version};
  res.set(http::field::content_type, "application/json; charset=utf-8");
  security_headers(res);
  res.keep_alive(keep_alive);
  res.body() = error_json(message);
  res.prepare_payload();
  return res;
}

Response Explorer::handle(const Request& req) {
  try {
    return route(req);
  } catch (const BadRequest& e) {
    return json_response(req, http::status::bad_request, error_json(e.message));
  } catch (const std::exception& e) {
    return json_response(req, http::status::internal_server_error,
                         error_json(std::string("internal error: ") + e.what()));
  } catch (...) {
    return json_response(req, http::status::internal_server_error, error_json("internal error"));
  }
}

Response Explorer::handle_raw(std::string_view bytes) {
  http::request_parser<http::string_body> parser;
  parser.header_limit(kMaxHeaderBytes);
  parser.body_limit(kMaxBodyBytes);
  boost::system::error_code ec;
  size_t offset = 0;
  while (!parser.is_done()) {
    if (offset == bytes.size()) {
      parser.put_eof(ec);
      break;
    }
    const size_t used =
        parser.put(boost::asio::buffer(bytes.data() + offset, bytes.size() - offset), ec);
    offset += used;
    if (ec == http::error::need_more) {
      ec = {};
      if (used == 0) offset = bytes.size();  // all there is was offered: the end
      continue;
    }
    if (ec) break;
  }
  if (ec == http::error::body_limit)
    return refusal(http::status::payload_too_large,
                   "refused: the request body is over " + std::to_string(kMaxBodyBytes) + " bytes");
  if (ec == http::error::header_limit)
    return refusal(
        http::status::request_header_fields_too_large,
        "refused: the request headers are over " + std::to_string(kMaxHeaderBytes) + " bytes");
  if (ec || !parser.is_done())
    return refusal(http::status::bad_request,
                   "malformed request: " + (ec ? ec.message() : std::string("incomplete")));
  return handle(parser.get());
}

Response Explorer::route(const Request& req) {
  bool forbidden = false;
  const std::string why = check_host_and_origin(req, forbidden);
  if (forbidden) return json_response(req, http::status::forbidden, error_json(why));
  std::string target(req.target());
  if (const size_t q = target.find('?'); q != std::string::npos) target.resize(q);
  const bool get = req.method() == http::verb::get || req.method() == http::verb::head;
  const bool post = req.method() == http::verb::post;

  struct Static {
    const char* path;
    const char* type;
    std::string (*body)();
  };
  static const Static kStatic[] = {
      {"/", "text/html; charset=utf-8", page_html},
      {"/explore.js", "text/javascript; charset=utf-8", page_js},
      {"/explore.css", "text/css; charset=utf-8", page_css},
  };
  for (const auto& s : kStatic) {
    if (target != s.path) continue;
    if (!get) {
      Response r = json_response(req, http::status::method_not_allowed,
                                 error_json("method not allowed; expected GET"));
      r.set(http::field::allow, "GET, HEAD");
      return r;
    }
    Response r = make_response(req, http::status::ok, s.type, s.body());
    r.set("Content-Security-Policy",
          "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
          "img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; "
          "base-uri 'none'");
    return r;
  }
  if (target == "/api/scenario") {
    if (!get) {
      Response r = json_response(req, http::status::method_not_allowed,
                                 error_json("method not allowed; expected GET"));
      r.set(http::field::allow, "GET, HEAD");
      return r;
    }
    return json_response(req, http::status::ok, scenario_json());
  }
  if (target == "/api/run" || target == "/api/save") {
    if (!post) {
      Response r = json_response(req, http::status::method_not_allowed,
                                 error_json("method not allowed; expected POST"));
      r.set(http::field::allow, "POST");
      return r;
    }
    const std::string type = lower(std::string(req[http::field::content_type]));
    if (type.rfind("application/json", 0) != 0)
      return json_response(req, http::status::unsupported_media_type,
                           error_json("expected a JSON body (Content-Type: application/json)"));
    if (req.body().size() > kMaxBodyBytes)
      return json_response(req, http::status::payload_too_large,
                           error_json("refused: the request body is over " +
                                      std::to_string(kMaxBodyBytes) + " bytes"));
    return target == "/api/run" ? do_run(req) : do_save(req);
  }
  return json_response(req, http::status::not_found,
                       error_json("no such page: " + target.substr(0, 100)));
}

std::string Explorer::scenario_json() const {
  const api::Scenario start = base_.with(initial_);
  io::JsonWriter w;
  w.begin_object()
      .member("id", base_.id())
      .member("title", base_.title())
      .member("description", base_.description())
      .member("path", base_.path())
      .member("replicates", options_.replicates)
      .member("seed", options_.seed)
      .member("threads", options_.threads)
      .member("save_dir", options_.save_dir)
      .member("default_name", base_.id() + "-variant");
  w.key("parameters").begin_array();
  for (const api::Parameter& p : start.parameters()) {
    const SliderRange r = slider_range(p);
    w.begin_object()
        .member("name", p.name)
        .member("value", io::format_double(p.value))
        .member("file_value", io::format_double(p.file_value))
        .member("min", io::format_double(r.min))
        .member("max", io::format_double(r.max))
        .member("step", io::format_double(r.step))
        .member("declared", r.declared)
        .member("note", r.note)
        .member("doc", p.doc)
        .member("basis", p.basis)
        .end_object();
  }
  w.end_array();
  w.key("outcomes").begin_array();
  for (const api::Outcome& o : base_.outcomes()) {
    w.begin_object().member("name", o.name).member("kind", o.kind);
    w.key("labels").begin_array();
    for (const auto& l : o.labels) w.value(l);
    w.end_array().end_object();
  }
  w.end_array().end_object();
  return w.str();
}

api::Scenario Explorer::with_values(const std::string& body, std::string* name,
                                    bool* overwrite) const {
  io::JsonValue doc;
  try {
    doc = io::parse_json(body, "request body");
  } catch (const UserError& e) {
    throw BadRequest{std::string("malformed JSON: ") + e.what()};
  }
  if (!doc.is_object())
    throw BadRequest{std::string("the request body is ") + io::JsonValue::type_name(doc.type()) +
                     "; expected an object"};
  api::Scenario s = base_;
  for (const auto& [key, value] : doc.members()) {
    if (key == "values") {
      if (!value.is_object()) throw BadRequest{"'values' must be an object {NAME: VALUE}"};
    } else if (key == "name" && name) {
      if (!value.is_string()) throw BadRequest{"'name' must be a string"};
      *name = value.as_string();
    } else if (key == "overwrite" && overwrite) {
      if (!value.is_bool()) throw BadRequest{"'overwrite' must be true or false"};
      *overwrite = value.as_bool();
    } else {
      throw BadRequest{"unknown key '" + key.substr(0, 60) + "' in the request; expected " +
                       (name ? "values, name, overwrite" : "values")};
    }
  }
  if (const io::JsonValue* values = doc.find("values")) {
    for (const auto& [pname, v] : values->members()) {
      const std::string text = value_text(v, pname);
      s.set(pname, text);  // UserError, exactly as --set: caught by the caller (422)
    }
  }
  return s;
}

namespace {

// The parameter a refusal is about: the NAME of "override NAME=VALUE: ...".
std::string refused_parameter(const std::string& message) {
  const size_t at = message.find("override ");
  if (at == std::string::npos) return "";
  const size_t start = at + 9;
  const size_t eq = message.find('=', start);
  if (eq == std::string::npos) return "";
  return message.substr(start, eq - start);
}

}  // namespace

Response Explorer::do_run(const Request& req) {
  api::Scenario s = base_;
  try {
    s = with_values(req.body(), nullptr, nullptr);
  } catch (const UserError& e) {
    return json_response(req, http::status::unprocessable_entity,
                         error_json(e.what(), refused_parameter(e.what())));
  }
  const uint64_t mine = ++latest_run_;
  {
    std::lock_guard<std::mutex> g(stop_mutex_);
    if (current_stop_) current_stop_->store(true);
  }
  std::unique_lock<std::mutex> running(run_mutex_);
  auto superseded = [&] {
    return json_response(req, http::status::conflict,
                         error_json("superseded: a newer run was asked for"));
  };
  if (mine != latest_run_.load()) return superseded();
  auto stop = std::make_shared<std::atomic<bool>>(false);
  {
    std::lock_guard<std::mutex> g(stop_mutex_);
    current_stop_ = stop;
  }
  try {
    const api::RunResult r = api::run(s, run_options(stop.get()));
    return json_response(req, http::status::ok, run_json(s, r));
  } catch (const Interrupted&) {
    return superseded();
  } catch (const RunError& e) {
    return json_response(req, http::status::unprocessable_entity,
                         error_json(std::string("the run failed: ") + e.what()));
  } catch (const UserError& e) {
    return json_response(req, http::status::unprocessable_entity, error_json(e.what()));
  }
}

Response Explorer::do_save(const Request& req) {
  std::string name;
  bool overwrite = false;
  api::Scenario s = base_;
  try {
    s = with_values(req.body(), &name, &overwrite);
  } catch (const UserError& e) {
    return json_response(req, http::status::unprocessable_entity,
                         error_json(e.what(), refused_parameter(e.what())));
  }
  std::lock_guard<std::mutex> one_save(save_mutex_);
  try {
    SaveTarget t = save_target(options_.save_dir, name);
    std::error_code ec;
    fs::create_directories(fs::path(t.yaml).parent_path(), ec);
    if (ec)
      throw UserError(SourceLoc{fs::path(t.yaml).parent_path().string()},
                      "cannot create the folder: " + ec.message());
    t = save_target(options_.save_dir, name);  // again, now that the folders exist
    // An earlier save of this name is replaced only when asked; a file geosim did not
    // write, never (the outdir rules, without their --overwrite).
    if (!overwrite &&
        (fs::exists(t.yaml, ec) || (fs::is_directory(t.folder, ec) && !fs::is_empty(t.folder, ec))))
      throw UserError(SourceLoc{t.yaml},
                      "an earlier save of this name exists (" + t.yaml + " or " + t.folder +
                          "); tick \"replace an earlier save\" or choose another name");
    outdir::check_may_replace_file(
        t.yaml, /*overwrite=*/false,
        [](std::string_view head) { return head.find(kVariantMark) != std::string_view::npos; },
        "geosim explore");
    std::vector<std::pair<std::string, double>> overrides;
    for (const api::Parameter& p : s.parameters())
      if (!same_double(p.value, p.file_value)) overrides.emplace_back(p.name, p.value);
    // The variant gives exactly the values that differ from the file's; the folder is the
    // run of those values (its manifest names the equivalent `geosim run --set` command).
    const std::string yaml =
        variant_yaml(base_.path(), t.yaml, options_.seed, options_.replicates, overrides);
    const api::RunResult r = api::run(s, run_options(nullptr));
    r.write_result_folder(t.folder, /*overwrite=*/false, /*report=*/true);
    io::write_file_atomically(t.yaml, yaml);
    io::JsonWriter w;
    w.begin_object()
        .member("yaml", t.yaml)
        .member("folder", t.folder)
        .member("command", "geosim run " + t.yaml)
        .member("overrides", static_cast<int64_t>(overrides.size()))
        .end_object();
    return json_response(req, http::status::ok, w.str());
  } catch (const UserError& e) {
    return json_response(req, http::status::unprocessable_entity,
                         error_json(std::string("save refused: ") + e.what()));
  } catch (const RunError& e) {
    return json_response(req, http::status::unprocessable_entity,
                         error_json(std::string("the run failed: ") + e.what()));
  }
}

std::string Explorer::run_json(const api::Scenario& s, const api::RunResult& r) const {
  using report::Estimate;
  auto opt = [](const std::optional<double>& v) {
    return v && std::isfinite(*v) ? *v : report::kMissing;
  };
  // Statistics per outcome, in file order.
  std::map<std::string, std::map<std::string, Estimate>> stats;
  for (const api::SummaryRow& row : r.summary)
    stats[row.outcome][row.statistic] = Estimate{opt(row.value), opt(row.ci_low), opt(row.ci_high)};
  auto stat = [&](const std::string& o, const std::string& k) {
    auto it = stats[o].find(k);
    return it == stats[o].end() ? Estimate{} : it->second;
  };
  std::string charts;
  std::vector<report::LabelledEstimate> glance;
  std::string figures;
  for (const api::Outcome& o : s.outcomes()) {
    const std::string esc_name = report::escape_html(o.name);
    if (o.kind == "cases") {
      std::vector<report::LabelledEstimate> bars;
      for (const auto& l : o.labels) bars.push_back({l, stat(o.name, "share:" + l)});
      figures += "<div class=\"figure\" data-outcome=\"" + esc_name + "\">" +
                 report::shares_chart(o.name, o.name + ": share of replicates per case",
                                      "share of replicates (%)", bars, true) +
                 "</div>\n";
    } else if (stats[o.name].count("probability")) {
      glance.push_back({o.name, stat(o.name, "probability")});
    } else {
      report::Quantiles q;
      q.min = stat(o.name, "min").value, q.p05 = stat(o.name, "p05").value;
      q.p25 = stat(o.name, "p25").value, q.p50 = stat(o.name, "p50").value;
      q.p75 = stat(o.name, "p75").value, q.p95 = stat(o.name, "p95").value;
      q.max = stat(o.name, "max").value, q.mean = stat(o.name, "mean").value;
      std::string fig;
      if (!std::isnan(q.p50) || !std::isnan(q.mean))
        fig += report::quantile_chart(o.name, o.name + ": quantiles over replicates",
                                      o.kind == "first" ? "step when it first held" : o.name, q);
      if (stats[o.name].count("share_reached"))
        fig += report::shares_chart(o.name, o.name + ": share of replicates where it happened",
                                    "share of replicates (%)",
                                    {{"reached", stat(o.name, "share_reached")}}, true);
      if (!fig.empty())
        figures += "<div class=\"figure\" data-outcome=\"" + esc_name + "\">" + fig + "</div>\n";
    }
  }
  if (!glance.empty())
    charts += "<div class=\"figure\" data-outcome=\"probabilities\">" +
              report::shares_chart("probabilities", "Probabilities at a glance",
                                   "probability (% of replicates)", glance, true) +
              "</div>\n";
  charts += figures;
  // Fan charts of the tracked variables, in the order trajectories.csv gives them.
  std::vector<std::string> order;
  std::map<std::string, report::FanData> fans;
  for (const api::TrajectoryRow& t : r.trajectories) {
    if (!fans.count(t.variable)) order.push_back(t.variable);
    report::FanData& d = fans[t.variable];
    d.step.push_back(static_cast<double>(t.step));
    d.mean.push_back(opt(t.mean));
    d.p05.push_back(opt(t.p05));
    d.p25.push_back(opt(t.p25));
    d.p50.push_back(opt(t.p50));
    d.p75.push_back(opt(t.p75));
    d.p95.push_back(opt(t.p95));
  }
  for (const auto& v : order)
    charts += "<div class=\"figure\" data-track=\"" + report::escape_html(v) + "\">" +
              report::fan_chart(v, v + " by step", "step", v, fans[v]) + "</div>\n";

  io::JsonWriter w;
  w.begin_object()
      .member("scenario", r.scenario)
      .member("seed", r.seed)
      .member("replicates", r.replicates)
      .member("run_ms", r.wall_seconds * 1000.0);
  w.key("values").begin_object();
  for (const api::Parameter& p : s.parameters()) w.member(p.name, io::format_double(p.value));
  w.end_object();
  w.key("summary").begin_array();
  auto num = [&](const std::optional<double>& v) {
    if (v && std::isfinite(*v))
      w.value(*v);
    else
      w.null();
  };
  for (const api::SummaryRow& row : r.summary) {
    w.begin_object().member("outcome", row.outcome).member("statistic", row.statistic);
    w.key("value");
    num(row.value);
    w.key("ci_low");
    num(row.ci_low);
    w.key("ci_high");
    num(row.ci_high);
    w.member("replicates", row.replicates).end_object();
  }
  w.end_array();
  w.member("charts", charts).end_object();
  return w.str();
}

}  // namespace geosim::explore
