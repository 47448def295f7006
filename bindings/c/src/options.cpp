// tether_options_*: typed setters over tether::ConnectOptions. Values are checked here when a
// setter alone can tell they are wrong; everything else is checked by tether_client_connect.
#include <chrono>
#include <string>

#include "challenge_handler.hpp"
#include "cookie_jar_handle.hpp"
#include "options_handle.hpp"

using tether::c_api::failure;
using tether::c_api::guarded;
using tether::c_api::Outcome;
using tether::c_api::success;

namespace {

Outcome null_argument(const char* name) {
  return failure(TETHER_INVALID_ARGUMENT, std::string(name) + " is NULL");
}

/// Sets `field` to a copy of `value`, which must not be NULL.
tether_code set_string(tether_options* options, const char* function, const char* name,
                       const char* value, std::string tether::ConnectOptions::*field) {
  if (options == nullptr) return TETHER_INVALID_ARGUMENT;
  return guarded(&options->messages, function, [&] {
    if (value == nullptr) return null_argument(name);
    options->connect_options.*field = value;
    return success();
  });
}

/// Sets a duration from milliseconds: greater than zero, or also zero when `zero_allowed`.
tether_code set_milliseconds(tether_options* options, const char* function, long ms,
                             bool zero_allowed, std::chrono::milliseconds& field) {
  if (options == nullptr) return TETHER_INVALID_ARGUMENT;
  return guarded(&options->messages, function, [&] {
    if (ms < 0 || (ms == 0 && !zero_allowed)) {
      return failure(TETHER_INVALID_ARGUMENT,
                     std::string(function) + ": " + std::to_string(ms) + " ms must be " +
                         (zero_allowed ? "zero or more" : "greater than zero"));
    }
    field = std::chrono::milliseconds{ms};
    return success();
  });
}

tether_code set_flag(tether_options* options, const char* function, int value, bool& field) {
  if (options == nullptr) return TETHER_INVALID_ARGUMENT;
  return guarded(&options->messages, function, [&] {
    field = value != 0;
    return success();
  });
}

}  // namespace

