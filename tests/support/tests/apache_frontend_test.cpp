#include "tether_test/apache_frontend.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "auth/digest_hash.hpp"
#include "tether_test/child_process.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/http_request.hpp"

namespace tether::test {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// The headers of a WebSocket upgrade request (RFC 6455 section 4.1), with more when given.
HttpHeaders upgrade_headers(const std::string& authorization = "") {
  HttpHeaders headers{{"Upgrade", "websocket"},
                      {"Connection", "Upgrade"},
                      {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                      {"Sec-WebSocket-Version", "13"}};
  if (!authorization.empty()) headers.emplace_back("Authorization", authorization);
  return headers;
}

// A Digest answer to Apache's challenge for GET /echo, computed by hand (RFC 7616 section 3.4).
std::string answer_for_echo(const std::string& challenge) {
  std::smatch nonce;
  std::regex_search(challenge, nonce, std::regex("nonce=\"([^\"]+)\""));
  using gateway::DigestAlgorithm;
  const auto ha1 = gateway::digest_ha1(DigestAlgorithm::md5, "alice", "tether-apache", "secret");
  const auto response = gateway::digest_response(
      DigestAlgorithm::md5, ha1, {"GET", "/echo", nonce[1].str(), "00000001", "c0ffee"});
  return "Digest username=\"alice\", realm=\"tether-apache\", nonce=\"" + nonce[1].str() +
         "\", uri=\"/echo\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"c0ffee\", "
         "response=\"" +
         response + "\"";
}

// The access log gets its line just after the response is sent: wait for it.
std::size_t eventual_responses_with_status(const ApacheFrontend& apache, unsigned status,
                                           std::size_t expected) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (apache.responses_with_status(status) < expected &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return apache.responses_with_status(status);
}

TEST(ApacheFrontendTest, UpgradeWithoutCredentialsGets401WithDigestChallenge) {
  Gateway gateway;
  ApacheFrontend apache({gateway.ws_port()});
  const auto response = http_request(apache.port(), "GET", "/echo", upgrade_headers());
  EXPECT_EQ(response.status, 401U);
  EXPECT_THAT(response.header_values("WWW-Authenticate"),
              ElementsAre(AllOf(StartsWith("Digest realm=\"tether-apache\""),
                                HasSubstr("algorithm=MD5"), HasSubstr("qop=\"auth\""))));
  EXPECT_EQ(eventual_responses_with_status(apache, 401, 1), 1U);
}

TEST(ApacheFrontendTest, UpgradeWithTheRightDigestAnswerReachesTheGateway) {
  Gateway gateway;
  ApacheFrontend apache({gateway.ws_port()});
  const auto refused = http_request(apache.port(), "GET", "/echo", upgrade_headers());
  const auto answer = answer_for_echo(refused.header_values("WWW-Authenticate").at(0));
  const auto accepted = http_request(apache.port(), "GET", "/echo", upgrade_headers(answer));
  EXPECT_EQ(accepted.status, 101U);
  EXPECT_THAT(accepted.header_values("Server"), ElementsAre("tether-gateway"));
}

TEST(ApacheFrontendTest, CurlDigestGetsThroughToPing) {
  Gateway gateway;
  ApacheFrontend apache({gateway.ws_port()});
  TempDir directory;
  ChildProcess curl("/usr/bin/curl",
                    {"--silent", "--digest", "--user", "alice:secret", apache.http_url("/ping")},
                    directory.path() / "curl.stderr");
  EXPECT_EQ(curl.read_stdout_line(std::chrono::seconds(10)), "pong");
  EXPECT_EQ(curl.wait_for_exit(std::chrono::seconds(10)), 0);
  EXPECT_EQ(eventual_responses_with_status(apache, 401, 1), 1U);
  EXPECT_EQ(eventual_responses_with_status(apache, 200, 1), 1U);
}

TEST(ApacheFrontendTest, UrlNamesTheEchoPathOnItsPort) {
  Gateway gateway;
  ApacheFrontend apache({gateway.ws_port()});
  EXPECT_EQ(apache.url("/echo"), "ws://127.0.0.1:" + std::to_string(apache.port()) + "/echo");
}

}  // namespace
}  // namespace tether::test
