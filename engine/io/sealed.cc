#include "io/sealed.h"

#include "core/error.h"
#include "io/number.h"
#include "io/sha256.h"

namespace geosim::io {

namespace {
constexpr std::string_view kMagic = "geosim-sealed ";
}

std::string seal(std::string_view kind, int version, std::string_view payload) {
  std::string out(kMagic);
  out += kind;
  out += " " + std::to_string(version) + " " + std::to_string(payload.size()) + " " +
         sha256_hex(payload) + "\n";
  out += payload;
  return out;
}

std::string_view unseal(std::string_view bytes, std::string_view kind, int version,
                        const std::string& path) {
  const std::string what = "expected a file geosim wrote (" + std::string(kind) + ", format " +
                           std::to_string(version) +
                           "); it was damaged, cut short or replaced: run its command again";
  auto refuse = [&](const std::string& why) -> std::string_view {
    throw UserError(SourceLoc{path}, why + "; " + what);
  };
  size_t nl = bytes.find('\n');
  if (bytes.substr(0, kMagic.size()) != kMagic || nl == std::string_view::npos || nl > 256)
    refuse("not a sealed geosim file (no header line)");
  std::string_view line = bytes.substr(kMagic.size(), nl - kMagic.size());
  std::string_view fields[4];
  for (int i = 0; i < 4; ++i) {
    size_t sp = line.find(' ');
    if ((i < 3) == (sp == std::string_view::npos)) refuse("a damaged header line");
    fields[i] = line.substr(0, sp);
    line = i < 3 ? line.substr(sp + 1) : std::string_view();
    if (fields[i].empty()) refuse("a damaged header line");
  }
  if (fields[0] != kind) refuse("a sealed file of another kind");
  for (std::string_view digits : {fields[1], fields[2]})
    for (char c : digits)
      if (c < '0' || c > '9') refuse("a damaged header line");
  auto v = try_parse_int64(std::string(fields[1]));
  if (!v || *v != version)
    refuse("format version " + std::string(fields[1]) + ", not " + std::to_string(version));
  auto n = try_parse_int64(std::string(fields[2]));
  std::string_view payload = bytes.substr(nl + 1);
  if (!n || static_cast<uint64_t>(*n) != payload.size())
    refuse("holds " + std::to_string(payload.size()) + " bytes after its header, which says " +
           std::string(fields[2]));
  if (fields[3].size() != 64 || sha256_hex(payload) != fields[3])
    refuse("its content does not match its sha256");
  return payload;
}

}  // namespace geosim::io
