// The opening handshake: subprotocols, Origin, refusals, timeouts and message limits.
#include <gtest/gtest.h>

#include "echo_attempt.hpp"
#include "event_recorder.hpp"
#include "test_environment.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/silent_listener.hpp"

namespace tether::test {
namespace {

TEST(Subprotocol, ServerSelectsTheFirstOfferedThatItSpeaks) {
  Gateway gateway(gateway_config({{"subprotocols", {"chat.v2", "chat.v1"}}}));
  auto options = trusting_options(gateway.ws_url("/echo"));
  options.subprotocols = {"chat.v1", "chat.v2"};
  const EchoAttempt outcome = attempt_echo(options);
  EXPECT_TRUE(outcome.opened);
  EXPECT_EQ(outcome.subprotocol, "chat.v1");
}

TEST(Subprotocol, ProtocolThatWasNotOfferedFailsTheConnection) {
  Gateway gateway(gateway_config({{"faults", {{"select_subprotocol", "evil.v9"}}}}));
  auto options = trusting_options(gateway.ws_url("/echo"));
  options.subprotocols = {"chat.v1"};
  const EchoAttempt outcome = attempt_echo(options);
  EXPECT_FALSE(outcome.opened);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::SubprotocolMismatch);
  EXPECT_NE(outcome.errors[0].message.find("evil.v9"), std::string::npos);
}

TEST(Subprotocol, ProtocolSelectedWhenNoneWasOfferedFailsTheConnection) {
  Gateway gateway(gateway_config({{"faults", {{"select_subprotocol", "chat.v1"}}}}));
  const EchoAttempt outcome = attempt_echo(trusting_options(gateway.ws_url("/echo")));
  EXPECT_FALSE(outcome.opened);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::SubprotocolMismatch);
}

TEST(Subprotocol, RequiredProtocolThatTheServerIgnoredFailsTheConnection) {
  Gateway gateway(gateway_config({{"subprotocols", {"other"}}}));
  auto options = trusting_options(gateway.ws_url("/echo"));
  options.subprotocols = {"chat.v1"};
  options.subprotocol_required = true;
  const EchoAttempt outcome = attempt_echo(options);
  EXPECT_FALSE(outcome.opened);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::SubprotocolMismatch);
}

TEST(Subprotocol, OptionalProtocolThatTheServerIgnoredStillOpens) {
  Gateway gateway(gateway_config({{"subprotocols", {"other"}}}));
  auto options = trusting_options(gateway.ws_url("/echo"));
  options.subprotocols = {"chat.v1"};
  const EchoAttempt outcome = attempt_echo(options);
  EXPECT_TRUE(outcome.opened);
  EXPECT_EQ(outcome.subprotocol, "");
}

TEST(Origin, AllowedOriginOpens) {
  Gateway gateway(gateway_config({{"allowed_origins", {"https://app.example"}}}));
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.origin = "https://app.example";
  EXPECT_TRUE(attempt_echo(options).opened);
}

TEST(Origin, RefusedOriginIsAHandshakeRejectionWithStatus403) {
  Gateway gateway(gateway_config({{"allowed_origins", {"https://app.example"}}}));
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.origin = "https://evil.example";
  const EchoAttempt outcome = attempt_echo(options);
  EXPECT_FALSE(outcome.opened);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::HandshakeRejected);
  EXPECT_EQ(outcome.errors[0].http_status, 403);
  EXPECT_NE(outcome.errors[0].message.find("403"), std::string::npos);
  EXPECT_EQ(outcome.close.error.http_status, 403);
}

TEST(Refusal, UpgradeRefusedWithAnyStatusCarriesThatStatus) {
  Gateway gateway(gateway_config({{"faults", {{"refuse_upgrade_status", 503}}}}));
  auto options = trusting_options(gateway.ws_url("/echo"));
  options.transport = TransportPolicy::Native;  // Auto would fall back to the emulation
  const EchoAttempt outcome = attempt_echo(options);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::HandshakeRejected);
  EXPECT_EQ(outcome.errors[0].http_status, 503);
}

