#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tether/cookies.hpp"
#include "tether/error.hpp"

namespace tether::cookies {

/// Reads the Netscape cookie-file format as curl writes it (docs/cookies.md, "Persistence"):
/// comment lines start with '#', except that curl's "#HttpOnly_" prefix marks an HttpOnly
/// cookie; each other non-blank line has seven tab-separated fields (domain, include-subdomains
/// TRUE/FALSE, path, secure TRUE/FALSE, expiry in Unix seconds with 0 for a session cookie,
/// name, value), or six when the value is empty; no other control character may appear (the
/// format cannot carry them, and a stray '\r' would not survive a rewrite). A malformed line gives
/// CookieFileCorrupt naming `file_name` and the line number, and `cookies` is then empty. Creation
/// and access times are left at zero for the jar to set. Thread-safety: safe from any thread.
Error parse_netscape_cookie_file(std::string_view contents, std::string_view file_name,
                                 std::vector<Cookie>& cookies);

/// Writes `cookies` in the same format, with curl's header, one line per cookie.
/// Thread-safety: safe from any thread.
std::string format_netscape_cookie_file(const std::vector<Cookie>& cookies);

}  // namespace tether::cookies
