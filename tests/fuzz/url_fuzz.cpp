// libFuzzer target for the URL parser: URLs come from options, environment variables (proxies),
// cookie files and the application's HTTP requests, and the transports put their parts on the
// wire. The first byte picks the URL kind, the rest is the URL. Whatever the input, parsing must
// end in a URL or a typed error; an accepted URL must be one the SDK can send as it is (a lower
// case ASCII host without white space or control characters, a target that starts with '/' and
// cannot split a request line or a header), and its printed form must parse back to the same
// host, port and target, so that every layer that re-reads it (libcurl too) sees one URL.
// Whatever the input, its redacted form (what messages and logs show) keeps no query, fragment
// or user information.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/url.hpp"

namespace {

using tether::http::Url;
using tether::http::UrlKind;

bool is_sendable(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) return false;
  }
  return true;
}

void check(const Url& url, UrlKind kind) {
  if (url.host.empty() || !is_sendable(url.host) || !is_sendable(url.target)) std::abort();
  for (const char c : url.host) {
    if (static_cast<unsigned char>(c) >= 0x80 || (c >= 'A' && c <= 'Z')) std::abort();
  }
  if (url.target.front() != '/' || url.port == 0) std::abort();
  if (kind == UrlKind::WebSocket && !url.user_info.empty()) std::abort();

  Url again;
  if (tether::http::parse_url(url.to_string(), kind, again)) std::abort();
  if (again.scheme != url.scheme || again.host != url.host || again.port != url.port ||
      again.target != url.target) {
    std::abort();
  }
}

// redact_url's promise: nothing after the first '?' or '#' but the mark, and no user
// information left in the authority.
void check_redacted(std::string_view text) {
  const std::string redacted = tether::http::redact_url(text);
  const auto hidden = redacted.find_first_of("?#");
  if (hidden != std::string::npos &&
      redacted.compare(hidden + 1, std::string::npos, "[redacted]")) {
    std::abort();
  }
  auto scheme_end = redacted.find("://");
  if (redacted.find_first_of("/?#") < scheme_end) scheme_end = std::string::npos;
  const auto authority_start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  const auto authority_end = redacted.find_first_of("/?#", authority_start);
  if (redacted.substr(authority_start, authority_end - authority_start).find('@') !=
      std::string::npos) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  constexpr UrlKind kinds[] = {UrlKind::WebSocket, UrlKind::HttpProxy, UrlKind::Http};
  const UrlKind kind = kinds[data[0] % 3];
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  check_redacted(text);
  Url url;
  const tether::Error error = tether::http::parse_url(text, kind, url);
  if (error) {
    if (error.code != tether::ErrorCode::InvalidArgument) std::abort();
    return 0;
  }
  check(url, kind);
  check_redacted(url.for_messages());
  return 0;
}
