#pragma once

#include <boost/beast/http/fields.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "control/control_negotiation.hpp"
#include "gateway_config.hpp"
#include "http_answer.hpp"
#include "rights.hpp"
#include "service.hpp"

namespace tether::gateway {

// What the 101 (or, emulated, the 201) response adds to the handshake, and whom it admitted.
struct UpgradeAcceptance {
  std::optional<std::string> subprotocol;  // for the response's Sec-WebSocket-Protocol
  std::vector<std::string> set_cookies;    // a Set-Cookie header each
  std::string user;  // whom the credentials named; empty when the service asks for none
  // When those credentials stop being accepted (a bearer token's expiry), if ever.
  std::optional<std::chrono::steady_clock::time_point> credentials_expiry;
  // The control channel's version accepted (docs/control-channel.md section 2), for the
  // response's extensions header; nullopt when the connection has none.
  std::optional<std::uint16_t> control_version;
  // The user's rights on the service as the handshake was accepted.
  std::optional<ServiceRights> rights;
  // With resume on, the session the connection serves in place of the service (docs/gateway.md
  // "Resume"): the transport hands it the connection, and keeps it alive while it lives.
  std::shared_ptr<Service> resumable_session;
  // The session resumed: the client's messages the gateway had received on it (received=<m>).
  std::optional<std::uint64_t> resumed_received;
};

// The extensions header's value that accepts the control channel as acceptance says
// (control_version must be set): the version, and resume as decided.
std::string extension_answer_of(const UpgradeAcceptance& acceptance);

using UpgradeDecision = std::variant<UpgradeAcceptance, HttpAnswer>;

// What happens to a native upgrade to a service before any other check: nothing, a refusal
// (tests refuse upgrades to make a client fall back to the emulated transport, which must then get
// through), or no answer at all. It starts as the refuse_upgrade_status fault says and /_control
// changes it while the gateway runs. Emulation requests never meet it.
struct UpgradeFault {
  enum class Kind { none, refuse, hang };
  Kind kind = Kind::none;
  unsigned refusal_status = 0;  // with refuse: the HTTP error status sent
};

// The fault of config's refuse_upgrade_status.
UpgradeFault configured_upgrade_fault(const GatewayConfig& config);

// `answer` marked as the gateway's own refusal of a handshake (Tether-Refusal: gateway,
// docs/emulation.md sections 3 and 11), so that a client does not retry it over the emulation as
// it would a middlebox's refusal. The refusals of faults stand for a middlebox and are not marked.
HttpAnswer gateway_refusal(HttpAnswer answer);

// The answer of a refusing fault, or nullopt for any other.
std::optional<HttpAnswer> refusal_by_fault(const UpgradeFault& fault);

// Whether the request's Origin passes allowed_origins (every Origin, or none, when it is empty).
// Checked on every emulated request, not only on the handshake: a POST needs no CORS preflight.
bool origin_allowed(const boost::beast::http::fields& request_fields, const GatewayConfig& config);

// Whether a handshake to a known service is accepted, and with which subprotocol, from the
// request's Origin and its offers in subprotocol_field (Sec-WebSocket-Protocol natively,
// Tether-Protocol emulated), the config and the select_subprotocol fault. Credentials are the
// Authenticator's business, checked after this.
// The control channel's offer a handshake accepts from the client's offers in extensions_field
// (Sec-WebSocket-Extensions natively, Tether-Extensions emulated; the field may repeat): the
// first offer of control::protocol_version when config.control_channel is on, its resume offer
// left out when config.resume is off; nullopt when it is not offered, off, or only offered in
// versions the gateway does not speak. A malformed list is answered 400
// (docs/control-channel.md section 2); with control_channel off the gateway does not read the
// field, as one that does not know the extension.
std::variant<std::optional<control::ChannelOffer>, HttpAnswer> accept_control_channel(
    const boost::beast::http::fields& request_fields, const GatewayConfig& config,
    std::string_view extensions_field);

UpgradeDecision decide_upgrade(const boost::beast::http::fields& request_fields,
                               const GatewayConfig& config, std::string_view subprotocol_field);

}  // namespace tether::gateway
