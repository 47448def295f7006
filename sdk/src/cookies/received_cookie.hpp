#pragma once

#include "cookies/set_cookie_parser.hpp"
#include "http/url.hpp"
#include "tether/cookies.hpp"
#include "tether/error.hpp"

namespace tether::cookies {

/// RFC 6265 section 5.3, steps 2 to 9: the cookie that `set_cookie`, received in a response to
/// `request` at time `now`, asks the jar to store. Max-Age wins over Expires; a missing Domain
/// makes a host-only cookie; a Domain that is a public suffix is refused unless it is the
/// request host itself, which then gets a host-only cookie (step 5); a Domain the request host
/// does not domain-match (a foreign domain, or any other domain for an IP address) is refused.
/// Those refusals give CookieRejected saying why.
/// Thread-safety: safe from any thread.
Error cookie_from_response(const SetCookie& set_cookie, const http::Url& request, CookieTime now,
                           Cookie& cookie);

/// The latest expiry the jar keeps: 9999-12-31 23:59:59 UTC, the last date an Expires attribute
/// can name. Longer Max-Age values are cut to it.
inline constexpr CookieTime latest_expiry{std::chrono::seconds{253402300799}};

}  // namespace tether::cookies
