// The functions about the library itself: version, the words for codes, names of states, the
// state machine's transitions.
#include "api.hpp"
#include "tether/state.hpp"
#include "tether/version.hpp"

extern "C" {

const char* tether_version(void) { return tether::version(); }

const char* tether_strerror(tether_code code) {
  switch (tether::c_api::enum_argument(code)) {
    case TETHER_OK:
      return "no error";
    case TETHER_INVALID_ARGUMENT:
      return "invalid argument: a NULL pointer, or a malformed option or URL";
    case TETHER_INVALID_STATE:
      return "the call is not allowed in the client's current state";
    case TETHER_RESOLVE_FAILED:
      return "the host name could not be resolved";
    case TETHER_CONNECT_FAILED:
      return "the TCP connection was refused or could not be made";
    case TETHER_CONNECT_TIMEOUT:
      return "no TCP connection within the connect timeout";
    case TETHER_HANDSHAKE_TIMEOUT:
      return "no WebSocket handshake within the handshake timeout";
    case TETHER_TLS_CONFIGURATION:
      return "TLS: a CA file, client certificate or key could not be loaded";
    case TETHER_TLS_FAILED:
      return "TLS: the handshake failed";
    case TETHER_TLS_UNTRUSTED_CERTIFICATE:
      return "TLS: the server's certificate is not trusted";
    case TETHER_TLS_HOSTNAME_MISMATCH:
      return "TLS: the certificate does not match the host name";
    case TETHER_TLS_CERTIFICATE_EXPIRED:
      return "TLS: a certificate has expired or is not yet valid";
    case TETHER_TLS_PIN_MISMATCH:
      return "TLS: no certificate matches a pinned public key";
    case TETHER_PROXY_FAILED:
      return "the HTTP CONNECT proxy refused or broke the tunnel";
    case TETHER_HANDSHAKE_REJECTED:
      return "the server refused the WebSocket upgrade";
    case TETHER_SUBPROTOCOL_MISMATCH:
      return "the server's subprotocol choice is not acceptable";
    case TETHER_AUTH_FAILED:
      return "authentication failed";
    case TETHER_MESSAGE_TOO_BIG:
      return "a message exceeded the maximum size";
    case TETHER_PONG_TIMEOUT:
      return "the peer did not answer a ping in time";
    case TETHER_PROTOCOL_ERROR:
      return "the peer broke the WebSocket protocol";
    case TETHER_CONNECTION_LOST:
      return "the connection was lost";
    case TETHER_CANCELLED:
      return "cancelled by the application";
    case TETHER_COOKIE_REJECTED:
      return "the cookie was rejected (RFC 6265)";
    case TETHER_COOKIE_FILE_CORRUPT:
      return "the cookie file is not in the Netscape format";
    case TETHER_FILE_ACCESS_FAILED:
      return "a file could not be read or written";
    case TETHER_AUTH_EXPIRED:
      return "the credentials that opened the connection have expired";
    case TETHER_WOULD_BLOCK:
      return "the send queue is full; send again once it has drained";
    case TETHER_NOT_AUTHORIZED:
      return "the gateway refused the operation; the connection goes on";
    case TETHER_PEER_UNRESPONSIVE:
      return "the peer stopped answering pings without closing the connection";
    case TETHER_OUT_OF_MEMORY:
      return "out of memory";
    case TETHER_BUFFER_TOO_SMALL:
      return "the buffer is too small";
    case TETHER_INTERNAL_ERROR:
      return "internal error in Tether";
  }
  return "unknown tether_code";
}

}  // extern "C"

namespace {

// tether_state is tether::State value for value; both only ever grow at the end.
static_assert(TETHER_STATE_CLOSED == static_cast<int>(tether::State::Closed));
static_assert(TETHER_STATE_REVALIDATING == static_cast<int>(tether::State::Revalidating));
static_assert(TETHER_STATE_RECONNECTING == static_cast<int>(tether::State::Reconnecting));

bool is_state(int value) {
  return value >= TETHER_STATE_IDLE && value <= TETHER_STATE_RECONNECTING;
}

}  // namespace

extern "C" {

const char* tether_state_name(tether_state state) {
  const int value = tether::c_api::enum_argument(state);
  if (!is_state(value)) return "unknown";
  return tether::to_string(static_cast<tether::State>(value));
}

const char* tether_transport_name(tether_transport transport) {
  static_assert(TETHER_TRANSPORT_EMULATED == static_cast<int>(tether::TransportKind::Emulated));
  const int value = tether::c_api::enum_argument(transport);
  if (value < TETHER_TRANSPORT_NONE || value > TETHER_TRANSPORT_EMULATED) return "unknown";
  return tether::to_string(static_cast<tether::TransportKind>(value));
}

int tether_state_transition_allowed(tether_state from, tether_state to) {
  const int from_value = tether::c_api::enum_argument(from);
  const int to_value = tether::c_api::enum_argument(to);
  if (!is_state(from_value) || !is_state(to_value)) return 0;
  return tether::is_allowed_transition(static_cast<tether::State>(from_value),
                                       static_cast<tether::State>(to_value))
             ? 1
             : 0;
}

}  // extern "C"
