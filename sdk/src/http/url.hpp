#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tether/error.hpp"

namespace tether::http {

/// An absolute ws, wss, http or https URL, split the way the transports need it.
struct Url {
  std::string scheme;        ///< Lower case: "ws", "wss", "http" or "https".
  std::string host;          ///< Lower case; an IPv6 literal without its brackets.
  std::uint16_t port = 0;    ///< The explicit port, or the scheme's default.
  std::string target = "/";  ///< Path and query, never empty.
  std::string user_info;     ///< Percent-encoded "user:password", only where allowed (proxies).

  bool is_secure() const noexcept { return scheme == "wss" || scheme == "https"; }
  bool host_is_ipv6() const noexcept { return host.find(':') != std::string::npos; }
  bool host_is_ip_literal() const noexcept;
  /// "host:port", with brackets around an IPv6 literal.
  std::string authority() const;
  /// scheme://authority/target, as sent on the wire.
  std::string to_string() const;
};

/// Which schemes a caller accepts, and whether user information may appear. Http is a request
/// URL (http or https) as the cookie jar and the HTTP helper see it: user information is allowed
/// and a fragment, never sent on the wire, is dropped.
enum class UrlKind { WebSocket, HttpProxy, Http };

/// Parses `text` into `url`. Rejects what RFC 6455 section 3 forbids in a WebSocket URI (a
/// fragment, another scheme) with an InvalidArgument error that quotes the URL.
/// Thread-safety: safe from any thread.
Error parse_url(std::string_view text, UrlKind kind, Url& url);

/// Decodes %XX escapes; returns false on a malformed escape.
bool percent_decode(std::string_view text, std::string& decoded);

}  // namespace tether::http
