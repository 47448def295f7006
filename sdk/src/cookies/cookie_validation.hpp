#pragma once

#include <cstddef>
#include <string>

#include "tether/cookies.hpp"

namespace tether::cookies {

/// Why `cookie` cannot be stored, or empty when it can: an empty name or domain, a path that
/// does not start with '/', or a control character (tab included) in any field. Control
/// characters are refused because the Netscape file separates fields with tabs and lines with
/// newlines, and a Cookie header must not carry them (RFC 6265bis section 5.6 refuses them too).
/// Thread-safety: safe from any thread.
std::string unstorable_reason(const Cookie& cookie);

/// The bytes a cookie occupies for CookieLimits::max_cookie_size when there is no Set-Cookie
/// text to measure: name, value, domain and path.
/// Thread-safety: safe from any thread.
std::size_t stored_size(const Cookie& cookie);

}  // namespace tether::cookies
