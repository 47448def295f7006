// libFuzzer target for the control channel (docs/control-channel.md): a binary message of a
// native connection, a control message body (a CONTROL frame's payload) and the extension
// headers of the handshake all come straight from the network.
//
// Every input is read all three ways. Invariants: an application message, whatever its bytes,
// goes through the escape and comes back intact and never as a control message; what the
// readers accept re-encodes to exactly the bytes read (one encoding per message); a failure is
// a ProtocolError with a message.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "control/control_codec.hpp"
#include "control/control_negotiation.hpp"
#include "control/native_framing.hpp"
#include "http/extension_list.hpp"

namespace {

using tether::Error;
using tether::ErrorCode;
namespace control = tether::control;

void require(bool condition) {
  if (!condition) std::abort();
}

void require_protocol_error(const Error& error) {
  require(error.code == ErrorCode::ProtocolError && !error.message.empty());
}

// The input as an application's binary message: sent, received, intact.
void check_application_message(std::string_view message) {
  const std::string wire =
      control::needs_escape(message) ? control::escape(message) : std::string(message);
  control::ReceivedBinary received;
  require(!control::read_native_binary(wire, received));
  require(!received.is_control && received.application == message);
}

// The input as a binary message received on a native connection.
void check_native_binary(std::string_view payload) {
  control::ReceivedBinary received;
  const Error error = control::read_native_binary(payload, received);
  if (error) return require_protocol_error(error);
  if (!received.is_control) {
    // The view lies within the payload, and sending it again gives the same bytes.
    require(received.application.data() >= payload.data() &&
            received.application.data() + received.application.size() ==
                payload.data() + payload.size());
    check_application_message(received.application);
    const std::string resent = control::needs_escape(received.application)
                                   ? control::escape(received.application)
                                   : std::string(received.application);
    require(resent == payload);
  } else if (received.control) {
    std::string reencoded;
    require(!control::append_native_control_message(reencoded, *received.control));
    require(reencoded == payload);
  }
}

// The input as a control message body (a CONTROL frame's payload).
void check_body(std::string_view body) {
  std::optional<control::ControlMessage> message;
  const Error error = control::decode_control_message(body, message);
  if (error) {
    require(!message);
    return require_protocol_error(error);
  }
  if (!message) return;  // An unknown type, ignored.
  require(!control::find_rule_broken(*message));
  std::string reencoded;
  require(!control::append_control_message(reencoded, *message));
  require(reencoded == body);
}

// The input as a Sec-WebSocket-Extensions (or Tether-Extensions) value.
void check_extension_headers(std::string_view value) {
  std::vector<tether::http::Extension> extensions;
  const Error list_error =
      tether::http::parse_extension_list("Sec-WebSocket-Extensions", value, extensions);
  if (list_error) {
    require_protocol_error(list_error);
    require(extensions.empty());
  }
  std::optional<control::ChannelAnswer> answer;
  const Error answer_error =
      control::parse_extension_answer("Sec-WebSocket-Extensions", value, std::nullopt, answer);
  if (answer_error) {
    require_protocol_error(answer_error);
    require(!answer);
  } else {
    require(!list_error && (!answer || (answer->version == control::protocol_version &&
                                        !answer->resume && !answer->resumed_received)));
  }
  std::vector<control::ChannelOffer> offers;
  const Error offers_error =
      control::parse_extension_offers("Sec-WebSocket-Extensions", value, offers);
  require(static_cast<bool>(offers_error) == static_cast<bool>(list_error));
  for (const control::ChannelOffer& offered : offers) require(offered.version != 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_application_message(input);
  check_native_binary(input);
  check_body(input);
  check_extension_headers(input);
  return 0;
}
