// Reading a whole input file, with the failure described the same way everywhere.
#pragma once

#include <cstddef>
#include <limits>
#include <string>

namespace geosim::io {

// The bytes of the file at `path`. A missing, unreadable or non-regular file is a
// UserError naming the path and the system's reason ("No such file or directory").
// A file longer than `max_bytes` (checked while reading, so that an endless device such
// as /dev/zero is refused too) is a UserError naming the limit.
std::string read_file(const std::string& path,
                      size_t max_bytes = std::numeric_limits<size_t>::max());

}  // namespace geosim::io
