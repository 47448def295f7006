#pragma once

#include <string_view>

#include "gateway_context.hpp"
#include "http_answer.hpp"
#include "upgrade_decision.hpp"

namespace tether::gateway {

// The checks a native upgrade and an emulated create share, in the documented order: the Origin
// (403), then the service's authentication (401 with its challenges, or 403), then the user's
// connect right (403), then the subprotocol from subprotocol_field. An accepted handshake is
// counted in upgrades_authenticated and carries the service's set_cookie_on_upgrade cookies and
// whom it admitted until when; a refusal carries what the Authenticator put in it (challenges,
// set_cookie_on_challenge cookies) and is marked as the gateway's own (gateway_refusal).
// service_path must be a service's path.
//
// Thread safety: use from the gateway's one thread only.
UpgradeDecision admit_handshake(const HttpRequest& request, std::string_view service_path,
                                std::string_view subprotocol_field, GatewayContext& context);

}  // namespace tether::gateway
