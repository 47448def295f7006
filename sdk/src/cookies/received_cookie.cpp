#include "cookies/received_cookie.hpp"

#include "cookies/cookie_matching.hpp"
#include "cookies/public_suffix.hpp"
#include "core/ip_literal.hpp"

namespace tether::cookies {
namespace {

std::optional<CookieTime> expiry_of(const SetCookie& set_cookie, CookieTime now) {
  if (set_cookie.max_age) {
    // "Expire now" is the earliest time the jar can represent, so the cookie is evicted at once.
    if (*set_cookie.max_age <= 0) return CookieTime::min();
    const auto remaining = (latest_expiry - now).count();
    if (*set_cookie.max_age >= remaining) return latest_expiry;
    return now + std::chrono::seconds{*set_cookie.max_age};
  }
  return set_cookie.expires;
}

Error rejected(const SetCookie& set_cookie, const std::string& why) {
  return {ErrorCode::CookieRejected, "cookie '" + set_cookie.name + "' ignored: " + why};
}

}  // namespace

Error cookie_from_response(const SetCookie& set_cookie, const http::Url& request, CookieTime now,
                           Cookie& cookie) {
  cookie = Cookie{};
  cookie.name = set_cookie.name;
  cookie.value = set_cookie.value;
  cookie.creation_time = now;
  cookie.last_access_time = now;
  cookie.expires = expiry_of(set_cookie, now);

  std::string domain = set_cookie.domain.value_or("");
  if (!domain.empty() && is_public_suffix(domain)) {
    if (domain != request.host) {
      return rejected(set_cookie, "Domain '" + domain + "' is a public suffix");
    }
    domain.clear();
  }
  // Domain equal to an IP host domain-matches it (5.1.3 "identical"), yet such a cookie can reach
  // no other host: store it host-only, so that an IP host never holds a domain cookie.
  if (!domain.empty() && core::is_ip_literal(request.host) && domain == request.host)
    domain.clear();
  if (domain.empty()) {
    cookie.host_only = true;
    cookie.domain = request.host;
  } else {
    if (!domain_matches(request.host, domain)) {
      return rejected(set_cookie, "Domain '" + domain + "' is foreign to the request host '" +
                                      request.host + "'");
    }
    cookie.host_only = false;
    cookie.domain = domain;
  }

  cookie.path = set_cookie.path.value_or(default_path(path_of_target(request.target)));
  cookie.secure = set_cookie.secure;
  cookie.http_only = set_cookie.http_only;
  cookie.same_site = set_cookie.same_site;
  return {};
}

}  // namespace tether::cookies
