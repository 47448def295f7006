// The opening handshake: subprotocols, Origin, refusals, timeouts, cancellation and message
// limits, over every transport (native and emulated, docs/emulation.md). Scenarios that only the
// native handshake has come last.
#include <gtest/gtest.h>

#include "echo_attempt.hpp"
#include "event_recorder.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/silent_listener.hpp"
#include "transport_test.hpp"

namespace tether::test {
namespace {

class Subprotocol : public TransportTest {};

TEST_P(Subprotocol, ServerSelectsTheFirstOfferedThatItSpeaks) {
  Gateway gateway(gateway_config({{"subprotocols", {"chat.v2", "chat.v1"}}}));
  auto options = options_for(gateway.ws_url("/echo"));
  options.subprotocols = {"chat.v1", "chat.v2"};
  const EchoAttempt outcome = attempt_echo(options);
  EXPECT_TRUE(outcome.opened) << describe(outcome.errors);
  EXPECT_EQ(outcome.subprotocol, "chat.v1");
}

TEST_P(Subprotocol, ProtocolThatWasNotOfferedFailsTheConnection) {
  Gateway gateway(gateway_config({{"faults", {{"select_subprotocol", "evil.v9"}}}}));
  auto options = options_for(gateway.ws_url("/echo"));
  options.subprotocols = {"chat.v1"};
  const EchoAttempt outcome = attempt_echo(options);
  EXPECT_FALSE(outcome.opened);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::SubprotocolMismatch);
  EXPECT_NE(outcome.errors[0].message.find("evil.v9"), std::string::npos);
}

TEST_P(Subprotocol, ProtocolSelectedWhenNoneWasOfferedFailsTheConnection) {
  Gateway gateway(gateway_config({{"faults", {{"select_subprotocol", "chat.v1"}}}}));
  const EchoAttempt outcome = attempt_echo(options_for(gateway.ws_url("/echo")));
  EXPECT_FALSE(outcome.opened);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::SubprotocolMismatch);
}

TEST_P(Subprotocol, RequiredProtocolThatTheServerIgnoredFailsTheConnection) {
  Gateway gateway(gateway_config({{"subprotocols", {"other"}}}));
  auto options = options_for(gateway.ws_url("/echo"));
  options.subprotocols = {"chat.v1"};
  options.subprotocol_required = true;
  const EchoAttempt outcome = attempt_echo(options);
  EXPECT_FALSE(outcome.opened);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::SubprotocolMismatch);
}

TEST_P(Subprotocol, OptionalProtocolThatTheServerIgnoredStillOpens) {
  Gateway gateway(gateway_config({{"subprotocols", {"other"}}}));
  auto options = options_for(gateway.ws_url("/echo"));
  options.subprotocols = {"chat.v1"};
  const EchoAttempt outcome = attempt_echo(options);
  EXPECT_TRUE(outcome.opened) << describe(outcome.errors);
  EXPECT_EQ(outcome.subprotocol, "");
}

INSTANTIATE_TEST_SUITE_P(Transports, Subprotocol, ::testing::ValuesIn(each_transport),
                         TransportName());

class Origin : public TransportTest {};

TEST_P(Origin, AllowedOriginOpens) {
  Gateway gateway(gateway_config({{"allowed_origins", {"https://app.example"}}}));
  auto options = options_for(gateway.wss_url("/echo"));
  options.origin = "https://app.example";
  EXPECT_TRUE(attempt_echo(options).opened);
}

TEST_P(Origin, RefusedOriginIsAHandshakeRejectionWithStatus403) {
  Gateway gateway(gateway_config({{"allowed_origins", {"https://app.example"}}}));
  auto options = options_for(gateway.wss_url("/echo"));
  options.origin = "https://evil.example";
  const EchoAttempt outcome = attempt_echo(options);
  EXPECT_FALSE(outcome.opened);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::HandshakeRejected);
  EXPECT_EQ(outcome.errors[0].http_status, 403);
  EXPECT_NE(outcome.errors[0].message.find("403"), std::string::npos);
  EXPECT_EQ(outcome.close.error.http_status, 403);
}

INSTANTIATE_TEST_SUITE_P(Transports, Origin, ::testing::ValuesIn(each_transport), TransportName());

class Refusal : public TransportTest {};

TEST_P(Refusal, UnknownPathIsRejectedWith404) {
  Gateway gateway(gateway_config());
  const EchoAttempt outcome = attempt_echo(options_for(gateway.ws_url("/nowhere")));
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::HandshakeRejected);
  EXPECT_EQ(outcome.errors[0].http_status, 404);
}

