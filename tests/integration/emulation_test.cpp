// The emulated transport alone (TransportPolicy::Emulated) against the gateway's emulation:
// messages, sizes, ping, close codes, /ticker, over http and https (docs/emulation.md).
#include <gtest/gtest.h>

#include <optional>
#include <thread>

#include "echo_attempt.hpp"
#include "event_recorder.hpp"
#include "test_environment.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/silent_listener.hpp"

namespace tether::test {
namespace {

/// Parameterised on wss (true) or ws.
class EmulatedEchoTest : public ::testing::TestWithParam<bool> {
 protected:
  std::string url(std::string_view path) const {
    return GetParam() ? gateway_->wss_url(path) : gateway_->ws_url(path);
  }

  /// Starts a gateway with `extra` config and opens an emulated connection to `path`.
  void open(std::string_view path = "/echo", const nlohmann::json& extra = nlohmann::json::object(),
            ConnectOptions options = {}) {
    gateway_.emplace(gateway_config(extra));
    options.url = url(path);
    options.tls.ca_file = shared_pki().ca_cert.string();
    options.use_proxy_environment = false;
    options.transport = TransportPolicy::Emulated;
    ASSERT_FALSE(client_.connect(options));
    ASSERT_TRUE(recorder_.wait_for_state(State::Open)) << recorder_.describe_errors();
  }

  std::optional<Gateway> gateway_;
  Client client_;
  EventRecorder recorder_{client_};
};

TEST_P(EmulatedEchoTest, TextAndBinaryComeBackWithTheirKinds) {
  open();
  EXPECT_EQ(client_.transport(), TransportKind::Emulated);
  ASSERT_FALSE(client_.send_text("hello, emulation"));
  ASSERT_FALSE(client_.send_binary(std::string("\0\x01\xff", 3)));
  ASSERT_TRUE(recorder_.wait_for_messages(2)) << recorder_.describe_errors();
  const auto messages = recorder_.messages();
  EXPECT_EQ(messages[0].kind, MessageKind::Text);
  EXPECT_EQ(messages[0].data, "hello, emulation");
  EXPECT_EQ(messages[1].kind, MessageKind::Binary);
  EXPECT_EQ(messages[1].data, std::string("\0\x01\xff", 3));
}

TEST_P(EmulatedEchoTest, EmptyMessagesComeBackEmpty) {
  open();
  ASSERT_FALSE(client_.send_text(""));
  ASSERT_FALSE(client_.send_binary(""));
  ASSERT_TRUE(recorder_.wait_for_messages(2)) << recorder_.describe_errors();
  const auto messages = recorder_.messages();
  EXPECT_EQ(messages[0].kind, MessageKind::Text);
  EXPECT_EQ(messages[0].data, "");
  EXPECT_EQ(messages[1].kind, MessageKind::Binary);
  EXPECT_EQ(messages[1].data, "");
}

TEST_P(EmulatedEchoTest, AFourMebibyteMessageComesBackIntact) {
  open();
  std::string payload(4 * 1024 * 1024, '\0');
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(i * 31 % 251);
  ASSERT_FALSE(client_.send_binary(payload));
  ASSERT_FALSE(client_.send_text("after"));
  ASSERT_TRUE(recorder_.wait_for_messages(2, 30s)) << recorder_.describe_errors();
  const auto messages = recorder_.messages();
  EXPECT_TRUE(messages[0].data == payload);
  EXPECT_EQ(messages[1].data, "after");
}

TEST_P(EmulatedEchoTest, ClientCloseIsACleanCloseWithItsCode) {
  open();
  ASSERT_FALSE(client_.close(1000, "bye"));
  ASSERT_TRUE(recorder_.wait_for_close());
  const CloseInfo close = recorder_.close_info();
  EXPECT_EQ(close.code, 1000);
  EXPECT_FALSE(close.closed_by_peer);
  EXPECT_FALSE(close.error) << close.error.message;
  EXPECT_EQ(recorder_.states(),
            (std::vector<State>{State::Connecting, State::Open, State::Closing, State::Closed}));
  EXPECT_EQ(client_.transport(), TransportKind::None);
}

TEST_P(EmulatedEchoTest, APeerCloseCarriesTheGatewaysCode) {
  open("/echo", {{"faults", {{"close_after_messages", 2}, {"close_code", 4001}}}});
  ASSERT_FALSE(client_.send_text("one"));
  ASSERT_FALSE(client_.send_text("two"));
  ASSERT_TRUE(recorder_.wait_for_close());
  const CloseInfo close = recorder_.close_info();
  EXPECT_EQ(close.code, 4001);
  EXPECT_TRUE(close.closed_by_peer);
  EXPECT_FALSE(close.error) << close.error.message;
  EXPECT_EQ(recorder_.messages().size(), 2u);  // both echoes came before the CLOSE
  EXPECT_EQ(gateway_->stats().at("emulated_sessions_open"), 0);  // both CLOSEs were exchanged
}

TEST_P(EmulatedEchoTest, AnsweredPingsKeepTheConnectionOpen) {
  ConnectOptions options;
  options.ping_interval = 30ms;
  options.pong_timeout = 1s;
  open("/echo", nlohmann::json::object(), options);
  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(client_.state(), State::Open);
  EXPECT_TRUE(recorder_.errors().empty()) << recorder_.describe_errors();
}

TEST_P(EmulatedEchoTest, TickerQuotesArriveInOrder) {
  open("/ticker", {{"ticker_interval_ms", 20}});
  ASSERT_TRUE(recorder_.wait_for_messages(20)) << recorder_.describe_errors();
  long previous = -1;
  for (const auto& message : recorder_.messages()) {
    const long seq = nlohmann::json::parse(message.data).at("seq").get<long>();
    EXPECT_GT(seq, previous);
    previous = seq;
  }
}

TEST_P(EmulatedEchoTest, AClosedClientConnectsAgain) {
  open();
  ASSERT_FALSE(client_.close());
  ASSERT_TRUE(recorder_.wait_for_close());
  ASSERT_FALSE(client_.connect(emulated_options(url("/echo"))));
  ASSERT_TRUE(recorder_.wait_for_state(State::Open, 10s, 2));
  ASSERT_FALSE(client_.send_text("again"));
  ASSERT_TRUE(recorder_.wait_for_messages(1));
  EXPECT_EQ(recorder_.messages()[0].data, "again");
  EXPECT_EQ(gateway_->stats().at("emulated_sessions_created"), 2);
}

INSTANTIATE_TEST_SUITE_P(Transport, EmulatedEchoTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& secure) {
                           return secure.param ? "Https" : "Http";
                         });

TEST(EmulatedHandshake, TheGatewaySelectsTheFirstOfferedSubprotocolItSpeaks) {
  Gateway gateway(gateway_config({{"subprotocols", {"chat.v2", "chat.v1"}}}));
  auto options = emulated_options(gateway.ws_url("/echo"));
  options.subprotocols = {"chat.v1", "chat.v2"};
  const EchoAttempt outcome = attempt_echo(options);
  EXPECT_TRUE(outcome.opened);
  EXPECT_EQ(outcome.subprotocol, "chat.v1");
}

TEST(EmulatedHandshake, ASubprotocolThatWasNotOfferedFailsTheConnection) {
  Gateway gateway(gateway_config({{"faults", {{"select_subprotocol", "evil.v9"}}}}));
  auto options = emulated_options(gateway.ws_url("/echo"));
  options.subprotocols = {"chat.v1"};
  const EchoAttempt outcome = attempt_echo(options);
  EXPECT_FALSE(outcome.opened);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::SubprotocolMismatch);
  EXPECT_NE(outcome.errors[0].message.find("evil.v9"), std::string::npos);
}

