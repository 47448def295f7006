#pragma once

#include <optional>
#include <string_view>

#include "tether/cookies.hpp"

namespace tether::cookies {

/// Parses an Expires date with the algorithm of RFC 6265 section 5.1.1, which reads every format
/// servers use (RFC 1123 "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 "Sunday, 06-Nov-94 08:49:37
/// GMT", asctime "Sun Nov  6 08:49:37 1994" and their variants) by looking for a time, a day,
/// a month and a year in any order. Returns nothing when the algorithm says to fail. The time is
/// UTC; a zone name or offset is ignored, as the RFC requires.
/// Thread-safety: safe from any thread.
std::optional<CookieTime> parse_cookie_date(std::string_view text);

}  // namespace tether::cookies
