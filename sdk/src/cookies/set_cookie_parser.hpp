#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tether/cookies.hpp"
#include "tether/error.hpp"

namespace tether::cookies {

/// A Set-Cookie header value taken apart by RFC 6265 section 5.2. Where an attribute appears
/// more than once the last one counts (section 5.3 reads "the last attribute"), so each field
/// holds the last valid value; an attribute the RFC says to ignore leaves the field as it was.
struct SetCookie {
  std::string name;
  std::string value;
  std::optional<CookieTime> expires;
  /// Max-Age in seconds as sent; zero or less means "expire now". Saturates at the int64 range.
  std::optional<std::int64_t> max_age;
  /// Lower case without its leading dot; may be empty ("Domain=."), which means host-only.
  std::optional<std::string> domain;
  /// Absent when missing or not starting with '/': the request's default-path applies.
  std::optional<std::string> path;
  bool secure = false;
  bool http_only = false;
  std::string same_site;
};

/// Parses one Set-Cookie header value. A value RFC 6265 says to ignore (no '=' in the first
/// name-value pair, an empty name) gives CookieRejected saying why.
/// Thread-safety: safe from any thread.
Error parse_set_cookie(std::string_view text, SetCookie& cookie);

}  // namespace tether::cookies
