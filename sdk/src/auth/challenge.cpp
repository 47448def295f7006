#include "http/ascii.hpp"
#include "tether/auth.hpp"

namespace tether::auth {

bool Challenge::scheme_is(std::string_view name) const noexcept {
  return http::ascii_iequals(scheme, name);
}

std::optional<std::string_view> Challenge::param(std::string_view name) const noexcept {
  for (const auto& [key, value] : params) {
    if (http::ascii_iequals(key, name)) return value;
  }
  return std::nullopt;
}

std::string Challenge::realm() const { return std::string(param("realm").value_or("")); }

}  // namespace tether::auth
