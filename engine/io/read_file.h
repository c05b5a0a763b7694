// Reading a whole input file, with the failure described the same way everywhere.
#pragma once

#include <string>

namespace geosim::io {

// The bytes of the file at `path`. A missing, unreadable or non-regular file is a
// UserError naming the path and the system's reason ("No such file or directory").
std::string read_file(const std::string& path);

}  // namespace geosim::io
