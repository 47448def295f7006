#include "auth/handler_support.hpp"
#include "tether/auth.hpp"

namespace tether::auth {
namespace {

// RFC 6750 section 2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
bool is_b64token(std::string_view token) {
  std::size_t i = 0;
  while (i < token.size() &&
         ((token[i] >= 'a' && token[i] <= 'z') || (token[i] >= 'A' && token[i] <= 'Z') ||
          (token[i] >= '0' && token[i] <= '9') ||
          std::string_view("-._~+/").find(token[i]) != std::string_view::npos)) {
    ++i;
  }
  if (i == 0) return false;
  while (i < token.size() && token[i] == '=') ++i;
  return i == token.size();
}

}  // namespace

BearerHandler::BearerHandler(TokenProvider provider) : provider_(std::move(provider)) {}

bool BearerHandler::can_handle(const ChallengeRequest& /*request*/,
                               const Challenge& challenge) const {
  return provider_ && challenge.scheme_is("Bearer");
}

void BearerHandler::respond(const ChallengeRequest& request, const Challenge& challenge,
                            ChallengeReply reply) {
  TokenRequest token_request;
  token_request.location = request.location;
  token_request.realm = challenge.realm();
  token_request.scope = std::string(challenge.param("scope").value_or(""));
  token_request.error = std::string(challenge.param("error").value_or(""));
  token_request.error_description = std::string(challenge.param("error_description").value_or(""));
  token_request.attempt = request.attempt;
  token_request.for_proxy = request.for_proxy;
  token_request.previous_token_refused = request.attempt > 1 || !token_request.error.empty();
  provider_(token_request,
            forward_to<Secret>(std::move(reply), [](const Secret& token, ChallengeReply& answer) {
              if (!is_b64token(token.value())) {
                return answer.decline(
                    "the token provider returned a token that is not a b64token (RFC 6750 "
                    "section 2.1)");
              }
              answer.complete(Secret("Bearer " + token.value()));
            }));
}

}  // namespace tether::auth
