#pragma once
// The SDK's view of a CookieJar: the store behind the public, string-URL surface, for the SDK's
// own requests, which hold their URL already parsed. Only the SDK's layers include this header.

#include <mutex>
#include <string>
#include <utility>

#include "cookies/cookie_store.hpp"
#include "http/url.hpp"
#include "tether/cookies.hpp"

namespace tether {

struct CookieJar::Impl {
  Impl(CookieLimits jar_limits, Clock jar_clock)
      : limits(jar_limits), clock(std::move(jar_clock)), store(jar_limits) {}

  /// CookieJar::cookie_header() for a URL already parsed: the emulated transport asks for every
  /// request it sends, and parsing the URL again would cost each of them more than the lookup.
  std::string cookie_header(const http::Url& url);

  /// Checks what every way into the jar shares, then stores; `rejection` is the code to give.
  /// Called with `mutex` held.
  Error store_checked(Cookie cookie, ErrorCode rejection, CookieTime now);

  const CookieLimits limits;
  const Clock clock;
  mutable std::mutex mutex;
  cookies::CookieStore store;
};

/// The store behind `jar`.
/// Thread-safety: safe from any thread; the members of Impl lock its mutex where they need it.
inline CookieJar::Impl& cookie_jar_impl(CookieJar& jar) noexcept { return *jar.impl_; }

}  // namespace tether
