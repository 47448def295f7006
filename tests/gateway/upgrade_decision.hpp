#pragma once

#include <boost/beast/http/fields.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "gateway_config.hpp"
#include "http_answer.hpp"

namespace tether::gateway {

// What the 101 response adds to the handshake.
struct UpgradeAcceptance {
  std::optional<std::string> subprotocol;  // for the response's Sec-WebSocket-Protocol
  std::vector<std::string> set_cookies;    // a Set-Cookie header each
};

using UpgradeDecision = std::variant<UpgradeAcceptance, HttpAnswer>;

// Whether an upgrade request to a known service is accepted, and with which subprotocol, from the
// request's Origin and Sec-WebSocket-Protocol headers, the config and its faults. Credentials are
// the Authenticator's business, checked after this.
UpgradeDecision decide_upgrade(const boost::beast::http::fields& request_fields,
                               const GatewayConfig& config);

}  // namespace tether::gateway
