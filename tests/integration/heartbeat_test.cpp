// Heartbeats and the application's pings, over every transport: pings keep a quiet connection
// verified, none are sent when the interval is zero, and Client::ping() is answered with its
// payload. The gateway's /_stats counts the pings it received and the pongs it sent,
// so that a test of answered pings fails when no ping is sent.
#include <gtest/gtest.h>

#include <future>
#include <string>
#include <thread>

#include "event_recorder.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/gateway_stats_wait.hpp"
#include "transport_test.hpp"

namespace tether::test {
namespace {

class HeartbeatTest : public TransportTest {
 protected:
  void open(const ConnectOptions& options) {
    ASSERT_FALSE(client_.connect(options));
    ASSERT_TRUE(recorder_.wait_for_state(State::Open)) << recorder_.describe_errors();
  }

  ConnectOptions echo_options() const { return options_for(gateway_.wss_url("/echo")); }

  Gateway gateway_{gateway_config()};
  Client client_;
  EventRecorder recorder_{client_};
};

TEST_P(HeartbeatTest, AnsweredPingsKeepTheConnectionOpen) {
  constexpr int pings = 10;
  auto options = echo_options();
  options.ping_interval = 30ms;
  options.pong_timeout = 100ms;  // ten pings take three of these
  open(options);
  const auto stats = wait_for_stats(
      gateway_, [](const nlohmann::json& s) { return s.at("pongs_sent").get<int>() >= pings; });
  EXPECT_GE(stats.at("pings_received").get<int>(), pings);
  EXPECT_GE(stats.at("pongs_sent").get<int>(), pings);
  EXPECT_EQ(client_.state(), State::Open);
  ASSERT_FALSE(client_.send_text("still here"));
  EXPECT_TRUE(recorder_.wait_for_messages(1));
  EXPECT_TRUE(recorder_.errors().empty()) << recorder_.describe_errors();
}

TEST_P(HeartbeatTest, NoPingsAreSentWhenTheIntervalIsZero) {
  auto options = echo_options();
  options.pong_timeout = 50ms;
  open(options);
  // The behaviour under test is that nothing happens: time for six pong timeouts passes.
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(client_.state(), State::Open);
  EXPECT_EQ(gateway_.stats().at("pings_received"), 0);
}

TEST_P(HeartbeatTest, ApplicationPingIsAnsweredWithItsPayload) {
  std::promise<std::string> answered;
  client_.on_pong([&answered](const Pong& pong) { answered.set_value(std::string(pong.payload)); });
  open(echo_options());
  ASSERT_FALSE(client_.ping("are you there?"));
  auto pong = answered.get_future();
  ASSERT_EQ(pong.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(pong.get(), "are you there?");
  EXPECT_EQ(gateway_.stats().at("pings_received"), 1);
}

INSTANTIATE_TEST_SUITE_P(Transports, HeartbeatTest, ::testing::ValuesIn(each_transport),
                         TransportName());

// The native transport alone: only Beast's sessions can be made to stop answering
// (faults.unresponsive_after_open).
TEST(Heartbeat, UnansweredPingFailsTheConnectionWithPeerUnresponsive) {
  Gateway gateway(gateway_config({{"faults", {{"unresponsive_after_open", true}}}}));
  Client client;
  EventRecorder recorder(client);
  // Native alone: under Auto the probe before Open would find the silence and fall back.
  auto options = trusting_options(gateway.ws_url("/echo"), TransportPolicy::Native);
  options.ping_interval = 50ms;
  options.pong_timeout = 200ms;
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_state(State::Open));
  ASSERT_TRUE(recorder.wait_for_close(5s));
  ASSERT_EQ(recorder.errors().size(), 1u);
  EXPECT_EQ(recorder.errors()[0].code, ErrorCode::PeerUnresponsive) << recorder.errors()[0].message;
  const CloseInfo close = recorder.close_info();
  EXPECT_EQ(close.code, 1006);
  EXPECT_EQ(close.error.code, ErrorCode::PeerUnresponsive);
  EXPECT_EQ(recorder.states(),
            (std::vector<State>{State::Connecting, State::Open, State::Closing, State::Closed}));
}

}  // namespace
}  // namespace tether::test
