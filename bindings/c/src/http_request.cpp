// tether_http_request_*: typed setters over tether::http::Request. Those it shares with
// tether_options (URL, headers, TLS, proxy, connect timeout, challenges, cookies) are written
// once, in shared_settings.hpp.
#include "http_handles.hpp"
#include "shared_settings.hpp"

using tether::c_api::failure;
using tether::c_api::guarded_on;
using tether::c_api::success;
namespace shared = tether::c_api::shared_settings;

extern "C" {

tether_http_request* tether_http_request_create(void) {
  return tether::c_api::guarded_create([] { return new tether_http_request; });
}

void tether_http_request_free(tether_http_request* request) { delete request; }

tether_code tether_http_request_set_method(tether_http_request* request, const char* method) {
  return guarded_on(request, __func__, [&] {
    if (method == nullptr) return tether::c_api::null_argument("method");
    if (*method == '\0') return failure(TETHER_INVALID_ARGUMENT, "method is empty");
    request->request.method = method;
    return success();
  });
}

tether_code tether_http_request_set_url(tether_http_request* request, const char* url) {
  return shared::set_url(request, __func__, url);
}

tether_code tether_http_request_add_header(tether_http_request* request, const char* name,
                                           const char* value) {
  return shared::add_header(request, __func__, name, value);
}

tether_code tether_http_request_set_body(tether_http_request* request, const void* data,
                                         size_t length) {
  return guarded_on(request, __func__, [&] {
    if (data == nullptr && length != 0) {
      return failure(TETHER_INVALID_ARGUMENT, "data is NULL but length is not 0");
    }
    request->request.body.assign(data == nullptr ? "" : static_cast<const char*>(data), length);
    return success();
  });
}

tether_code tether_http_request_set_tls_verify_peer(tether_http_request* request, int verify) {
  return shared::set_tls_verify_peer(request, __func__, verify);
}

tether_code tether_http_request_set_tls_ca_file(tether_http_request* request, const char* path) {
  return shared::set_tls_ca_file(request, __func__, path);
}

tether_code tether_http_request_set_tls_ca_path(tether_http_request* request, const char* path) {
  return shared::set_tls_ca_path(request, __func__, path);
}

tether_code tether_http_request_set_tls_client_certificate(tether_http_request* request,
                                                           const char* certificate_file,
                                                           const char* private_key_file) {
  return shared::set_tls_client_certificate(request, __func__, certificate_file, private_key_file);
}

tether_code tether_http_request_add_tls_pinned_public_key(tether_http_request* request,
                                                          const char* pin) {
  return shared::add_tls_pinned_public_key(request, __func__, pin);
}

tether_code tether_http_request_set_proxy(tether_http_request* request, const char* proxy_url) {
  return shared::set_proxy(request, __func__, proxy_url);
}

tether_code tether_http_request_set_use_proxy_environment(tether_http_request* request, int use) {
  return shared::set_use_proxy_environment(request, __func__, use);
}

tether_code tether_http_request_set_connect_timeout_ms(tether_http_request* request, long ms) {
  return shared::set_connect_timeout_ms(request, __func__, ms);
}

tether_code tether_http_request_set_timeout_ms(tether_http_request* request, long ms) {
  const char* function = __func__;
  return guarded_on(request, function, [&] {
    return tether::c_api::set_milliseconds(function, ms, false, request->request.timeout);
  });
}

tether_code tether_http_request_set_challenge_callback(tether_http_request* request,
                                                       tether_challenge_callback callback,
                                                       void* user) {
  return shared::set_challenge_callback(request, __func__, callback, user);
}

tether_code tether_http_request_set_challenge_rank_callback(tether_http_request* request,
                                                            tether_challenge_rank_callback callback,
                                                            void* user) {
  return shared::set_challenge_rank_callback(request, __func__, callback, user);
}

tether_code tether_http_request_set_auth_max_attempts(tether_http_request* request, int attempts) {
  return shared::set_auth_max_attempts(request, __func__, attempts);
}

tether_code tether_http_request_set_allow_insecure_auth(tether_http_request* request, int allow) {
  return shared::set_allow_insecure_auth(request, __func__, allow);
}

tether_code tether_http_request_set_cookie_jar(tether_http_request* request,
                                               tether_cookie_jar* jar) {
  return shared::set_cookie_jar(request, __func__, jar);
}

const char* tether_http_request_errmsg(const tether_http_request* request) {
  return request == nullptr ? "the tether_http_request is NULL" : request->messages.get();
}

}  // extern "C"
