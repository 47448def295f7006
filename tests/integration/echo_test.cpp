// Messages round-trip through the gateway's /echo over ws and wss, whole and in order.
#include <gtest/gtest.h>

#include "event_recorder.hpp"
#include "test_environment.hpp"
#include "tether_test/gateway.hpp"

namespace tether::test {
namespace {

class EchoTest : public ::testing::TestWithParam<bool> {
 protected:
  std::string echo_url() const {
    return GetParam() ? gateway_.wss_url("/echo") : gateway_.ws_url("/echo");
  }

  void open() {
    ASSERT_FALSE(client_.connect(trusting_options(echo_url())));
    ASSERT_TRUE(recorder_.wait_for_state(State::Open)) << describe_errors();
  }

  std::string describe_errors() const {
    std::string text;
    for (const auto& error : recorder_.errors()) text += error.message + "\n";
    return text;
  }

  Gateway gateway_{gateway_config()};
  Client client_;
  EventRecorder recorder_{client_};
};

TEST_P(EchoTest, TextMessageComesBackAsText) {
  open();
  ASSERT_FALSE(client_.send_text("hello, gateway"));
  ASSERT_TRUE(recorder_.wait_for_messages(1));
  const auto messages = recorder_.messages();
  EXPECT_EQ(messages[0].kind, MessageKind::Text);
  EXPECT_EQ(messages[0].data, "hello, gateway");
  EXPECT_EQ(client_.transport(), TransportKind::Native);
}

TEST_P(EchoTest, OneMebibyteBinaryMessageComesBackIntact) {
  open();
  std::string payload(1024 * 1024, '\0');
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(i * 31 % 251);
  ASSERT_FALSE(client_.send_binary(payload));
  ASSERT_TRUE(recorder_.wait_for_messages(1, 30s));
  const auto messages = recorder_.messages();
  EXPECT_EQ(messages[0].kind, MessageKind::Binary);
  EXPECT_TRUE(messages[0].data == payload);
}

TEST_P(EchoTest, TenThousandMessagesArriveInOrder) {
  open();
  constexpr int count = 10000;
  for (int i = 0; i < count; ++i) ASSERT_FALSE(client_.send_text(std::to_string(i)));
  ASSERT_TRUE(recorder_.wait_for_messages(count, 60s));
  const auto messages = recorder_.messages();
  for (int i = 0; i < count; ++i) ASSERT_EQ(messages[i].data, std::to_string(i));
}

TEST_P(EchoTest, EveryTransitionIsReportedOnTheIoThread) {
  open();
  ASSERT_FALSE(client_.close(1000, "done"));
  ASSERT_TRUE(recorder_.wait_for_close());
  EXPECT_EQ(recorder_.states(),
            (std::vector<State>{State::Connecting, State::Open, State::Closing, State::Closed}));
  EXPECT_TRUE(recorder_.callbacks_on_io_thread());
  EXPECT_EQ(client_.state(), State::Closed);
  EXPECT_EQ(client_.transport(), TransportKind::None);
}

TEST_P(EchoTest, ClientCloseIsACleanCloseWithItsCode) {
  open();
  ASSERT_FALSE(client_.close(1000, "bye"));
  ASSERT_TRUE(recorder_.wait_for_close());
  const CloseInfo close = recorder_.close_info();
  EXPECT_EQ(close.code, 1000);
  EXPECT_FALSE(close.closed_by_peer);
  EXPECT_FALSE(close.error) << close.error.message;
  EXPECT_TRUE(recorder_.errors().empty());
}

TEST_P(EchoTest, ClosedClientCanConnectAgain) {
  open();
  ASSERT_FALSE(client_.close());
  ASSERT_TRUE(recorder_.wait_for_close());
  ASSERT_FALSE(client_.connect(trusting_options(echo_url())));
  ASSERT_TRUE(recorder_.wait_for_state(State::Open, 10s, 2));
  ASSERT_FALSE(client_.send_text("again"));
  ASSERT_TRUE(recorder_.wait_for_messages(1));
  EXPECT_EQ(recorder_.messages()[0].data, "again");
}

TEST_P(EchoTest, ConnectWhileConnectedIsRefused) {
  open();
  EXPECT_EQ(client_.connect(trusting_options(echo_url())).code, ErrorCode::InvalidState);
}

INSTANTIATE_TEST_SUITE_P(Transports, EchoTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& transport) {
                           return transport.param ? "wss" : "ws";
                         });

TEST(Ticker, QuotesArriveFromTheBroadcastService) {
  Gateway gateway(gateway_config({{"ticker_interval_ms", 20}}));
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(trusting_options(gateway.wss_url("/ticker"))));
  ASSERT_TRUE(recorder.wait_for_messages(3));
  const auto first = nlohmann::json::parse(recorder.messages()[0].data);
  const auto third = nlohmann::json::parse(recorder.messages()[2].data);
  EXPECT_EQ(first.at("symbol"), "TTHR");
  EXPECT_LT(first.at("seq").get<long>(), third.at("seq").get<long>());
}

TEST(PeerClose, CloseCodeFromTheGatewayIsReported) {
  Gateway gateway(
      gateway_config({{"faults", {{"close_after_messages", 1}, {"close_code", 1011}}}}));
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(trusting_options(gateway.ws_url("/echo"))));
  ASSERT_TRUE(recorder.wait_for_state(State::Open));
  ASSERT_FALSE(client.send_text("one"));
  ASSERT_TRUE(recorder.wait_for_close());
  const CloseInfo close = recorder.close_info();
  EXPECT_EQ(close.code, 1011);
  EXPECT_TRUE(close.closed_by_peer);
}

}  // namespace
}  // namespace tether::test
