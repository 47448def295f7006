#include "cookies/set_cookie_parser.hpp"

#include <algorithm>
#include <limits>

#include "cookies/cookie_date.hpp"
#include "http/ascii.hpp"

namespace tether::cookies {
namespace {

// The RFC trims only WSP (space and horizontal tab), not every kind of white space.
std::string_view trim_whitespace(std::string_view text) {
  const auto is_wsp = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && is_wsp(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_wsp(text.back())) text.remove_suffix(1);
  return text;
}

// Section 5.2.2: an optional '-' then digits only; anything else ignores the attribute.
std::optional<std::int64_t> parse_max_age(std::string_view text) {
  const bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  if (text.empty() ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  constexpr std::int64_t most = std::numeric_limits<std::int64_t>::max();
  std::int64_t value = 0;
  for (char c : text) {
    const int digit = c - '0';
    value = value > (most - digit) / 10 ? most : value * 10 + digit;
  }
  return negative ? -value : value;
}

void apply_attribute(std::string_view name, std::string_view value, SetCookie& cookie) {
  if (http::ascii_iequals(name, "expires")) {
    if (auto date = parse_cookie_date(value)) cookie.expires = date;
  } else if (http::ascii_iequals(name, "max-age")) {
    if (auto seconds = parse_max_age(value)) cookie.max_age = seconds;
  } else if (http::ascii_iequals(name, "domain")) {
    if (value.empty()) return;  // "SHOULD ignore the cookie-av entirely" (5.2.3)
    if (value.front() == '.') value.remove_prefix(1);
    cookie.domain = http::ascii_lower(value);
  } else if (http::ascii_iequals(name, "path")) {
    if (value.empty() || value.front() != '/') {
      cookie.path.reset();
    } else {
      cookie.path = std::string(value);
    }
  } else if (http::ascii_iequals(name, "secure")) {
    cookie.secure = true;
  } else if (http::ascii_iequals(name, "httponly")) {
    cookie.http_only = true;
  } else if (http::ascii_iequals(name, "samesite")) {
    cookie.same_site = std::string(value);
  }
}

Error rejected(std::string_view text, std::string_view why) {
  return {ErrorCode::CookieRejected,
          "Set-Cookie '" + std::string(text.substr(0, 80)) + "' ignored: " + std::string(why)};
}

}  // namespace

Error parse_set_cookie(std::string_view text, SetCookie& cookie) {
  cookie = SetCookie{};
  const auto pair_end = text.find(';');
  const std::string_view name_value = text.substr(0, pair_end);
  const auto equals = name_value.find('=');
  if (equals == std::string_view::npos) return rejected(text, "no '=' in the name-value pair");
  cookie.name = std::string(trim_whitespace(name_value.substr(0, equals)));
  cookie.value = std::string(trim_whitespace(name_value.substr(equals + 1)));
  if (cookie.name.empty()) return rejected(text, "the cookie name is empty");

  std::string_view unparsed =
      pair_end == std::string_view::npos ? std::string_view{} : text.substr(pair_end);
  while (!unparsed.empty()) {
    unparsed.remove_prefix(1);  // the ';'
    const auto av_end = unparsed.find(';');
    const std::string_view attribute = unparsed.substr(0, av_end);
    unparsed = av_end == std::string_view::npos ? std::string_view{} : unparsed.substr(av_end);
    const auto attribute_equals = attribute.find('=');
    const std::string_view name = trim_whitespace(attribute.substr(0, attribute_equals));
    const std::string_view value = attribute_equals == std::string_view::npos
                                       ? std::string_view{}
                                       : trim_whitespace(attribute.substr(attribute_equals + 1));
    apply_attribute(name, value, cookie);
  }
  return {};
}

}  // namespace tether::cookies
