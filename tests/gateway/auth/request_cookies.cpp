#include "auth/request_cookies.hpp"

#include "http_text.hpp"

namespace tether::gateway {

std::optional<std::string> find_request_cookie(const HttpRequest& request, std::string_view name) {
  const auto [first, last] = request.equal_range(boost::beast::http::field::cookie);
  for (auto field = first; field != last; ++field) {
    std::string_view pairs(field->value().data(), field->value().size());
    while (!pairs.empty()) {
      const auto semicolon = pairs.find(';');
      const auto pair = trim_spaces(pairs.substr(0, semicolon));
      const auto equals = pair.find('=');
      if (equals != std::string_view::npos && trim_spaces(pair.substr(0, equals)) == name) {
        return std::string(trim_spaces(pair.substr(equals + 1)));
      }
      pairs =
          semicolon == std::string_view::npos ? std::string_view{} : pairs.substr(semicolon + 1);
    }
  }
  return std::nullopt;
}

}  // namespace tether::gateway
