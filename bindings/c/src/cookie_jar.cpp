// tether_cookie_jar_*: the C face of tether::CookieJar. The jar serialises its own members, so
// every function here is safe from any thread.
#include "cookie_jar_handle.hpp"

using tether::c_api::failure;
using tether::c_api::from_error;
using tether::c_api::guarded;
using tether::c_api::Outcome;

namespace {

Outcome null_argument(const char* name) {
  return failure(TETHER_INVALID_ARGUMENT, std::string(name) + " is NULL");
}

}  // namespace

extern "C" {

tether_cookie_jar* tether_cookie_jar_create(void) {
  return tether::c_api::guarded_create([] { return new tether_cookie_jar; });
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

const char* tether_cookie_jar_errmsg(const tether_cookie_jar* jar) {
  return jar == nullptr ? "the tether_cookie_jar is NULL" : jar->messages.get();
}

}  // extern "C"
