// geosim explore's request handling (engine/explore): Host and Origin checks, size limits,
// malformed requests, values checked as --set is, runs with common random numbers, saves
// kept inside the save folder, and a saved variant that `geosim run` reproduces byte for
// byte. The last tests go through a real socket to the Beast server.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "explore/explorer.h"
#include "explore/server.h"
#include "io/json.h"
#include "support/files.h"

namespace fs = std::filesystem;
namespace http = boost::beast::http;
using geosim::explore::Explorer;
using geosim::explore::Request;
using geosim::explore::Response;

namespace {

const std::string kSource = GEOSIM_SOURCE_DIR;
const std::string kFlagship = kSource + "/scenarios/kazakhstan-2022/intervention-request.yaml";
const std::string kSmall = kSource + "/tests/data/good/base-small.yaml";
constexpr uint16_t kPort = 43210;

using geosim::test::slurp;

// A temporary folder for one test (support/files.h), named after it.
class TempDir : public geosim::test::TempDir {
 public:
  TempDir()
      : geosim::test::TempDir("explore",
                              ::testing::UnitTest::GetInstance()->current_test_info()->name()) {}
  std::string path() const { return str(); }
};

std::unique_ptr<Explorer> make_explorer(const std::string& save_dir,
                                        const std::string& file = kFlagship,
                                        int64_t replicates = 2000) {
  geosim::explore::Options o;
  o.replicates = replicates;
  o.seed = 7;
  o.seed_given = true;
  o.threads = 2;
  o.save_dir = save_dir;
  auto e = std::make_unique<Explorer>(geosim::api::load(file),
                                      std::vector<std::pair<std::string, std::string>>{}, o);
  e->set_port(kPort);
  return e;
}

Request get(const std::string& target, const std::string& host = "127.0.0.1:43210") {
  Request r{http::verb::get, target, 11};
  r.set(http::field::host, host);
  return r;
}

Request post(const std::string& target, const std::string& body,
             const std::string& origin = "http://127.0.0.1:43210") {
  Request r{http::verb::post, target, 11};
  r.set(http::field::host, "127.0.0.1:43210");
  if (!origin.empty()) r.set(http::field::origin, origin);
  r.set(http::field::content_type, "application/json");
  r.body() = body;
  r.prepare_payload();
  return r;
}

std::string error_of(const Response& r) {
  return geosim::io::parse_json(r.body(), "response")["error"].as_string();
}

// The probability of `outcome` in a /api/run answer.
double probability(const Response& r, const std::string& outcome) {
  const auto j = geosim::io::parse_json(r.body(), "response");
  for (const auto& row : j["summary"].items())
    if (row["outcome"].as_string() == outcome && row["statistic"].as_string() == "probability")
      return row["value"].as_double();
  ADD_FAILURE() << "no probability of " << outcome;
  return -1;
}

TEST(Explore, ServesThePageWithAContentSecurityPolicy) {
  TempDir d;
  auto e = make_explorer(d.path());
  const Response r = e->handle(get("/"));
  EXPECT_EQ(r.result(), http::status::ok);
  EXPECT_NE(r.body().find("/explore.js"), std::string::npos);
  EXPECT_NE(std::string(r["Content-Security-Policy"]).find("default-src 'none'"),
            std::string::npos);
  EXPECT_EQ(e->handle(get("/explore.js")).result(), http::status::ok);
  EXPECT_EQ(e->handle(get("/explore.css")).result(), http::status::ok);
  EXPECT_EQ(e->handle(get("/", "localhost:43210")).result(), http::status::ok);
  const Response s = e->handle(get("/api/scenario"));
  ASSERT_EQ(s.result(), http::status::ok);
  const auto j = geosim::io::parse_json(s.body(), "scenario");
  EXPECT_EQ(j["id"].as_string(), "kz-2022-intervention");
  EXPECT_EQ(j["replicates"].as_int64(), 2000);
  bool found = false;
  for (const auto& p : j["parameters"].items()) {
    if (p["name"].as_string() != "grievance0") continue;
    found = true;
    EXPECT_EQ(p["min"].as_string(), "0.3");
    EXPECT_EQ(p["max"].as_string(), "0.8");
    EXPECT_TRUE(p["declared"].as_bool());
    EXPECT_NE(p["doc"].as_string().find("grievance"), std::string::npos);
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(e->handle(get("/nothing")).result(), http::status::not_found);
}

TEST(Explore, RefusesABadHost) {
  TempDir d;
  auto e = make_explorer(d.path());
  for (const std::string host :
       {"evil.example:43210", "127.0.0.1:80", "127.0.0.1", "0.0.0.0:43210", "[::1]:43210", ""}) {
    const Response r = e->handle(get("/", host));
    EXPECT_EQ(r.result(), http::status::forbidden) << host;
    EXPECT_NE(error_of(r).find("Host"), std::string::npos) << host;
  }
  Request no_host{http::verb::get, "/", 11};
  EXPECT_EQ(e->handle(no_host).result(), http::status::forbidden);
}

TEST(Explore, RefusesRequestsFromAnotherOrigin) {
  TempDir d;
  auto e = make_explorer(d.path());
  Request g = get("/api/scenario");
  g.set(http::field::origin, "http://evil.example");
  EXPECT_EQ(e->handle(g).result(), http::status::forbidden);
  for (const std::string origin :
       {"http://evil.example", "http://127.0.0.1:80", "https://127.0.0.1:43210", "null",
        "http://127.0.0.1:43210.evil.example"}) {
    const Response r = e->handle(post("/api/run", "{}", origin));
    EXPECT_EQ(r.result(), http::status::forbidden) << origin;
    EXPECT_NE(error_of(r).find("another origin"), std::string::npos) << origin;
  }
  // A POST must say where it comes from.
  const Response none = e->handle(post("/api/run", "{}", ""));
  EXPECT_EQ(none.result(), http::status::forbidden);
  EXPECT_NE(error_of(none).find("without an Origin"), std::string::npos);
  Request cross = post("/api/save", "{}");
  cross.set("Sec-Fetch-Site", "cross-site");
  EXPECT_EQ(e->handle(cross).result(), http::status::forbidden);
  // The page's own origin under either name is accepted.
  EXPECT_EQ(e->handle(post("/api/run", "{}", "http://localhost:43210")).result(), http::status::ok);
}

TEST(Explore, RefusesBadValuesWithTheMessageOfSet) {
  TempDir d;
  auto e = make_explorer(d.path());
  auto set_message = [](const std::string& name, const std::string& value) {
    try {
      geosim::api::load(kFlagship, {{name, value}});
    } catch (const geosim::UserError& err) {
      return std::string(err.what());
    }
    return std::string("accepted");
  };
  struct Case {
    std::string body, name, value, expect;
  };
  const std::vector<Case> cases = {
      {R"({"values": {"grievance0": "0.9"}})", "grievance0", "0.9", "outside its declared range"},
      {R"({"values": {"grievance0": 0.1}})", "grievance0", "0.1", "outside its declared range"},
      {R"({"values": {"grievance0": "abc"}})", "grievance0", "abc", "grievance0=abc"},
      {R"({"values": {"grievance0": "nan"}})", "grievance0", "nan", "grievance0=nan"},
      {R"({"values": {"grievance0": ""}})", "grievance0", "", "grievance0="},
      {R"({"values": {"grievence0": "0.5"}})", "grievence0", "0.5", "did you mean 'grievance0'"},
  };
  for (const auto& c : cases) {
    const Response r = e->handle(post("/api/run", c.body));
    EXPECT_EQ(r.result(), http::status::unprocessable_entity) << c.body;
    const auto j = geosim::io::parse_json(r.body(), "response");
    EXPECT_EQ(j["error"].as_string(), set_message(c.name, c.value)) << c.body;
    EXPECT_NE(j["error"].as_string().find(c.expect), std::string::npos) << j["error"].as_string();
    EXPECT_EQ(j["parameter"].as_string(), c.name);
  }
  // The refusal names the declaration: file:line:column.
  const Response r = e->handle(post("/api/run", R"({"values": {"grievance0": "0.9"}})"));
  EXPECT_NE(error_of(r).find("intervention-request.yaml:77:3:"), std::string::npos) << error_of(r);
  // Save refuses the same way, before writing anything.
  const Response s =
      e->handle(post("/api/save", R"({"values": {"grievance0": "2"}, "name": "x"})"));
  EXPECT_EQ(s.result(), http::status::unprocessable_entity);
  EXPECT_FALSE(fs::exists(d.path() + "/x.yaml"));
  EXPECT_FALSE(fs::exists(d.path() + "/x"));
}

TEST(Explore, MalformedRequestsAre400AndNeverCrash) {
  TempDir d;
  auto e = make_explorer(d.path());
  for (const std::string body :
       {"", "{", "[]", "null", R"({"values": 3})", R"({"values": {"grievance0": true}})",
        R"({"values": {"grievance0": [1]}})", R"({"values": {}, "extra": 1})",
        R"({"values": {"a": 1, "a": 2}})", "\xff\xfe", R"({"values": {}, "name": 3})"}) {
    const Response r = e->handle(post("/api/run", body));
    EXPECT_EQ(r.result(), http::status::bad_request) << body;
    EXPECT_FALSE(error_of(r).empty());
  }
  Request wrong_type = post("/api/run", "{}");
  wrong_type.set(http::field::content_type, "text/plain");
  EXPECT_EQ(e->handle(wrong_type).result(), http::status::unsupported_media_type);
  EXPECT_EQ(e->handle(get("/api/run")).result(), http::status::method_not_allowed);
  Request put = post("/", "{}");
  put.method(http::verb::put);
  EXPECT_EQ(e->handle(put).result(), http::status::method_not_allowed);
  // Raw bytes through the server's parser.
  EXPECT_EQ(e->handle_raw("NONSENSE\r\n\r\n").result(), http::status::bad_request);
  EXPECT_EQ(e->handle_raw("GET / HTTP/1.1\r\nHost 127.0.0.1:43210\r\n\r\n").result(),
            http::status::bad_request);
  EXPECT_EQ(e->handle_raw("POST /api/run HTTP/1.1\r\nHost: 127.0.0.1:43210\r\n"
                          "Content-Length: 12\r\n\r\n{}")
                .result(),
            http::status::bad_request);  // the body ends early
  EXPECT_EQ(e->handle_raw("GET / HTTP/1.1\r\nHost: 127.0.0.1:43210\r\n\r\n").result(),
            http::status::ok);
}

TEST(Explore, RefusesOversizedRequests) {
  TempDir d;
  auto e = make_explorer(d.path());
  const std::string big(geosim::explore::kMaxBodyBytes + 1, ' ');
  const std::string head =
      "POST /api/run HTTP/1.1\r\nHost: 127.0.0.1:43210\r\nOrigin: http://127.0.0.1:43210\r\n"
      "Content-Type: application/json\r\nContent-Length: ";
  const Response r = e->handle_raw(head + std::to_string(big.size()) + "\r\n\r\n" + big);
  EXPECT_EQ(r.result(), http::status::payload_too_large);
  EXPECT_NE(error_of(r).find("over 65536 bytes"), std::string::npos);
  // Refused from the announced length alone.
  EXPECT_EQ(e->handle_raw(head + "100000000\r\n\r\n").result(), http::status::payload_too_large);
  const std::string long_header = "GET / HTTP/1.1\r\nHost: 127.0.0.1:43210\r\nX-Fill: " +
                                  std::string(geosim::explore::kMaxHeaderBytes, 'x') + "\r\n\r\n";
  EXPECT_EQ(e->handle_raw(long_header).result(), http::status::request_header_fields_too_large);
  // A body within the limit built by hand (handle() checks too).
  EXPECT_EQ(e->handle(post("/api/run", big)).result(), http::status::payload_too_large);
}

TEST(Explore, RunsWithTheSameSeedSoOnlyTheParameterMovesTheNumbers) {
  TempDir d;
  auto e = make_explorer(d.path());
  const Response a = e->handle(post("/api/run", R"({"values": {"grievance0": "0.4"}})"));
  const Response b = e->handle(post("/api/run", R"({"values": {"grievance0": "0.4"}})"));
  const Response c = e->handle(post("/api/run", R"({"values": {"grievance0": "0.8"}})"));
  ASSERT_EQ(a.result(), http::status::ok) << a.body();
  ASSERT_EQ(c.result(), http::status::ok) << c.body();
  EXPECT_EQ(probability(a, "request_made"), probability(b, "request_made"));
  EXPECT_NE(probability(a, "request_made"), probability(c, "request_made"));
  // The numbers are the API's for the same values, seed and replicates.
  geosim::api::RunOptions o;
  o.replicates = 2000;
  o.seed = 7;
  const auto r = geosim::api::run(geosim::api::load(kFlagship, {{"grievance0", "0.8"}}), o);
  for (const auto& row : r.summary) {
    if (row.outcome == "request_made" && row.statistic == "probability") {
      EXPECT_EQ(*row.value, probability(c, "request_made"));
    }
  }
  // The charts are the report's: SVG with data-chart, no script.
  const auto j = geosim::io::parse_json(c.body(), "response");
  const std::string charts = j["charts"].as_string();
  EXPECT_NE(charts.find("data-chart=\"shares\""), std::string::npos);
  EXPECT_NE(charts.find("data-chart=\"fan\""), std::string::npos);
  EXPECT_EQ(charts.find("<script"), std::string::npos);
}

TEST(Explore, ANewerRunStopsTheOneInProgress) {
  // A run long enough to be caught running (100,000 replicates of the flagship, about 0.6 s
  // here); a newer request stops it within a few steps and is answered itself.
  TempDir d;
  auto e = make_explorer(d.path(), kFlagship, 100000);
  Response first;
  double first_seconds = 0;
  const auto t0 = std::chrono::steady_clock::now();
  std::thread a([&] {
    first = e->handle(post("/api/run", R"({"values": {"grievance0": "0.5"}})"));
    first_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const Response second = e->handle(post("/api/run", R"({"values": {"grievance0": "0.6"}})"));
  const double second_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  a.join();
  EXPECT_EQ(first.result(), http::status::conflict) << first.body().substr(0, 200);
  EXPECT_NE(error_of(first).find("superseded"), std::string::npos);
  ASSERT_EQ(second.result(), http::status::ok);
  EXPECT_EQ(geosim::io::parse_json(second.body(), "run")["values"]["grievance0"].as_string(),
            "0.6");
  // The first was stopped soon after the second came, not run to its end (which would take
  // as long as the second's whole run).
  EXPECT_LT(first_seconds, 0.5 * second_seconds)
      << first_seconds << " s, " << second_seconds << " s";
}

TEST(Explore, SliderRangesForParametersWithoutDeclaredRange) {
  const auto s = geosim::api::load(kSmall);
  const auto a = geosim::explore::slider_range(s.parameter("a"));  // a: 1, no range
  EXPECT_FALSE(a.declared);
  EXPECT_EQ(a.min, 0);
  EXPECT_EQ(a.max, 2);
  EXPECT_NE(a.note.find("no range declared"), std::string::npos);
  const auto b = geosim::explore::slider_range(s.parameter("b"));  // {value: 2, min: 0, max: 5}
  EXPECT_TRUE(b.declared);
  EXPECT_EQ(b.min, 0);
  EXPECT_EQ(b.max, 5);
  EXPECT_TRUE(b.note.empty());
  geosim::api::Parameter p;
  p.value = 0;
  auto z = geosim::explore::slider_range(p);
  EXPECT_EQ(z.min, -1);
  EXPECT_EQ(z.max, 1);
  p.value = 3;
  p.min = 1;
  z = geosim::explore::slider_range(p);
  EXPECT_EQ(z.min, 1);
  EXPECT_EQ(z.max, 6);
  EXPECT_NE(z.note.find("no max declared"), std::string::npos);
  // The page's scenario says so.
  TempDir d;
  auto e = make_explorer(d.path(), kSmall, 10);
  const auto j = geosim::io::parse_json(e->handle(get("/api/scenario")).body(), "scenario");
  EXPECT_FALSE(j["parameters"].at(0)["declared"].as_bool());
  EXPECT_NE(j["parameters"].at(0)["note"].as_string().find("no range declared"), std::string::npos);
  // Any value --set takes is taken (no range: no range check).
  EXPECT_EQ(e->handle(post("/api/run", R"({"values": {"a": "-1e6"}})")).result(), http::status::ok);
}

TEST(Explore, SaveRefusesPathsOutsideTheSaveFolder) {
  TempDir d;
  const std::string saves = d.path() + "/saves";
  fs::create_directories(saves);
  fs::create_directories(d.path() + "/outside");
  fs::create_symlink(d.path() + "/outside", saves + "/link");
  auto e = make_explorer(saves);
  for (const std::string name : {"../x", "/tmp/x", "a/../../x", "..", ".hidden", "a//b", "a/", "",
                                 "a\\b", "x y", "link/x", "link", "x.yaml", "a/b/c/d/e/f/g/h/i"}) {
    const Response r = e->handle(
        post("/api/save", R"({"values": {}, "name": )" + geosim::io::json_quote(name) + "}"));
    EXPECT_EQ(r.result(), http::status::unprocessable_entity) << name;
    EXPECT_NE(error_of(r).find("save refused"), std::string::npos) << name;
  }
  EXPECT_TRUE(fs::is_empty(d.path() + "/outside"));
  EXPECT_FALSE(fs::exists(d.path() + "/x.yaml"));
  EXPECT_FALSE(fs::exists(d.path() + "/x"));
  // A save into a subfolder is fine.
  const Response ok = e->handle(post("/api/save", R"({"values": {}, "name": "runs/first"})"));
  EXPECT_EQ(ok.result(), http::status::ok) << ok.body();
  EXPECT_TRUE(fs::exists(saves + "/runs/first.yaml"));
  EXPECT_TRUE(fs::exists(saves + "/runs/first/summary.csv"));
}

TEST(Explore, SaveNeverClobbersForeignFiles) {
  TempDir d;
  auto e = make_explorer(d.path());
  { std::ofstream(d.path() + "/mine.yaml") << "my own notes\n"; }
  const std::string body = R"({"values": {"grievance0": "0.6"}, "name": "mine"})";
  Response r = e->handle(post("/api/save", body));
  EXPECT_EQ(r.result(), http::status::unprocessable_entity);
  EXPECT_EQ(slurp(d.path() + "/mine.yaml"), "my own notes\n");
  // Not even when asked to replace an earlier save: it is not one.
  r = e->handle(post("/api/save", R"({"values": {}, "name": "mine", "overwrite": true})"));
  EXPECT_EQ(r.result(), http::status::unprocessable_entity);
  EXPECT_NE(error_of(r).find("geosim did not write"), std::string::npos) << error_of(r);
  EXPECT_EQ(slurp(d.path() + "/mine.yaml"), "my own notes\n");
  EXPECT_FALSE(fs::exists(d.path() + "/mine"));
  // A foreign file where the result folder's summary.csv would go.
  fs::create_directories(d.path() + "/other");
  { std::ofstream(d.path() + "/other/summary.csv") << "a,b\n1,2\n"; }
  r = e->handle(post("/api/save", R"({"values": {}, "name": "other", "overwrite": true})"));
  EXPECT_EQ(r.result(), http::status::unprocessable_entity);
  EXPECT_EQ(slurp(d.path() + "/other/summary.csv"), "a,b\n1,2\n");
  EXPECT_FALSE(fs::exists(d.path() + "/other.yaml"));
  // Saving twice under one name replaces the earlier save only when asked.
  ASSERT_EQ(e->handle(post("/api/save", R"({"values": {}, "name": "v"})")).result(),
            http::status::ok);
  r = e->handle(post("/api/save", R"({"values": {}, "name": "v"})"));
  EXPECT_EQ(r.result(), http::status::unprocessable_entity);
  EXPECT_NE(error_of(r).find("an earlier save"), std::string::npos) << error_of(r);
  EXPECT_EQ(
      e->handle(post("/api/save", R"({"values": {}, "name": "v", "overwrite": true})")).result(),
      http::status::ok);
}

TEST(Explore, SavedVariantRunsToTheSavedNumbersByteForByte) {
  TempDir d;
  auto e = make_explorer(d.path() + "/saves");
  const Response r = e->handle(post(
      "/api/save", R"({"values": {"grievance0": "0.65", "lpg_shock": 0.3}, "name": "variant"})"));
  ASSERT_EQ(r.result(), http::status::ok) << r.body();
  const std::string yaml = d.path() + "/saves/variant.yaml";
  const std::string text = slurp(yaml);
  EXPECT_NE(text.find("extends: \""), std::string::npos) << text;
  EXPECT_NE(text.find("  grievance0: 0.65\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  lpg_shock: 0.3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  seed: 7\n  replicates: 2000\n"), std::string::npos) << text;
  EXPECT_TRUE(fs::exists(d.path() + "/saves/variant/report.html"));
  const std::string cmd = std::string(GEOSIM_BINARY) + " run " + yaml + " -q --out " + d.path() +
                          "/cli >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  for (const char* f : {"summary.csv", "trajectories.csv", "storylines.csv"})
    EXPECT_EQ(slurp(d.path() + "/cli/" + f), slurp(d.path() + "/saves/variant/" + f)) << f;
  EXPECT_FALSE(slurp(d.path() + "/cli/summary.csv").empty());
}

// Over a real socket: the server answers, refuses, and survives bad clients.
std::string send_raw(uint16_t port, const std::string& bytes) {
  namespace asio = boost::asio;
  asio::io_context io;
  asio::ip::tcp::socket s(io);
  s.connect({asio::ip::make_address_v4("127.0.0.1"), port});
  asio::write(s, asio::buffer(bytes));
  s.shutdown(asio::ip::tcp::socket::shutdown_send);
  std::string out;
  boost::system::error_code ec;
  char buf[4096];
  for (;;) {
    const size_t n = s.read_some(asio::buffer(buf), ec);
    out.append(buf, n);
    if (ec) break;
  }
  return out;
}

TEST(Explore, ServerOnLoopbackAnswersAndSurvivesBadClients) {
  TempDir d;
  geosim::explore::Options o;
  o.replicates = 500;
  o.threads = 1;
  o.save_dir = d.path();
  Explorer e(geosim::api::load(kFlagship), {}, o);
  geosim::explore::Server server(e, 0);
  const uint16_t port = server.port();
  ASSERT_NE(port, 0);
  EXPECT_EQ(e.port(), port);
  EXPECT_EQ(server.url(), "http://127.0.0.1:" + std::to_string(port) + "/");
  std::thread t([&] { server.run(); });
  const std::string host = "Host: 127.0.0.1:" + std::to_string(port) + "\r\n";
  EXPECT_EQ(send_raw(port, "GET / HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n")
                .rfind("HTTP/1.1 200", 0),
            0u);
  EXPECT_EQ(send_raw(port, "GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n").rfind("HTTP/1.1 403", 0),
            0u);
  EXPECT_EQ(send_raw(port, "\x16\x03\x01 garbage\r\n\r\n").rfind("HTTP/1.1 400", 0), 0u);
  EXPECT_EQ(send_raw(port, "POST /api/run HTTP/1.1\r\n" + host +
                               "Content-Type: application/json\r\nContent-Length: 999999\r\n\r\n")
                .rfind("HTTP/1.1 413", 0),
            0u);
  EXPECT_EQ(
      send_raw(port, "GET / HTTP/1.1\r\n" + host + "X: " + std::string(9000, 'x') + "\r\n\r\n")
          .rfind("HTTP/1.1 431", 0),
      0u);
  send_raw(port, "GET / HTT");  // a client that hangs up half way
  const std::string origin = "Origin: http://127.0.0.1:" + std::to_string(port) + "\r\n";
  const std::string body = R"({"values": {"grievance0": "0.7"}})";
  const std::string run = send_raw(
      port, "POST /api/run HTTP/1.1\r\n" + host + origin +
                "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                "\r\nConnection: close\r\n\r\n" + body);
  EXPECT_EQ(run.rfind("HTTP/1.1 200", 0), 0u) << run.substr(0, 300);
  EXPECT_NE(run.find("\"summary\""), std::string::npos);
  server.stop();
  t.join();
}

TEST(Explore, ServerBindsLoopbackOnly) {
  TempDir d;
  geosim::explore::Options o;
  o.save_dir = d.path();
  Explorer e(geosim::api::load(kSmall), {}, o);
  geosim::explore::Server server(e, 0);
  // Another address of this machine does not reach it.
  namespace asio = boost::asio;
  asio::io_context io;
  asio::ip::tcp::socket s(io);
  boost::system::error_code ec;
  s.connect({asio::ip::make_address_v4("127.0.0.2"), server.port()}, ec);
  EXPECT_TRUE(ec) << "the explorer answered on 127.0.0.2";
  // And a port in use is a clear error.
  try {
    geosim::explore::Server again(e, server.port());
    ADD_FAILURE() << "bound a port in use";
  } catch (const geosim::UserError& err) {
    EXPECT_NE(std::string(err.what()).find("cannot listen on 127.0.0.1:"), std::string::npos)
        << err.what();
  }
}

}  // namespace
