#include "transport/fallback_policy.hpp"

#include "http/ascii.hpp"

namespace tether::transport {

bool marks_gateway_refusal(std::string_view value) noexcept {
  const auto first = value.find_first_not_of(" \t");
  if (first == std::string_view::npos) return false;
  const auto last = value.find_last_not_of(" \t");
  return http::ascii_iequals(value.substr(first, last - first + 1), "gateway");
}

bool should_fall_back(const Error& error, const HandshakeResponse& response, bool secure) {
  switch (error.code) {
    case ErrorCode::ProxyFailed:
      // A 407 the challenge handlers could not answer stands for the emulation's requests too.
      return !secure && response.from_proxy && response.status != 407;
    case ErrorCode::HandshakeRejected:
      // A challenge is the gateway asking for credentials, and a marked refusal the gateway's
      // own answer: the emulation would meet the same. Only a proxy or firewall is got around.
      return !response.from_proxy && !response.refused_by_gateway && response.status != 401 &&
             response.status != 407;
    case ErrorCode::HandshakeTimeout:  // the session's timer: TCP was up, the upgrade unanswered
    case ErrorCode::ConnectionLost:    // the connection broke during the handshake
    case ErrorCode::ProtocolError:     // an answer that is not a valid upgrade
      return true;
    default:
      return false;
  }
}

}  // namespace tether::transport
