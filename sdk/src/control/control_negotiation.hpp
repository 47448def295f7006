#pragma once
// Negotiating the control channel at open (docs/control-channel.md section 2): the client
// offers the extension in Sec-WebSocket-Extensions (native) or Tether-Extensions (the emulated
// create), the gateway answers with the version it accepts, or leaves it out and the connection
// is a plain WebSocket. Both header values have the syntax of RFC 6455 section 9.1. The `resume`
// parameter negotiates acknowledgements and resume (section 5.5).

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

/// The client's resume offer (section 5.5): an empty token asks for a new resumable session; a
/// token (from RESUME_TOKEN) asks to resume that session, having received `received` of the
/// gateway's application messages on it, in order.
struct ResumeOffer {
  std::string token;
  std::uint64_t received = 0;
};

/// One offer of the extension, as the gateway reads it.
struct ChannelOffer {
  std::uint16_t version = protocol_version;
  std::optional<ResumeOffer> resume;  ///< nullopt: resume not offered.
};

/// The gateway's answer accepting the extension.
struct ChannelAnswer {
  std::uint16_t version = protocol_version;
  /// Resume is on for the connection (section 5.5): ACK and RESUME_TOKEN flow.
  bool resume = false;
  /// The offered session resumed: the gateway had received this many of the client's
  /// application messages on it, in order. nullopt: a new session (always when `resume` is off).
  std::optional<std::uint64_t> resumed_received;
};

/// The client's offer: "x-tether-control; v=1", with "; resume" or "; resume=<token>;
/// received=<n>" when `resume` is set. The caller joins it with its other extensions with ", ".
/// Thread-safety: safe from any thread.
std::string extension_offer(const std::optional<ResumeOffer>& resume = std::nullopt);

/// The gateway's answer: "x-tether-control; v=<version>", then "; resume" and
/// "; received=<m>" as `answer` says.
/// Thread-safety: safe from any thread.
std::string extension_answer(const ChannelAnswer& answer);

/// The client reads the gateway's answer, the whole value of `header_name` (empty when the
/// header is absent), to the offer it made with `resume`. `answer` is nullopt when the answer
/// does not name the extension (a plain WebSocket: no control message, no escape). An answer
/// that names it more than once, with a version other than the one offered, without `v`, with
/// resume when none was offered, "received" without resume or without a token offered, or with
/// a parameter version 1 does not define gives ProtocolError (RFC 6455 section 9.1: the client
/// fails the connection), as does a malformed list.
/// Thread-safety: safe from any thread.
Error parse_extension_answer(std::string_view header_name, std::string_view header_value,
                             const std::optional<ResumeOffer>& resume,
                             std::optional<ChannelAnswer>& answer);

/// The gateway reads the client's offers: `offers` lists, in the client's order of preference,
/// the well-formed offers of the extension. An offer with an unknown parameter, a `v` that is
/// not a version (a decimal 1-65535 without leading zeros), or resume parameters that do not fit
/// section 5.5 (a token that is not 16-256 token characters, "received" without a token or not
/// a decimal below 2^63) is declined, not an error, as RFC 6455 section 9.1 lets a server
/// decline any offer; a malformed list gives ProtocolError (the gateway answers 400).
/// Thread-safety: safe from any thread.
Error parse_extension_offers(std::string_view header_name, std::string_view header_value,
                             std::vector<ChannelOffer>& offers);

}  // namespace tether::control
