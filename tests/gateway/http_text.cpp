#include "http_text.hpp"

namespace tether::gateway {

std::string_view trim_spaces(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

}  // namespace tether::gateway
