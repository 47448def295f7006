// Messages round-trip through the gateway's /echo, whole and in order, and connections close with
// their codes: every scenario over every transport (native and emulated, docs/emulation.md), over
// ws and wss.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "event_recorder.hpp"
#include "tether/version.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/gateway_stats_wait.hpp"
#include "transport_test.hpp"

namespace tether::test {
namespace {

class EchoTest : public ::testing::TestWithParam<TransportAndScheme> {
 protected:
  TransportPolicy transport() const { return std::get<0>(GetParam()); }

  std::string url(std::string_view path) const {
    return std::get<1>(GetParam()) ? gateway_->wss_url(path) : gateway_->ws_url(path);
  }

  /// Starts a gateway with `extra` config and opens a connection to `path`.
  void open(std::string_view path = "/echo",
            const nlohmann::json& extra = nlohmann::json::object()) {
    gateway_.emplace(gateway_config(extra));
    ASSERT_FALSE(client_.connect(trusting_options(url(path), transport())));
    ASSERT_TRUE(recorder_.wait_for_state(State::Open)) << recorder_.describe_errors();
  }

  std::optional<Gateway> gateway_;
  Client client_;
  EventRecorder recorder_{client_};
};

TEST_P(EchoTest, TextAndBinaryComeBackWithTheirKinds) {
  open();
  EXPECT_EQ(client_.transport(), transport_of(transport()));
  ASSERT_FALSE(client_.send_text("hello, gateway"));
  ASSERT_FALSE(client_.send_binary(std::string("\0\x01\xff", 3)));
  ASSERT_TRUE(recorder_.wait_for_messages(2)) << recorder_.describe_errors();
  const auto messages = recorder_.messages();
  EXPECT_EQ(messages[0].kind, MessageKind::Text);
  EXPECT_EQ(messages[0].data, "hello, gateway");
  EXPECT_EQ(messages[1].kind, MessageKind::Binary);
  EXPECT_EQ(messages[1].data, std::string("\0\x01\xff", 3));
}

// Some WAF rules block requests without a User-Agent: every request of every transport sends
// Tether's, or the one the options give, and only that one.
TEST_P(EchoTest, EveryRequestCarriesTetherUserAgent) {
  open();
  ASSERT_FALSE(client_.send_text("hello, gateway"));
  ASSERT_TRUE(recorder_.wait_for_messages(1)) << recorder_.describe_errors();
  const auto by_agent = gateway_->stats().at("requests_by_user_agent");
  ASSERT_EQ(by_agent.size(), 1U) << by_agent.dump();
  EXPECT_TRUE(by_agent.contains(std::string("Tether/") + version())) << by_agent.dump();
}

TEST_P(EchoTest, TheUserAgentOfTheOptionsReplacesTetherOnEveryRequest) {
  gateway_.emplace(gateway_config());
  auto options = trusting_options(url("/echo"), transport());
  options.headers = {{"user-agent", "Acme-Trader/7.1"}};  // a header counts as the option
  ASSERT_FALSE(client_.connect(options));
  ASSERT_TRUE(recorder_.wait_for_state(State::Open)) << recorder_.describe_errors();
  ASSERT_FALSE(client_.send_text("hello, gateway"));
  ASSERT_TRUE(recorder_.wait_for_messages(1)) << recorder_.describe_errors();
  const auto by_agent = gateway_->stats().at("requests_by_user_agent");
  EXPECT_EQ(by_agent.size(), 1U) << by_agent.dump();
  EXPECT_TRUE(by_agent.contains("Acme-Trader/7.1")) << by_agent.dump();
}

TEST_P(EchoTest, EmptyMessagesComeBackEmpty) {
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

TEST_P(EchoTest, AFourMebibyteMessageComesBackIntact) {
  open();
  std::string payload(4 * 1024 * 1024, '\0');
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(i * 31 % 251);
  ASSERT_FALSE(client_.send_binary(payload));
  ASSERT_FALSE(client_.send_text("after"));
  ASSERT_TRUE(recorder_.wait_for_messages(2, 30s)) << recorder_.describe_errors();
  const auto messages = recorder_.messages();
  EXPECT_EQ(messages[0].kind, MessageKind::Binary);
  EXPECT_TRUE(messages[0].data == payload);
  EXPECT_EQ(messages[1].data, "after");
}

// Every payload length class of RFC 6455 section 5.2 (7-bit, 16-bit and 64-bit lengths, and
// each boundary), at lengths that end mid-word of the mask: what the client masked, the gateway
// (Beast) unmasked to the same bytes, or the echo would differ.
TEST_P(EchoTest, PayloadsOfEveryLengthClassComeBackExact) {
  open();
  const std::vector<std::size_t> sizes = {0,    1,     3,     125,   126,     127,
                                          1021, 65535, 65536, 65537, 1 << 20, (1 << 20) + 3};
  std::vector<std::string> payloads;
  for (std::size_t n = 0; n < sizes.size(); ++n) {
    std::string payload(sizes[n], '\0');
    for (std::size_t i = 0; i < payload.size(); ++i) {
      payload[i] = static_cast<char>((i * 31 + n * 7) % 251);
    }
    ASSERT_FALSE(client_.send_binary(payload)) << sizes[n];
    payloads.push_back(std::move(payload));
  }
  const std::string text(126 + 3, 'T');  // text frames go through the same framing
  ASSERT_FALSE(client_.send_text(text));
  ASSERT_TRUE(recorder_.wait_for_messages(payloads.size() + 1, 30s)) << recorder_.describe_errors();
  const auto messages = recorder_.messages();
  for (std::size_t n = 0; n < payloads.size(); ++n) {
    EXPECT_EQ(messages[n].kind, MessageKind::Binary);
    EXPECT_EQ(messages[n].data.size(), payloads[n].size());
    EXPECT_TRUE(messages[n].data == payloads[n]) << "the payload of " << sizes[n] << " bytes";
  }
  EXPECT_EQ(messages.back().kind, MessageKind::Text);
  EXPECT_EQ(messages.back().data, text);
}

TEST_P(EchoTest, TenThousandMessagesArriveInOrder) {
  open();
  constexpr int count = 10000;
  for (int i = 0; i < count; ++i) ASSERT_FALSE(client_.send_text(std::to_string(i)));
  ASSERT_TRUE(recorder_.wait_for_messages(count, 60s)) << recorder_.describe_errors();
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
  EXPECT_TRUE(recorder_.errors().empty()) << recorder_.describe_errors();
}

TEST_P(EchoTest, APeerCloseCarriesTheGatewaysCode) {
  open("/echo", {{"faults", {{"close_after_messages", 2}, {"close_code", 4001}}}});
  ASSERT_FALSE(client_.send_text("one"));
  ASSERT_FALSE(client_.send_text("two"));
  ASSERT_TRUE(recorder_.wait_for_close());
  const CloseInfo close = recorder_.close_info();
  EXPECT_EQ(close.code, 4001);
  EXPECT_TRUE(close.closed_by_peer);
  EXPECT_FALSE(close.error) << close.error.message;
  EXPECT_EQ(recorder_.messages().size(), 2u);  // both echoes came before the close
  // Both closes were exchanged: the gateway let the connection go.
  const auto open_key = open_connections_key(transport());
  EXPECT_EQ(
      wait_for_stats(*gateway_, [&](const auto& s) { return s.at(open_key) == 0; }).at(open_key),
      0);
}

TEST_P(EchoTest, AClosedClientConnectsAgain) {
  open();
  ASSERT_FALSE(client_.close());
  ASSERT_TRUE(recorder_.wait_for_close());
  ASSERT_FALSE(client_.connect(trusting_options(url("/echo"), transport())));
  ASSERT_TRUE(recorder_.wait_for_state(State::Open, 10s, 2)) << recorder_.describe_errors();
  ASSERT_FALSE(client_.send_text("again"));
  ASSERT_TRUE(recorder_.wait_for_messages(1));
  EXPECT_EQ(recorder_.messages()[0].data, "again");
  EXPECT_EQ(gateway_->stats().at(opened_connections_key(transport())), 2);
}

TEST_P(EchoTest, ConnectWhileConnectedIsRefused) {
  open();
  EXPECT_EQ(client_.connect(trusting_options(url("/echo"), transport())).code,
            ErrorCode::InvalidState);
}

TEST_P(EchoTest, TickerQuotesArriveInOrder) {
  open("/ticker", {{"ticker_interval_ms", 20}});
  ASSERT_TRUE(recorder_.wait_for_messages(20)) << recorder_.describe_errors();
  long previous = -1;
  for (const auto& message : recorder_.messages()) {
    const auto quote = nlohmann::json::parse(message.data);
    EXPECT_EQ(quote.at("symbol"), "TTHR");
    const long seq = quote.at("seq").get<long>();
    EXPECT_GT(seq, previous);
    previous = seq;
  }
}

INSTANTIATE_TEST_SUITE_P(Transports, EchoTest,
                         ::testing::Combine(::testing::ValuesIn(each_transport), ::testing::Bool()),
                         TransportAndSchemeName());

}  // namespace
}  // namespace tether::test
