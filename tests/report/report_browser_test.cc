// The report opened in a real browser: each sample result folder in tests/data/report is
// rendered and loaded in headless Chromium, which must (1) build every chart the folder
// calls for (counted by `data-chart` in the DOM it dumps), (2) log nothing to the console
// (a Content-Security-Policy violation, such as a blocked network load or script, is
// logged there), and (3) parse the same page as XHTML without a parser error, which
// proves the markup is well-formed. Screenshots are saved next to this test's binary.
// Chromium is required: a missing browser fails the test.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "io/json.h"
#include "report/report.h"

namespace fs = std::filesystem;

namespace {

const std::string kData = GEOSIM_REPORT_DATA;
const std::string kOut = GEOSIM_REPORT_OUT;

std::string chromium_path() {
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
    if (access(p, X_OK) == 0) return p;
  }
  return "";
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

struct BrowserRun {
  int status = -1;
  std::string dom;      // standard output (the DOM with --dump-dom)
  std::string console;  // the console lines of standard error
};

// Runs headless Chromium on `file` with `mode` (--dump-dom or --screenshot=...), with a
// fresh profile and no network services, and collects the console messages it logs.
BrowserRun open_in_chromium(const std::string& file, const std::string& mode,
                            const std::string& window = "1280,2000") {
  BrowserRun r;
  const std::string chromium = chromium_path();
  if (chromium.empty()) {
    ADD_FAILURE() << "chromium is not installed (/usr/bin/chromium); the set-up script "
                     "installs it (apt-get install chromium)";
    return r;
  }
  char profile[] = "/tmp/geosim-report-chromium-XXXXXX";
  if (!mkdtemp(profile)) {
    ADD_FAILURE() << "cannot create a temporary profile folder";
    return r;
  }
  const std::string dom_path = std::string(profile) + ".dom";
  const std::string log_path = std::string(profile) + ".log";
  const std::string cmd =
      "timeout 90 " + chromium +
      " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
      " --disable-background-networking --disable-component-update --disable-sync"
      " --hide-scrollbars --enable-logging=stderr --v=0 --user-data-dir=" +
      std::string(profile) + " --window-size=" + window + " " + mode + " 'file://" + file + "' >" +
      dom_path + " 2>" + log_path;
  const int raw = std::system(cmd.c_str());
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.dom = slurp(dom_path);
  std::istringstream log(slurp(log_path));
  for (std::string line; std::getline(log, line);) {
    if (line.find(":CONSOLE") != std::string::npos) r.console += line + "\n";
  }
  fs::remove_all(profile);
  fs::remove(dom_path);
  fs::remove(log_path);
  return r;
}

std::map<std::string, size_t> chart_counts(const std::string& dom) {
  std::map<std::string, size_t> counts;
  const std::string key = "data-chart=\"";
  for (size_t at = dom.find(key); at != std::string::npos; at = dom.find(key, at + 1)) {
    const size_t start = at + key.size();
    ++counts[dom.substr(start, dom.find('"', start) - start)];
  }
  return counts;
}

struct Sample {
  std::string folder;
  std::map<std::string, size_t> charts;  // data-chart kind -> how many
  std::vector<std::string> texts;        // must appear in the DOM
};

const std::vector<Sample>& samples() {
  static const std::vector<Sample> kSamples = {
      {"run",
       {{"histogram", 3}, {"shares", 3}, {"fan", 3}},
       {"Kazakhstan, January 2022", "protest0", "world.regime_control", "sha256",
        "Histogram of 2000 per-replicate values"}},
      {"summary-only",
       {{"quantiles", 6}, {"shares", 6}},
       {"Scenario baseline", "Scenario variant", "Quantile chart from summary.csv"}},
      {"sweep-grid", {{"sweep", 5}}, {"0.3:0.9:0.1", "point 6: outcome"}},
      {"sweep-sobol", {{"sweep", 10}, {"sensitivity", 3}}, {"Sobol indices", "kremlin_resolve"}},
      {"morris", {{"sensitivity", 1}}, {"Morris elementary effects"}},
      {"compare",
       {{"compare", 3}, {"difference", 3}},
       {"4 of 9 compared statistics differ significantly", "significant difference"}},
      {"sparse", {{"shares", 1}, {"fan", 1}}, {"share reached"}},
      {"runs-only", {{"histogram", 1}, {"shares", 1}}, {"Scenario only", "share calm"}},
      {"hostile",
       {{"quantiles", 1}, {"shares", 1}, {"fan", 1}},
       {"&lt;script&gt;document.title='pwned'&lt;/script&gt;", "&lt;blink&gt;boom"}},
  };
  return kSamples;
}

// The markup of real elements only: every "<...>" outside text (the serialised DOM escapes
// "<" in text, so a "<" always opens a tag), one per line; with `drop_values`, quoted
// attribute values are left out, so that only names remain.
std::string tags_only(const std::string& dom, bool drop_values = false) {
  std::string out;
  bool in_tag = false;
  char quote = 0;
  for (char c : dom) {
    if (!in_tag) {
      if (c == '<') in_tag = true, out += c;
      continue;
    }
    if (quote) {
      if (c == quote) {
        quote = 0;
        out += c;
      } else if (!drop_values) {
        out += c;
      }
      continue;
    }
    out += c;
    if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      in_tag = false;
      out += '\n';
    }
  }
  return out;
}

