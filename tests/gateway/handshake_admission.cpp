#include "handshake_admission.hpp"

#include <string>
#include <utility>
#include <variant>

namespace tether::gateway {

UpgradeDecision admit_handshake(const HttpRequest& request, std::string_view service_path,
                                std::string_view subprotocol_field, GatewayContext& context) {
  auto decision = decide_upgrade(request, context.config, subprotocol_field);
  if (auto* refusal = std::get_if<HttpAnswer>(&decision))
    return gateway_refusal(std::move(*refusal));
  const auto& service_settings = service_config(context.config, service_path);
  auto authentication = context.authenticator.authenticate(request, service_settings);
  if (auto* refusal = std::get_if<HttpAnswer>(&authentication)) {
    return gateway_refusal(std::move(*refusal));
  }
  auto& admitted = std::get<Authentication>(authentication);
  auto rights = context.connection_guards.rights().of(admitted.user, service_path);
  if (!rights.connect) {
    return gateway_refusal(
        HttpAnswer{403,
                   admitted.user + " may not connect to " + std::string(service_path) + "\n",
                   "text/plain",
                   {}});
  }
  if (!admitted.method.empty()) {
    context.stats.count_authenticated_upgrade(std::string(service_path), admitted.method);
  }
  auto& acceptance = std::get<UpgradeAcceptance>(decision);
  acceptance.set_cookies = service_settings.set_cookie_on_upgrade;
  acceptance.user = std::move(admitted.user);
  acceptance.credentials_expiry = admitted.expiry;
  acceptance.rights = std::move(rights);
  return decision;
}

}  // namespace tether::gateway
