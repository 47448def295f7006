#include "cookies/cookie_store.hpp"

#include <algorithm>

#include "cookies/cookie_matching.hpp"

namespace tether::cookies {
namespace {

bool same_identity(const Cookie& a, const Cookie& b) {
  return a.name == b.name && a.domain == b.domain && a.path == b.path;
}

bool applies_to(const Cookie& cookie, const http::Url& url) {
  const bool domain_ok =
      cookie.host_only ? url.host == cookie.domain : domain_matches(url.host, cookie.domain);
  return domain_ok && path_matches(path_of_target(url.target), cookie.path) &&
         (!cookie.secure || url.is_secure());
}

}  // namespace

bool is_expired(const Cookie& cookie, CookieTime now) {
  return cookie.expires && *cookie.expires <= now;
}

void CookieStore::insert(Cookie cookie, CookieTime now) {
  remove_expired(now);
  const auto old = std::find_if(cookies_.begin(), cookies_.end(), [&](const Cookie& stored) {
    return same_identity(stored, cookie);
  });
  if (is_expired(cookie, now)) {
    if (old != cookies_.end()) cookies_.erase(old);
    return;
  }
  if (old != cookies_.end()) {
    cookie.creation_time = old->creation_time;
    *old = std::move(cookie);
    return;
  }
  const std::string domain = cookie.domain;
  cookies_.push_back(std::move(cookie));
  evict_least_recently_used(limits_.max_cookies_per_domain, &domain);
  evict_least_recently_used(limits_.max_cookies, nullptr);
}

// Removes the least recently used cookies (the earliest stored first among equals) until at
// most `limit` remain, counting only those of `domain` when it is given.
void CookieStore::evict_least_recently_used(std::size_t limit, const std::string* domain) {
  const auto counted = [&](const Cookie& cookie) { return !domain || cookie.domain == *domain; };
  auto count = static_cast<std::size_t>(std::count_if(cookies_.begin(), cookies_.end(), counted));
  while (count > limit) {
    auto oldest = cookies_.end();
    for (auto it = cookies_.begin(); it != cookies_.end(); ++it) {
      if (counted(*it) &&
          (oldest == cookies_.end() || it->last_access_time < oldest->last_access_time)) {
        oldest = it;
      }
    }
    cookies_.erase(oldest);
    --count;
  }
}

std::vector<const Cookie*> CookieStore::select_for_request(const http::Url& url, CookieTime now) {
  remove_expired(now);
  std::vector<Cookie*> selected;
  for (Cookie& cookie : cookies_) {
    if (applies_to(cookie, url)) selected.push_back(&cookie);
  }
  // Storage order is creation order, so a stable sort on path length alone gives 5.4's order
  // even when two cookies were created in the same second.
  std::stable_sort(selected.begin(), selected.end(), [](const Cookie* a, const Cookie* b) {
    return a->path.size() > b->path.size();
  });
  for (Cookie* cookie : selected) cookie->last_access_time = now;
  return {selected.begin(), selected.end()};
}

std::vector<Cookie> CookieStore::unexpired(CookieTime now) const {
  std::vector<Cookie> result;
  std::copy_if(cookies_.begin(), cookies_.end(), std::back_inserter(result),
               [&](const Cookie& cookie) { return !is_expired(cookie, now); });
  return result;
}

void CookieStore::remove_expired(CookieTime now) {
  cookies_.erase(std::remove_if(cookies_.begin(), cookies_.end(),
                                [&](const Cookie& cookie) { return is_expired(cookie, now); }),
                 cookies_.end());
}

}  // namespace tether::cookies
