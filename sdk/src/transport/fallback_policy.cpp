#include "transport/fallback_policy.hpp"

namespace tether::transport {

bool should_fall_back(const Error& error, const HandshakeResponse& response) {
  switch (error.code) {
    case ErrorCode::HandshakeRejected:
      // A challenge is the gateway asking for credentials, not a proxy in the way.
      return !response.from_proxy && response.status != 401 && response.status != 407;
    case ErrorCode::HandshakeTimeout:  // the session's timer: TCP was up, the upgrade unanswered
    case ErrorCode::ConnectionLost:    // the connection broke during the handshake
    case ErrorCode::ProtocolError:     // an answer that is not a valid upgrade
      return true;
    default:
      return false;
  }
}

}  // namespace tether::transport
