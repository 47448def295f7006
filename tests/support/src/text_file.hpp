#pragma once

#include <filesystem>
#include <string>

namespace tether::test {

// The whole of a file, or "" when it cannot be read: for the logs of child processes, which a
// failing test shows as they are, or not at all.
std::string read_text_file(const std::filesystem::path& file);

}  // namespace tether::test
