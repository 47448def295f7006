#include "text_file.hpp"

#include <fstream>
#include <sstream>

namespace tether::test {

std::string read_text_file(const std::filesystem::path& file) {
  std::ifstream stream(file);
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

}  // namespace tether::test
