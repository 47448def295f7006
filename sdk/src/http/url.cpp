#include "http/url.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace tether::http {
namespace {

std::string lower(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

std::uint16_t default_port(std::string_view scheme) {
  return (scheme == "wss" || scheme == "https") ? 443 : 80;
}

Error invalid(std::string_view text, std::string_view why) {
  return {ErrorCode::InvalidArgument,
          "invalid URL '" + std::string(text) + "': " + std::string(why)};
}

bool is_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
         c == '%' || c == '~';
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

}  // namespace

bool Url::host_is_ip_literal() const noexcept {
  unsigned char buffer[16];
  return inet_pton(AF_INET, host.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

std::string Url::authority() const {
  std::string result = host_is_ipv6() ? "[" + host + "]" : host;
  return result + ":" + std::to_string(port);
}

std::string Url::to_string() const {
  const bool default_port_used = port == default_port(scheme);
  std::string result = scheme + "://" + (host_is_ipv6() ? "[" + host + "]" : host);
  if (!default_port_used) result += ":" + std::to_string(port);
  return result + target;
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
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) return invalid(text, "expected scheme://host");
  url.scheme = lower(text.substr(0, scheme_end));
  if (auto error = check_scheme(text, url.scheme, kind)) return error;

  std::string_view rest = text.substr(scheme_end + 3);
  if (const auto fragment = rest.find('#'); fragment != std::string_view::npos) {
    if (kind != UrlKind::Http) {
      return invalid(text, "WebSocket URLs cannot have a fragment (RFC 6455 section 3)");
    }
    rest = rest.substr(0, fragment);
  }
  const auto authority_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, authority_end);
  if (authority_end != std::string_view::npos) {
    url.target = std::string(rest.substr(authority_end));
    if (url.target.front() == '?') url.target.insert(0, "/");
  }

  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    if (kind == UrlKind::WebSocket) {
      return invalid(text,
                     "credentials in a WebSocket URL are not allowed; use the "
                     "authentication options");
    }
    url.user_info = std::string(authority.substr(0, at));
    authority.remove_prefix(at + 1);
  }

  std::string_view host;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return invalid(text, "unterminated IPv6 literal");
    host = authority.substr(1, close - 1);
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return invalid(text, "unexpected text after the IPv6 literal");
      port = after.substr(1);
    }
    unsigned char buffer[16];
    if (inet_pton(AF_INET6, std::string(host).c_str(), buffer) != 1) {
      return invalid(text, "malformed IPv6 literal");
    }
  } else {
    const auto colon = authority.rfind(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    if (!std::all_of(host.begin(), host.end(), is_host_char)) {
      return invalid(text, "the host name has characters that are not allowed");
    }
  }
  if (host.empty()) return invalid(text, "the host is missing");
  url.host = lower(host);

  url.port = default_port(url.scheme);
  if (!port.empty()) {
    unsigned value = 0;
    auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (error != std::errc{} || end != port.data() + port.size() || value == 0 || value > 65535) {
      return invalid(text, "the port must be a number from 1 to 65535");
    }
    url.port = static_cast<std::uint16_t>(value);
  }
  return {};
}

}  // namespace tether::http
