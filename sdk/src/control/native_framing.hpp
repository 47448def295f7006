#pragma once
// How the control channel shares a native WebSocket with the application's messages
// (docs/control-channel.md section 3): a control message is a binary message that begins with
// a 4-byte prefix; the rare binary application message that itself begins with the prefix is
// escaped. Text messages are never control messages and are never touched. Only in force when
// the extension was negotiated. Network input: fuzzed (tests/fuzz/control_channel_fuzz.cpp).

#include <optional>
#include <string>
#include <string_view>

#include "control/control_message.hpp"
#include "tether/error.hpp"

namespace tether::control {

/// The prefix of every control message and escape: 0xFF, which no UTF-8 text, JSON or CBOR item
/// begins with, then "TCH".
inline constexpr std::string_view native_prefix(
    "\xFF"
    "TCH",
    4);
/// The type byte after the prefix that marks an escaped application message.
inline constexpr char native_escape_type = '\x00';

/// True when a binary application message must be escaped before it is sent: it begins with
/// native_prefix. A message that does not is sent as it is, without a copy.
/// Thread-safety: safe from any thread.
bool needs_escape(std::string_view binary_message) noexcept;

/// The escaped form of `binary_message`, which needs_escape accepted: the prefix, the escape
/// type byte, then the whole message.
/// Thread-safety: safe from any thread.
std::string escape(std::string_view binary_message);

/// Appends the native form of `message` to `out`: the prefix, then the body of control_codec.hpp.
/// Errors as append_control_message; `out` is then left as it was.
/// Thread-safety: safe from any thread; `out` is the caller's.
Error append_native_control_message(std::string& out, const ControlMessage& message);

/// What a binary message received on a native connection with the extension carries: an
/// application message, or a control message (nullopt when its type is unknown: ignore it).
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: unsafe.
struct ReceivedBinary {
  bool is_control = false;
  /// The application's message, a view into the received payload (past the escape header when
  /// it was escaped): valid as long as the payload is.
  std::string_view application;
  std::optional<ControlMessage> control;
};

/// Reads a received binary message. A message that does not begin with the prefix is the
/// application's, whole and uncopied. One that does is a control message or an escape; the
/// prefix alone, an escape of a message that did not need one (it does not begin with the
/// prefix), or a malformed control message gives ProtocolError naming the rule broken; nothing
/// in `received` is then to be delivered, and the receiver fails the connection (close code 1002).
/// Thread-safety: safe from any thread.
Error read_native_binary(std::string_view payload, ReceivedBinary& received);

}  // namespace tether::control
