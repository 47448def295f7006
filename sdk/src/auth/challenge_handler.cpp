#include "auth/handler_support.hpp"
#include "tether/auth.hpp"

namespace tether::auth {

std::optional<Secret> ChallengeHandler::reauthorize(const ChallengeRequest& /*request*/,
                                                    const Challenge& /*challenge*/,
                                                    const Secret& previous) {
  return previous;
}

CredentialRequest make_credential_request(const ChallengeRequest& request,
                                          const Challenge& challenge) {
  CredentialRequest credential_request;
  credential_request.location = request.location;
  credential_request.realm = challenge.realm();
  credential_request.scheme = challenge.scheme;
  credential_request.attempt = request.attempt;
  credential_request.for_proxy = request.for_proxy;
  return credential_request;
}

}  // namespace tether::auth