TEST(EmulatedHandshake, ARequiredSubprotocolTheGatewayIgnoredFailsTheConnection) {
  Gateway gateway(gateway_config({{"subprotocols", {"other"}}}));
  auto options = emulated_options(gateway.ws_url("/echo"));
  options.subprotocols = {"chat.v1"};
  options.subprotocol_required = true;
  const EchoAttempt outcome = attempt_echo(options);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::SubprotocolMismatch);
}

TEST(EmulatedHandshake, AnAllowedOriginOpens) {
  Gateway gateway(gateway_config({{"allowed_origins", {"https://app.example"}}}));
  auto options = emulated_options(gateway.wss_url("/echo"));
  options.origin = "https://app.example";
  EXPECT_TRUE(attempt_echo(options).opened);
}

TEST(EmulatedHandshake, ARefusedOriginIsAHandshakeRejectionWith403) {
  Gateway gateway(gateway_config({{"allowed_origins", {"https://app.example"}}}));
  auto options = emulated_options(gateway.wss_url("/echo"));
  options.origin = "https://evil.example";
  const EchoAttempt outcome = attempt_echo(options);
  EXPECT_FALSE(outcome.opened);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::HandshakeRejected);
  EXPECT_EQ(outcome.errors[0].http_status, 403);
  EXPECT_EQ(outcome.close.error.http_status, 403);
}

TEST(EmulatedHandshake, AnUnknownPathIsRejectedWith404) {
  Gateway gateway(gateway_config());
  const EchoAttempt outcome = attempt_echo(emulated_options(gateway.ws_url("/nowhere")));
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::HandshakeRejected);
  EXPECT_EQ(outcome.errors[0].http_status, 404);
}

TEST(EmulatedHandshake, AClosedPortIsAConnectFailure) {
  std::uint16_t closed_port = 0;
  { closed_port = SilentListener{}.port(); }
  const EchoAttempt outcome =
      attempt_echo(emulated_options("ws://127.0.0.1:" + std::to_string(closed_port) + "/echo"));
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::ConnectFailed) << outcome.errors[0].message;
}

TEST(EmulatedHandshake, ASilentServerTimesTheHandshakeOut) {
  for (const std::string scheme : {"ws", "wss"}) {
    SilentListener listener;
    auto options =
        emulated_options(scheme + "://localhost:" + std::to_string(listener.port()) + "/echo");
    options.handshake_timeout = 300ms;
    const auto started = std::chrono::steady_clock::now();
    const EchoAttempt outcome = attempt_echo(options);
    ASSERT_EQ(outcome.errors.size(), 1u) << scheme;
    EXPECT_EQ(outcome.errors[0].code, ErrorCode::HandshakeTimeout)
        << scheme << ": " << outcome.errors[0].message;
    EXPECT_GE(std::chrono::steady_clock::now() - started, 300ms);
  }
}

TEST(EmulatedHandshake, CloseWhileCreatingAbandonsTheAttempt) {
  SilentListener listener;
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(
      emulated_options("ws://127.0.0.1:" + std::to_string(listener.port()) + "/echo")));
  ASSERT_FALSE(client.close());
  ASSERT_TRUE(recorder.wait_for_close());
  EXPECT_EQ(recorder.close_info().error.code, ErrorCode::Cancelled);
  EXPECT_TRUE(recorder.errors().empty());
}

}  // namespace
}  // namespace tether::test