TEST(Refusal, UnknownPathIsRejectedWith404) {
  Gateway gateway(gateway_config());
  const EchoAttempt outcome = attempt_echo(trusting_options(gateway.ws_url("/nowhere")));
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].http_status, 404);
}

TEST(Refusal, ClosedPortIsAConnectFailure) {
  std::uint16_t closed_port = 0;
  {
    SilentListener listener;  // take a free port, then free it
    closed_port = listener.port();
  }
  const EchoAttempt outcome =
      attempt_echo(trusting_options("ws://127.0.0.1:" + std::to_string(closed_port) + "/echo"));
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::ConnectFailed) << outcome.errors[0].message;
}

TEST(Timeout, ListenerThatNeverAnswersTimesTheHandshakeOut) {
  SilentListener listener;
  auto options = trusting_options("ws://127.0.0.1:" + std::to_string(listener.port()) + "/echo");
  options.handshake_timeout = 300ms;
  options.transport = TransportPolicy::Native;  // Auto would try the emulation next
  const auto started = std::chrono::steady_clock::now();
  const EchoAttempt outcome = attempt_echo(options);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::HandshakeTimeout) << outcome.errors[0].message;
  EXPECT_GE(elapsed, 300ms);
  EXPECT_EQ(listener.accepted(), 1u);
}

TEST(Timeout, TlsListenerThatNeverAnswersTimesTheHandshakeOut) {
  SilentListener listener;
  auto options = trusting_options("wss://localhost:" + std::to_string(listener.port()) + "/echo");
  options.handshake_timeout = 300ms;
  const EchoAttempt outcome = attempt_echo(options);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::HandshakeTimeout) << outcome.errors[0].message;
}

TEST(Timeout, SlowButTimelyHandshakeOpens) {
  Gateway gateway(gateway_config({{"faults", {{"handshake_delay_ms", 100}}}}));
  auto options = trusting_options(gateway.ws_url("/echo"));
  options.handshake_timeout = 5s;
  EXPECT_TRUE(attempt_echo(options).opened);
}

TEST(MessageSize, OversizedMessageFromTheServerClosesWith1009) {
  Gateway gateway(gateway_config());
  Client client;
  EventRecorder recorder(client);
  auto options = trusting_options(gateway.ws_url("/echo"));
  options.max_message_size = 1024;
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_state(State::Open));
  ASSERT_FALSE(client.send_text(std::string(1000, 'a')));  // echoed: within the limit
  ASSERT_FALSE(client.send_text(std::string(2000, 'b')));  // echoed: over it
  ASSERT_TRUE(recorder.wait_for_close());
  EXPECT_EQ(recorder.messages().size(), 1u);
  const CloseInfo close = recorder.close_info();
  EXPECT_EQ(close.code, 1009);
  EXPECT_FALSE(close.closed_by_peer);
  EXPECT_EQ(close.error.code, ErrorCode::MessageTooBig) << close.error.message;
  ASSERT_EQ(recorder.errors().size(), 1u);
  EXPECT_EQ(recorder.errors()[0].code, ErrorCode::MessageTooBig);
}

TEST(MessageSize, OversizedMessageToTheServerIsClosedByIt) {
  Gateway gateway(gateway_config({{"max_message_size", 1024}}));
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(trusting_options(gateway.ws_url("/echo"))));
  ASSERT_TRUE(recorder.wait_for_state(State::Open));
  ASSERT_FALSE(client.send_text(std::string(4096, 'x')));
  ASSERT_TRUE(recorder.wait_for_close());
  EXPECT_EQ(recorder.close_info().code, 1009);
  EXPECT_TRUE(recorder.close_info().closed_by_peer);
}

TEST(Cancel, CloseWhileConnectingAbandonsTheAttempt) {
  SilentListener listener;
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(
      client.connect(trusting_options("ws://127.0.0.1:" + std::to_string(listener.port()) + "/")));
  ASSERT_FALSE(client.close());
  ASSERT_TRUE(recorder.wait_for_close());
  EXPECT_EQ(recorder.close_info().error.code, ErrorCode::Cancelled);
  EXPECT_TRUE(recorder.errors().empty());
  EXPECT_FALSE(recorder.ever_opened());
}

}  // namespace
}  // namespace tether::test
