// `geosim explore`: the request handling of the live explorer (docs/explore.md). An
// Explorer answers HTTP requests for one scenario: the page (page.h), the scenario's
// parameters, a run with the values the page sends, and a save (variant YAML plus result
// folder). It is independent of sockets (server.h feeds it), so tests call handle() with
// requests they build, or handle_raw() with bytes that go through the server's parser.
//
// Security (docs/explore.md, "Security"): every request must name the explorer's own
// address in Host (127.0.0.1:PORT or localhost:PORT), else 403; a request carrying an
// Origin of another site is refused (403), and a POST must carry the explorer's own
// Origin and a JSON body; headers over 8 KiB and bodies over 64 KiB are refused (431,
// 413); a malformed request is a 400. Every parameter value is checked by
// api::Scenario::set, exactly as `--set` is, and a refusal comes back as a 422 whose JSON
// holds the message. A save goes only under the save folder and never replaces a file
// geosim did not write (outdir rules).
#pragma once

#include <atomic>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "geosim/api.h"

namespace geosim::explore {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

inline constexpr size_t kMaxHeaderBytes = 8 * 1024;
inline constexpr size_t kMaxBodyBytes = 64 * 1024;

struct Options {
  int64_t replicates = 0;  // 0: the scenario's
  uint64_t seed = 0;
  bool seed_given = false;  // else the scenario's seed
  int threads = 0;          // 0: all cores
  std::string save_dir;     // where saves go (created when the first save needs it)
};

// The slider of one parameter: its declared range, or one made around its value.
struct SliderRange {
  double min = 0, max = 1, step = 0.01;
  bool declared = false;  // both ends declared in the file
  std::string note;       // says how an undeclared range was made ("" when declared)
};
SliderRange slider_range(const api::Parameter& p);

// A save's name checked and turned into paths under `save_dir`: the variant YAML
// (`NAME.yaml`) and the result folder (`NAME/`). NAME is a relative path of parts made of
// letters, digits, '.', '_' and '-' (no part empty, starting with '.', or '..'); the
// resolved paths (symbolic links followed) must stay inside save_dir. UserError otherwise.
struct SaveTarget {
  std::string yaml;    // absolute
  std::string folder;  // absolute
};
SaveTarget save_target(const std::string& save_dir, const std::string& name);

// The text of a variant file that `extends` the scenario at `scenario_path` (relative to
// the folder of `yaml_path` when possible), sets seed and replicates, and gives the
// `overrides` (parameter name, value) as bare values (format v1.1: the base's range and
// doc stay).
std::string variant_yaml(const std::string& scenario_path, const std::string& yaml_path,
                         uint64_t seed, int64_t replicates,
                         const std::vector<std::pair<std::string, double>>& overrides);

class Explorer {
 public:
  // `base` is the scenario as loaded from its file (no overrides); `initial` holds the
  // --set overrides the page starts from (already checked).
  Explorer(api::Scenario base, std::vector<std::pair<std::string, std::string>> initial,
           Options options);

  // The port the server is bound to (Host and Origin are checked against it).
  void set_port(uint16_t port) { port_ = port; }
  uint16_t port() const { return port_; }
  const Options& options() const { return options_; }

  // Answers one request; never throws.
  Response handle(const Request& req);
  // Parses `bytes` with the server's parser and limits, then handle(); a request the
  // parser refuses gets the server's answer (400, 413, 431). For tests.
  Response handle_raw(std::string_view bytes);
  // The answer to a request the parser refused (`status`, with a message).
  static Response refusal(http::status status, const std::string& message, unsigned version = 11,
                          bool keep_alive = false);

 private:
  Response route(const Request& req);
  std::string check_host_and_origin(const Request& req, bool& forbidden) const;
  std::string scenario_json() const;
  std::string run_json(const api::Scenario& s, const api::RunResult& r) const;
  api::Scenario with_values(const std::string& body, std::string* name, bool* overwrite) const;
  api::RunOptions run_options(const std::atomic<bool>* stop) const;
  Response do_run(const Request& req);
  Response do_save(const Request& req);

  api::Scenario base_;
  std::vector<std::pair<std::string, std::string>> initial_;
  Options options_;
  uint16_t port_ = 0;

  // One run at a time; a newer run request stops the one in progress (its client has
  // moved on) and older requests still waiting are answered "superseded".
  std::mutex run_mutex_;
  std::mutex stop_mutex_;
  std::shared_ptr<std::atomic<bool>> current_stop_;
  std::atomic<uint64_t> latest_run_{0};
  std::mutex save_mutex_;
};

}  // namespace geosim::explore