TEST_P(Refusal, ClosedPortIsAConnectFailure) {
  std::uint16_t closed_port = 0;
  {
    SilentListener listener;  // take a free port, then free it
    closed_port = listener.port();
  }
  const EchoAttempt outcome =
      attempt_echo(options_for("ws://127.0.0.1:" + std::to_string(closed_port) + "/echo"));
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::ConnectFailed) << outcome.errors[0].message;
}

INSTANTIATE_TEST_SUITE_P(Transports, Refusal, ::testing::ValuesIn(each_transport), TransportName());

class Timeout : public TransportTest {
 protected:
  /// Connects to a listener that accepts and never answers, over `scheme`, with a handshake
  /// timeout of 300 ms, and checks that the attempt ends in HandshakeTimeout after it.
  void expect_handshake_timeout(const std::string& scheme) {
    SilentListener listener;
    auto options =
        options_for(scheme + "://localhost:" + std::to_string(listener.port()) + "/echo");
    options.handshake_timeout = 300ms;
    const auto started = std::chrono::steady_clock::now();
    const EchoAttempt outcome = attempt_echo(options);
    const auto elapsed = std::chrono::steady_clock::now() - started;
    ASSERT_EQ(outcome.errors.size(), 1u);
    EXPECT_EQ(outcome.errors[0].code, ErrorCode::HandshakeTimeout) << outcome.errors[0].message;
    EXPECT_GE(elapsed, 300ms);
    EXPECT_EQ(listener.accepted(), 1u);
  }
};

TEST_P(Timeout, ListenerThatNeverAnswersTimesTheHandshakeOut) { expect_handshake_timeout("ws"); }

TEST_P(Timeout, TlsListenerThatNeverAnswersTimesTheHandshakeOut) {
  expect_handshake_timeout("wss");
}

INSTANTIATE_TEST_SUITE_P(Transports, Timeout, ::testing::ValuesIn(each_transport), TransportName());

class Cancel : public TransportTest {};

TEST_P(Cancel, CloseWhileConnectingAbandonsTheAttempt) {
  SilentListener listener;
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(
      client.connect(options_for("ws://127.0.0.1:" + std::to_string(listener.port()) + "/echo")));
  ASSERT_FALSE(client.close());
  ASSERT_TRUE(recorder.wait_for_close());
  EXPECT_EQ(recorder.close_info().error.code, ErrorCode::Cancelled);
  EXPECT_TRUE(recorder.errors().empty()) << recorder.describe_errors();
  EXPECT_FALSE(recorder.ever_opened());
}

INSTANTIATE_TEST_SUITE_P(Transports, Cancel, ::testing::ValuesIn(each_transport), TransportName());

class MessageSize : public TransportTest {};

TEST_P(MessageSize, OversizedMessageFromTheServerClosesWith1009) {
  Gateway gateway(gateway_config());
  Client client;
  EventRecorder recorder(client);
  auto options = options_for(gateway.ws_url("/echo"));
  options.max_message_size = 1024;
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
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

TEST_P(MessageSize, OversizedMessageToTheServerIsClosedByIt) {
  Gateway gateway(gateway_config({{"max_message_size", 1024}}));
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options_for(gateway.ws_url("/echo"))));
  ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
  ASSERT_FALSE(client.send_text(std::string(4096, 'x')));
  ASSERT_TRUE(recorder.wait_for_close());
  EXPECT_EQ(recorder.close_info().code, 1009);
  // The native gateway sends the close; the emulated one answers the upstream 413 and the client
  // closes (docs/emulation.md section 10).
  EXPECT_EQ(recorder.close_info().closed_by_peer, transport() == TransportPolicy::Native);
}

INSTANTIATE_TEST_SUITE_P(Transports, MessageSize, ::testing::ValuesIn(each_transport),
                         TransportName());

// The native handshake alone: the gateway's faults that refuse or delay an upgrade act on the
// WebSocket upgrade, not on the emulation's create.

TEST(NativeHandshake, UpgradeRefusedWithAnyStatusCarriesThatStatus) {
  Gateway gateway(gateway_config({{"faults", {{"refuse_upgrade_status", 503}}}}));
  auto options = trusting_options(gateway.ws_url("/echo"), TransportPolicy::Native);
  const EchoAttempt outcome = attempt_echo(options);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::HandshakeRejected);
  EXPECT_EQ(outcome.errors[0].http_status, 503);
}

TEST(NativeHandshake, SlowButTimelyHandshakeOpens) {
  Gateway gateway(gateway_config({{"faults", {{"handshake_delay_ms", 100}}}}));
  auto options = trusting_options(gateway.ws_url("/echo"), TransportPolicy::Native);
  options.handshake_timeout = 5s;
  EXPECT_TRUE(attempt_echo(options).opened);
}

}  // namespace
}  // namespace tether::test
