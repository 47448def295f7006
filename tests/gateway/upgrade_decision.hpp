#pragma once

#include <boost/beast/http/fields.hpp>
#include <optional>
#include <string>
#include <variant>

#include "gateway_config.hpp"

namespace tether::gateway {

struct UpgradeRefusal {
  unsigned status;
  std::string body;
};

struct UpgradeAcceptance {
  std::optional<std::string> subprotocol;  // for the response's Sec-WebSocket-Protocol
};

using UpgradeDecision = std::variant<UpgradeAcceptance, UpgradeRefusal>;

// Whether an upgrade request to a known service is accepted, and with which subprotocol, from the
// request's Origin and Sec-WebSocket-Protocol headers, the config and its faults.
UpgradeDecision decide_upgrade(const boost::beast::http::fields& request_fields,
                               const GatewayConfig& config);

}  // namespace tether::gateway
