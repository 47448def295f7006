// POST /_control (docs/gateway.md): faults changed while the gateway runs, behind the secret of
// the ready line, checked with the gateway's own Beast and raw HTTP clients.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "emulation_test_client.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/gateway_stats_wait.hpp"
#include "tether_test/http_request.hpp"
#include "websocket_test_client.hpp"

namespace tether::gateway::test {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using tether::test::Gateway;
using tether::test::http_request;
using namespace std::chrono_literals;

HttpResponse post_control(const Gateway& gateway, const HttpHeaders& headers,
                          const std::string& body) {
  return http_request(gateway.ws_port(), "POST", "/_control", headers, body);
}

std::string action_body(const std::string& action) { return json{{"action", action}}.dump(); }

// The right secret with its last digit changed: as long, and wrong.
std::string wrong_secret(const Gateway& gateway) {
  auto secret = gateway.control_secret();
  secret.back() = secret.back() == '0' ? '1' : '0';
  return secret;
}

bool native_upgrade_succeeds(const Gateway& gateway) {
  auto client = WebSocketTestClient::connect(gateway.ws_port(), "/echo");
  return !client.handshake_error() && !client.write("still here", true) &&
         client.read().payload == "still here";
}

// A raw upgrade request to /echo, read as its answer streams in (or does not).
DownstreamReader raw_upgrade(const Gateway& gateway) {
  return DownstreamReader(gateway.ws_port(), "/echo",
                          {{"Upgrade", "websocket"},
                           {"Connection", "Upgrade"},
                           {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                           {"Sec-WebSocket-Version", "13"}});
}

TEST(GatewayControl, TheReadyLineCarriesASecretFreshAtEveryStart) {
  Gateway first;
  Gateway second;
  EXPECT_THAT(first.control_secret(), MatchesRegex("[0-9a-f]{64}"));
  EXPECT_NE(first.control_secret(), second.control_secret());
}

TEST(GatewayControl, WithoutTheSecretAnswers403AndChangesNothing) {
  Gateway gateway;
  const auto response = post_control(gateway, {}, action_body("block_upgrades"));
  EXPECT_EQ(response.status, 403U);
  EXPECT_THAT(response.body, HasSubstr("Tether-Control-Secret"));
  EXPECT_TRUE(native_upgrade_succeeds(gateway));
  EXPECT_EQ(gateway.stats().at("control_actions"), json::object());
}

TEST(GatewayControl, WithAWrongSecretAnswers403AndChangesNothing) {
  Gateway gateway;
  const auto response = post_control(gateway, {{"Tether-Control-Secret", wrong_secret(gateway)}},
                                     action_body("block_upgrades"));
  EXPECT_EQ(response.status, 403U);
  EXPECT_TRUE(native_upgrade_succeeds(gateway));
  EXPECT_EQ(gateway.stats().at("control_actions"), json::object());
}

TEST(GatewayControl, AWrongSecretDropsNoConnection) {
  Gateway gateway;
  auto client = WebSocketTestClient::connect(gateway.ws_port(), "/echo");
  ASSERT_FALSE(client.handshake_error());
  EXPECT_EQ(post_control(gateway, {{"Tether-Control-Secret", wrong_secret(gateway)}},
                         action_body("drop_connections"))
                .status,
            403U);
  ASSERT_FALSE(client.write("still open", true));
  EXPECT_EQ(client.read().payload, "still open");
}

TEST(GatewayControl, AnUnknownActionAnswers400NamingTheActions) {
  Gateway gateway;
  const auto response = post_control(gateway, {{"Tether-Control-Secret", gateway.control_secret()}},
                                     action_body("explode"));
  EXPECT_EQ(response.status, 400U);
  EXPECT_THAT(response.body, HasSubstr("block_upgrades"));
}

TEST(GatewayControl, ABodyThatIsNotAnActionAnswers400) {
  Gateway gateway;
  const HttpHeaders secret{{"Tether-Control-Secret", gateway.control_secret()}};
  EXPECT_EQ(post_control(gateway, secret, "block_upgrades").status, 400U);
  EXPECT_EQ(post_control(gateway, secret, R"({"action":1})").status, 400U);
}

TEST(GatewayControl, GetAnswers405) {
  Gateway gateway;
  const auto response = http_request(gateway.ws_port(), "GET", "/_control",
                                     {{"Tether-Control-Secret", gateway.control_secret()}});
  EXPECT_EQ(response.status, 405U);
}

TEST(GatewayControl, StatusReportsUpgradesAllowedByDefault) {
  Gateway gateway;
  EXPECT_EQ(gateway.control("status"), json({{"upgrades", "allowed"}, {"black_hole", false}}));
}

TEST(GatewayControl, StatusReportsTheConfiguredRefusal) {
  Gateway gateway(json{{"faults", {{"refuse_upgrade_status", 503}}}});
  EXPECT_EQ(gateway.control("status"),
            json({{"upgrades", "blocked"}, {"refuse_upgrade_status", 503}, {"black_hole", false}}));
}

TEST(GatewayControl, BlockRefusesNativeUpgradesWith403) {
  Gateway gateway;
  EXPECT_EQ(gateway.control("block_upgrades"),
            json({{"upgrades", "blocked"}, {"refuse_upgrade_status", 403}, {"black_hole", false}}));
  const auto client = WebSocketTestClient::connect(gateway.ws_port(), "/echo");
  EXPECT_EQ(client.response().result_int(), 403U);
  EXPECT_EQ(gateway.stats().at("upgrades_refused").at("403"), 1);
}

TEST(GatewayControl, AllowAnswersNativeUpgradesAgain) {
  Gateway gateway;
  gateway.control("block_upgrades");
  EXPECT_EQ(gateway.control("allow_upgrades"),
            json({{"upgrades", "allowed"}, {"black_hole", false}}));
  EXPECT_TRUE(native_upgrade_succeeds(gateway));
}

TEST(GatewayControl, AllowLiftsTheConfiguredRefusal) {
  Gateway gateway(json{{"faults", {{"refuse_upgrade_status", 503}}}});
  gateway.control("allow_upgrades");
  EXPECT_TRUE(native_upgrade_succeeds(gateway));
}

TEST(GatewayControl, HangLeavesUpgradesUnansweredUntilDropped) {
  Gateway gateway;
  EXPECT_EQ(gateway.control("hang_upgrades"), json({{"upgrades", "hung"}, {"black_hole", false}}));
  auto upgrade = raw_upgrade(gateway);
  const auto stats = wait_for_stats(gateway, [](const json& s) { return s["upgrades_hung"] == 1; });
  ASSERT_EQ(stats.at("upgrades_hung"), 1);
  EXPECT_EQ(gateway.control("drop_connections").at("connections_dropped"), 1);
  EXPECT_FALSE(upgrade.read_header()) << "answered " << upgrade.status();
  EXPECT_EQ(upgrade.end(), DownstreamEnd::cut);
}

class UpgradeFaultAction : public ::testing::TestWithParam<const char*> {};

TEST_P(UpgradeFaultAction, LetsEmulatedSessionsThrough) {
  Gateway gateway;
  gateway.control(GetParam());
  EmulationTestClient client(gateway.ws_port(), "/echo");
  EXPECT_EQ(client.create().status, 201U);
}

INSTANTIATE_TEST_SUITE_P(GatewayControl, UpgradeFaultAction,
                         ::testing::Values("block_upgrades", "hang_upgrades"));

TEST(GatewayControl, DropClosesOpenNativeConnectionsWithoutACloseFrame) {
  Gateway gateway;
  auto first = WebSocketTestClient::connect(gateway.ws_port(), "/echo");
  auto second = WebSocketTestClient::connect(gateway.ws_port(), "/ticker");
  ASSERT_FALSE(first.handshake_error());
  ASSERT_FALSE(second.handshake_error());
  ASSERT_EQ(wait_for_stats(gateway, [](const json& s) { return s["open_connections"] == 2; })
                .at("open_connections"),
            2);
  EXPECT_EQ(gateway.control("drop_connections"),
            json({{"upgrades", "allowed"}, {"black_hole", false}, {"connections_dropped", 2}}));
  const auto read = first.read();
  EXPECT_TRUE(read.error) << "read " << read.payload;
  EXPECT_NE(read.error, boost::beast::websocket::error::closed) << "a close frame came";
  EXPECT_EQ(gateway.stats().at("open_connections"), 0);
  EXPECT_EQ(gateway.stats().at("control_actions"), json({{"drop_connections", 1}}));
}

TEST(GatewayControl, DropCutsEmulatedDownstreamsAndForgetsTheirSessions) {
  Gateway gateway;
  EmulationTestClient client(gateway.ws_port(), "/echo");
  ASSERT_EQ(client.create().status, 201U);
  auto downstream = client.downstream();
  ASSERT_TRUE(downstream.read_header());
  EXPECT_EQ(gateway.control("drop_connections").at("connections_dropped"), 1);
  downstream.read_to_end();
  EXPECT_EQ(downstream.end(), DownstreamEnd::cut);
  auto next = client.downstream();
  ASSERT_TRUE(next.read_header());
  EXPECT_EQ(next.status(), 404U);
  EXPECT_EQ(gateway.stats().at("emulated_sessions_open"), 0);
}

}  // namespace
}  // namespace tether::gateway::test
