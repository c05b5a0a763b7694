#include "api/shard.h"

#include <cstring>
#include <filesystem>

#include "core/error.h"
#include "io/atomic_file.h"
#include "io/json.h"
#include "io/number.h"
#include "io/sealed.h"
#include "io/sha256.h"
#include "outdir/outdir.h"

namespace geosim::api {

ShardSpec parse_shard(const std::string& text) {
  const SourceLoc where{"--shard " + text};
  size_t slash = text.find('/');
  auto i = slash == std::string::npos ? std::nullopt : io::try_parse_int64(text.substr(0, slash));
  auto n = slash == std::string::npos ? std::nullopt : io::try_parse_int64(text.substr(slash + 1));
  if (!i || !n) throw UserError(where, "expected I/N, such as 0/4 (shard I of N, counting from 0)");
  if (*n < 1 || *n > 100000 || *i < 0 || *i >= *n)
    throw UserError(where, "shard " + text + " is out of range; expected 0 <= I < N <= 100000");
  return ShardSpec{*i, *n};
}

std::string batch_key(const std::vector<experiment::ScenarioRun>& runs, bool per_run) {
  std::string k = "geosim-batch 1 per_run=" + std::to_string(per_run) + "\n";
  for (const auto& r : runs) {
    k += r.model->id + " seed=" + std::to_string(r.seed) +
         " replicates=" + std::to_string(r.replicates) + "\n";
    for (const auto& f : r.model->files) k += io::sha256_file(f) + "\n";
    for (double u : r.uniforms) k += io::format_double(u) + ",";
    k += "\n";
    for (const auto& o : r.model->outcomes)  // absent without conditions: keys unchanged
      if (o.conditional()) k += "given " + o.name + " " + o.given_text + "\n";
    if (r.posterior) {  // absent without a posterior: keys of such batches are unchanged
      k += "posterior " + r.posterior->posterior().sha256;
      for (const auto& n : r.posterior->parameters()) k += " " + n;
      k += "\n";
    }
  }
  return io::sha256_hex(k);
}

void write_shard_folder(const std::string& dir, const ShardSpec& shard,
                        const std::vector<experiment::ScenarioRun>& runs,
                        const std::vector<std::string>& sets, const std::string& posterior,
                        const std::string& given, bool per_run,
                        const experiment::ManifestInfo& info,
                        const std::vector<std::pair<size_t, std::string>>& parts) {
  const std::string key = batch_key(runs, per_run);
  std::string stats = key;
  for (const auto& r : runs) {
    std::string bytes = experiment::encode_partial(r);
    uint64_t n = bytes.size();
    stats.append(reinterpret_cast<const char*>(&n), sizeof n);
    stats += bytes;
  }
  outdir::Publication pub(dir);
  pub.write("stats.bin", io::seal("shard-stats", kShardStatsVersion, stats));
  io::JsonWriter w;
  w.begin_object();
  w.member("program", std::string("geosim"));
  w.member("version", std::string(GEOSIM_VERSION));
  w.member("kind", std::string("shard"));
  w.member("shard", shard.index);
  w.member("of", shard.count);
  w.member("key", key);
  w.member("per_run", per_run);
  w.member("threads", static_cast<int64_t>(info.threads));
  w.member("start_time", info.start_time);
  w.key("command_line").begin_array();
  for (const auto& a : info.command_line) w.value(a);
  w.end_array();
  w.key("files").begin_array();
  for (const auto& r : runs) w.value(std::filesystem::absolute(r.model->path).string());
  w.end_array();
  w.key("sets").begin_array();
  for (const auto& s : sets) w.value(s);
  w.end_array();
  if (!given.empty()) w.member("given", given);
  if (!posterior.empty())
    w.member("posterior", std::filesystem::absolute(posterior).lexically_normal().string());
  w.key("scenarios").begin_array();
  for (const auto& r : runs) {
    w.begin_object();
    w.member("id", r.model->id);
    w.member("seed", r.seed);
    w.member("replicates", r.replicates);
    w.end_object();
  }
  w.end_array();
  w.key("parts").begin_array();
  for (const auto& [scenario, path] : parts) {
    w.begin_object();
    w.member("scenario", static_cast<int64_t>(scenario));
    w.member("file", std::filesystem::path(path).filename().string());
    w.member("bytes", static_cast<int64_t>(std::filesystem::file_size(path)));
    w.member("sha256", io::sha256_file(path));
    w.end_object();
  }
  w.end_array();
  w.end_object();
  pub.write("shard.json", w.str() + "\n");
  pub.publish({});
}

void read_shard_stats(std::string_view bytes, const std::string& path, const std::string& key,
                      std::vector<experiment::ScenarioRun>& runs) {
  std::string_view in = io::unseal(bytes, "shard-stats", kShardStatsVersion, path);
  auto refuse = [&](const std::string& why) {
    throw UserError(SourceLoc{path}, why + "; expected the stats.bin of this folder's shard.json");
  };
  if (in.substr(0, key.size()) != key) refuse("the statistics of another batch");
  in.remove_prefix(key.size());
  for (auto& r : runs) {
    uint64_t n;
    if (in.size() < sizeof n) refuse("fewer scenarios than the batch has");
    std::memcpy(&n, in.data(), sizeof n);
    in.remove_prefix(sizeof n);
    if (in.size() < n) refuse("fewer scenarios than the batch has");
    experiment::decode_partial(in.substr(0, n), r);
    in.remove_prefix(n);
  }
  if (!in.empty()) refuse("more scenarios than the batch has");
}

}  // namespace geosim::api
