#include "api/internal.h"

#include <cstdlib>
#include <filesystem>

#include "io/number.h"
#include "outdir/outdir.h"

namespace geosim::api::detail {

std::optional<double> field_number(const std::string& field) {
  if (field.empty()) return std::nullopt;
  return io::try_parse_double(field);
}

void write_folder(const RunState& st, const std::string& dir, bool overwrite) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw UserError(SourceLoc{dir}, "names a file, not a folder; expected a folder");
  fs::create_directories(dir, ec);
  if (ec) throw UserError(SourceLoc{dir}, "cannot create the output folder: " + ec.message());
  outdir::FolderLock lock = outdir::lock_for_writing(dir, "geosim run");
  outdir::check_may_replace_results(dir, outdir::Kind::kRun, overwrite, "geosim run");

  experiment::ManifestInfo info;
  info.command = "run";
  info.command_line = st.command_line;
  info.start_time = st.start_time;
  info.wall_seconds = st.run.wall_seconds;
  info.threads = st.threads;
  info.ranks = 1;
  if (!st.per_run) {
    experiment::write_result_folder(dir, {st.run}, info, nullptr);
    return;
  }
  // runs.csv is joined from a part file, as the command line streams it.
  experiment::RunsWriter writer(dir, {st.model}, 0);
  writer.begin_scenario(0);
  for (const auto& rows : st.rows) writer.add(rows);
  writer.end_scenario(true);
  const std::vector<std::pair<std::string, int>> sources = {{dir, 0}};
  experiment::write_result_folder(dir, {st.run}, info, &sources);
}

std::string in_temporary_folder(const RunState& st,
                                const std::function<std::string(const std::string&)>& read) {
  namespace fs = std::filesystem;
  std::string pattern = (fs::temp_directory_path() / "geosim-api-XXXXXX").string();
  if (!mkdtemp(pattern.data()))
    throw UserError(SourceLoc{pattern}, "cannot create a temporary folder");
  std::string text;
  try {
    write_folder(st, pattern, false);
    text = read(pattern);
  } catch (...) {
    std::error_code ec;
    fs::remove_all(pattern, ec);
    throw;
  }
  std::error_code ec;
  fs::remove_all(pattern, ec);
  return text;
}

}  // namespace geosim::api::detail
