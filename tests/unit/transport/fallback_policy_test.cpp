// docs/emulation.md section 11 as a table: which native failures TransportPolicy::Auto carries
// on over the emulated transport.
#include "transport/fallback_policy.hpp"

#include <gtest/gtest.h>

namespace tether::transport {
namespace {

struct Case {
  const char* what;
  ErrorCode code;
  int status;
  bool from_proxy;
  bool falls_back_over_ws;   // to a ws:// URL, whose emulation is forward-proxied http://
  bool falls_back_over_wss;  // to a wss:// URL, whose emulation needs the same tunnel
};

const Case cases[] = {
    {"a proxy or firewall answers the upgrade with 200", ErrorCode::HandshakeRejected, 200, false,
     true, true},
    {"... with 400", ErrorCode::HandshakeRejected, 400, false, true, true},
    {"... with 403", ErrorCode::HandshakeRejected, 403, false, true, true},
    {"... with 405", ErrorCode::HandshakeRejected, 405, false, true, true},
    {"... with 501", ErrorCode::HandshakeRejected, 501, false, true, true},
    {"... with 503", ErrorCode::HandshakeRejected, 503, false, true, true},
    {"the handshake timed out once TCP was up", ErrorCode::HandshakeTimeout, 0, false, true, true},
    {"the connection broke during the handshake", ErrorCode::ConnectionLost, 0, false, true, true},
    {"the upgrade response is not a valid upgrade", ErrorCode::ProtocolError, 101, false, true,
     true},
    {"a 401 is the gateway's challenge", ErrorCode::HandshakeRejected, 401, false, false, false},
    {"a 407 is a challenge", ErrorCode::HandshakeRejected, 407, false, false, false},
    {"authentication failed", ErrorCode::AuthFailed, 401, false, false, false},
    {"the proxy refused the tunnel", ErrorCode::ProxyFailed, 403, true, true, false},
    {"the proxy wants credentials", ErrorCode::ProxyFailed, 407, true, false, false},
    {"an untrusted certificate", ErrorCode::TlsUntrustedCertificate, 0, false, false, false},
    {"a certificate for another host", ErrorCode::TlsHostnameMismatch, 0, false, false, false},
    {"an expired certificate", ErrorCode::TlsCertificateExpired, 0, false, false, false},
    {"a pin mismatch", ErrorCode::TlsPinMismatch, 0, false, false, false},
    {"another TLS failure", ErrorCode::TlsFailed, 0, false, false, false},
    {"a subprotocol mismatch", ErrorCode::SubprotocolMismatch, 0, false, false, false},
    {"a refused TCP connection", ErrorCode::ConnectFailed, 0, false, false, false},
    {"no TCP connection in time", ErrorCode::ConnectTimeout, 0, false, false, false},
    {"a name that does not resolve", ErrorCode::ResolveFailed, 0, false, false, false},
    {"close() while connecting", ErrorCode::Cancelled, 0, false, false, false},
};

TEST(FallbackPolicy, TheGatewaysOwnRefusalIsNotGotAround) {
  HandshakeResponse response;
  response.status = 403;
  response.refused_by_gateway = true;
  EXPECT_FALSE(should_fall_back({ErrorCode::HandshakeRejected, "refused", 403}, response, false));
  response.refused_by_gateway = false;
  EXPECT_TRUE(should_fall_back({ErrorCode::HandshakeRejected, "refused", 403}, response, false));
}

TEST(FallbackPolicy, TheMarkIsReadLikeAnHttpToken) {
  EXPECT_TRUE(marks_gateway_refusal("gateway"));
  EXPECT_TRUE(marks_gateway_refusal(" Gateway\t"));
  EXPECT_FALSE(marks_gateway_refusal(""));
  EXPECT_FALSE(marks_gateway_refusal("proxy"));
  EXPECT_FALSE(marks_gateway_refusal("gateways"));
}

TEST(FallbackPolicy, FallsBackOnlyWhenAnIntermediaryExplainsTheFailure) {
  for (const Case& test : cases) {
    HandshakeResponse response;
    response.status = test.status;
    response.from_proxy = test.from_proxy;
    EXPECT_EQ(should_fall_back({test.code, "native failure", test.status}, response, false),
              test.falls_back_over_ws)
        << test.what << ", to ws://";
    EXPECT_EQ(should_fall_back({test.code, "native failure", test.status}, response, true),
              test.falls_back_over_wss)
        << test.what << ", to wss://";
  }
}

}  // namespace
}  // namespace tether::transport
