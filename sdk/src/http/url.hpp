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
  bool host_is_ip_literal() const;
  /// "host:port", with brackets around an IPv6 literal.
  std::string authority() const;
  /// authority() without the port when it is the scheme's, as a URL and a Host header write it.
  std::string host_field() const;
  /// scheme://authority/target, as sent on the wire.
  std::string to_string() const;
  /// to_string() as error messages and log lines show it: redact_url() of it.
  std::string for_messages() const;
};

/// `text`, a URL or what was meant to be one, as error messages and log lines show it: without
/// user information, and with the query and the fragment replaced by "?[redacted]" and
/// "#[redacted]", since they often carry tokens ("?access_token=...") that must not end up in
/// logs. Every URL the SDK writes into a message or a log goes through this function.
/// Thread-safety: safe from any thread.
std::string redact_url(std::string_view text);

/// Which schemes a caller accepts, and whether user information may appear. Http is a request
/// URL (http or https) as the cookie jar and the HTTP helper see it: user information is allowed
/// and a fragment, never sent on the wire, is dropped.
enum class UrlKind { WebSocket, HttpProxy, Http };

/// Parses `text` into `url` with libcurl's URL API, the reader that sends the emulated
/// transport's and the HTTP helper's requests, so that the whole SDK sees one host, port and
/// path: a percent-encoded host is decoded, IPv4 shorthand ("0x7f.1") is the address it stands
/// for, dot segments are removed from the path, and white space or a control character anywhere
/// is refused. On top of libcurl's rules, an authority needs exactly two slashes, the port is
/// from 1 to 65535, and a host is ASCII (punycode) without an IPv6 zone identifier. Rejects what
/// RFC 6455 section 3 forbids in a WebSocket URI (a fragment, even empty, another scheme) too.
/// Every failure is an InvalidArgument error that quotes the URL.
/// Thread-safety: safe from any thread.
Error parse_url(std::string_view text, UrlKind kind, Url& url);

/// Decodes %XX escapes; returns false on a malformed escape.
bool percent_decode(std::string_view text, std::string& decoded);

}  // namespace tether::http
