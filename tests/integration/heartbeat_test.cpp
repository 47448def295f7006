// Heartbeats: pings keep a quiet connection verified.
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

}  // namespace
}  // namespace tether::test
