// Reading a whole input file: the one guard every reader of geosim goes through (scenario
// files, CSV and JSON inputs, KTAB files, sweep point files, shard files).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace geosim::io {

// The largest input geosim reads into memory by default (CSV, JSON, binary statistics).
constexpr uint64_t kMaxInputBytes = uint64_t{1} << 30;

struct InputFile {
  // What the file should be, for messages: "expected a scenario file".
  std::string expected = "a readable file";
  uint64_t max_bytes = kMaxInputBytes;
  // Where to report a problem (default: the path itself, without line) and how to name the
  // file at the start of the message (default: nothing, the position names it).
  SourceLoc where;
  std::string subject;
};

// The bytes of the regular file at `path`. Refused with a UserError (exit 2), before
// anything is read: a missing file, a directory, anything that is not a regular file (a
// device such as /dev/zero, a FIFO, a socket: opened without blocking, so a FIFO without a
// writer cannot hang), a file larger than max_bytes, and an unreadable file. A file that
// grows while it is read is refused at max_bytes too.
std::string read_input(const std::string& path, const InputFile& how);

// read_input with the defaults: "expected a readable file", at most max_bytes.
std::string read_file(const std::string& path, uint64_t max_bytes = kMaxInputBytes);

// Refuses text a terminal could act on or that is not UTF-8 (core/text.h,
// find_control_character): a UserError at its line and column naming the character,
// "expected " + `expected`. Tabs, line feeds and carriage returns pass.
void check_text_input(std::string_view text, const std::string& path, const std::string& expected);

// "64 MiB", "1 GiB", "500 bytes": a byte count for messages.
std::string byte_size_text(uint64_t bytes);

}  // namespace geosim::io
