#include <algorithm>
#include <mutex>

#include "cookies/cookie_jar_impl.hpp"
#include "cookies/cookie_store.hpp"
#include "cookies/cookie_validation.hpp"
#include "cookies/netscape_cookie_file.hpp"
#include "cookies/received_cookie.hpp"
#include "cookies/set_cookie_parser.hpp"
#include "core/file_io.hpp"
#include "http/ascii.hpp"
#include "http/url.hpp"
#include "tether/cookies.hpp"

namespace tether {
namespace {

CookieTime system_now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

// The jar serves WebSocket handshakes and plain HTTP requests alike, so it takes either kind.
Error parse_request_url(std::string_view text, http::Url& url) {
  const auto scheme_end = text.find("://");
  const std::string scheme =
      http::ascii_lower(text.substr(0, scheme_end == std::string_view::npos ? 0 : scheme_end));
  const bool websocket = scheme == "ws" || scheme == "wss";
  return http::parse_url(text, websocket ? http::UrlKind::WebSocket : http::UrlKind::Http, url);
}

}  // namespace

Error CookieJar::Impl::store_checked(Cookie cookie, ErrorCode rejection, CookieTime now) {
  if (auto why = cookies::unstorable_reason(cookie); !why.empty()) {
    return {rejection, "cookie '" + cookie.name + "' not stored: " + why};
  }
  store.insert(std::move(cookie), now);
  return {};
}

std::string CookieJar::Impl::cookie_header(const http::Url& url) {
  const std::lock_guard lock(mutex);
  std::string header;
  for (const Cookie* cookie : store.select_for_request(url, clock())) {
    if (!header.empty()) header += "; ";
    header += cookie->name + '=' + cookie->value;
  }
  return header;
}

CookieJar::CookieJar(CookieLimits limits) : CookieJar(limits, system_now) {}

CookieJar::CookieJar(CookieLimits limits, Clock clock)
    : impl_(std::make_unique<Impl>(limits, std::move(clock))) {}

CookieJar::~CookieJar() = default;

Error CookieJar::set_from_response(std::string_view request_url,
                                   std::string_view set_cookie_value) {
  http::Url url;
  if (auto error = parse_request_url(request_url, url)) return error;
  if (set_cookie_value.size() > impl_->limits.max_cookie_size) {
    return {ErrorCode::CookieRejected, "Set-Cookie of " + std::to_string(set_cookie_value.size()) +
                                           " bytes ignored: the limit is " +
                                           std::to_string(impl_->limits.max_cookie_size)};
  }
  cookies::SetCookie parsed;
  if (auto error = cookies::parse_set_cookie(set_cookie_value, parsed)) return error;

  const std::lock_guard lock(impl_->mutex);
  const CookieTime now = impl_->clock();
  Cookie cookie;
  if (auto error = cookies::cookie_from_response(parsed, url, now, cookie)) return error;
  return impl_->store_checked(std::move(cookie), ErrorCode::CookieRejected, now);
}

Error CookieJar::set_from_response_headers(std::string_view request_url,
                                           const std::vector<std::string>& set_cookie_values) {
  Error first;
  for (const std::string& value : set_cookie_values) {
    Error error = set_from_response(request_url, value);
    if (error && !first) first = std::move(error);
  }
  return first;
}

std::string CookieJar::cookie_header(std::string_view request_url) {
  http::Url url;
  if (parse_request_url(request_url, url)) return {};
  return impl_->cookie_header(url);
}

std::vector<Cookie> CookieJar::cookies() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->store.unexpired(impl_->clock());
}

Error CookieJar::add(Cookie cookie) {
  if (!cookie.domain.empty() && cookie.domain.front() == '.') cookie.domain.erase(0, 1);
  cookie.domain = http::ascii_lower(cookie.domain);
  if (cookies::stored_size(cookie) > impl_->limits.max_cookie_size) {
    return {ErrorCode::InvalidArgument, "cookie '" + cookie.name + "' is larger than " +
                                            std::to_string(impl_->limits.max_cookie_size) +
                                            " bytes"};
  }
  const std::lock_guard lock(impl_->mutex);
  const CookieTime now = impl_->clock();
  cookie.creation_time = cookie.last_access_time = now;
  return impl_->store_checked(std::move(cookie), ErrorCode::InvalidArgument, now);
}

Error CookieJar::add_from_string(std::string_view name_value, std::string_view url) {
  http::Url parsed_url;
  if (auto error = parse_request_url(url, parsed_url)) return error;
  const auto equals = name_value.find('=');
  if (equals == std::string_view::npos || name_value.find(';') != std::string_view::npos) {
    return {ErrorCode::InvalidArgument,
            "cookie '" + std::string(name_value) + "' must be one name=value pair"};
  }
  Cookie cookie;
  cookie.name = std::string(name_value.substr(0, equals));
  cookie.value = std::string(name_value.substr(equals + 1));
  cookie.domain = parsed_url.host;
  return add(std::move(cookie));
}

void CookieJar::clear() {
  const std::lock_guard lock(impl_->mutex);
  impl_->store.clear();
}

void CookieJar::remove_expired() {
  const std::lock_guard lock(impl_->mutex);
  impl_->store.remove_expired(impl_->clock());
}

Error CookieJar::load(const std::string& path, CookieLoadOptions options) {
  std::string contents;
  bool missing = false;
  if (auto error = core::read_file(path, contents, missing)) return error;
  std::vector<Cookie> loaded;
  if (auto error = cookies::parse_netscape_cookie_file(contents, path, loaded)) return error;

  const std::lock_guard lock(impl_->mutex);
  const CookieTime now = impl_->clock();
  for (Cookie& cookie : loaded) {
    const bool session = !cookie.expires;
    // Lines that are well formed but name a cookie the jar would not keep (expired, empty name,
    // oversized) are skipped rather than failing the file: curl writes such lines too.
    if ((session && !options.include_session_cookies) || cookies::is_expired(cookie, now) ||
        cookies::stored_size(cookie) > impl_->limits.max_cookie_size ||
        !cookies::unstorable_reason(cookie).empty()) {
      continue;
    }
    cookie.creation_time = cookie.last_access_time = now;
    impl_->store.insert(std::move(cookie), now);
  }
  return {};
}

Error CookieJar::save(const std::string& path, CookieSaveOptions options) const {
  std::vector<Cookie> kept;
  {
    const std::lock_guard lock(impl_->mutex);
    kept = impl_->store.unexpired(impl_->clock());
  }
  if (!options.include_session_cookies) {
    kept.erase(std::remove_if(kept.begin(), kept.end(),
                              [](const Cookie& cookie) { return !cookie.expires; }),
               kept.end());
  }
  return core::write_file_atomically(path, cookies::format_netscape_cookie_file(kept));
}

}  // namespace tether
