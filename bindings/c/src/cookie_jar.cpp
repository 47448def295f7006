// tether_cookie_jar_*: the C face of tether::CookieJar. The jar serialises its own members, so
// every function here is safe from any thread.
#include <chrono>
#include <string>

#include "cookie_jar_handle.hpp"

using tether::c_api::failure;
using tether::c_api::from_error;
using tether::c_api::guarded;
using tether::c_api::guarded_on;
using tether::c_api::null_argument;

extern "C" {

tether_cookie_jar* tether_cookie_jar_create(void) {
  return tether::c_api::guarded_create([] { return new tether_cookie_jar; });
}

tether_cookie_jar* tether_cookie_jar_create_with_limits(size_t max_cookies_per_domain,
                                                        size_t max_cookies,
                                                        size_t max_cookie_size) {
  return tether::c_api::guarded_create([&] {
    tether::CookieLimits limits;
    if (max_cookies_per_domain != 0) limits.max_cookies_per_domain = max_cookies_per_domain;
    if (max_cookies != 0) limits.max_cookies = max_cookies;
    if (max_cookie_size != 0) limits.max_cookie_size = max_cookie_size;
    return new tether_cookie_jar(limits);
  });
}

void tether_cookie_jar_free(tether_cookie_jar* jar) { delete jar; }

tether_code tether_cookie_jar_load(tether_cookie_jar* jar, const char* path,
                                   int include_session_cookies) {
  if (jar == nullptr) return TETHER_INVALID_ARGUMENT;
  return guarded(&jar->messages, "tether_cookie_jar_load", [&] {
    if (path == nullptr) return null_argument("path");
    return from_error(jar->jar->load(path, {include_session_cookies != 0}));
  });
}

tether_code tether_cookie_jar_save(tether_cookie_jar* jar, const char* path,
                                   int include_session_cookies) {
  if (jar == nullptr) return TETHER_INVALID_ARGUMENT;
  return guarded(&jar->messages, "tether_cookie_jar_save", [&] {
    if (path == nullptr) return null_argument("path");
    return from_error(jar->jar->save(path, {include_session_cookies != 0}));
  });
}

tether_code tether_cookie_jar_add_from_string(tether_cookie_jar* jar, const char* name_value,
                                              const char* url) {
  if (jar == nullptr) return TETHER_INVALID_ARGUMENT;
  return guarded(&jar->messages, "tether_cookie_jar_add_from_string", [&] {
    if (name_value == nullptr) return null_argument("name_value");
    if (url == nullptr) return null_argument("url");
    return from_error(jar->jar->add_from_string(name_value, url));
  });
}

tether_code tether_cookie_jar_set_from_response(tether_cookie_jar* jar, const char* url,
                                                const char* set_cookie) {
  if (jar == nullptr) return TETHER_INVALID_ARGUMENT;
  return guarded(&jar->messages, "tether_cookie_jar_set_from_response", [&] {
    if (url == nullptr) return null_argument("url");
    if (set_cookie == nullptr) return null_argument("set_cookie");
    return from_error(jar->jar->set_from_response(url, set_cookie));
  });
}

tether_code tether_cookie_jar_cookie_header(tether_cookie_jar* jar, const char* url, char* buffer,
                                            size_t size, size_t* length) {
  if (jar == nullptr) return TETHER_INVALID_ARGUMENT;
  return guarded(&jar->messages, "tether_cookie_jar_cookie_header", [&] {
    if (url == nullptr) return null_argument("url");
    return tether::c_api::copy_out(jar->jar->cookie_header(url), buffer, size, length);
  });
}

tether_code tether_cookie_jar_clear(tether_cookie_jar* jar) {
  if (jar == nullptr) return TETHER_INVALID_ARGUMENT;
  return guarded(&jar->messages, "tether_cookie_jar_clear", [&] {
    jar->jar->clear();
    return tether::c_api::success();
  });
}

tether_code tether_cookie_jar_remove_expired(tether_cookie_jar* jar) {
  return guarded_on(jar, __func__, [&] {
    jar->jar->remove_expired();
    return tether::c_api::success();
  });
}

tether_code tether_cookie_jar_add(tether_cookie_jar* jar, const char* name, const char* value,
                                  const char* domain, const char* path, long long expires,
                                  unsigned flags, const char* same_site) {
  return guarded_on(jar, __func__, [&] {
    if (name == nullptr) return null_argument("name");
    if (value == nullptr) return null_argument("value");
    if (domain == nullptr) return null_argument("domain");
    constexpr unsigned known_flags =
        TETHER_COOKIE_HOST_ONLY | TETHER_COOKIE_SECURE | TETHER_COOKIE_HTTP_ONLY;
    if ((flags & ~known_flags) != 0) {
      return failure(TETHER_INVALID_ARGUMENT, "tether_cookie_jar_add: unknown flag bits " +
                                                  std::to_string(flags & ~known_flags));
    }
    tether::Cookie cookie;
    cookie.name = name;
    cookie.value = value;
    cookie.domain = domain;
    if (path != nullptr && *path != '\0') cookie.path = path;
    if (expires >= 0) cookie.expires = tether::CookieTime{std::chrono::seconds{expires}};
    cookie.host_only = (flags & TETHER_COOKIE_HOST_ONLY) != 0;
    cookie.secure = (flags & TETHER_COOKIE_SECURE) != 0;
    cookie.http_only = (flags & TETHER_COOKIE_HTTP_ONLY) != 0;
    if (same_site != nullptr) cookie.same_site = same_site;
    return from_error(jar->jar->add(std::move(cookie)));
  });
}

const char* tether_cookie_jar_errmsg(const tether_cookie_jar* jar) {
  return jar == nullptr ? "the tether_cookie_jar is NULL" : jar->messages.get();
}

}  // extern "C"
