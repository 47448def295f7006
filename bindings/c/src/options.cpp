// tether_options_*: typed setters over tether::ConnectOptions. Values are checked here when a
// setter alone can tell they are wrong; everything else is checked by tether_client_connect. The
// settings shared with tether_http_request are written once, in shared_settings.hpp.
#include <string>

#include "fallback_memory_handle.hpp"
#include "options_handle.hpp"
#include "shared_settings.hpp"

using tether::c_api::copy_string;
using tether::c_api::failure;
using tether::c_api::guarded_on;
using tether::c_api::set_milliseconds;
using tether::c_api::success;
namespace shared = tether::c_api::shared_settings;

namespace {

// The size settings: any number of bytes (or of messages) but zero.
tether_code set_positive_size(tether_options* options, const char* function, size_t value,
                              std::size_t tether::ConnectOptions::*field) {
  return guarded_on(options, function, [&] {
    if (value == 0) {
      return failure(TETHER_INVALID_ARGUMENT,
                     std::string(function) + ": the size must be greater than zero");
    }
    options->connect_options.*field = value;
    return success();
  });
}

}  // namespace

static_assert(TETHER_TRANSPORT_POLICY_AUTO == static_cast<int>(tether::TransportPolicy::Auto));
static_assert(TETHER_TRANSPORT_POLICY_NATIVE == static_cast<int>(tether::TransportPolicy::Native));
static_assert(TETHER_TRANSPORT_POLICY_EMULATED ==
              static_cast<int>(tether::TransportPolicy::Emulated));

