#pragma once
// What is wrong with a 101 response that websocketpp refused as an upgrade: websocketpp says only
// "A required HTTP header is missing", even when the header is there with a wrong value.

#include <string>
#include <string_view>

namespace tether::transport {

/// The headers of a 101 response that decide whether it completes the upgrade (RFC 6455 section
/// 4.1), and the key the request sent.
struct UpgradeResponseHeaders {
  std::string_view request_key;  ///< Sec-WebSocket-Key of the request.
  std::string_view upgrade;
  std::string_view connection;
  std::string_view accept;  ///< Sec-WebSocket-Accept.
};

/// The Sec-WebSocket-Accept value RFC 6455 section 4.2.2 derives from `request_key`.
/// Thread-safety: safe from any thread.
std::string expected_accept(std::string_view request_key);

/// Which requirement of RFC 6455 section 4.1 the response breaks, as a clause for an error
/// message ("its Sec-WebSocket-Accept does not match the key sent ..."), or empty when it breaks
/// none of them.
/// Thread-safety: safe from any thread.
std::string describe_invalid_upgrade(const UpgradeResponseHeaders& headers);

}  // namespace tether::transport
