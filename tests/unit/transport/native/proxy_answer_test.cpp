// A proxy's answer to CONNECT, as the native transport reads it before websocketpp takes over.
#include "transport/native/proxy_answer.hpp"

#include <gtest/gtest.h>

#include "transport/native/proxy_tunnel.hpp"

namespace tether::transport {
namespace {

TEST(ProxyAnswer, AnOpenedTunnelIsItsStatusAndReason) {
  ProxyAnswer answer;
  ASSERT_FALSE(read_proxy_answer("HTTP/1.1 200 Connection established\r\n\r\n", answer));
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.reason, "Connection established");
  EXPECT_TRUE(answer.challenges.empty());
}

TEST(ProxyAnswer, EachProxyAuthenticateFieldIsOneChallenge) {
  ProxyAnswer answer;
  ASSERT_FALSE(read_proxy_answer(
      "HTTP/1.1 407 Proxy Authentication Required\r\nServer: squid\r\n"
      "proxy-authenticate:  Digest realm=\"r\", nonce=\"n\", qop=\"auth\"\r\n"
      "Proxy-Authenticate: Basic realm=\"r, with a comma\"\r\nContent-Length: 4\r\n\r\nbody",
      answer));
  EXPECT_EQ(answer.status, 407);
  EXPECT_EQ(answer.challenges,
            (std::vector<std::string>{"Digest realm=\"r\", nonce=\"n\", qop=\"auth\"",
                                      "Basic realm=\"r, with a comma\""}));
}

TEST(ProxyAnswer, AnEmptyReasonIsAllowed) {
  ProxyAnswer answer;
  ASSERT_FALSE(read_proxy_answer("HTTP/1.0 403\r\n\r\n", answer));
  EXPECT_EQ(answer.status, 403);
  EXPECT_EQ(answer.reason, "");
}

TEST(ProxyAnswer, WhatIsNotAnHttpHeadIsAProtocolError) {
  for (const char* head :
       {"SSH-2.0-OpenSSH_9.2\r\n\r\n", "HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 200OK\r\n\r\n",
        "HTTP/2 200 OK\r\n\r\n", "HTTP/1.1 200 OK\r\n", "HTTP/1.1 407 No\r\n folded: x\r\n\r\n",
        "HTTP/1.1 407 No\r\nno colon\r\n\r\n", "HTTP/1.1 407 No\r\nbad name: x\r\n\r\n"}) {
    ProxyAnswer answer;
    const Error error = read_proxy_answer(head, answer);
    EXPECT_EQ(error.code, ErrorCode::ProtocolError) << head;
    EXPECT_FALSE(error.message.empty()) << head;
  }
}

TEST(ProxyTunnel, TheConnectRequestNamesTheAuthorityAndCarriesTheAnswer) {
  ProxyTunnel::Request request;
  request.target_authority = "gw.example:443";
  request.user_agent = "Tether/1";
  request.authorization =
      auth::AuthorizationHeader{"Proxy-Authorization", auth::Secret("Digest x")};
  EXPECT_EQ(connect_request(request),
            "CONNECT gw.example:443 HTTP/1.1\r\nHost: gw.example:443\r\nUser-Agent: "
            "Tether/1\r\nProxy-Authorization: Digest x\r\n\r\n");
  request.authorization.reset();
  request.user_agent.clear();
  EXPECT_EQ(connect_request(request),
            "CONNECT gw.example:443 HTTP/1.1\r\nHost: gw.example:443\r\n\r\n");
}

}  // namespace
}  // namespace tether::transport
