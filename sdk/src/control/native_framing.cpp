#include "control/native_framing.hpp"

#include "control/control_codec.hpp"

namespace tether::control {

bool needs_escape(std::string_view binary_message) noexcept {
  return binary_message.substr(0, native_prefix.size()) == native_prefix;
}

std::string escape(std::string_view binary_message) {
  std::string escaped;
  escaped.reserve(native_prefix.size() + 1 + binary_message.size());
  escaped += native_prefix;
  escaped += native_escape_type;
  escaped += binary_message;
  return escaped;
}

Error append_native_control_message(std::string& out, const ControlMessage& message) {
  const std::size_t start = out.size();
  out += native_prefix;
  Error error = append_control_message(out, message);
  if (error) out.resize(start);
  return error;
}

Error read_native_binary(std::string_view payload, ReceivedBinary& received) {
  received = ReceivedBinary{};
  if (!needs_escape(payload)) {
    received.application = payload;
    return {};
  }
  const std::string_view after_prefix = payload.substr(native_prefix.size());
  if (after_prefix.empty()) {
    return Error(ErrorCode::ProtocolError,
                 "a binary message is the control prefix alone, with no type byte; the peer "
                 "breaks docs/control-channel.md section 3 (an application message that begins "
                 "with the prefix must be escaped)");
  }
  if (after_prefix[0] == native_escape_type) {
    const std::string_view original = after_prefix.substr(1);
    if (!needs_escape(original)) {
      return Error(ErrorCode::ProtocolError,
                   "a binary message escapes an application message that does not begin with "
                   "the control prefix; the peer breaks docs/control-channel.md section 3 (only "
                   "such messages are escaped, so that each has one encoding)");
    }
    received.application = original;
    return {};
  }
  received.is_control = true;
  return decode_control_message(after_prefix, received.control);
}

}  // namespace tether::control
