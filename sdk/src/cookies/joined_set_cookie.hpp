#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tether::cookies {

/// Recovers the Set-Cookie header values that an HTTP library joined into one with ", " (as
/// websocketpp does with repeated response headers, which RFC 7230 section 3.2.2 allows for any
/// header but Set-Cookie).
///
/// A comma cannot be told apart from a separator by syntax alone, because Expires dates contain
/// one ("Expires=Wed, 09 Jun 2021 10:18:14 GMT") and values may too. So a comma starts a new
/// cookie only when (1) what follows it, after white space, looks like the start of a cookie,
/// `token=` (RFC 7230 token characters then '='), and (2) it is not the comma after the weekday
/// of an Expires date, i.e. the attribute it sits in is not "Expires=" followed by letters only.
///
/// Limit: a cookie whose value or attribute contains ",token=" (e.g. "list=a,b=c") is split in
/// two there. Such values are not RFC 6265 cookie-octets (which exclude ','), and servers that
/// need them must not be read through a joining library.
///
/// Pieces are trimmed of white space; empty ones are dropped.
/// Thread-safety: safe from any thread.
std::vector<std::string> split_joined_set_cookie(std::string_view joined);

}  // namespace tether::cookies
