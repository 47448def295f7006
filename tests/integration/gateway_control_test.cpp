// The bundled gateway's control endpoint (docs/gateway.md "/_control") as a client meets it: a
// blocked or hung upgrade makes TransportPolicy::Auto fall back, allowing upgrades again brings
// the native transport back, and dropping every connection closes an open client on either
// transport.
#include <gtest/gtest.h>

#include "echo_attempt.hpp"
#include "event_recorder.hpp"
#include "test_environment.hpp"
#include "tether/fallback_memory.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/http_request.hpp"

namespace tether::test {
namespace {

EchoAttempt attempt_echo_with(const Gateway& gateway, TransportPolicy policy,
                              std::chrono::milliseconds handshake_timeout = 10s) {
  auto options = trusting_options(gateway.ws_url("/echo"));
  options.transport = policy;
  options.handshake_timeout = handshake_timeout;
  return attempt_echo(options);
}

void expect_echo_over(const EchoAttempt& outcome, TransportKind transport) {
  EXPECT_TRUE(outcome.opened) << describe(outcome.errors);
  EXPECT_EQ(outcome.transport, transport);
  EXPECT_TRUE(outcome.echoed);
}

TEST(GatewayControl, AWrongSecretLeavesAutoOnTheNativeTransport) {
  Gateway gateway(gateway_config());
  std::string wrong = gateway.control_secret();
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  const auto response =
      http_request(gateway.ws_port(), "POST", "/_control", {{"Tether-Control-Secret", wrong}},
                   R"({"action":"block_upgrades"})");
  EXPECT_EQ(response.status, 403u);
  expect_echo_over(attempt_echo_with(gateway, TransportPolicy::Auto), TransportKind::Native);
}

TEST(GatewayControl, BlockedUpgradesMakeAutoEndOnTheEmulatedTransport) {
  Gateway gateway(gateway_config());
  gateway.control("block_upgrades");
  expect_echo_over(attempt_echo_with(gateway, TransportPolicy::Auto), TransportKind::Emulated);
  const auto stats = gateway.stats();
  EXPECT_EQ(stats.at("upgrades_refused").at("403"), 1);
  EXPECT_EQ(stats.at("emulated_sessions_created"), 1);
}

TEST(GatewayControl, BlockedUpgradesRefuseANativeOnlyConnect) {
  Gateway gateway(gateway_config());
  gateway.control("block_upgrades");
  const auto outcome = attempt_echo_with(gateway, TransportPolicy::Native);
  EXPECT_FALSE(outcome.opened);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::HandshakeRejected);
  EXPECT_EQ(outcome.errors[0].http_status, 403);
}

TEST(GatewayControl, AllowedUpgradesBringAutoBackToTheNativeTransport) {
  Gateway gateway(gateway_config());
  gateway.control("block_upgrades");
  expect_echo_over(attempt_echo_with(gateway, TransportPolicy::Auto), TransportKind::Emulated);
  gateway.control("allow_upgrades");
  // Without the memory of the fallback, whose own tests are in fallback_memory_test.cpp.
  FallbackMemory::process()->clear();
  expect_echo_over(attempt_echo_with(gateway, TransportPolicy::Auto), TransportKind::Native);
}

TEST(GatewayControl, HungUpgradesTimeOutANativeOnlyConnect) {
  Gateway gateway(gateway_config());
  gateway.control("hang_upgrades");
  const auto outcome = attempt_echo_with(gateway, TransportPolicy::Native, 300ms);
  EXPECT_FALSE(outcome.opened);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::HandshakeTimeout) << outcome.errors[0].message;
  EXPECT_EQ(gateway.stats().at("upgrades_hung"), 1);
}

TEST(GatewayControl, HungUpgradesMakeAutoFallBack) {
  Gateway gateway(gateway_config());
  gateway.control("hang_upgrades");
  expect_echo_over(attempt_echo_with(gateway, TransportPolicy::Auto, 300ms),
                   TransportKind::Emulated);
  EXPECT_EQ(gateway.stats().at("upgrades_hung"), 1);
}

class DroppedConnection : public ::testing::TestWithParam<TransportPolicy> {};

TEST_P(DroppedConnection, ClosesAnOpenClientAsALostConnection) {
  Gateway gateway(gateway_config());
  Client client;
  EventRecorder recorder(client);
  auto options = trusting_options(gateway.ws_url("/echo"));
  options.transport = GetParam();
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
  EXPECT_EQ(gateway.control("drop_connections").at("connections_dropped"), 1);
  ASSERT_TRUE(recorder.wait_for_close(10s));
  const CloseInfo close = recorder.close_info();
  EXPECT_EQ(close.code, 1006);
  EXPECT_EQ(close.error.code, ErrorCode::ConnectionLost) << close.error.message;
  EXPECT_EQ(client.state(), State::Closed);
}

INSTANTIATE_TEST_SUITE_P(Transport, DroppedConnection,
                         ::testing::Values(TransportPolicy::Native, TransportPolicy::Emulated),
                         [](const ::testing::TestParamInfo<TransportPolicy>& policy) {
                           return policy.param == TransportPolicy::Native ? "Native" : "Emulated";
                         });

}  // namespace
}  // namespace tether::test
