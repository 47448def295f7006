#pragma once
// The bytes of a control message (docs/control-channel.md section 5): a type byte, then the
// type's fields, integers big-endian, strings as a 2-byte length and the bytes. The same body
// follows the prefix on the native transport and fills a CONTROL frame on the emulated one.
// Network input: depends on the standard library and core/ only, and is fuzzed
// (tests/fuzz/control_channel_fuzz.cpp).

#include <optional>
#include <string>
#include <string_view>

#include "control/control_message.hpp"
#include "tether/error.hpp"

namespace tether::control {

/// Appends `message`, encoded, to `out`. A message that breaks a rule of section 5
/// (find_rule_broken), or that would encode to more than max_control_message_size bytes, gives
/// InvalidArgument naming the rule, and `out` is left as it was.
/// Thread-safety: safe from any thread; `out` is the caller's.
Error append_control_message(std::string& out, const ControlMessage& message);

/// Decodes one message body into `message`. A body over max_control_message_size, an empty one,
/// one cut short or with bytes after its last field, or one whose fields break a rule of
/// section 5 gives ProtocolError naming the message type and the rule (a peer that sends it
/// breaks the protocol: close code 1002). A type that version 1 does not define is not an error:
/// `message` is then nullopt, and the receiver ignores it (section 6).
/// Thread-safety: safe from any thread.
Error decode_control_message(std::string_view body, std::optional<ControlMessage>& message);

}  // namespace tether::control
