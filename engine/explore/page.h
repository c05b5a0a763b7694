// The explorer's page: one HTML document, its script and its style sheet, served by
// geosim itself (no network, no CDN). The style sheet starts with the report's, so the
// charts (report/charts.h, drawn by the server) look as they do in a report.
#pragma once

#include <string>

namespace geosim::explore {

std::string page_html();  // served at /
std::string page_js();    // served at /explore.js
std::string page_css();   // served at /explore.css

}  // namespace geosim::explore
