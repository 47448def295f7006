#pragma once
// The HTTP side of the emulation protocol (docs/emulation.md sections 2-4) that needs no
// network: the URL of each request, the headers its responses carry, and what a 201 to create
// must hold. Depends on http/ and control/'s negotiation only, so that it is unit-tested on its
// own.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "control/control_negotiation.hpp"
#include "http/url.hpp"
#include "tether/error.hpp"
#include "tether/http.hpp"

namespace tether::transport::emulated {

inline constexpr std::string_view emulation_header = "Tether-Emulation";
inline constexpr std::string_view emulation_version = "1";
inline constexpr std::string_view session_header = "Tether-Session";
inline constexpr std::string_view ack_header = "Tether-Ack";
inline constexpr std::string_view mode_header = "Tether-Mode";
inline constexpr std::string_view protocol_header = "Tether-Protocol";
inline constexpr std::string_view heartbeat_header = "Tether-Heartbeat";
/// The control channel's offer and answer (docs/control-channel.md section 2).
inline constexpr std::string_view extensions_header = "Tether-Extensions";
/// Section 7: create offers, and the 201 accepts, frames in the answers to upstream requests.
inline constexpr std::string_view upstream_reply_header = "Tether-Upstream-Reply";
inline constexpr std::string_view upstream_reply_frames = "frames";

enum class EmulationRequest { Create, Downstream, Upstream };

/// The URL of an emulation request for the WebSocket URL `websocket` (section 2): ws becomes
/// http and wss https, host and port are kept, and the target is `<path>/;e/create[?<query>]`,
/// `<path>/;e/down?n=<count>` or `<path>/;e/up?n=<count>`, `<path>` being the WebSocket path
/// with one trailing '/' removed.
/// Thread-safety: safe from any thread.
http::Url emulation_url(const http::Url& websocket, EmulationRequest request, std::uint64_t count);

/// What a 201 answer to create settled.
struct CreatedSession {
  std::string token;
  std::string subprotocol;  ///< Empty when the gateway selected none.
  std::chrono::milliseconds heartbeat{0};
  /// Set when the gateway accepted the control channel the create offered: its answer.
  std::optional<control::ChannelAnswer> control_channel;
  /// The gateway answers upstream requests with the frames it sent while handling them
  /// (section 7, "Frames in the reply").
  bool frames_in_upstream_replies = false;
};

/// Whether `token` is a session token as section 4 defines it: 16 to 128 characters of
/// [A-Za-z0-9_-]. Thread-safety: safe from any thread.
bool is_valid_session_token(std::string_view token);

/// Reads a 201 answer to create (section 4): Tether-Emulation: 1, a valid Tether-Session, a
/// Tether-Heartbeat of 1 ms to 1 hour, at most one Tether-Protocol, at most one
/// `Tether-Upstream-Reply: frames`, and Tether-Extensions
/// answering the control channel's offer, made with `offered_resume`, as docs/control-channel.md
/// sections 2 and 5.5 allow, or not at all. Anything else is ProtocolError naming `url` and what
/// is wrong.
/// Thread-safety: safe from any thread.
Error read_created_session(const http::Response& response, const std::string& url,
                           const std::optional<control::ResumeOffer>& offered_resume,
                           CreatedSession& created);

}  // namespace tether::transport::emulated
