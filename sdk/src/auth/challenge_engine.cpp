#include "auth/challenge_engine.hpp"

#include "auth/challenge_ranking.hpp"
#include "auth/handler_support.hpp"
#include "auth/protection_space_cache.hpp"
#include "http/challenge_parser.hpp"

namespace tether::auth {
namespace {

const char* header_name(bool for_proxy) {
  return for_proxy ? "Proxy-Authorization" : "Authorization";
}

ChallengeRequest make_request(const ChallengedResponse& response, std::string_view method,
                              std::string_view request_target) {
  ChallengeRequest request;
  request.location = response.url.to_string();
  request.for_proxy = response.for_proxy;
  request.http_status = response.http_status;
  request.attempt = response.attempt;
  request.method = std::string(method);
  request.request_target =
      request_target.empty() ? response.url.target : std::string(request_target);
  return request;
}

// Names the server or proxy, the status and the realm; never credentials.
Error auth_failed(const ChallengedResponse& response, const std::string& realm,
                  const std::string& reason) {
  std::string message = std::string(response.for_proxy ? "proxy" : "server") +
                        " authentication for " + response.url.for_messages() + " failed (HTTP " +
                        std::to_string(response.http_status);
  if (!realm.empty()) message += ", realm \"" + realm + "\"";
  return {ErrorCode::AuthFailed, message + "): " + reason, response.http_status};
}

// Whether `answer` for `space` is what that space has just refused. Answers that change on each
// request (Digest's) never compare equal: DigestHandler checks its credentials itself.
bool repeats_refused_answer(const std::optional<RememberedAnswer>& refused,
                            const ProtectionSpace& space, const Secret& answer) {
  return refused && refused->space == space && refused->authorization.value() == answer.value();
}

std::string scheme_list(const std::vector<Challenge>& challenges) {
  std::string list;
  for (const auto& challenge : challenges) {
    if (!list.empty()) list += ", ";
    list += challenge.application_prefix ? "Application " + challenge.scheme : challenge.scheme;
  }
  return list;
}

}  // namespace

ChallengeEngine::ChallengeEngine(std::shared_ptr<ChallengeHandler> handler, AuthOptions options)
    : ChallengeEngine(std::move(handler), std::move(options),
                      std::make_shared<ProtectionSpaceCache>()) {}

ChallengeEngine::ChallengeEngine(std::shared_ptr<ChallengeHandler> handler, AuthOptions options,
                                 std::shared_ptr<ProtectionSpaceCache> answers)
    : handler_(std::move(handler)), options_(std::move(options)), cache_(std::move(answers)) {}

ChallengeEngine::~ChallengeEngine() = default;

bool ChallengeEngine::allowed_over(const http::Url& url, bool for_proxy) const noexcept {
  // A CONNECT proxy is only reachable over plain HTTP, and its credentials are for the proxy.
  return for_proxy || url.is_secure() || options_.allow_insecure_auth;
}

void ChallengeEngine::answer(const ChallengedResponse& response, Completion done) {
  std::vector<Challenge> challenges;
  if (auto error = http::parse_challenges(response.challenge_headers, challenges)) {
    return done(auth_failed(response, {}, "the challenge cannot be read: " + error.message),
                std::nullopt, GaveUp::Refused);
  }
  if (challenges.empty()) {
    return done(auth_failed(response, {},
                            std::string("the response carries no ") +
                                (response.for_proxy ? "Proxy-Authenticate" : "WWW-Authenticate") +
                                " challenge"),
                std::nullopt, GaveUp::Refused);
  }
  // Whatever was sent to this space, if anything, was not accepted.
  auto refused = cache_->forget(response.url, response.for_proxy);

  const auto ranked = rank_challenges(challenges, options_.rank_challenge);
  const std::string realm = (ranked.empty() ? challenges.front() : *ranked.front()).realm();
  if (response.attempt > options_.max_attempts) {
    return done(
        auth_failed(response, realm,
                    "the credentials were refused " + std::to_string(options_.max_attempts) +
                        " times (AuthOptions::max_attempts)"),
        std::nullopt, GaveUp::Refused);
  }
  // Without a handler there are no credentials to refuse to send.
  if (!handler_) {
    return done(auth_failed(response, realm,
                            "no challenge handler is configured "
                            "(ConnectOptions::challenge_handler)"),
                std::nullopt, GaveUp::NoCredentials);
  }
  if (!allowed_over(response.url, response.for_proxy)) {
    return done(
        auth_failed(response, realm,
                    "refusing to send credentials in clear text over " + response.url.scheme +
                        "://; use wss:// or set AuthOptions::allow_insecure_auth"),
        std::nullopt, GaveUp::NoCredentials);
  }

  ChallengeRequest request = make_request(response, response.method, response.request_target);
  request.challenges = challenges;
  for (const Challenge* challenge : ranked) {
    request.realm = challenge->realm();
    if (!handler_->can_handle(request, *challenge)) continue;
    RememberedAnswer remembered{
        ProtectionSpace::of(response.url, response.for_proxy, request.realm),
        *challenge,
        handler_,
        {}};
    ChallengeReply reply([cache = std::weak_ptr<ProtectionSpaceCache>(cache_),
                          remembered = std::move(remembered), refused, response,
                          done = std::move(done)](std::optional<Secret> authorization,
                                                  const std::string& reason) mutable {
      if (!authorization) {
        // A handler that will not repeat refused credentials declines: they were refused.
        const bool repeated = reason == repeated_credentials_reason;
        return done(auth_failed(response, remembered.space.realm, reason), std::nullopt,
                    repeated ? GaveUp::Refused : GaveUp::NoCredentials);
      }
      if (repeats_refused_answer(refused, remembered.space, *authorization)) {
        return done(auth_failed(response, remembered.space.realm, repeated_credentials_reason),
                    std::nullopt, GaveUp::Refused);
      }
      AuthorizationHeader header{header_name(response.for_proxy), *authorization};
      if (auto live_cache = cache.lock()) {
        remembered.authorization = std::move(*authorization);
        live_cache->remember(std::move(remembered));
      }
      done({}, std::move(header), GaveUp::No);
    });
    return handler_->respond(request, *challenge, std::move(reply));
  }
  done(auth_failed(response, realm,
                   "no configured handler answers the challenges offered (" +
                       scheme_list(challenges) + ")"),
       std::nullopt, GaveUp::NoCredentials);
}

std::optional<AuthorizationHeader> ChallengeEngine::preemptive_authorization(
    const http::Url& url, bool for_proxy, std::string_view method,
    std::string_view request_target) {
  if (!allowed_over(url, for_proxy)) return std::nullopt;
  auto remembered = cache_->find(url, for_proxy);
  if (!remembered) return std::nullopt;
  ChallengedResponse response;
  response.url = url;
  response.for_proxy = for_proxy;
  ChallengeRequest request = make_request(response, method, request_target);
  request.realm = remembered->space.realm;
  request.challenges = {remembered->challenge};
  auto authorization =
      remembered->handler->reauthorize(request, remembered->challenge, remembered->authorization);
  if (!authorization) return std::nullopt;
  AuthorizationHeader header{header_name(for_proxy), *authorization};
  remembered->authorization = std::move(*authorization);
  cache_->remember(std::move(*remembered));
  return header;
}

}  // namespace tether::auth
