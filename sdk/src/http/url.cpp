#include "http/url.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <memory>
#include <new>
#include <optional>

#include "core/ip_literal.hpp"
#include "http/ascii.hpp"

namespace tether::http {
namespace {

std::uint16_t default_port(std::string_view scheme) {
  return (scheme == "wss" || scheme == "https") ? 443 : 80;
}

Error invalid(std::string_view text, std::string_view why) {
  return {ErrorCode::InvalidArgument,
          "invalid URL '" + redact_url(text) + "': " + std::string(why)};
}

Error check_scheme(std::string_view text, std::string_view scheme, UrlKind kind) {
  switch (kind) {
    case UrlKind::WebSocket:
      if (scheme == "ws" || scheme == "wss") return {};
      return invalid(text, "the scheme must be ws or wss");
    case UrlKind::HttpProxy:
      if (scheme == "http") return {};
      return invalid(text, "only http:// proxies are supported (CONNECT over plain HTTP)");
    case UrlKind::Http:
      if (scheme == "http" || scheme == "https") return {};
      return invalid(text, "the scheme must be http or https");
  }
  return invalid(text, "unknown URL kind");
}

struct CurlUrlDeleter {
  void operator()(CURLU* handle) const noexcept { curl_url_cleanup(handle); }
};

/// One part of a parsed URL: nullopt when the URL has none (libcurl's CURLUE_NO_* codes).
std::optional<std::string> part(CURLU* handle, CURLUPart which) {
  char* value = nullptr;
  if (curl_url_get(handle, which, &value, 0) != CURLUE_OK) return std::nullopt;
  std::string result(value);
  curl_free(value);
  return result;
}

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

bool Url::host_is_ip_literal() const { return core::is_ip_literal(host); }

std::string Url::authority() const {
  std::string result = host_is_ipv6() ? "[" + host + "]" : host;
  return result + ":" + std::to_string(port);
}

std::string Url::host_field() const {
  std::string result = host_is_ipv6() ? "[" + host + "]" : host;
  if (port != default_port(scheme)) result += ":" + std::to_string(port);
  return result;
}

std::string Url::to_string() const { return scheme + "://" + host_field() + target; }

std::string Url::for_messages() const { return redact_url(to_string()); }

std::string redact_url(std::string_view text) {
  // Read loosely, since the text may be malformed: the authority follows the first "://" that
  // no '/', '?' or '#' precedes (or starts the text) and ends at the next '/', '?' or '#'; user
  // information ends at its last '@'.
  auto scheme_end = text.find("://");
  if (text.find_first_of("/?#") < scheme_end) scheme_end = std::string_view::npos;
  const auto authority_start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  const auto authority_end = std::min(text.find_first_of("/?#", authority_start), text.size());
  const auto at = text.substr(0, authority_end).rfind('@');
  std::string redacted(text.substr(0, authority_start));
  redacted +=
      text.substr(at == std::string_view::npos || at < authority_start ? authority_start : at + 1);
  const auto hidden = redacted.find_first_of("?#", authority_start);
  if (hidden == std::string::npos) return redacted;
  const char mark = redacted[hidden];
  redacted.resize(hidden);
  return redacted + mark + "[redacted]";
}

bool percent_decode(std::string_view text, std::string& decoded) {
  decoded.clear();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      decoded += text[i];
      continue;
    }
    unsigned value = 0;
    if (i + 2 >= text.size()) return false;
    auto [end, error] = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
    if (error != std::errc{} || end != text.data() + i + 3) return false;
    decoded += static_cast<char>(value);
    i += 2;
  }
  return true;
}

Error parse_url(std::string_view text, UrlKind kind, Url& url) {
  url = Url{};
  // libcurl reads the URL, the same reader that sends the emulated transport's and the HTTP
  // helper's requests, so that every part of the SDK sees one host, port and path. Its URL API
  // does not need curl_global_init.
  const std::unique_ptr<CURLU, CurlUrlDeleter> handle(curl_url());
  if (!handle) throw std::bad_alloc();
  // ws and wss are schemes libcurl may not have been built for; this function checks the scheme.
  const CURLUcode code = curl_url_set(handle.get(), CURLUPART_URL, std::string(text).c_str(),
                                      CURLU_NON_SUPPORT_SCHEME);
  if (code != CURLUE_OK) return invalid(text, curl_url_strerror(code));

  url.scheme = ascii_lower(part(handle.get(), CURLUPART_SCHEME).value_or(""));
  if (auto error = check_scheme(text, url.scheme, kind)) return error;
  // libcurl also takes one or three slashes after the scheme ("ws:///host" is ws://host/); an
  // authority is written with two (RFC 3986 section 3).
  const std::string_view after_scheme = text.substr(url.scheme.size());
  if (after_scheme.substr(0, 3) != "://" || after_scheme.substr(3, 1) == "/") {
    return invalid(text, "expected scheme://host");
  }
  // Any '#' starts a fragment, even an empty one, which libcurl drops.
  if (kind != UrlKind::Http && text.find('#') != std::string_view::npos) {
    return invalid(text, "WebSocket URLs cannot have a fragment (RFC 6455 section 3)");
  }

  const auto user = part(handle.get(), CURLUPART_USER);
  const auto password = part(handle.get(), CURLUPART_PASSWORD);
  if (user || password) {
    if (kind == UrlKind::WebSocket) {
      return invalid(text,
                     "credentials in a WebSocket URL are not allowed; use the "
                     "authentication options");
    }
    url.user_info = user.value_or("") + (password ? ":" + *password : "");
  }

  if (part(handle.get(), CURLUPART_ZONEID)) {
    return invalid(text, "IPv6 zone identifiers are not supported");
  }
  std::string host = part(handle.get(), CURLUPART_HOST).value_or("");
  if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  if (host.empty()) return invalid(text, "the host is missing");
  if (!is_ascii(host)) {
    return invalid(text, "international host names must be written in punycode (xn--)");
  }
  // libcurl decodes "%25" to "%": the host would no longer read the same when written out again
  // (found by tests/fuzz/url_fuzz.cpp).
  if (host.find('%') != std::string::npos) {
    return invalid(text, "a host name may not contain '%'");
  }
  url.host = ascii_lower(host);

  url.port = default_port(url.scheme);
  if (const auto port = part(handle.get(), CURLUPART_PORT)) {
    unsigned value = 0;
    std::from_chars(port->data(), port->data() + port->size(), value);
    if (value == 0) return invalid(text, "the port must be a number from 1 to 65535");
    url.port = static_cast<std::uint16_t>(value);
  }

  url.target = part(handle.get(), CURLUPART_PATH).value_or("/");
  if (url.target.empty()) url.target = "/";
  if (const auto query = part(handle.get(), CURLUPART_QUERY)) url.target += "?" + *query;
  return {};
}

}  // namespace tether::http
