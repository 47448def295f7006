#pragma once
// The settings that tether_options and tether_http_request share: URL, headers, TLS, proxy,
// connect timeout, challenges and cookies. tether::ConnectOptions and tether::http::Request give
// these fields the same names and meanings, so each setter is written once, here, for any handle
// that exposes its C++ value as settings() and its ErrorMessages as messages.

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "api.hpp"
#include "tether.h"
#include "tether/options.hpp"

namespace tether::c_api {

/// Copies `value` into `field`; `name` is the argument named when it is NULL.
Outcome copy_string(const char* value, const char* name, std::string& field);
/// Sets `field` from milliseconds: greater than zero, or also zero when `zero_allowed`.
Outcome set_milliseconds(const char* function, long ms, bool zero_allowed,
                         std::chrono::milliseconds& field);
Outcome add_header(const char* name, const char* value,
                   std::vector<std::pair<std::string, std::string>>& headers);
Outcome set_client_certificate(const char* certificate_file, const char* private_key_file,
                               TlsOptions& tls);
Outcome add_pinned_public_key(const char* pin, TlsOptions& tls);
Outcome set_max_attempts(const char* function, int attempts, auth::AuthOptions& auth);
/// Installs the C challenge callback as a ChallengeHandler (challenge_handler.hpp); NULL removes
/// it.
Outcome set_challenge_callback(tether_challenge_callback callback, void* user,
                               std::shared_ptr<auth::ChallengeHandler>& handler);
/// Ranks challenges through the C callback (challenge_ranking.hpp); NULL restores the default.
Outcome set_rank_callback(tether_challenge_rank_callback callback, void* user,
                          auth::AuthOptions& auth);
/// Takes a reference to the jar's CookieJar; NULL removes it.
Outcome set_cookie_jar(tether_cookie_jar* jar, std::shared_ptr<CookieJar>& field);

namespace shared_settings {

template <class Handle>
tether_code set_url(Handle* handle, const char* function, const char* url) {
  return guarded_on(handle, function,
                    [&] { return copy_string(url, "url", handle->settings().url); });
}

template <class Handle>
tether_code add_header(Handle* handle, const char* function, const char* name, const char* value) {
  return guarded_on(handle, function,
                    [&] { return c_api::add_header(name, value, handle->settings().headers); });
}

template <class Handle>
tether_code set_tls_verify_peer(Handle* handle, const char* function, int verify) {
  return guarded_on(handle, function, [&] {
    handle->settings().tls.verify_peer = verify != 0;
    return success();
  });
}

template <class Handle>
tether_code set_tls_ca_file(Handle* handle, const char* function, const char* path) {
  return guarded_on(handle, function,
                    [&] { return copy_string(path, "path", handle->settings().tls.ca_file); });
}

template <class Handle>
tether_code set_tls_ca_path(Handle* handle, const char* function, const char* path) {
  return guarded_on(handle, function,
                    [&] { return copy_string(path, "path", handle->settings().tls.ca_path); });
}

template <class Handle>
tether_code set_tls_client_certificate(Handle* handle, const char* function,
                                       const char* certificate_file, const char* private_key_file) {
  return guarded_on(handle, function, [&] {
    return set_client_certificate(certificate_file, private_key_file, handle->settings().tls);
  });
}

template <class Handle>
tether_code add_tls_pinned_public_key(Handle* handle, const char* function, const char* pin) {
  return guarded_on(handle, function,
                    [&] { return add_pinned_public_key(pin, handle->settings().tls); });
}

template <class Handle>
tether_code set_proxy(Handle* handle, const char* function, const char* proxy_url) {
  return guarded_on(handle, function,
                    [&] { return copy_string(proxy_url, "proxy_url", handle->settings().proxy); });
}

template <class Handle>
tether_code set_use_proxy_environment(Handle* handle, const char* function, int use) {
  return guarded_on(handle, function, [&] {
    handle->settings().use_proxy_environment = use != 0;
    return success();
  });
}

template <class Handle>
tether_code set_connect_timeout_ms(Handle* handle, const char* function, long ms) {
  return guarded_on(handle, function, [&] {
    return set_milliseconds(function, ms, false, handle->settings().connect_timeout);
  });
}

template <class Handle>
tether_code set_challenge_callback(Handle* handle, const char* function,
                                   tether_challenge_callback callback, void* user) {
  return guarded_on(handle, function, [&] {
    return c_api::set_challenge_callback(callback, user, handle->settings().challenge_handler);
  });
}

template <class Handle>
tether_code set_challenge_rank_callback(Handle* handle, const char* function,
                                        tether_challenge_rank_callback callback, void* user) {
  return guarded_on(handle, function,
                    [&] { return set_rank_callback(callback, user, handle->settings().auth); });
}

template <class Handle>
tether_code set_auth_max_attempts(Handle* handle, const char* function, int attempts) {
  return guarded_on(handle, function,
                    [&] { return set_max_attempts(function, attempts, handle->settings().auth); });
}

template <class Handle>
tether_code set_allow_insecure_auth(Handle* handle, const char* function, int allow) {
  return guarded_on(handle, function, [&] {
    handle->settings().auth.allow_insecure_auth = allow != 0;
    return success();
  });
}

template <class Handle>
tether_code set_cookie_jar(Handle* handle, const char* function, tether_cookie_jar* jar) {
  return guarded_on(handle, function,
                    [&] { return c_api::set_cookie_jar(jar, handle->settings().cookie_jar); });
}

}  // namespace shared_settings
}  // namespace tether::c_api
