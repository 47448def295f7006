#pragma once

#include <vector>

#include "http/url.hpp"
#include "tether/cookies.hpp"

namespace tether::cookies {

/// The cookies of one jar, kept in storage order (which is creation order), with the eviction
/// rules of the end of RFC 6265 section 5.3: expired cookies go first, then the least recently
/// used cookies of a domain over its limit, then the least recently used of the whole store.
/// Thread-safety: none; CookieJar's mutex guards it. Distinct objects: safe. Shared: unsafe.
class CookieStore {
 public:
  explicit CookieStore(CookieLimits limits) : limits_(limits) {}

  /// Step 11 and 12 of section 5.3: replaces the cookie with the same name, domain and path
  /// (keeping its creation time and its place) or appends `cookie`, then evicts to the limits.
  /// A cookie that is already expired only removes its namesake.
  void insert(Cookie cookie, CookieTime now);

  /// The cookies for a request to `url`, in Cookie header order (section 5.4): longer paths
  /// first, then earlier creation. Their last access time becomes `now`. The pointers stay
  /// valid until the store next changes.
  std::vector<const Cookie*> select_for_request(const http::Url& url, CookieTime now);

  /// Copies of the unexpired cookies, in storage order.
  std::vector<Cookie> unexpired(CookieTime now) const;

  void remove_expired(CookieTime now);
  void clear() { cookies_.clear(); }

 private:
  void evict_least_recently_used(std::size_t limit, const std::string* domain);

  CookieLimits limits_;
  std::vector<Cookie> cookies_;
};

/// True when `cookie` has an expiry time and it is not after `now`.
/// Thread-safety: safe from any thread.
bool is_expired(const Cookie& cookie, CookieTime now);

}  // namespace tether::cookies
