#pragma once

#include <boost/beast/http/fields.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "gateway_config.hpp"
#include "http_answer.hpp"

namespace tether::gateway {

// What the 101 (or, emulated, the 201) response adds to the handshake.
struct UpgradeAcceptance {
  std::optional<std::string> subprotocol;  // for the response's Sec-WebSocket-Protocol
  std::vector<std::string> set_cookies;    // a Set-Cookie header each
};

using UpgradeDecision = std::variant<UpgradeAcceptance, HttpAnswer>;

// The refuse_upgrade_status fault's answer, or nullopt without it. Native upgrades only: tests
// refuse them to make a client fall back to the emulated transport, which must then get through.
std::optional<HttpAnswer> refusal_by_fault(const GatewayConfig& config);

// Whether the request's Origin passes allowed_origins (every Origin, or none, when it is empty).
// Checked on every emulated request, not only on the handshake: a POST needs no CORS preflight.
bool origin_allowed(const boost::beast::http::fields& request_fields, const GatewayConfig& config);

// Whether a handshake to a known service is accepted, and with which subprotocol, from the
// request's Origin and its offers in subprotocol_field (Sec-WebSocket-Protocol natively,
// Tether-Protocol emulated), the config and the select_subprotocol fault. Credentials are the
// Authenticator's business, checked after this.
UpgradeDecision decide_upgrade(const boost::beast::http::fields& request_fields,
                               const GatewayConfig& config, std::string_view subprotocol_field);

}  // namespace tether::gateway
