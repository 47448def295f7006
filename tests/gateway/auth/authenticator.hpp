#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "auth/credentials.hpp"
#include "auth/digest_nonces.hpp"
#include "auth/issued_secrets.hpp"
#include "auth/users_file.hpp"
#include "gateway_config.hpp"
#include "http_answer.hpp"

namespace tether::gateway {

// Who a request was accepted as, how, and until when.
struct Authentication {
  std::string user;    // empty when the service asks for nothing
  std::string method;  // auth_scheme_name(), "session_cookie", or empty when nothing was asked
  // When the credentials stop being accepted: a bearer token's expiry; none for a password or a
  // session cookie, which do not expire.
  std::optional<std::chrono::steady_clock::time_point> expiry;
};

// Accepted, or the answer that refuses the request: 401 with a challenge per configured scheme,
// or 403 for a service that only takes a session cookie.
using AuthenticationResult = std::variant<Authentication, HttpAnswer>;

// Checks requests against a service's schemes and issues what users log in for: Digest nonces,
// bearer tokens (POST /token) and session cookies (POST /login). Owns those, and reads users.
//
// Thread safety: use from the gateway's one thread only.
class Authenticator {
 public:
  static constexpr std::string_view session_cookie_name = "tether_session";

  // users may be null only when no service asks for credentials, as the config guarantees.
  Authenticator(const AuthConfig& config, const UsersFile* users);

  // nonce_expiry is ignored only for the later requests of an emulated session (DigestNonces),
  // token_expiry only for those of a session with the control channel, whose expired bearer
  // token the revalidation replaces within its grace period (docs/gateway.md).
  AuthenticationResult authenticate(const HttpRequest& request, const ServiceConfig& service,
                                    NonceExpiry nonce_expiry = NonceExpiry::enforced,
                                    SecretExpiry token_expiry = SecretExpiry::enforced);

  // Whether the request offers anything authenticate() would check for service: an
  // Authorization header, or a session cookie where the service takes one.
  bool carries_credentials(const HttpRequest& request, const ServiceConfig& service) const;

  // The 401 (or, for a service with only sso_cookie, 403) for credentials that were accepted once
  // and have expired since: the service's challenges, Bearer ones with error="invalid_token".
  HttpAnswer refuse_expired(const ServiceConfig& service);

  // A bearer token for user, valid for the configured token lifetime; nullopt when the password
  // is wrong or there are no users.
  std::optional<std::string> issue_token(std::string_view user, std::string_view password);
  std::chrono::milliseconds token_lifetime() const { return config_.token_lifetime; }

  // A session cookie value for user; nullopt when the password is wrong or there are no users.
  std::optional<std::string> open_session(std::string_view user, std::string_view password);

 private:
  // What a refused set of credentials changes in the next challenges.
  struct Refusal {
    bool stale_nonce = false;    // Digest: right answer to an expired nonce
    bool invalid_token = false;  // Bearer: unknown or expired token
  };

  std::optional<Authentication> check_session_cookie(const HttpRequest& request);
  std::optional<Authentication> check_credentials(const HttpRequest& request,
                                                  const ServiceConfig& service,
                                                  NonceExpiry nonce_expiry,
                                                  SecretExpiry token_expiry, Refusal& refusal);
  std::optional<std::string> check_basic(const Credentials& credentials);
  std::optional<std::string> check_digest(const Credentials& credentials, DigestAlgorithm algorithm,
                                          const HttpRequest& request, NonceExpiry nonce_expiry,
                                          Refusal& refusal);
  HttpAnswer refuse(const ServiceConfig& service, const Refusal& refusal);
  HttpAnswer challenge(const ServiceConfig& service, const Refusal& refusal);
  std::string digest_challenge(DigestAlgorithm algorithm, const std::string& nonce,
                               const Refusal& refusal) const;

  const AuthConfig& config_;
  const UsersFile* users_;
  const std::string opaque_;
  DigestNonces nonces_;
  IssuedSecrets tokens_;
  IssuedSecrets sessions_;
};

}  // namespace tether::gateway
