// TransportPolicy::Auto (docs/emulation.md section 11): a native attempt that an intermediary
// breaks goes on over the emulated transport within the same connect(); one that fails for a
// reason HTTP would share, or that a downgrade could exploit, does not.
#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "echo_attempt.hpp"
#include "event_recorder.hpp"
#include "log_capture.hpp"
#include "test_environment.hpp"
#include "tether/auth.hpp"
#include "tether/log.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/silent_listener.hpp"
#include "tether_test/temp_dir.hpp"
#include "tether_test/upgrade_blocker.hpp"
#include "tether_test/users_file.hpp"
#include "transport_log.hpp"

namespace tether::test {
namespace {

constexpr std::string_view fallback_line = "trying the HTTP emulation of WebSocket";

void expect_emulated_echo(const EchoAttempt& outcome) {
  EXPECT_TRUE(outcome.opened) << describe(outcome.errors);
  EXPECT_EQ(outcome.transport, TransportKind::Emulated);
  EXPECT_TRUE(outcome.echoed);
  EXPECT_TRUE(outcome.errors.empty()) << describe(outcome.errors);
  // The fallback happens within Connecting: the application sees one ordinary connection.
  EXPECT_EQ(outcome.states,
            (std::vector<State>{State::Connecting, State::Open, State::Closing, State::Closed}));
}

class RefusedUpgrade : public ::testing::TestWithParam<int> {};

TEST_P(RefusedUpgrade, GoesOnOverTheEmulationAndLogsWhy) {
  Gateway gateway(gateway_config({{"faults", {{"refuse_upgrade_status", GetParam()}}}}));
  LogCapture log;
  expect_emulated_echo(attempt_echo(trusting_options(gateway.ws_url("/echo"))));
  const auto lines = log.lines_containing(fallback_line);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("HTTP " + std::to_string(GetParam())), std::string::npos) << lines[0];
  EXPECT_EQ(gateway.stats().at("emulated_sessions_created"), 1);
}

INSTANTIATE_TEST_SUITE_P(Status, RefusedUpgrade, ::testing::Values(400, 403, 405, 501, 503));

/// The answers a middlebox gives a WebSocket upgrade: not 101, or a broken 101, or none.
class BlockedUpgrade : public ::testing::TestWithParam<const char*> {};

TEST_P(BlockedUpgrade, GoesOnOverTheEmulation) {
  Gateway gateway(gateway_config());
  UpgradeBlocker blocker(gateway.ws_port(), GetParam());
  expect_emulated_echo(attempt_echo(trusting_options(blocker.ws_url("/echo"))));
  EXPECT_EQ(blocker.upgrades_blocked(), 1u);
}

INSTANTIATE_TEST_SUITE_P(
    Answer, BlockedUpgrade,
    ::testing::Values(
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK",
        "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Accept: bm90IHRoZSByaWdodCBrZXk=\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n\r\n", ""),
    [](const ::testing::TestParamInfo<const char*>& answer) {
      const std::string text = answer.param;
      if (text.empty()) return std::string("ConnectionClosed");
      if (text.find("200") != std::string::npos) return std::string("Status200");
      // A middlebox's 403 carries no Tether-Refusal: unlike the gateway's own, it is got around.
      if (text.find("403") != std::string::npos) return std::string("UnmarkedStatus403");
      if (text.find("Accept") != std::string::npos) return std::string("BadAcceptKey");
      return std::string("NoUpgradeHeader");
    });

TEST(Fallback, AHandshakeThatTimesOutGoesOnOverTheEmulationWithFreshTimers) {
  Gateway gateway(gateway_config({{"faults", {{"handshake_delay_ms", 3000}}}}));
  auto options = trusting_options(gateway.ws_url("/echo"));
  options.handshake_timeout = 400ms;
  options.fallback.race_delay = 0ms;  // no race: the emulation starts once the upgrade timed out
  expect_emulated_echo(attempt_echo(options));
}

TEST(Fallback, WssFallsBackToHttpsVerifiedTheSameWay) {
  Gateway gateway(gateway_config({{"faults", {{"refuse_upgrade_status", 403}}}}));
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.tls.pinned_public_keys = {shared_pki().ca_spki_sha256};
  expect_emulated_echo(attempt_echo(options));
}

/// Connects with `options` and returns the transports the client reported through
/// on_transport_changed, with their reasons, up to the moment it opened.
std::vector<TransportChange> transports_until_open(const ConnectOptions& options) {
  Client client;
  TransportLog transports(client);
  EventRecorder recorder(client);
  EXPECT_FALSE(client.connect(options));
  EXPECT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
  return transports.changes();
}

TEST(Fallback, TheApplicationHearsOfTheFallbackWithItsReasonBeforeOpen) {
  Gateway gateway(gateway_config({{"faults", {{"refuse_upgrade_status", 403}}}}));
  const auto changes = transports_until_open(trusting_options(gateway.ws_url("/echo")));
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].first, TransportKind::Native);
  EXPECT_FALSE(changes[0].second);
  EXPECT_EQ(changes[1].first, TransportKind::Emulated);
  EXPECT_EQ(changes[1].second.code, ErrorCode::HandshakeRejected);
  EXPECT_EQ(changes[1].second.http_status, 403);
  // The fault stands for a middlebox: the reason does not blame the client.
  EXPECT_NE(changes[1].second.message.find("no Tether-Refusal mark"), std::string::npos)
      << changes[1].second.message;
}

TEST(Fallback, AConnectionThatNeedsNoFallbackReportsOneTransport) {
  Gateway gateway(gateway_config());
  const auto changes = transports_until_open(emulated_options(gateway.ws_url("/echo")));
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].first, TransportKind::Emulated);
  EXPECT_FALSE(changes[0].second);
}

