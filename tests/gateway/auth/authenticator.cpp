#include "auth/authenticator.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdlib>

#include "auth/random_text.hpp"
#include "auth/request_cookies.hpp"

namespace tether::gateway {
namespace {

namespace http = boost::beast::http;

bool offers(const ServiceConfig& service, AuthScheme scheme) {
  return std::find(service.schemes.begin(), service.schemes.end(), scheme) != service.schemes.end();
}

AuthScheme scheme_of(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::md5 ? AuthScheme::digest_md5 : AuthScheme::digest_sha256;
}

// "user:password" from a Basic token68; nullopt when it is not base64 or has no colon.
std::optional<std::pair<std::string, std::string>> decode_basic(std::string_view token68) {
  if (token68.empty() || token68.size() % 4 != 0) return std::nullopt;
  std::string decoded(token68.size() / 4 * 3, '\0');
  const int length = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(decoded.data()),
                                     reinterpret_cast<const unsigned char*>(token68.data()),
                                     static_cast<int>(token68.size()));
  if (length < 0) return std::nullopt;
  // EVP_DecodeBlock counts the bytes that the '=' padding stands for.
  const auto padding = token68.size() - token68.find_last_not_of('=') - 1;
  decoded.resize(static_cast<std::size_t>(length) - padding);
  const auto colon = decoded.find(':');
  if (colon == std::string::npos) return std::nullopt;
  return std::pair{decoded.substr(0, colon), decoded.substr(colon + 1)};
}

// An nc parameter: exactly eight hex digits.
std::optional<std::uint32_t> parse_nonce_count(std::string_view text) {
  if (text.size() != 8 || text.find_first_not_of("0123456789abcdefABCDEF") != text.npos) {
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(std::strtoul(std::string(text).c_str(), nullptr, 16));
}

}  // namespace

Authenticator::Authenticator(const AuthConfig& config, const UsersFile* users)
    : config_(config),
      users_(users),
      opaque_(random_hex(16)),
      nonces_(config.nonce_lifetime),
      tokens_(config.token_lifetime),
      sessions_(std::nullopt) {}

AuthenticationResult Authenticator::authenticate(const HttpRequest& request,
                                                 const ServiceConfig& service,
                                                 NonceExpiry nonce_expiry,
                                                 SecretExpiry token_expiry) {
  if (service.sso_cookie) {
    if (auto accepted = check_session_cookie(request)) return *accepted;
  }
  if (service.schemes.empty() && !service.sso_cookie) return Authentication{};
  Refusal refusal;
  if (!service.schemes.empty()) {
    if (auto accepted = check_credentials(request, service, nonce_expiry, token_expiry, refusal)) {
      return *accepted;
    }
  }
  return refuse(service, refusal);
}

bool Authenticator::carries_credentials(const HttpRequest& request,
                                        const ServiceConfig& service) const {
  return request.find(http::field::authorization) != request.end() ||
         (service.sso_cookie && find_request_cookie(request, session_cookie_name));
}

HttpAnswer Authenticator::refuse_expired(const ServiceConfig& service) {
  Refusal refusal;
  refusal.invalid_token = true;
  return refuse(service, refusal);
}

HttpAnswer Authenticator::refuse(const ServiceConfig& service, const Refusal& refusal) {
  if (service.schemes.empty()) {
    return HttpAnswer{403, "log in first: POST /login\n", "text/plain", {}};
  }
  return challenge(service, refusal);
}

std::optional<Authentication> Authenticator::check_session_cookie(const HttpRequest& request) {
  const auto value = find_request_cookie(request, session_cookie_name);
  if (!value) return std::nullopt;
  const auto* session = sessions_.find(*value);
  if (session == nullptr) return std::nullopt;
  return Authentication{session->user, "session_cookie", session->expiry};
}

std::optional<Authentication> Authenticator::check_credentials(const HttpRequest& request,
                                                               const ServiceConfig& service,
                                                               NonceExpiry nonce_expiry,
                                                               SecretExpiry token_expiry,
                                                               Refusal& refusal) {
  const auto header = request.find(http::field::authorization);
  if (header == request.end()) return std::nullopt;
  const auto credentials = parse_credentials(header->value());
  if (!credentials) return std::nullopt;

  std::optional<std::string> user;
  std::optional<std::chrono::steady_clock::time_point> expiry;
  AuthScheme scheme = AuthScheme::basic;
  if (credentials->scheme == "basic" && offers(service, AuthScheme::basic)) {
    user = check_basic(*credentials);
  } else if (credentials->scheme == "bearer" && offers(service, AuthScheme::bearer)) {
    scheme = AuthScheme::bearer;
    if (const auto* token = tokens_.find(credentials->token68, token_expiry)) {
      user = token->user;
      expiry = token->expiry;
    }
    refusal.invalid_token = !user;
  } else if (credentials->scheme == "digest") {
    // RFC 7616: an answer without an algorithm parameter is MD5.
    const auto algorithm_name = credentials->param("algorithm");
    const auto algorithm =
        algorithm_name.empty() ? DigestAlgorithm::md5 : digest_algorithm_named(algorithm_name);
    if (algorithm && offers(service, scheme_of(*algorithm))) {
      scheme = scheme_of(*algorithm);
      user = check_digest(*credentials, *algorithm, request, nonce_expiry, refusal);
    }
  }
  if (!user) return std::nullopt;
  return Authentication{std::move(*user), std::string(auth_scheme_name(scheme)), expiry};
}

std::optional<std::string> Authenticator::check_basic(const Credentials& credentials) {
  auto user_password = decode_basic(credentials.token68);
  if (!user_password || !users_->password_matches(user_password->first, user_password->second)) {
    return std::nullopt;
  }
  return std::move(user_password->first);
}

std::optional<std::string> Authenticator::check_digest(const Credentials& credentials,
                                                       DigestAlgorithm algorithm,
                                                       const HttpRequest& request,
                                                       NonceExpiry nonce_expiry, Refusal& refusal) {
  const auto nonce_count = parse_nonce_count(credentials.param("nc"));
  if (!nonce_count || credentials.param("realm") != config_.realm ||
      credentials.param("qop") != "auth" || credentials.param("opaque") != opaque_ ||
      credentials.param("uri") != request.target()) {
    return std::nullopt;
  }
  std::string user(credentials.param("username"));
  if (credentials.param("userhash") == "true") {
    const auto* named = users_->user_with_userhash(user, algorithm);
    if (named == nullptr) return std::nullopt;
    user = *named;
  }
  const std::string* ha1 = users_->digest_ha1(user, algorithm);
  if (ha1 == nullptr) return std::nullopt;
  const auto expected = digest_response(
      algorithm, *ha1,
      {request.method_string(), credentials.param("uri"), credentials.param("nonce"),
       credentials.param("nc"), credentials.param("cnonce")});
  if (!hashes_equal(expected, credentials.param("response"))) return std::nullopt;
  switch (nonces_.use(credentials.param("nonce"), *nonce_count, nonce_expiry)) {
    case DigestNonces::Use::accepted:
      return user;
    case DigestNonces::Use::expired:
      refusal.stale_nonce = true;
      return std::nullopt;
    case DigestNonces::Use::unknown:
    case DigestNonces::Use::replayed:
      return std::nullopt;
  }
  return std::nullopt;
}

HttpAnswer Authenticator::challenge(const ServiceConfig& service, const Refusal& refusal) {
  HttpAnswer answer{401, "authentication required\n", "text/plain", {}};
  const std::string prefix = service.application_prefix ? "Application " : "";
  const std::string realm = "realm=" + quoted_string(config_.realm);
  // One nonce for every Digest challenge of the answer: the client answers only one of them.
  const auto nonce =
      offers(service, AuthScheme::digest_md5) || offers(service, AuthScheme::digest_sha256)
          ? nonces_.issue()
          : std::string();
  for (const auto scheme : service.schemes) {
    std::string value;
    switch (scheme) {
      case AuthScheme::basic:
        value = "Basic " + realm + ", charset=\"UTF-8\"";
        break;
      case AuthScheme::digest_md5:
        value = digest_challenge(DigestAlgorithm::md5, nonce, refusal);
        break;
      case AuthScheme::digest_sha256:
        value = digest_challenge(DigestAlgorithm::sha256, nonce, refusal);
        break;
      case AuthScheme::bearer:
        value = "Bearer " + realm;
        if (refusal.invalid_token) {
          value +=
              ", error=\"invalid_token\", error_description=\"the access token is unknown or "
              "has expired\"";
        }
        break;
    }
    answer.headers.emplace_back(http::field::www_authenticate, prefix + value);
  }
  for (const auto& cookie : service.set_cookie_on_challenge) {
    answer.headers.emplace_back(http::field::set_cookie, cookie);
  }
  return answer;
}

std::string Authenticator::digest_challenge(DigestAlgorithm algorithm, const std::string& nonce,
                                            const Refusal& refusal) const {
  return "Digest realm=" + quoted_string(config_.realm) +
         ", qop=\"auth\", algorithm=" + std::string(digest_algorithm_name(algorithm)) +
         ", nonce=" + quoted_string(nonce) + ", opaque=" + quoted_string(opaque_) +
         (refusal.stale_nonce ? ", stale=true" : "") +
         (config_.digest_userhash ? ", userhash=true" : "");
}

std::optional<std::string> Authenticator::issue_token(std::string_view user,
                                                      std::string_view password) {
  if (users_ == nullptr || !users_->password_matches(user, password)) return std::nullopt;
  return tokens_.issue(std::string(user));
}

std::optional<std::string> Authenticator::open_session(std::string_view user,
                                                       std::string_view password) {
  if (users_ == nullptr || !users_->password_matches(user, password)) return std::nullopt;
  return sessions_.issue(std::string(user));
}

}  // namespace tether::gateway
