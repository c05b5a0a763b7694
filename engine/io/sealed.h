// Files geosim writes and reads back itself (a shard's stats.bin, a sweep's point files):
// each carries what it is, its format version, its length and its checksum, so that a
// damaged, truncated, extended or foreign file is refused with a message instead of
// being decoded (docs/reliability.md, issue 13 part B).
//
// Layout: one text line "geosim-sealed KIND VERSION BYTES SHA256\n", then BYTES bytes of
// payload whose sha256 is SHA256 (64 lowercase hex digits). Any change of one bit breaks
// the line's syntax, changes a value it checks, or changes the payload's sha256.
#pragma once

#include <string>
#include <string_view>

namespace geosim::io {

std::string seal(std::string_view kind, int version, std::string_view payload);

// The payload of `bytes` (read from `path`, named in messages), after checking the
// header line, the kind, the version, the length and the sha256; any mismatch is a
// UserError saying what was expected.
std::string_view unseal(std::string_view bytes, std::string_view kind, int version,
                        const std::string& path);

}  // namespace geosim::io