// Checks a DOM for anything active or fetched: no element that runs or loads, one style
// sheet (the report's own), no URL in any tag except the XML namespace names
// (identifiers, never fetched). Injected markup in the hostile sample would fail this.
void expect_inert(const std::string& dom) {
  const std::string tags = tags_only(dom);
  for (const char* tag :
       {"<script", "<img", "<link", "<iframe", "<object", "<embed", "<meta http-equiv=\"refresh"}) {
    EXPECT_EQ(count(tags, tag), 0u) << tag;
  }
  EXPECT_EQ(count(tags, "<style"), 1u);
  EXPECT_EQ(count(tags, "url("), 0u);
  EXPECT_EQ(count(tags, "http://") + count(tags, "https://"), count(tags, "http://www.w3.org/"));
  // Event handler attributes: " on<letters>=" among a tag's attribute names.
  const std::string names = tags_only(dom, true);
  for (size_t at = names.find(" on"); at != std::string::npos; at = names.find(" on", at + 1)) {
    size_t k = at + 3;
    while (k < names.size() && std::isalpha(static_cast<unsigned char>(names[k]))) ++k;
    EXPECT_FALSE(k > at + 3 && k < names.size() && names[k] == '=') << names.substr(at, 40);
  }
}

// One page holding the bodies of every sample report (each in <div data-sample=NAME>)
// under the head of the first, so that the browser starts once per parser.
std::string combined_page(bool xml) {
  std::string head, bodies;
  for (const Sample& s : samples()) {
    const std::string html = geosim::report::render_report(kData + "/" + s.folder);
    // Kept beside the test binary for a look in a browser.
    std::ofstream(kOut + "/report-" + s.folder + (xml ? ".xhtml" : ".html")) << html;
    const size_t html_at = html.find("<html");
    const size_t body = html.find("<body>");
    const size_t end = html.rfind("</body>");
    if (html_at == std::string::npos || body == std::string::npos || end == std::string::npos) {
      ADD_FAILURE() << s.folder << ": no <html>, <body> or </body>";
      return "";
    }
    if (head.empty()) head = html.substr(html_at, body - html_at);
    bodies += "<div data-sample=\"" + s.folder + "\">" + html.substr(body + 6, end - body - 6) +
              "</div>\n";
  }
  return std::string(xml ? "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" : "<!DOCTYPE html>\n") +
         head + "<body>\n" + bodies + "</body></html>\n";
}

