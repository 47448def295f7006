#pragma once

#include <string>
#include <string_view>

namespace tether::cookies {

/// RFC 6265 section 5.1.3: `host` (canonical, lower case) domain-matches `domain` when they are
/// identical, or when `host` is a host name (not an IP address) that ends with "." + `domain`.
/// Thread-safety: safe from any thread.
bool domain_matches(std::string_view host, std::string_view domain);

/// RFC 6265 section 5.1.4: `request_path` path-matches `cookie_path` when they are identical, or
/// when `cookie_path` is a prefix that ends with '/' or is followed by '/' in `request_path`
/// (so "/foo" matches "/foo/bar" but not "/foobar").
/// Thread-safety: safe from any thread.
bool path_matches(std::string_view request_path, std::string_view cookie_path);

/// RFC 6265 section 5.1.4's default-path of a request path: the directory up to, not including,
/// its right-most '/', or "/" when there is none beyond the first.
/// Thread-safety: safe from any thread.
std::string default_path(std::string_view request_path);

/// The path of a request target ("/a/b?x=1" gives "/a/b").
/// Thread-safety: safe from any thread.
std::string_view path_of_target(std::string_view target);

}  // namespace tether::cookies
