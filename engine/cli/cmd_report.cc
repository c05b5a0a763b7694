// geosim report DIR [--out FILE]: a self-contained HTML report of a result, sweep or
// compare folder (report/report.h, docs/report.md). Default output: DIR/report.html.
#include <cstdio>
#include <filesystem>

#include "cli/command.h"
#include "cli/options.h"
#include "core/error.h"
#include "outdir/outdir.h"
#include "report/report.h"

namespace geosim::cli {
namespace {

constexpr const char* kUsage = "report DIR [--out FILE]";

int report_main(const std::vector<std::string>& args) {
  std::vector<std::string> dirs;
  std::string out;
  bool quiet = false, overwrite = false;
  po::options_description desc("report options");
  desc.add_options()("dir", po::value<std::vector<std::string>>(&dirs),
                     "a result folder written by run, sweep or compare --out")(
      "out,o", po::value<std::string>(&out),
      "the HTML file to write (default DIR/report.html; a folder gets FOLDER/report.html)")(
      "quiet,q", po::bool_switch(&quiet), "no message")(
      "overwrite", po::bool_switch(&overwrite), "replace an --out file geosim did not write");
  po::positional_options_description pos;
  pos.add("dir", -1);
  po::variables_map vm;
  if (!parse_options(args, desc, pos, vm, kUsage)) return kExitOk;
  if (dirs.size() != 1) {
    throw UserError(SourceLoc{"geosim report"}, "expected one result folder, found " +
                                                    std::to_string(dirs.size()) +
                                                    "; usage: geosim " + kUsage);
  }
  std::error_code ec;
  bool into_folder = true;
  if (out.empty()) {
    out = (std::filesystem::path(dirs[0]) / "report.html").string();
  } else if (std::filesystem::is_directory(out, ec)) {
    out = (std::filesystem::path(out) / "report.html").string();
  } else {
    into_folder = false;
  }
  // Never over one of the result files the report reads.
  for (const char* name : {"summary.csv", "trajectories.csv", "runs.csv", "sweep.csv",
                           "sensitivity.csv", "compare.csv", "manifest.json"}) {
    const auto input = std::filesystem::path(dirs[0]) / name;
    if (std::filesystem::exists(input, ec) && std::filesystem::exists(out, ec) &&
        std::filesystem::equivalent(input, out, ec))
      throw UserError(SourceLoc{out}, "--out names the result file " + input.string() +
                                          " that the report reads; expected an HTML file");
  }
  const auto parent = std::filesystem::path(out).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  // The folder read does not change while it is read; the folder written (when it is a
  // result folder) is ours alone. Then: never over a file geosim did not write.
  const std::string out_folder = parent.empty() ? "." : parent.string();
  std::vector<outdir::FolderLock> locks;
  if (into_folder || outdir::has_lock_file(out_folder))
    locks.push_back(outdir::lock_for_writing(out_folder, "geosim report"));
  if (std::filesystem::is_directory(dirs[0], ec))
    locks.push_back(outdir::lock_for_reading(dirs[0]));
  outdir::check_may_replace_file(
      out, overwrite,
      [](std::string_view head) {
        return head.find("<meta name=\"generator\" content=\"geosim ") != std::string_view::npos;
      },
      "geosim report");
  report::write_report(dirs[0], out);
  if (!quiet) std::fprintf(stderr, "geosim report: wrote %s\n", out.c_str());
  return kExitOk;
}

RegisterCommand reg({"report", kUsage,
                     "write a self-contained HTML report (inline SVG charts) of a result folder",
                     report_main});

}  // namespace
}  // namespace geosim::cli