// The part of a combined page's DOM that belongs to one sample.
std::string sample_part(const std::string& dom, const std::string& folder) {
  const std::string marker = "<div data-sample=\"";
  const size_t at = dom.find(marker + folder + "\"");
  if (at == std::string::npos) return "";
  const size_t next = dom.find(marker, at + 1);
  return dom.substr(at, next == std::string::npos ? std::string::npos : next - at);
}

TEST(ReportInChromium, EverySampleDrawsAllItsChartsWithoutConsoleMessages) {
  const std::string path = kOut + "/all-reports.html";
  std::ofstream(path) << combined_page(false);
  const BrowserRun page = open_in_chromium(path, "--dump-dom");
  ASSERT_EQ(page.status, 0) << "chromium failed on " << path;
  EXPECT_EQ(page.console, "") << "the page logged console messages";
  EXPECT_NE(page.dom.find("</html>"), std::string::npos);
  expect_inert(page.dom);
  for (const Sample& s : samples()) {
    SCOPED_TRACE(s.folder);
    const std::string part = sample_part(page.dom, s.folder);
    ASSERT_FALSE(part.empty());
    EXPECT_EQ(chart_counts(part), s.charts);
    EXPECT_EQ(count(part, "<svg"), count(part, "data-chart=\""));
    for (const auto& t : s.texts) EXPECT_NE(part.find(t), std::string::npos) << t;
  }
}

TEST(ReportInChromium, EverySampleReportIsWellFormedXhtml) {
  const std::string path = kOut + "/all-reports.xhtml";
  std::ofstream(path) << combined_page(true);
  const BrowserRun strict = open_in_chromium(path, "--dump-dom");
  ASSERT_EQ(strict.status, 0);
  EXPECT_EQ(strict.dom.find("parsererror"), std::string::npos) << strict.dom.substr(0, 3000);
  EXPECT_EQ(strict.console, "");
  for (const Sample& s : samples()) {
    EXPECT_EQ(chart_counts(sample_part(strict.dom, s.folder)), s.charts) << s.folder;
  }
}

// The run report as written by write_report, opened as it is: every chart, no console
// message, a screenshot kept in the build folder (a blank page compresses to a few
// kilobytes; charts and text make it much larger) and a printed PDF.
TEST(ReportInChromium, RunReportFileOpensAndPaints) {
  const Sample& run = samples().front();
  const std::string html = kOut + "/report-run.html";
  geosim::report::write_report(kData + "/run", html);
  const BrowserRun page = open_in_chromium(html, "--dump-dom");
  ASSERT_EQ(page.status, 0);
  EXPECT_EQ(page.console, "");
  EXPECT_EQ(chart_counts(page.dom), run.charts);
  expect_inert(page.dom);

  const std::string png = kOut + "/report-run.png";
  fs::remove(png);
  const BrowserRun shot = open_in_chromium(html, "--screenshot=" + png, "1200,1800");
  ASSERT_EQ(shot.status, 0);
  EXPECT_EQ(shot.console, "");
  ASSERT_TRUE(fs::exists(png));
  const std::string bytes = slurp(png);
  ASSERT_GT(bytes.size(), 24u);
  EXPECT_EQ(bytes.substr(1, 3), "PNG");
  EXPECT_GT(bytes.size(), 30000u) << png << " looks blank";

  // Printed (the print style sheet applies): a PDF of several pages, since each major
  // section starts a new page.
  const std::string pdf = kOut + "/report-run.pdf";
  fs::remove(pdf);
  const BrowserRun print =
      open_in_chromium(html, "--no-pdf-header-footer --print-to-pdf=" + pdf, "1200,1800");
  ASSERT_EQ(print.status, 0);
  EXPECT_EQ(print.console, "");
  const std::string doc = slurp(pdf);
  ASSERT_EQ(doc.substr(0, 5), "%PDF-");
  const size_t at = doc.find("/Count ");
  ASSERT_NE(at, std::string::npos);
  EXPECT_GE(std::stoi(doc.substr(at + 7, 4)), 2);
}

