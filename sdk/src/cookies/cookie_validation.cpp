#include "cookies/cookie_validation.hpp"

#include <algorithm>
#include <string_view>

namespace tether::cookies {
namespace {

bool has_control_character(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
  });
}

}  // namespace

std::string unstorable_reason(const Cookie& cookie) {
  if (cookie.name.empty()) return "the cookie name is empty";
  if (cookie.domain.empty()) return "the cookie domain is empty";
  if (cookie.path.empty() || cookie.path.front() != '/') return "the path must start with '/'";
  for (std::string_view field : {std::string_view(cookie.name), std::string_view(cookie.value),
                                 std::string_view(cookie.domain), std::string_view(cookie.path),
                                 std::string_view(cookie.same_site)}) {
    if (has_control_character(field)) return "it contains a control character";
  }
  return {};
}

std::size_t stored_size(const Cookie& cookie) {
  return cookie.name.size() + cookie.value.size() + cookie.domain.size() + cookie.path.size();
}

}  // namespace tether::cookies