extern "C" {

tether_options* tether_options_create(void) {
  return tether::c_api::guarded_create([] { return new tether_options; });
}

void tether_options_free(tether_options* options) { delete options; }

tether_code tether_options_set_url(tether_options* options, const char* url) {
  return set_string(options, "tether_options_set_url", "url", url, &tether::ConnectOptions::url);
}

tether_code tether_options_set_origin(tether_options* options, const char* origin) {
  return set_string(options, "tether_options_set_origin", "origin", origin,
                    &tether::ConnectOptions::origin);
}

tether_code tether_options_add_subprotocol(tether_options* options, const char* subprotocol) {
  if (options == nullptr) return TETHER_INVALID_ARGUMENT;
  return guarded(&options->messages, "tether_options_add_subprotocol", [&] {
    if (subprotocol == nullptr) return null_argument("subprotocol");
    options->connect_options.subprotocols.emplace_back(subprotocol);
    return success();
  });
}

tether_code tether_options_set_subprotocol_required(tether_options* options, int required) {
  if (options == nullptr) return TETHER_INVALID_ARGUMENT;
  return set_flag(options, "tether_options_set_subprotocol_required", required,
                  options->connect_options.subprotocol_required);
}

tether_code tether_options_add_header(tether_options* options, const char* name,
                                      const char* value) {
  if (options == nullptr) return TETHER_INVALID_ARGUMENT;
  return guarded(&options->messages, "tether_options_add_header", [&] {
    if (name == nullptr) return null_argument("name");
    if (value == nullptr) return null_argument("value");
    options->connect_options.headers.emplace_back(name, value);
    return success();
  });
}

tether_code tether_options_set_tls_verify_peer(tether_options* options, int verify) {
  if (options == nullptr) return TETHER_INVALID_ARGUMENT;
  return set_flag(options, "tether_options_set_tls_verify_peer", verify,
                  options->connect_options.tls.verify_peer);
}

tether_code tether_options_set_tls_ca_file(tether_options* options, const char* path) {
  if (options == nullptr) return TETHER_INVALID_ARGUMENT;
  return guarded(&options->messages, "tether_options_set_tls_ca_file", [&] {
    if (path == nullptr) return null_argument("path");
    options->connect_options.tls.ca_file = path;
    return success();
  });
}

tether_code tether_options_set_tls_ca_path(tether_options* options, const char* path) {
  if (options == nullptr) return TETHER_INVALID_ARGUMENT;
  return guarded(&options->messages, "tether_options_set_tls_ca_path", [&] {
    if (path == nullptr) return null_argument("path");
    options->connect_options.tls.ca_path = path;
    return success();
  });
}

tether_code tether_options_set_tls_client_certificate(tether_options* options,
                                                      const char* certificate_file,
                                                      const char* private_key_file) {
  if (options == nullptr) return TETHER_INVALID_ARGUMENT;
  return guarded(&options->messages, "tether_options_set_tls_client_certificate", [&] {
    if (certificate_file == nullptr) return null_argument("certificate_file");
    if (private_key_file == nullptr) return null_argument("private_key_file");
    std::string certificate = certificate_file;
    std::string key = private_key_file;
    options->connect_options.tls.certificate_file = std::move(certificate);
    options->connect_options.tls.private_key_file = std::move(key);
    return success();
  });
}

tether_code tether_options_add_tls_pinned_public_key(tether_options* options, const char* pin) {
  if (options == nullptr) return TETHER_INVALID_ARGUMENT;
  return guarded(&options->messages, "tether_options_add_tls_pinned_public_key", [&] {
    if (pin == nullptr) return null_argument("pin");
    if (*pin == '\0') return failure(TETHER_INVALID_ARGUMENT, "pin is empty");
    options->connect_options.tls.pinned_public_keys.emplace_back(pin);
    return success();
  });
}

tether_code tether_options_set_proxy(tether_options* options, const char* proxy_url) {
  return set_string(options, "tether_options_set_proxy", "proxy_url", proxy_url,
                    &tether::ConnectOptions::proxy);
}

tether_code tether_options_set_use_proxy_environment(tether_options* options, int use) {
  if (options == nullptr) return TETHER_INVALID_ARGUMENT;
  return set_flag(options, "tether_options_set_use_proxy_environment", use,
                  options->connect_options.use_proxy_environment);
}

tether_code tether_options_set_connect_timeout_ms(tether_options* options, long ms) {
  if (options == nullptr) return TETHER_INVALID_ARGUMENT;
  return set_milliseconds(options, "tether_options_set_connect_timeout_ms", ms, false,
                          options->connect_options.connect_timeout);
}

tether_code tether_options_set_handshake_timeout_ms(tether_options* options, long ms) {
  if (options == nullptr) return TETHER_INVALID_ARGUMENT;
  return set_milliseconds(options, "tether_options_set_handshake_timeout_ms", ms, false,
                          options->connect_options.handshake_timeout);
}

tether_code tether_options_set_max_message_size(tether_options* options, size_t bytes) {
  if (options == nullptr) return TETHER_INVALID_ARGUMENT;
  return guarded(&options->messages, "tether_options_set_max_message_size", [&] {
    if (bytes == 0) {
      return failure(TETHER_INVALID_ARGUMENT,
                     "tether_options_set_max_message_size: the size must be greater than zero");
    }
    options->connect_options.max_message_size = bytes;
    return success();
  });
}

tether_code tether_options_set_ping_interval_ms(tether_options* options, long ms) {
  if (options == nullptr) return TETHER_INVALID_ARGUMENT;
  return set_milliseconds(options, "tether_options_set_ping_interval_ms", ms, true,
                          options->connect_options.ping_interval);
}

tether_code tether_options_set_pong_timeout_ms(tether_options* options, long ms) {
  if (options == nullptr) return TETHER_INVALID_ARGUMENT;
  return set_milliseconds(options, "tether_options_set_pong_timeout_ms", ms, false,
                          options->connect_options.pong_timeout);
}

tether_code tether_options_set_challenge_callback(tether_options* options,
                                                  tether_challenge_callback callback, void* user) {
  if (options == nullptr) return TETHER_INVALID_ARGUMENT;
  return guarded(&options->messages, "tether_options_set_challenge_callback", [&] {
    options->connect_options.challenge_handler =
        callback == nullptr
            ? nullptr
            : std::make_shared<tether::c_api::CallbackChallengeHandler>(callback, user);
    return success();
  });
}

tether_code tether_options_set_auth_max_attempts(tether_options* options, int attempts) {
  if (options == nullptr) return TETHER_INVALID_ARGUMENT;
  return guarded(&options->messages, "tether_options_set_auth_max_attempts", [&] {
    if (attempts < 1) {
      return failure(TETHER_INVALID_ARGUMENT,
                     "tether_options_set_auth_max_attempts: " + std::to_string(attempts) +
                         " attempts; at least 1 is needed");
    }
    options->connect_options.auth.max_attempts = attempts;
    return success();
  });
}

tether_code tether_options_set_allow_insecure_auth(tether_options* options, int allow) {
  if (options == nullptr) return TETHER_INVALID_ARGUMENT;
  return set_flag(options, "tether_options_set_allow_insecure_auth", allow,
                  options->connect_options.auth.allow_insecure_auth);
}

tether_code tether_options_set_cookie_jar(tether_options* options, tether_cookie_jar* jar) {
  if (options == nullptr) return TETHER_INVALID_ARGUMENT;
  return guarded(&options->messages, "tether_options_set_cookie_jar", [&] {
    options->connect_options.cookie_jar = jar == nullptr ? nullptr : jar->jar;
    return success();
  });
}

const char* tether_options_errmsg(const tether_options* options) {
  return options == nullptr ? "the tether_options is NULL" : options->messages.get();
}

}  // extern "C"
