#include "shared_settings.hpp"

#include "challenge_handler.hpp"
#include "challenge_ranking.hpp"
#include "cookie_jar_handle.hpp"

namespace tether::c_api {

Outcome copy_string(const char* value, const char* name, std::string& field) {
  if (value == nullptr) return null_argument(name);
  field = value;
  return success();
}

Outcome set_milliseconds(const char* function, long ms, bool zero_allowed,
                         std::chrono::milliseconds& field) {
  if (ms < 0 || (ms == 0 && !zero_allowed)) {
    return failure(TETHER_INVALID_ARGUMENT,
                   std::string(function) + ": " + std::to_string(ms) + " ms must be " +
                       (zero_allowed ? "zero or more" : "greater than zero"));
  }
  field = std::chrono::milliseconds{ms};
  return success();
}

Outcome add_header(const char* name, const char* value,
                   std::vector<std::pair<std::string, std::string>>& headers) {
  if (name == nullptr) return null_argument("name");
  if (value == nullptr) return null_argument("value");
  headers.emplace_back(name, value);
  return success();
}

Outcome set_client_certificate(const char* certificate_file, const char* private_key_file,
                               TlsOptions& tls) {
  if (certificate_file == nullptr) return null_argument("certificate_file");
  if (private_key_file == nullptr) return null_argument("private_key_file");
  // Both copies are made before either field changes: all or nothing.
  std::string certificate = certificate_file;
  std::string key = private_key_file;
  tls.certificate_file = std::move(certificate);
  tls.private_key_file = std::move(key);
  return success();
}

Outcome add_pinned_public_key(const char* pin, TlsOptions& tls) {
  if (pin == nullptr) return null_argument("pin");
  if (*pin == '\0') return failure(TETHER_INVALID_ARGUMENT, "pin is empty");
  tls.pinned_public_keys.emplace_back(pin);
  return success();
}

Outcome set_max_attempts(const char* function, int attempts, auth::AuthOptions& auth) {
  if (attempts < 1) {
    return failure(TETHER_INVALID_ARGUMENT, std::string(function) + ": " +
                                                std::to_string(attempts) +
                                                " attempts; at least 1 is needed");
  }
  auth.max_attempts = attempts;
  return success();
}

Outcome set_challenge_callback(tether_challenge_callback callback, void* user,
                               std::shared_ptr<auth::ChallengeHandler>& handler) {
  handler =
      callback == nullptr ? nullptr : std::make_shared<CallbackChallengeHandler>(callback, user);
  return success();
}

Outcome set_rank_callback(tether_challenge_rank_callback callback, void* user,
                          auth::AuthOptions& auth) {
  auth.rank_challenge = ranking_through(callback, user);
  return success();
}

Outcome set_cookie_jar(tether_cookie_jar* jar, std::shared_ptr<CookieJar>& field) {
  field = jar == nullptr ? nullptr : jar->jar;
  return success();
}

}  // namespace tether::c_api
