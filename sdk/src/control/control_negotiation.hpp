#pragma once
// Negotiating the control channel at open (docs/control-channel.md section 2): the client
// offers the extension in Sec-WebSocket-Extensions (native) or Tether-Extensions (the emulated
// create), the gateway answers with the version it accepts, or leaves it out and the connection
// is a plain WebSocket. Both header values have the syntax of RFC 6455 section 9.1.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tether/error.hpp"

namespace tether::control {

/// The extension's name.
inline constexpr std::string_view extension_name = "x-tether-control";
/// The version of the control channel this SDK speaks.
inline constexpr std::uint16_t protocol_version = 1;

/// The client's offer: "x-tether-control; v=1". The caller joins it with its other extensions
/// with ", ".
/// Thread-safety: safe from any thread.
std::string extension_offer();

/// The gateway's answer accepting `version`: "x-tether-control; v=<version>".
/// Thread-safety: safe from any thread.
std::string extension_answer(std::uint16_t version);

/// The client reads the gateway's answer, the whole value of `header_name` (empty when the
/// header is absent). `version` is the version accepted, or nullopt when the answer does not
/// name the extension (a plain WebSocket: no control message, no escape). An answer that names
/// it more than once, with a version other than the one offered, without `v`, or with a
/// parameter version 1 does not define gives ProtocolError (RFC 6455 section 9.1: the client
/// fails the connection), as does a malformed list.
/// Thread-safety: safe from any thread.
Error parse_extension_answer(std::string_view header_name, std::string_view header_value,
                             std::optional<std::uint16_t>& version);

/// The gateway reads the client's offers: `versions` lists, in the client's order of
/// preference, the versions of the well-formed offers of the extension. An offer with an
/// unknown parameter or a `v` that is not a version (a decimal 1-65535 without leading zeros)
/// is declined, not an error, as RFC 6455 section 9.1 lets a server decline any offer; a
/// malformed list gives ProtocolError (the gateway answers 400).
/// Thread-safety: safe from any thread.
Error parse_extension_offers(std::string_view header_name, std::string_view header_value,
                             std::vector<std::uint16_t>& versions);

}  // namespace tether::control
