// `geosim report`: one self-contained HTML file from a result folder (run, sweep or
// compare output; see docs/report.md). The page holds inline SVG and CSS only: no script,
// no font or image from a network, so it opens offline, with JavaScript off, and prints.
// Every text taken from the folder's files is escaped (report/html.h).
#pragma once

#include <string>

namespace geosim::report {

// The HTML text of the report of result folder `dir`: the scenario's description,
// sources and parameters; a distribution chart and summary numbers per outcome; fan
// charts of tracked variables; sweep, sensitivity and compare charts when those files
// are present; the manifest. Renders whatever subset of the files is present. Throws
// UserError when `dir` is not a result folder or one of its files is malformed.
std::string render_report(const std::string& dir);

// render_report(dir), written atomically to out_file (UserError if it cannot be written).
void write_report(const std::string& dir, const std::string& out_file);

// The report's style sheet (CSS text), for pages that show the report's charts (the
// explorer, docs/explore.md).
const char* stylesheet();

}  // namespace geosim::report
