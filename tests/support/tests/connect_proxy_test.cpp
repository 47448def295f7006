#include "tether_test/connect_proxy.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <regex>
#include <string>

#include "auth/digest_hash.hpp"
#include "tether_test/gateway.hpp"

namespace tether::test {
namespace {

using boost::asio::ip::tcp;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// A raw client of the proxy: it writes exactly what a test gives it and reads what comes back.
class ProxyClient {
 public:
  explicit ProxyClient(const ConnectProxy& proxy) : socket_(io_) {
    socket_.connect({boost::asio::ip::make_address_v4("127.0.0.1"), proxy.port()});
  }

  // Sends a request head and returns the response head (up to the blank line).
  std::string exchange(const std::string& request_head) {
    boost::asio::write(socket_, boost::asio::buffer(request_head));
    const auto length = boost::asio::read_until(socket_, buffer_, "\r\n\r\n");
    std::string head(boost::asio::buffers_begin(buffer_.data()),
                     boost::asio::buffers_begin(buffer_.data()) + static_cast<long>(length));
    buffer_.consume(length);
    return head;
  }

  // Everything until the peer closes.
  std::string read_to_end() {
    boost::system::error_code ignored;
    boost::asio::read(socket_, buffer_, ignored);
    return {boost::asio::buffers_begin(buffer_.data()), boost::asio::buffers_end(buffer_.data())};
  }

 private:
  boost::asio::io_context io_;
  tcp::socket socket_;
  boost::asio::streambuf buffer_;
};

std::string connect_request(const std::string& target, const std::string& extra_headers = "") {
  return "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n" + extra_headers + "\r\n";
}

TEST(ConnectProxy, TunnelsToTheGateway) {
  Gateway gateway;
  ConnectProxy proxy;
  ProxyClient client(proxy);
  const std::string target = "127.0.0.1:" + std::to_string(gateway.ws_port());
  EXPECT_THAT(client.exchange(connect_request(target)), StartsWith("HTTP/1.1 200"));
  EXPECT_THAT(
      client.exchange("GET /_stats HTTP/1.1\r\nHost: " + target + "\r\nConnection: close\r\n\r\n"),
      StartsWith("HTTP/1.1 200"));
  EXPECT_THAT(client.read_to_end(), HasSubstr("upgrades_accepted"));
  EXPECT_EQ(proxy.tunnels_opened(), 1U);
  EXPECT_THAT(proxy.connect_targets(), ElementsAre(target));
}

TEST(ConnectProxy, AnswersConnectWithoutCredentials407WithBasicChallenge) {
  ConnectProxy proxy({"user", "secret"});
  ProxyClient client(proxy);
  const auto head = client.exchange(connect_request("127.0.0.1:9"));
  EXPECT_THAT(head, StartsWith("HTTP/1.1 407"));
  EXPECT_THAT(head, HasSubstr("Proxy-Authenticate: Basic realm=\"tether-test-proxy\"\r\n"));
  EXPECT_EQ(proxy.challenges_sent(), 1U);
  EXPECT_EQ(proxy.tunnels_opened(), 0U);
}

TEST(ConnectProxy, OpensTunnelWhenRetriedWithCredentialsOnTheSameConnection) {
  Gateway gateway;
  ConnectProxy proxy({"user", "secret"});
  ProxyClient client(proxy);
  const std::string target = "127.0.0.1:" + std::to_string(gateway.ws_port());
  EXPECT_THAT(client.exchange(connect_request(target)), StartsWith("HTTP/1.1 407"));
  // base64("user:secret")
  EXPECT_THAT(
      client.exchange(connect_request(target, "Proxy-Authorization: Basic dXNlcjpzZWNyZXQ=\r\n")),
      StartsWith("HTTP/1.1 200"));
  EXPECT_EQ(proxy.tunnels_opened(), 1U);
}

// The Proxy-Authorization header of a Digest answer to the 407 in response_head, for a CONNECT to
// target, computed here by hand as RFC 7616 section 3.4 says.
std::string digest_answer(const std::string& response_head, const std::string& target,
                          const std::string& password) {
  std::smatch nonce;
  std::regex_search(response_head, nonce, std::regex("nonce=\"([0-9a-f]+)\""));
  using gateway::DigestAlgorithm;
  const auto ha1 = gateway::digest_ha1(DigestAlgorithm::md5, "user", "tether-test-proxy", password);
  const auto response = gateway::digest_response(
      DigestAlgorithm::md5, ha1, {"CONNECT", target, nonce[1].str(), "00000001", "c0ffee"});
  return "Proxy-Authorization: Digest username=\"user\", realm=\"tether-test-proxy\", nonce=\"" +
         nonce[1].str() + "\", uri=\"" + target +
         "\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"c0ffee\", response=\"" + response +
         "\"\r\n";
}

TEST(ConnectProxy, DigestOptionAnswersConnectWithoutCredentials407WithDigestChallenge) {
  ConnectProxy proxy({"user", "secret", ConnectProxy::Scheme::digest});
  ProxyClient client(proxy);
  const auto head = client.exchange(connect_request("127.0.0.1:9"));
  EXPECT_THAT(head, StartsWith("HTTP/1.1 407"));
  EXPECT_THAT(head, HasSubstr("Proxy-Authenticate: Digest realm=\"tether-test-proxy\", "
                              "qop=\"auth\", algorithm=MD5, nonce=\""));
}

TEST(ConnectProxy, DigestOptionOpensTunnelForTheRightAnswer) {
  Gateway gateway;
  ConnectProxy proxy({"user", "secret", ConnectProxy::Scheme::digest});
  ProxyClient client(proxy);
  const std::string target = "127.0.0.1:" + std::to_string(gateway.ws_port());
  const auto challenge = client.exchange(connect_request(target));
  EXPECT_THAT(client.exchange(connect_request(target, digest_answer(challenge, target, "secret"))),
              StartsWith("HTTP/1.1 200"));
  EXPECT_EQ(proxy.tunnels_opened(), 1U);
}

TEST(ConnectProxy, DigestOptionRefusesAWrongPasswordWithAnother407) {
  ConnectProxy proxy({"user", "secret", ConnectProxy::Scheme::digest});
  ProxyClient client(proxy);
  const std::string target = "127.0.0.1:9";
  const auto challenge = client.exchange(connect_request(target));
  EXPECT_THAT(client.exchange(connect_request(target, digest_answer(challenge, target, "wrong"))),
              StartsWith("HTTP/1.1 407"));
  EXPECT_EQ(proxy.challenges_sent(), 2U);
}

TEST(ConnectProxy, RefusesTargetsOffThisMachine) {
  ConnectProxy proxy;
  ProxyClient client(proxy);
  EXPECT_THAT(client.exchange(connect_request("example.invalid:443")), StartsWith("HTTP/1.1 403"));
  EXPECT_EQ(proxy.tunnels_opened(), 0U);
}

TEST(ConnectProxy, AnswersUnreachableTarget502) {
  ConnectProxy proxy;
  ProxyClient client(proxy);
  // Port 1 on loopback has no listener in the test environment: the connect is refused.
  EXPECT_THAT(client.exchange(connect_request("127.0.0.1:1")), StartsWith("HTTP/1.1 502"));
}

}  // namespace
}  // namespace tether::test