extern "C" {

tether_options* tether_options_create(void) {
  return tether::c_api::guarded_create([] { return new tether_options; });
}

void tether_options_free(tether_options* options) { delete options; }

tether_code tether_options_set_url(tether_options* options, const char* url) {
  return shared::set_url(options, __func__, url);
}

tether_code tether_options_set_origin(tether_options* options, const char* origin) {
  return guarded_on(options, __func__,
                    [&] { return copy_string(origin, "origin", options->connect_options.origin); });
}

tether_code tether_options_add_subprotocol(tether_options* options, const char* subprotocol) {
  return guarded_on(options, __func__, [&] {
    if (subprotocol == nullptr) return tether::c_api::null_argument("subprotocol");
    options->connect_options.subprotocols.emplace_back(subprotocol);
    return success();
  });
}

tether_code tether_options_set_subprotocol_required(tether_options* options, int required) {
  return guarded_on(options, __func__, [&] {
    options->connect_options.subprotocol_required = required != 0;
    return success();
  });
}

tether_code tether_options_add_header(tether_options* options, const char* name,
                                      const char* value) {
  return shared::add_header(options, __func__, name, value);
}

tether_code tether_options_set_tls_verify_peer(tether_options* options, int verify) {
  return shared::set_tls_verify_peer(options, __func__, verify);
}

tether_code tether_options_set_tls_ca_file(tether_options* options, const char* path) {
  return shared::set_tls_ca_file(options, __func__, path);
}

tether_code tether_options_set_tls_ca_path(tether_options* options, const char* path) {
  return shared::set_tls_ca_path(options, __func__, path);
}

tether_code tether_options_set_tls_client_certificate(tether_options* options,
                                                      const char* certificate_file,
                                                      const char* private_key_file) {
  return shared::set_tls_client_certificate(options, __func__, certificate_file, private_key_file);
}

tether_code tether_options_add_tls_pinned_public_key(tether_options* options, const char* pin) {
  return shared::add_tls_pinned_public_key(options, __func__, pin);
}

tether_code tether_options_set_proxy(tether_options* options, const char* proxy_url) {
  return shared::set_proxy(options, __func__, proxy_url);
}

tether_code tether_options_set_use_proxy_environment(tether_options* options, int use) {
  return shared::set_use_proxy_environment(options, __func__, use);
}

tether_code tether_options_set_connect_timeout_ms(tether_options* options, long ms) {
  return shared::set_connect_timeout_ms(options, __func__, ms);
}

tether_code tether_options_set_handshake_timeout_ms(tether_options* options, long ms) {
  const char* function = __func__;
  return guarded_on(options, function, [&] {
    return set_milliseconds(function, ms, false, options->connect_options.handshake_timeout);
  });
}

tether_code tether_options_set_max_message_size(tether_options* options, size_t bytes) {
  return set_positive_size(options, __func__, bytes, &tether::ConnectOptions::max_message_size);
}

tether_code tether_options_set_max_queued_messages(tether_options* options, size_t messages) {
  return set_positive_size(options, __func__, messages,
                           &tether::ConnectOptions::max_queued_messages);
}

tether_code tether_options_set_max_queued_bytes(tether_options* options, size_t bytes) {
  return set_positive_size(options, __func__, bytes, &tether::ConnectOptions::max_queued_bytes);
}

tether_code tether_options_set_ping_interval_ms(tether_options* options, long ms) {
  const char* function = __func__;
  return guarded_on(options, function, [&] {
    return set_milliseconds(function, ms, true, options->connect_options.ping_interval);
  });
}

tether_code tether_options_set_pong_timeout_ms(tether_options* options, long ms) {
  const char* function = __func__;
  return guarded_on(options, function, [&] {
    return set_milliseconds(function, ms, false, options->connect_options.pong_timeout);
  });
}

tether_code tether_options_set_challenge_callback(tether_options* options,
                                                  tether_challenge_callback callback, void* user) {
  return shared::set_challenge_callback(options, __func__, callback, user);
}

tether_code tether_options_set_challenge_rank_callback(tether_options* options,
                                                       tether_challenge_rank_callback callback,
                                                       void* user) {
  return shared::set_challenge_rank_callback(options, __func__, callback, user);
}

tether_code tether_options_set_auth_max_attempts(tether_options* options, int attempts) {
  return shared::set_auth_max_attempts(options, __func__, attempts);
}

tether_code tether_options_set_allow_insecure_auth(tether_options* options, int allow) {
  return shared::set_allow_insecure_auth(options, __func__, allow);
}

tether_code tether_options_set_transport(tether_options* options, tether_transport_policy policy) {
  const int value = tether::c_api::enum_argument(policy);
  return guarded_on(options, __func__, [&] {
    if (value < TETHER_TRANSPORT_POLICY_AUTO || value > TETHER_TRANSPORT_POLICY_EMULATED) {
      return failure(TETHER_INVALID_ARGUMENT,
                     "tether_options_set_transport: " + std::to_string(value) +
                         " is not a tether_transport_policy");
    }
    options->connect_options.transport = static_cast<tether::TransportPolicy>(value);
    return success();
  });
}

tether_code tether_options_set_reconnect(tether_options* options, int enabled) {
  return guarded_on(options, __func__, [&] {
    options->connect_options.reconnect.enabled = enabled != 0;
    return success();
  });
}

tether_code tether_options_set_reconnect_initial_delay_ms(tether_options* options, long ms) {
  const char* function = __func__;
  return guarded_on(options, function, [&] {
    return set_milliseconds(function, ms, false, options->connect_options.reconnect.initial_delay);
  });
}

tether_code tether_options_set_reconnect_max_delay_ms(tether_options* options, long ms) {
  const char* function = __func__;
  return guarded_on(options, function, [&] {
    return set_milliseconds(function, ms, false, options->connect_options.reconnect.max_delay);
  });
}

tether_code tether_options_set_reconnect_max_attempts(tether_options* options, int attempts) {
  return guarded_on(options, __func__, [&] {
    if (attempts < 0) {
      return failure(TETHER_INVALID_ARGUMENT,
                     "tether_options_set_reconnect_max_attempts: " + std::to_string(attempts) +
                         " attempts must be zero (no limit) or more");
    }
    options->connect_options.reconnect.max_attempts = static_cast<unsigned>(attempts);
    return success();
  });
}

tether_code tether_options_set_reconnect_max_duration_ms(tether_options* options, long ms) {
  const char* function = __func__;
  return guarded_on(options, function, [&] {
    return set_milliseconds(function, ms, true, options->connect_options.reconnect.max_duration);
  });
}

tether_code tether_options_set_fallback_race_delay_ms(tether_options* options, long ms) {
  const char* function = __func__;
  return guarded_on(options, function, [&] {
    return set_milliseconds(function, ms, true, options->connect_options.fallback.race_delay);
  });
}

tether_code tether_options_set_fallback_probe_timeout_ms(tether_options* options, long ms) {
  const char* function = __func__;
  return guarded_on(options, function, [&] {
    return set_milliseconds(function, ms, true, options->connect_options.fallback.probe_timeout);
  });
}

tether_code tether_options_set_fallback_remember_for_ms(tether_options* options, long ms) {
  const char* function = __func__;
  return guarded_on(options, function, [&] {
    return set_milliseconds(function, ms, true, options->connect_options.fallback.remember_for);
  });
}

tether_code tether_options_set_fallback_upgrade(tether_options* options, int enabled) {
  return guarded_on(options, __func__, [&] {
    options->connect_options.fallback.upgrade = enabled != 0;
    return success();
  });
}

tether_code tether_options_set_fallback_memory(tether_options* options,
                                               tether_fallback_memory* memory) {
  return guarded_on(options, __func__, [&] {
    options->connect_options.fallback.memory = memory == nullptr ? nullptr : memory->memory;
    return success();
  });
}

tether_code tether_options_set_cookie_jar(tether_options* options, tether_cookie_jar* jar) {
  return shared::set_cookie_jar(options, __func__, jar);
}

const char* tether_options_errmsg(const tether_options* options) {
  return options == nullptr ? "the tether_options is NULL" : options->messages.get();
}

}  // extern "C"
