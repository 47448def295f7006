// The gateway's behaviour as docs/gateway.md states it, checked with an independent Beast client.

#include "tether_test/gateway.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/beast/http/status.hpp>
#include <boost/beast/websocket/error.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tether_test/gateway_stats_wait.hpp"
#include "tether_test/http_request.hpp"
#include "tether_test/pki.hpp"
#include "tether_test/temp_dir.hpp"
#include "websocket_test_client.hpp"

namespace tether::gateway::test {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using tether::test::Gateway;
using tether::test::GatewayStartError;
using tether::test::Pki;
using tether::test::TempDir;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;

WebSocketTestClient connect_echo(const Gateway& gateway, const HandshakeOptions& options = {}) {
  return WebSocketTestClient::connect(gateway.ws_port(), "/echo", options);
}

TEST(GatewayEcho, ReturnsTextMessageAsText) {
  Gateway gateway;
  auto client = connect_echo(gateway);
  ASSERT_FALSE(client.handshake_error()) << client.handshake_error().message();
  ASSERT_FALSE(client.write("hello", true));
  const auto echoed = client.read();
  ASSERT_FALSE(echoed.error) << echoed.error.message();
  EXPECT_EQ(echoed.payload, "hello");
  EXPECT_TRUE(echoed.is_text);
}

TEST(GatewayEcho, ReturnsBinaryMessageAsBinary) {
  Gateway gateway;
  auto client = connect_echo(gateway);
  const std::string payload("\x00\x01\xff binary", 10);
  ASSERT_FALSE(client.write(payload, false));
  const auto echoed = client.read();
  EXPECT_EQ(echoed.payload, payload);
  EXPECT_FALSE(echoed.is_text);
}

TEST(GatewayEcho, ReturnsOneMebibyteBinaryMessageWhole) {
  Gateway gateway;
  auto client = connect_echo(gateway);
  std::string payload(1024 * 1024, '\0');
  for (std::size_t index = 0; index < payload.size(); ++index) {
    payload[index] = static_cast<char>(index * 31);
  }
  ASSERT_FALSE(client.write(payload, false));
  const auto echoed = client.read();
  EXPECT_EQ(echoed.payload, payload);
}

TEST(GatewayEcho, ReturnsTenThousandBackToBackMessagesInOrder) {
  Gateway gateway;
  auto client = connect_echo(gateway);
  constexpr int count = 10'000;
  for (int index = 0; index < count; ++index) {
    ASSERT_FALSE(client.write(std::to_string(index), true));
  }
  for (int index = 0; index < count; ++index) {
    const auto echoed = client.read();
    ASSERT_FALSE(echoed.error) << "message " << index << ": " << echoed.error.message();
    ASSERT_EQ(echoed.payload, std::to_string(index));
  }
}

TEST(GatewayEcho, ServesAThousandConcurrentConnections) {
  Gateway gateway;
  std::vector<WebSocketTestClient> clients;
  for (int index = 0; index < 1000; ++index) {
    clients.push_back(connect_echo(gateway));
    ASSERT_FALSE(clients.back().handshake_error()) << "connection " << index;
  }
  const auto stats =
      wait_for_stats(gateway, [](const json& s) { return s["open_connections"] == 1000; });
  EXPECT_EQ(stats.at("open_connections"), 1000);
  ASSERT_FALSE(clients.front().write("first", true));
  EXPECT_EQ(clients.front().read().payload, "first");
}

TEST(GatewayTicker, DeliversQuotesWithIncreasingSequence) {
  Gateway gateway(json{{"ticker_interval_ms", 20}});
  auto client = WebSocketTestClient::connect(gateway.ws_port(), "/ticker");
  ASSERT_FALSE(client.handshake_error());
  const auto first = json::parse(client.read().payload);
  const auto second = json::parse(client.read().payload);
  EXPECT_EQ(first.at("symbol"), "TTHR");
  EXPECT_TRUE(first.at("price").is_number());
  EXPECT_TRUE(first.at("time_ms").is_number_integer());
  EXPECT_GT(second.at("seq").get<std::uint64_t>(), first.at("seq").get<std::uint64_t>());
}

TEST(GatewayHttp, UnknownPathIsAnswered404WithoutUpgrade) {
  Gateway gateway;
  auto client = WebSocketTestClient::connect(gateway.ws_port(), "/no-such-service");
  EXPECT_EQ(client.handshake_error(), websocket::error::upgrade_declined);
  EXPECT_EQ(client.response().result(), http::status::not_found);
}

TEST(GatewayHttp, APlainRequestToAServiceIs426NamingWebSocket) {
  Gateway gateway;
  const auto response = tether::test::http_request(gateway.ws_port(), "GET", "/echo");
  EXPECT_EQ(response.status, 426U);
  EXPECT_EQ(response.header_values("Upgrade"), std::vector<std::string>{"websocket"});
}

TEST(GatewayOrigin, UpgradeFromOriginNotAllowedIsRefusedWith403) {
  Gateway gateway(json{{"allowed_origins", {"https://good.example"}}});
  auto client = connect_echo(gateway, {"https://evil.example", {}, {}});
  EXPECT_EQ(client.response().result(), http::status::forbidden);
}

TEST(GatewayRefusal, ItsOwnRefusalOfAnUpgradeIsMarkedAsTheGateways) {
  Gateway gateway(json{{"allowed_origins", {"https://good.example"}}});
  auto client = connect_echo(gateway, {"https://evil.example", {}, {}});
  EXPECT_EQ(client.response().result(), http::status::forbidden);
  EXPECT_EQ(client.response()["Tether-Refusal"], "gateway");
  auto unknown = WebSocketTestClient::connect(gateway.ws_port(), "/no-such-service");
  EXPECT_EQ(unknown.response()["Tether-Refusal"], "gateway");
}

TEST(GatewayRefusal, AFaultsRefusalStandsForAMiddleboxAndIsNotMarked) {
  Gateway gateway(json{{"faults", {{"refuse_upgrade_status", 403}}}});
  auto client = connect_echo(gateway);
  EXPECT_EQ(client.response().result(), http::status::forbidden);
  EXPECT_EQ(client.response().count("Tether-Refusal"), 0U);
}

TEST(GatewayOrigin, UpgradeWithoutOriginIsRefusedWhenOriginsAreListed) {
  Gateway gateway(json{{"allowed_origins", {"https://good.example"}}});
  auto client = connect_echo(gateway);
  EXPECT_EQ(client.response().result(), http::status::forbidden);
}

TEST(GatewayOrigin, UpgradeFromAllowedOriginIsAccepted) {
  Gateway gateway(json{{"allowed_origins", {"https://good.example"}}});
  auto client = connect_echo(gateway, {"https://good.example", {}, {}});
  EXPECT_FALSE(client.handshake_error()) << client.handshake_error().message();
}

TEST(GatewaySubprotocol, SelectsFirstClientOfferThatItSupports) {
  Gateway gateway(json{{"subprotocols", {"chat.v1", "chat.v2"}}});
  auto client = connect_echo(gateway, {"", {"unknown", "chat.v2", "chat.v1"}, {}});
  ASSERT_FALSE(client.handshake_error()) << client.handshake_error().message();
  EXPECT_EQ(client.response()[http::field::sec_websocket_protocol], "chat.v2");
}

TEST(GatewaySubprotocol, AnswersWithoutSubprotocolWhenNoOfferMatches) {
  Gateway gateway(json{{"subprotocols", {"chat.v1"}}});
  auto client = connect_echo(gateway, {"", {"other"}, {}});
  EXPECT_EQ(client.response().result(), http::status::switching_protocols);
  EXPECT_EQ(client.response().count(http::field::sec_websocket_protocol), 0U);
}

TEST(GatewaySubprotocol, SelectsNoneWhenItSupportsNone) {
  Gateway gateway;
  auto client = connect_echo(gateway, {"", {"chat.v1"}, {}});
  EXPECT_EQ(client.response().result(), http::status::switching_protocols);
  EXPECT_EQ(client.response().count(http::field::sec_websocket_protocol), 0U);
}

TEST(GatewayFaults, SelectSubprotocolForcesTheResponseHeader) {
  Gateway gateway(
      json{{"subprotocols", {"chat.v1"}}, {"faults", {{"select_subprotocol", "never-offered"}}}});
  auto client = connect_echo(gateway, {"", {"chat.v1"}, {}});
  EXPECT_EQ(client.response()[http::field::sec_websocket_protocol], "never-offered");
}

TEST(GatewayFaults, RefuseUpgradeStatusAnswersEveryUpgradeWithIt) {
  Gateway gateway(json{{"faults", {{"refuse_upgrade_status", 503}}}});
  auto client = connect_echo(gateway);
  EXPECT_EQ(client.response().result(), http::status::service_unavailable);
}

TEST(GatewayFaults, HandshakeDelayHoldsTheUpgradeResponseBack) {
  Gateway gateway(json{{"faults", {{"handshake_delay_ms", 300}}}});
  const auto start = std::chrono::steady_clock::now();
  auto client = connect_echo(gateway);
  EXPECT_FALSE(client.handshake_error());
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(300));
}

