#include "cookies/joined_set_cookie.hpp"

#include <algorithm>
#include <cctype>

#include "http/ascii.hpp"
#include "http/token.hpp"

namespace tether::cookies {
namespace {

bool is_whitespace(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_whitespace(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_whitespace(text.back())) text.remove_suffix(1);
  return text;
}

// True when `text` starts, after white space, with `token=`.
bool starts_a_cookie(std::string_view text) {
  text = trim(text);
  const auto name_end =
      std::find_if_not(text.begin(), text.end(), http::is_token_char) - text.begin();
  return name_end > 0 && static_cast<std::size_t>(name_end) < text.size() &&
         text[static_cast<std::size_t>(name_end)] == '=';
}

// True when `attribute` (the text since the last ';') is "Expires=" and a weekday name, so the
// comma that ends it belongs to the date.
bool is_expires_weekday(std::string_view attribute) {
  attribute = trim(attribute);
  constexpr std::string_view expires = "expires=";
  if (!http::ascii_iequals(attribute.substr(0, expires.size()), expires)) return false;
  const std::string_view weekday = trim(attribute.substr(expires.size()));
  return !weekday.empty() && std::all_of(weekday.begin(), weekday.end(), [](char c) {
    return std::isalpha(static_cast<unsigned char>(c));
  });
}

}  // namespace

std::vector<std::string> split_joined_set_cookie(std::string_view joined) {
  std::vector<std::string> cookies;
  std::size_t cookie_start = 0;
  std::size_t attribute_start = 0;
  for (std::size_t i = 0; i < joined.size(); ++i) {
    if (joined[i] == ';') {
      attribute_start = i + 1;
    } else if (joined[i] == ',' && starts_a_cookie(joined.substr(i + 1)) &&
               !is_expires_weekday(joined.substr(attribute_start, i - attribute_start))) {
      cookies.emplace_back(trim(joined.substr(cookie_start, i - cookie_start)));
      cookie_start = attribute_start = i + 1;
    }
  }
  cookies.emplace_back(trim(joined.substr(cookie_start)));
  cookies.erase(std::remove_if(cookies.begin(), cookies.end(),
                               [](const std::string& cookie) { return cookie.empty(); }),
                cookies.end());
  return cookies;
}

}  // namespace tether::cookies
