// Heartbeats: pings keep a quiet connection verified, and a peer that stops answering fails it.
#include <gtest/gtest.h>

#include <thread>

#include "event_recorder.hpp"
#include "test_environment.hpp"
#include "tether_test/gateway.hpp"

namespace tether::test {
namespace {

TEST(Heartbeat, AnsweredPingsKeepTheConnectionOpen) {
  Gateway gateway(gateway_config());
  Client client;
  EventRecorder recorder(client);
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.ping_interval = 30ms;
  options.pong_timeout = 1s;
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_state(State::Open));
  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(client.state(), State::Open);
  ASSERT_FALSE(client.send_text("still here"));
  EXPECT_TRUE(recorder.wait_for_messages(1));
  EXPECT_TRUE(recorder.errors().empty());
}

TEST(Heartbeat, UnansweredPingFailsTheConnectionWithPongTimeout) {
  Gateway gateway(gateway_config({{"faults", {{"unresponsive_after_open", true}}}}));
  Client client;
  EventRecorder recorder(client);
  auto options = trusting_options(gateway.ws_url("/echo"));
  options.ping_interval = 50ms;
  options.pong_timeout = 200ms;
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_state(State::Open));
  ASSERT_TRUE(recorder.wait_for_close(5s));
  ASSERT_EQ(recorder.errors().size(), 1u);
  EXPECT_EQ(recorder.errors()[0].code, ErrorCode::PongTimeout) << recorder.errors()[0].message;
  const CloseInfo close = recorder.close_info();
  EXPECT_EQ(close.code, 1006);
  EXPECT_EQ(close.error.code, ErrorCode::PongTimeout);
  EXPECT_EQ(recorder.states(),
            (std::vector<State>{State::Connecting, State::Open, State::Closing, State::Closed}));
}

TEST(Heartbeat, NoPingsAreSentWhenTheIntervalIsZero) {
  Gateway gateway(gateway_config({{"faults", {{"unresponsive_after_open", true}}}}));
  Client client;
  EventRecorder recorder(client);
  auto options = trusting_options(gateway.ws_url("/echo"));
  options.pong_timeout = 50ms;
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_state(State::Open));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(client.state(), State::Open);
}

}  // namespace
}  // namespace tether::test