TEST(GatewayFaults, CloseAfterMessagesClosesWithCloseCodeAfterThatManyEchoes) {
  Gateway gateway(json{{"faults", {{"close_after_messages", 2}, {"close_code", 4000}}}});
  auto client = connect_echo(gateway);
  ASSERT_FALSE(client.write("one", true));
  ASSERT_FALSE(client.write("two", true));
  EXPECT_EQ(client.read().payload, "one");
  EXPECT_EQ(client.read().payload, "two");
  EXPECT_EQ(client.read().error, websocket::error::closed);
  EXPECT_EQ(client.close_reason().code, 4000);
}

TEST(GatewayLimits, MessageLargerThanMaxMessageSizeClosesWith1009) {
  Gateway gateway(json{{"max_message_size", 1024}});
  auto client = connect_echo(gateway);
  ASSERT_FALSE(client.write(std::string(1025, 'x'), false));
  EXPECT_EQ(client.read().error, websocket::error::closed);
  EXPECT_EQ(client.close_reason().code, websocket::close_code::too_big);
}

class GatewayTls : public ::testing::Test {
 protected:
  json tls_config(bool require_client_certificate) const {
    return json{{"tls",
                 {{"certificate", pki_.server_cert},
                  {"private_key", pki_.server_key},
                  {"client_ca", pki_.ca_cert},
                  {"require_client_certificate", require_client_certificate}}}};
  }

