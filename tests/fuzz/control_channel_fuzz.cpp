// libFuzzer target for the control channel (docs/control-channel.md): a binary message of a
// native connection, a control message body (a CONTROL frame's payload) and the extension
// headers of the handshake all come straight from the network.
//
// Every input is read all three ways. Invariants: an application message, whatever its bytes,
// goes through the escape and comes back intact and never as a control message; what the
// readers accept re-encodes to exactly the bytes read (one encoding per message); a failure is
// a ProtocolError with a message. The extension headers are read as the client reads an answer,
// to no resume offer, a new session's and a resumed session's (section 5.5), and as the gateway
// reads offers: an accepted answer says no more than its offer allows and writes back to the
// same answer, and a resume offer read, or made of the input, writes back to the same offer.

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
#include "http/token.hpp"

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

constexpr std::string_view extensions_header = "Sec-WebSocket-Extensions";
constexpr std::uint64_t max_count = std::uint64_t{1} << 63;

// The answer `value` read against `offered`; an accepted one fits the offer, and the gateway's
// writing of it is read back the same. Returns it, or nullopt when it is refused or plain.
std::optional<control::ChannelAnswer> check_answer(
    std::string_view value, const std::optional<control::ResumeOffer>& offered, bool list_error) {
  std::optional<control::ChannelAnswer> answer;
  const Error error = control::parse_extension_answer(extensions_header, value, offered, answer);
  if (error) {
    require_protocol_error(error);
    require(!answer);
    return std::nullopt;
  }
  require(!list_error);
  if (!answer) return std::nullopt;
  require(answer->version == control::protocol_version);
  require(!answer->resume || offered);
  if (answer->resumed_received) {
    require(answer->resume && offered && !offered->token.empty());
    require(*answer->resumed_received < max_count);
  }
  std::optional<control::ChannelAnswer> again;
  require(!control::parse_extension_answer(extensions_header, control::extension_answer(*answer),
                                           offered, again));
  require(again && again->version == answer->version && again->resume == answer->resume &&
          again->resumed_received == answer->resumed_received);
  return answer;
}

// A resume offer written by the client is read back by the gateway as it was.
void check_offer_round_trip(const control::ResumeOffer& resume) {
  std::vector<control::ChannelOffer> offers;
  require(!control::parse_extension_offers(extensions_header, control::extension_offer(resume),
                                           offers));
  require(offers.size() == 1 && offers[0].version == control::protocol_version);
  require(offers[0].resume && offers[0].resume->token == resume.token &&
          offers[0].resume->received == resume.received);
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
  const auto plain = check_answer(value, std::nullopt, static_cast<bool>(list_error));
  const auto to_new = check_answer(value, control::ResumeOffer{}, static_cast<bool>(list_error));
  const auto to_resumed = check_answer(value, control::ResumeOffer{"0123456789abcdef", 5},
                                       static_cast<bool>(list_error));
  // An offer allows more than no offer, a token more than none: what one accepts, the next does.
  if (plain) require(to_new && !to_new->resume);
  if (to_new) require(to_resumed && to_resumed->resume == to_new->resume);

  std::vector<control::ChannelOffer> offers;
  const Error offers_error = control::parse_extension_offers(extensions_header, value, offers);
  require(static_cast<bool>(offers_error) == static_cast<bool>(list_error));
  for (const control::ChannelOffer& offered : offers) {
    require(offered.version != 0);
    if (!offered.resume) continue;
    const std::string& token = offered.resume->token;
    require(token.empty() ||
            (token.size() >= control::min_token_size && token.size() <= control::max_token_size &&
             tether::http::is_token(token)));
    require(offered.resume->received < max_count);
    if (offered.version == control::protocol_version) check_offer_round_trip(*offered.resume);
  }
  // The input as a token of the client's offer, when it is one.
  if (value.size() >= control::min_token_size && value.size() <= control::max_token_size &&
      tether::http::is_token(value)) {
    check_offer_round_trip({std::string(value), value.size()});
  }
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