#ifdef GEOSIM_BINARY
// A real run of the flagship scenario through the command line, reported by `geosim
// report`: every outcome the manifest lists has a chart and every tracked variable a fan
// chart, judged from the browser's DOM.
TEST(ReportInChromium, FlagshipRunReportShowsEveryOutcomeAndTrackedVariable) {
  const std::string dir = kOut + "/flagship";
  fs::remove_all(dir);
  const std::string run = std::string(GEOSIM_BINARY) + " run " + GEOSIM_FLAGSHIP +
                          " --replicates 2000 --threads 2 --per-run --quiet --out " + dir;
  ASSERT_EQ(std::system(run.c_str()), 0) << run;
  const std::string report = std::string(GEOSIM_BINARY) + " report " + dir + " 2>/dev/null";
  ASSERT_EQ(std::system(report.c_str()), 0) << report;
  const std::string html = dir + "/report.html";
  ASSERT_TRUE(fs::exists(html));

  const geosim::io::JsonValue manifest = geosim::io::read_json(dir + "/manifest.json");
  const geosim::io::JsonValue& scenario = manifest["scenarios"].at(0);
  const BrowserRun page = open_in_chromium(html, "--dump-dom");
  ASSERT_EQ(page.status, 0);
  EXPECT_EQ(page.console, "");
  expect_inert(page.dom);
  const std::string tags = tags_only(page.dom);
  for (const auto& outcome : scenario["outcomes"].items()) {
    const std::string name = outcome["name"].as_string();
    // Its own chart, or (a yes/no outcome) its bar in "Probabilities at a glance".
    EXPECT_TRUE(tags.find("data-name=\"" + name + "\"") != std::string::npos ||
                page.dom.find(">" + name + "<") != std::string::npos)
        << name;
  }
  EXPECT_EQ(chart_counts(page.dom)["fan"], scenario["track"].size());
  const std::string step_label = scenario["step_label"].as_string();
  EXPECT_NE(page.dom.find("class=\"axis-label\">" + step_label + "</text>"), std::string::npos);

  const std::string png = kOut + "/report-flagship.png";
  fs::remove(png);
  const BrowserRun shot = open_in_chromium(html, "--screenshot=" + png, "1200,1800");
  ASSERT_EQ(shot.status, 0);
  EXPECT_GT(fs::file_size(png), 30000u);
}

TEST(ReportCommand, ExitsWithTwoOnAFolderWithoutResults) {
  const std::string cmd = std::string(GEOSIM_BINARY) + " report " + kData +
                          "/bad/no-results --out " + kOut + "/none.html 2>/dev/null";
  const int raw = std::system(cmd.c_str());
  EXPECT_EQ(WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, 2);
  EXPECT_FALSE(fs::exists(kOut + "/none.html"));
}
#endif

// The checks above must be able to fail: a page that loads a remote image and runs a
// script under the same policy is caught by the console check, and broken markup by the
// XML parse.
TEST(ChromiumChecks, ConsoleCheckCatchesBlockedLoadsAndScripts) {
  const std::string path = kOut + "/bad-page.html";
  std::ofstream(path) << "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" "
                         "content=\"default-src 'none'\"/></head><body><img "
                         "src=\"http://example.invalid/a.png\"/><script>1</script></body></html>";
  const BrowserRun r = open_in_chromium(path, "--dump-dom");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.console.find("Content Security Policy"), std::string::npos) << r.console;
}

TEST(ChromiumChecks, XhtmlParseCatchesBrokenMarkup) {
  const std::string path = kOut + "/bad-page.xhtml";
  std::ofstream(path)
      << "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>a & b</body></html>";
  const BrowserRun r = open_in_chromium(path, "--dump-dom");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.dom.find("parsererror"), std::string::npos) << r.dom;
}

}  // namespace