  TempDir directory_;
  Pki pki_ = Pki::generate(directory_.path());
};

TEST_F(GatewayTls, WssEchoWorksWithServerCertificateVerifiedAgainstTestCa) {
  Gateway gateway(tls_config(false));
  auto tls = make_client_tls_context(pki_.ca_cert);
  auto client = WebSocketTestClient::connect_tls(gateway.wss_port(), "/echo", tls);
  ASSERT_FALSE(client.handshake_error()) << client.handshake_error().message();
  ASSERT_FALSE(client.write("secure", true));
  EXPECT_EQ(client.read().payload, "secure");
}

TEST_F(GatewayTls, RequiredClientCertificateRefusesClientWithoutOne) {
  Gateway gateway(tls_config(true));
  auto tls = make_client_tls_context(pki_.ca_cert);
  auto client = WebSocketTestClient::connect_tls(gateway.wss_port(), "/echo", tls);
  EXPECT_TRUE(client.handshake_error());
  EXPECT_EQ(gateway.stats().at("upgrades_accepted"), 0);
}

TEST_F(GatewayTls, RequiredClientCertificateAcceptsTestClientCertificate) {
  Gateway gateway(tls_config(true));
  auto tls = make_client_tls_context(pki_.ca_cert, pki_.client_cert, pki_.client_key);
  auto client = WebSocketTestClient::connect_tls(gateway.wss_port(), "/echo", tls);
  EXPECT_FALSE(client.handshake_error()) << client.handshake_error().message();
}

TEST(GatewayReadyLine, ReportsNoWssPortWithoutTls) {
  Gateway gateway;
  EXPECT_NE(gateway.ws_port(), 0);
  EXPECT_THROW(gateway.wss_port(), std::logic_error);
}

TEST(GatewayStats, CountsUpgradesRefusalsMessagesAndOpenConnections) {
  Gateway gateway(json{{"allowed_origins", {"https://good.example"}}});
  auto accepted = connect_echo(gateway, {"https://good.example", {}, {}});
  connect_echo(gateway, {"https://evil.example", {}, {}});
  ASSERT_FALSE(accepted.write("counted", true));
  accepted.read();
  const auto stats =
      wait_for_stats(gateway, [](const json& s) { return s["open_connections"] == 1; });
  EXPECT_EQ(stats.at("upgrades_accepted"), 1);
  EXPECT_EQ(stats.at("upgrades_refused").at("403"), 1);
  EXPECT_EQ(stats.at("messages_received"), 1);
  EXPECT_EQ(stats.at("open_connections"), 1);
}

TEST(GatewayStats, OpenConnectionsDropsWhenClientCloses) {
  Gateway gateway;
  auto client = connect_echo(gateway);
  ASSERT_FALSE(client.close());
  const auto stats =
      wait_for_stats(gateway, [](const json& s) { return s["open_connections"] == 0; });
  EXPECT_EQ(stats.at("open_connections"), 0);
}

TEST(GatewayConfig, UnknownKeyExitsWithStatus2NamingTheKey) {
  try {
    Gateway gateway(json{{"faults", {{"no_such_fault", 1}}}});
    FAIL() << "the gateway started with an unknown key";
  } catch (const GatewayStartError& error) {
    EXPECT_EQ(error.exit_status(), 2);
    EXPECT_THAT(error.what(), HasSubstr("faults.no_such_fault"));
  }
}

TEST(GatewayConfig, WrongTypeExitsWithStatus2NamingTheKey) {
  try {
    Gateway gateway(json{{"ticker_interval_ms", "fast"}});
    FAIL() << "the gateway started with a string interval";
  } catch (const GatewayStartError& error) {
    EXPECT_EQ(error.exit_status(), 2);
    EXPECT_THAT(error.what(), HasSubstr("ticker_interval_ms"));
  }
}

TEST(GatewayLifecycle, SigtermStopsTheGatewayWithStatus0) {
  Gateway gateway;
  auto client = connect_echo(gateway);
  EXPECT_EQ(gateway.stop(), 0);
}

}  // namespace
}  // namespace tether::gateway::test
