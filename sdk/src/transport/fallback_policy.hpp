#pragma once
// When TransportPolicy::Auto gives up on the native transport for the emulated one
// (docs/emulation.md section 11), as a function of how the native attempt failed.

#include <string_view>

#include "tether/error.hpp"
#include "transport/transport.hpp"

namespace tether::transport {

/// The response header by which the gateway marks a refusal as its own, and the value it has.
inline constexpr std::string_view gateway_refusal_header = "Tether-Refusal";

/// Whether `value`, a Tether-Refusal header's, marks the gateway's own refusal: "gateway",
/// case-insensitive, spaces around it ignored.
/// Thread-safety: safe from any thread.
bool marks_gateway_refusal(std::string_view value) noexcept;

/// Whether a native attempt to a ws:// (`secure` false) or wss:// URL that failed with `error`
/// (the HTTP refusal, if any, in `response`) should go on over the emulated transport within the
/// same connect(): yes when something between client and gateway explains the failure (an
/// upgrade answered with a status other than 101 that is neither a challenge nor marked as the
/// gateway's own refusal, a handshake that timed out or broke once TCP was up, an invalid upgrade
/// response, and for ws:// a proxy that refused the CONNECT tunnel: the emulation's http://
/// requests are forward-proxied, which such a proxy allows); never after a TLS failure (a
/// downgrade must not succeed by breaking the native handshake), an authentication failure, a
/// subprotocol mismatch, a refused or timed-out TCP connection, a name that does not resolve, a
/// refused tunnel for wss:// (the emulation's https:// needs the same tunnel), or a cancel.
/// Thread-safety: safe from any thread.
bool should_fall_back(const Error& error, const HandshakeResponse& response, bool secure);

}  // namespace tether::transport
