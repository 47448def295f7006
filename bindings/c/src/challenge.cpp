// tether_challenge: one pending question to the application, holding the SDK's one-shot reply.
// Answering completes the reply and frees the handle; a handle freed any other way (never, in a
// correct program) would decline, as a dropped reply does.
#include <string>

#include "api.hpp"
#include "challenge_handler.hpp"

struct tether_challenge {
  tether_credential_kind kind = TETHER_CREDENTIAL_PASSWORD;
  std::string scheme;
  std::string realm;
  std::string location;
  int attempt = 1;
  bool for_proxy = false;
  std::string scope;  // the Bearer-only fields
  std::string token_error;
  std::string token_error_description;
  bool token_refused = false;
  std::optional<tether::auth::CredentialReply> password_reply;
  std::optional<tether::auth::TokenReply> token_reply;
};

namespace tether::c_api {
namespace {

std::vector<std::shared_ptr<auth::ChallengeHandler>> callback_handlers(
    tether_challenge_callback callback, void* user) {
  auth::CredentialProvider ask_password = [callback, user](const auth::CredentialRequest& request,
                                                           auth::CredentialReply reply) {
    auto challenge = std::make_unique<tether_challenge>();
    challenge->kind = TETHER_CREDENTIAL_PASSWORD;
    challenge->scheme = request.scheme;
    challenge->realm = request.realm;
    challenge->location = request.location;
    challenge->attempt = request.attempt;
    challenge->for_proxy = request.for_proxy;
    challenge->password_reply.emplace(std::move(reply));
    callback(challenge.release(), user);
  };
  auth::TokenProvider ask_token = [callback, user](const auth::TokenRequest& request,
                                                   auth::TokenReply reply) {
    auto challenge = std::make_unique<tether_challenge>();
    challenge->kind = TETHER_CREDENTIAL_TOKEN;
    challenge->scheme = "Bearer";
    challenge->realm = request.realm;
    challenge->location = request.location;
    challenge->attempt = request.attempt;
    challenge->for_proxy = request.for_proxy;
    challenge->scope = request.scope;
    challenge->token_error = request.error;
    challenge->token_error_description = request.error_description;
    challenge->token_refused = request.previous_token_refused;
    challenge->token_reply.emplace(std::move(reply));
    callback(challenge.release(), user);
  };
  return {std::make_shared<auth::DigestHandler>(ask_password),
          std::make_shared<auth::BasicHandler>(ask_password),
          std::make_shared<auth::BearerHandler>(ask_token)};
}

}  // namespace

CallbackChallengeHandler::CallbackChallengeHandler(tether_challenge_callback callback, void* user)
    : chain_(callback_handlers(callback, user)) {}

bool CallbackChallengeHandler::can_handle(const auth::ChallengeRequest& request,
                                          const auth::Challenge& challenge) const {
  return chain_.can_handle(request, challenge);
}

void CallbackChallengeHandler::respond(const auth::ChallengeRequest& request,
                                       const auth::Challenge& challenge,
                                       auth::ChallengeReply reply) {
  chain_.respond(request, challenge, std::move(reply));
}

std::optional<auth::Secret> CallbackChallengeHandler::reauthorize(
    const auth::ChallengeRequest& request, const auth::Challenge& challenge,
    const auth::Secret& previous) {
  return chain_.reauthorize(request, challenge, previous);
}

}  // namespace tether::c_api

using tether::c_api::guarded;
using tether::c_api::success;

extern "C" {

tether_credential_kind tether_challenge_credential_kind(const tether_challenge* challenge) {
  return challenge == nullptr ? TETHER_CREDENTIAL_PASSWORD : challenge->kind;
}

const char* tether_challenge_scheme(const tether_challenge* challenge) {
  return challenge == nullptr ? "" : challenge->scheme.c_str();
}

const char* tether_challenge_realm(const tether_challenge* challenge) {
  return challenge == nullptr ? "" : challenge->realm.c_str();
}

const char* tether_challenge_location(const tether_challenge* challenge) {
  return challenge == nullptr ? "" : challenge->location.c_str();
}

int tether_challenge_attempt(const tether_challenge* challenge) {
  return challenge == nullptr ? 0 : challenge->attempt;
}

int tether_challenge_is_proxy(const tether_challenge* challenge) {
  return challenge == nullptr ? 0 : static_cast<int>(challenge->for_proxy);
}

const char* tether_challenge_scope(const tether_challenge* challenge) {
  return challenge == nullptr ? "" : challenge->scope.c_str();
}

const char* tether_challenge_token_error(const tether_challenge* challenge) {
  return challenge == nullptr ? "" : challenge->token_error.c_str();
}

const char* tether_challenge_token_error_description(const tether_challenge* challenge) {
  return challenge == nullptr ? "" : challenge->token_error_description.c_str();
}

int tether_challenge_token_refused(const tether_challenge* challenge) {
  return challenge == nullptr ? 0 : static_cast<int>(challenge->token_refused);
}

tether_code tether_challenge_answer_password(tether_challenge* challenge, const char* user,
                                             const char* password) {
  if (challenge == nullptr || user == nullptr || password == nullptr) {
    return TETHER_INVALID_ARGUMENT;
  }
  if (!challenge->password_reply) return TETHER_INVALID_ARGUMENT;  // a token challenge
  const tether_code code = guarded(nullptr, "tether_challenge_answer_password", [&] {
    tether::auth::Credentials credentials{user, password};
    challenge->password_reply->complete(std::move(credentials));
    return success();
  });
  // Still pending when the answer could not even be built (out of memory): the caller may
  // answer again or cancel.
  if (!challenge->password_reply->pending()) delete challenge;
  return code;
}

tether_code tether_challenge_answer_token(tether_challenge* challenge, const char* token) {
  if (challenge == nullptr || token == nullptr) return TETHER_INVALID_ARGUMENT;
  if (!challenge->token_reply) return TETHER_INVALID_ARGUMENT;  // a password challenge
  const tether_code code = guarded(nullptr, "tether_challenge_answer_token", [&] {
    challenge->token_reply->complete(tether::auth::Secret{token});
    return success();
  });
  if (!challenge->token_reply->pending()) delete challenge;
  return code;
}

tether_code tether_challenge_cancel(tether_challenge* challenge) {
  if (challenge == nullptr) return TETHER_INVALID_ARGUMENT;
  const tether_code code = guarded(nullptr, "tether_challenge_cancel", [&] {
    if (challenge->password_reply)
      challenge->password_reply->decline("cancelled by the application");
    if (challenge->token_reply) challenge->token_reply->decline("cancelled by the application");
    return success();
  });
  delete challenge;  // a reply not yet declined declines as it is destroyed
  return code;
}

}  // extern "C"
