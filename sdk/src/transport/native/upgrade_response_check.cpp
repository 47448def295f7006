#include "transport/native/upgrade_response_check.hpp"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>

#include "http/ascii.hpp"

namespace tether::transport {
namespace {

constexpr std::string_view websocket_guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// Whether the comma-separated `list` holds `token`, case-insensitively (RFC 7230 section 7).
bool list_contains(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    std::string_view element = list.substr(0, comma);
    const auto first = element.find_first_not_of(" \t");
    const auto last = element.find_last_not_of(" \t");
    if (first != std::string_view::npos &&
        http::ascii_iequals(element.substr(first, last - first + 1), token)) {
      return true;
    }
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
  }
  return false;
}

}  // namespace

std::string expected_accept(std::string_view request_key) {
  const std::string input = std::string(request_key) + std::string(websocket_guid);
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  std::string encoded(4 * ((SHA_DIGEST_LENGTH + 2) / 3) + 1, '\0');
  const int length =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()), digest, SHA_DIGEST_LENGTH);
  encoded.resize(static_cast<std::size_t>(std::max(length, 0)));
  return encoded;
}

std::string describe_invalid_upgrade(const UpgradeResponseHeaders& headers) {
  if (!list_contains(headers.upgrade, "websocket")) {
    return "it has no 'Upgrade: websocket' header";
  }
  if (!list_contains(headers.connection, "upgrade")) {
    return "it has no 'Connection: Upgrade' header";
  }
  if (headers.accept.empty()) return "it has no Sec-WebSocket-Accept header";
  if (headers.accept != expected_accept(headers.request_key)) {
    return "its Sec-WebSocket-Accept does not match the Sec-WebSocket-Key sent (RFC 6455 section "
           "4.1), so it was not computed for this request: the server is not a WebSocket server, "
           "or something on the way answered for it";
  }
  return {};
}

}  // namespace tether::transport
