#include "credentials.hpp"

#include <vector>

namespace tether::cat {
namespace {

/// Sends a challenge to the server's handlers or the proxy's, by ChallengeRequest::for_proxy,
/// so that server credentials never answer a proxy and the other way round.
class ServerOrProxyHandler final : public auth::ChallengeHandler {
 public:
  ServerOrProxyHandler(std::shared_ptr<auth::ChallengeHandler> server,
                       std::shared_ptr<auth::ChallengeHandler> proxy)
      : server_(std::move(server)), proxy_(std::move(proxy)) {}

  bool can_handle(const auth::ChallengeRequest& request,
                  const auth::Challenge& challenge) const override {
    const auto& handler = side(request);
    return handler && handler->can_handle(request, challenge);
  }
  void respond(const auth::ChallengeRequest& request, const auth::Challenge& challenge,
               auth::ChallengeReply reply) override {
    side(request)->respond(request, challenge, std::move(reply));
  }
  std::optional<auth::Secret> reauthorize(const auth::ChallengeRequest& request,
                                          const auth::Challenge& challenge,
                                          const auth::Secret& previous) override {
    const auto& handler = side(request);
    return handler ? handler->reauthorize(request, challenge, previous) : std::nullopt;
  }

 private:
  const std::shared_ptr<auth::ChallengeHandler>& side(const auth::ChallengeRequest& request) const {
    return request.for_proxy ? proxy_ : server_;
  }

  std::shared_ptr<auth::ChallengeHandler> server_;
  std::shared_ptr<auth::ChallengeHandler> proxy_;
};

auth::CredentialProvider fixed_credentials(const std::string& user, const auth::Secret& password,
                                           const std::shared_ptr<ChallengesSeen>& seen) {
  return [credentials = auth::Credentials{user, password}, seen](
             const auth::CredentialRequest& request, auth::CredentialReply reply) {
    seen->note(request.for_proxy, request.attempt, request.realm);
    reply.complete(credentials);
  };
}

bool allows(AuthScheme chosen, AuthScheme scheme) {
  return chosen == AuthScheme::Any || chosen == scheme;
}

std::shared_ptr<auth::ChallengeHandler> chain_of(
    std::vector<std::shared_ptr<auth::ChallengeHandler>> handlers) {
  if (handlers.empty()) return nullptr;
  return std::make_shared<auth::ChallengeHandlerChain>(std::move(handlers));
}

std::shared_ptr<auth::ChallengeHandler> server_handler(
    const CredentialOptions& credentials, const std::shared_ptr<ChallengesSeen>& seen) {
  std::vector<std::shared_ptr<auth::ChallengeHandler>> handlers;
  if (credentials.user) {
    const auto provider =
        fixed_credentials(*credentials.user, credentials.password.value_or(auth::Secret{}), seen);
    if (allows(credentials.scheme, AuthScheme::Digest)) {
      handlers.push_back(std::make_shared<auth::DigestHandler>(provider));
    }
    if (allows(credentials.scheme, AuthScheme::Basic)) {
      handlers.push_back(std::make_shared<auth::BasicHandler>(provider));
    }
  }
  if (credentials.token && allows(credentials.scheme, AuthScheme::Bearer)) {
    handlers.push_back(std::make_shared<auth::BearerHandler>(
        [token = *credentials.token, seen](const auth::TokenRequest& request,
                                           auth::TokenReply reply) {
          seen->note(request.for_proxy, request.attempt, request.realm);
          reply.complete(token);
        }));
  }
  return chain_of(std::move(handlers));
}

std::shared_ptr<auth::ChallengeHandler> proxy_handler(const CredentialOptions& credentials,
                                                      const std::shared_ptr<ChallengesSeen>& seen) {
  if (!credentials.proxy_user) return nullptr;
  const auto provider = fixed_credentials(
      *credentials.proxy_user, credentials.proxy_password.value_or(auth::Secret{}), seen);
  return chain_of({std::make_shared<auth::DigestHandler>(provider),
                   std::make_shared<auth::BasicHandler>(provider)});
}

}  // namespace

std::string complete_password(CredentialOptions& credentials, const EnvironmentLookup& environment,
                              const PasswordPrompt& prompt) {
  if (!credentials.user || credentials.password) return {};
  if (auto password = environment("TETHER_PASSWORD")) {
    credentials.password = auth::Secret(std::move(*password));
    return {};
  }
  if (auto password = prompt("Password for " + *credentials.user + ": ")) {
    credentials.password = auth::Secret(std::move(*password));
    return {};
  }
  return "--user needs a password: give --password, set TETHER_PASSWORD, or run tether-cat "
         "with stdin on a terminal to be asked";
}

std::shared_ptr<auth::ChallengeHandler> make_challenge_handler(
    const CredentialOptions& credentials, const std::shared_ptr<ChallengesSeen>& seen) {
  auto server = server_handler(credentials, seen);
  auto proxy = proxy_handler(credentials, seen);
  if (!server && !proxy) return nullptr;
  return std::make_shared<ServerOrProxyHandler>(std::move(server), std::move(proxy));
}

}  // namespace tether::cat