TEST(Fallback, TheNativePolicyNeverFallsBack) {
  Gateway gateway(gateway_config({{"faults", {{"refuse_upgrade_status", 403}}}}));
  auto options = trusting_options(gateway.ws_url("/echo"));
  options.transport = TransportPolicy::Native;
  const EchoAttempt outcome = attempt_echo(options);
  EXPECT_FALSE(outcome.opened);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::HandshakeRejected);
  EXPECT_EQ(outcome.errors[0].http_status, 403);
  EXPECT_EQ(gateway.stats().at("emulated_sessions_created"), 0);
}

TEST(Fallback, AGatewayWithoutEmulationReportsTheNativeRefusal) {
  Gateway gateway(gateway_config(
      {{"faults", {{"refuse_upgrade_status", 503}}}, {"emulation", {{"enabled", false}}}}));
  const EchoAttempt outcome = attempt_echo(trusting_options(gateway.ws_url("/echo")));
  EXPECT_FALSE(outcome.opened);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::HandshakeRejected);
  EXPECT_EQ(outcome.errors[0].http_status, 503);
  EXPECT_NE(outcome.errors[0].message.find("not offered"), std::string::npos)
      << outcome.errors[0].message;
}

TEST(NoFallback, AfterTheGatewaysOwnRefusal) {
  Gateway gateway(gateway_config({{"allowed_origins", {"https://good.example"}}}));
  LogCapture log;
  auto options = trusting_options(gateway.ws_url("/echo"));
  options.origin = "https://evil.example";
  const EchoAttempt outcome = attempt_echo(options);
  EXPECT_FALSE(outcome.opened);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::HandshakeRejected);
  EXPECT_EQ(outcome.errors[0].http_status, 403);
  EXPECT_NE(outcome.errors[0].message.find("the gateway refused this client (check the Origin"),
            std::string::npos)
      << outcome.errors[0].message;
  EXPECT_TRUE(log.lines_containing(fallback_line).empty());
  // The upgrade alone was refused: no create was spent on a refusal the emulation shares.
  EXPECT_EQ(gateway.stats().at("upgrades_refused").at("403"), 1);
}

TEST(NoFallback, AfterAnUntrustedCertificate) {
  Gateway gateway(gateway_config());
  LogCapture log;
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.tls.ca_file = shared_pki().other_ca_cert.string();
  const EchoAttempt outcome = attempt_echo(options);
  EXPECT_FALSE(outcome.opened);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::TlsUntrustedCertificate);
  EXPECT_TRUE(log.lines_containing(fallback_line).empty());
  EXPECT_EQ(gateway.stats().at("emulated_sessions_created"), 0);
}

TEST(NoFallback, AfterAPinMismatch) {
  Gateway gateway(gateway_config());
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.tls.pinned_public_keys = {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="};
  const EchoAttempt outcome = attempt_echo(options);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::TlsPinMismatch);
  EXPECT_EQ(gateway.stats().at("emulated_sessions_created"), 0);
}

TEST(NoFallback, AfterAnAuthenticationFailure) {
  TempDir directory;
  const auto users = directory.path() / "users.json";
  write_users_file(users, {{"alice", "secret"}});
  Gateway gateway(gateway_config({{"auth", {{"users_file", users.string()}}},
                                  {"services", {{"/echo", {{"schemes", {"basic"}}}}}}}));
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.challenge_handler = std::make_shared<auth::BasicHandler>(
      [](const auth::CredentialRequest&, auth::CredentialReply reply) {
        reply.complete({"alice", "wrong"});
      });
  const EchoAttempt outcome = attempt_echo(options);
  EXPECT_FALSE(outcome.opened);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::AuthFailed);
  EXPECT_EQ(gateway.stats().at("emulated_sessions_created"), 0);
}

TEST(NoFallback, AfterARefusedTcpConnection) {
  std::uint16_t closed_port = 0;
  { closed_port = SilentListener{}.port(); }
  LogCapture log;
  const EchoAttempt outcome =
      attempt_echo(trusting_options("ws://127.0.0.1:" + std::to_string(closed_port) + "/echo"));
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::ConnectFailed) << outcome.errors[0].message;
  EXPECT_TRUE(log.lines_containing(fallback_line).empty());
}

TEST(NoFallback, AfterASubprotocolMismatch) {
  Gateway gateway(gateway_config({{"faults", {{"select_subprotocol", "evil.v9"}}}}));
  auto options = trusting_options(gateway.ws_url("/echo"));
  options.subprotocols = {"chat.v1"};
  const EchoAttempt outcome = attempt_echo(options);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::SubprotocolMismatch);
  EXPECT_EQ(gateway.stats().at("emulated_sessions_created"), 0);
}

TEST(NoFallback, AfterCloseWhileTheNativeHandshakeWaits) {
  Gateway gateway(gateway_config({{"faults", {{"handshake_delay_ms", 2000}}}}));
  Client client;
  EventRecorder recorder(client);
  auto options = trusting_options(gateway.ws_url("/echo"));
  options.handshake_timeout = 300ms;
  ASSERT_FALSE(client.connect(options));
  ASSERT_FALSE(client.close());
  ASSERT_TRUE(recorder.wait_for_close());
  EXPECT_EQ(recorder.close_info().error.code, ErrorCode::Cancelled);
  // The behaviour under test is that nothing happens: the handshake timeout, which would have
  // started the fallback, passes without one.
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(gateway.stats().at("emulated_sessions_created"), 0);
  EXPECT_EQ(client.state(), State::Closed);
}

}  // namespace
}  // namespace tether::test
