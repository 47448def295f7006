// The emulated transport when HTTP requests fail (docs/emulation.md sections 5-10): no message
// lost, duplicated or reordered through cut downstreams and lost upstream answers, poll mode
// behind a buffering proxy, a gateway that goes away, and the gateway's heartbeats. What every
// transport does (limits, destruction) is in handshake_test and threading_test.
#include <gtest/gtest.h>

#include <thread>

#include "event_recorder.hpp"
#include "log_capture.hpp"
#include "test_environment.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/gateway_stats_wait.hpp"

namespace tether::test {
namespace {

/// Where the gateway sends its frames: over http or https, and whether an upstream request's
/// reply carries the echoes (docs/emulation.md section 7) or only downstreams do.
struct Path {
  bool secure = false;
  bool upstream_replies = true;
};

/// Sends `count` numbered messages and a sentinel through /echo and checks that exactly
/// 0..count-1 came back, in order, each once, before the sentinel.
void expect_exact_echo(const nlohmann::json& faults, int count, Path path,
                       const std::function<void(const nlohmann::json& stats)>& check_stats) {
  // A reply takes two or three echoes, the downstream the rest of a burst: the client puts
  // frames from both back in order, through the faults of each.
  Gateway gateway(gateway_config(
      {{"faults", faults},
       {"emulation",
        {{"upstream_replies", path.upstream_replies}, {"upstream_reply_bytes", 64}}}}));
  const bool secure = path.secure;
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(
      emulated_options(secure ? gateway.wss_url("/echo") : gateway.ws_url("/echo"))));
  ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
  for (int i = 0; i < count; ++i) {
    ASSERT_FALSE(client.send_text("message " + std::to_string(i)));
    // The pace of an application, not a synchronisation: some messages go in bursts that share
    // a request, some one at a time.
    if (i % 50 == 0) std::this_thread::sleep_for(2ms);
  }
  // A duplicate comes back before the sentinel sent after every message.
  ASSERT_FALSE(client.send_text("sentinel"));
  ASSERT_TRUE(recorder.wait_for_messages(count + 1, 60s))
      << recorder.messages().size() << " of " << count + 1 << "; " << recorder.describe_errors();
  const auto messages = recorder.messages();
  ASSERT_EQ(messages.size(), static_cast<std::size_t>(count + 1));
  for (int i = 0; i < count; ++i) {
    ASSERT_EQ(messages[i].data, "message " + std::to_string(i));
  }
  EXPECT_EQ(messages[count].data, "sentinel");
  EXPECT_TRUE(recorder.errors().empty()) << recorder.describe_errors();
  EXPECT_EQ(client.state(), State::Open);
  const auto stats = gateway.stats();
  if (path.upstream_replies) {
    EXPECT_GT(stats.at("emulated_frames_replied").get<int>(), 0);
  } else {
    EXPECT_EQ(stats.at("emulated_frames_replied").get<int>(), 0);
  }
  check_stats(stats);
}

class Faults : public ::testing::TestWithParam<Path> {};

/// Sequenced frames that went down on downstreams only, of the count echoed: those no reply
/// carried.
int downstream_only(const nlohmann::json& stats, int count) {
  return count - (stats.at("emulated_frames_replied").get<int>() -
                  stats.at("emulated_frames_replied_again").get<int>());
}

TEST_P(Faults, CutDownstreamsLoseAndDuplicateNothing) {
  expect_exact_echo({{"emulation_cut_downstream_after_frames", 7}}, 2000, GetParam(),
                    [](const nlohmann::json& stats) {
                      // Each cut cost a downstream request that resumed from Tether-Ack.
                      EXPECT_GT(stats.at("emulated_downstream_requests").get<int>(),
                                downstream_only(stats, 2000) / 7);
                    });
}

TEST_P(Faults, LostUpstreamAnswersLoseAndDuplicateNothing) {
  const bool replies = GetParam().upstream_replies;
  expect_exact_echo({{"emulation_drop_upstream_response_every", 3}}, 2000, GetParam(),
                    [replies](const nlohmann::json& stats) {
                      EXPECT_GT(stats.at("emulated_duplicate_frames_dropped").get<int>(), 0);
                      // The echoes of a lost reply came in the reply to its retry.
                      if (replies) {
                        EXPECT_GT(stats.at("emulated_frames_replied_again").get<int>(), 0);
                      }
                    });
}

TEST_P(Faults, BothFaultsAtOnceLoseAndDuplicateNothing) {
  expect_exact_echo(
      {{"emulation_cut_downstream_after_frames", 5}, {"emulation_drop_upstream_response_every", 4}},
      2000, GetParam(), [](const nlohmann::json& stats) {
        EXPECT_GT(stats.at("emulated_downstream_requests").get<int>(),
                  downstream_only(stats, 2000) / 5);
        EXPECT_GT(stats.at("emulated_duplicate_frames_dropped").get<int>(), 0);
      });
}

INSTANTIATE_TEST_SUITE_P(Transport, Faults,
                         ::testing::Values(Path{false, true}, Path{true, true}, Path{false, false},
                                           Path{true, false}),
                         [](const ::testing::TestParamInfo<Path>& path) {
                           return std::string(path.param.secure ? "Https" : "Http") +
                                  (path.param.upstream_replies ? "" : "DownstreamOnly");
                         });

/// Whether the gateway answers upstream requests with their echoes (docs/emulation.md section 7)
/// while a proxy holds the downstreams back: without, the echoes wait for poll mode; with, they
/// come back at once, and the held-back downstream is still found out.
class PollMode : public ::testing::TestWithParam<bool> {};

TEST_P(PollMode, ABufferingProxyIsDetectedAndPolledThrough) {
  const bool replies = GetParam();
  const LogCapture log;
  Gateway gateway(
      gateway_config({{"emulation", {{"heartbeat_ms", 500}, {"upstream_replies", replies}}},
                      {"faults", {{"emulation_buffer_downstream", true}}}}));
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(emulated_options(gateway.ws_url("/echo"))));
  ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
  constexpr int count = 200;
  for (int i = 0; i < count; ++i) ASSERT_FALSE(client.send_text(std::to_string(i)));
  ASSERT_TRUE(recorder.wait_for_messages(count, 30s)) << recorder.describe_errors();
  const auto messages = recorder.messages();
  for (int i = 0; i < count; ++i) ASSERT_EQ(messages[i].data, std::to_string(i));
  // The held-back downstream's first bytes are overdue 3 s after it was asked for.
  const auto stats = wait_for_stats(
      gateway,
      [](const nlohmann::json& counters) {
        return counters.at("emulated_poll_downstreams").get<int>() > 0;
      },
      10s);
  EXPECT_GT(stats.at("emulated_poll_downstreams").get<int>(), 0);
  EXPECT_EQ(stats.at("emulated_frames_replied").get<int>() > 0, replies);
  EXPECT_EQ(client.state(), State::Open);
  EXPECT_EQ(log.lines_containing("switching to poll mode").size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Echoes, PollMode, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& replies) {
                           return replies.param ? "InUpstreamReplies" : "OnDownstreamsOnly";
                         });

TEST(Loss, AGatewayThatGoesAwayIsConnectionLostAfterTheRetries) {
  auto gateway = std::make_unique<Gateway>(gateway_config());
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(emulated_options(gateway->ws_url("/echo"))));
  ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
  const auto stopped = std::chrono::steady_clock::now();
  gateway.reset();
  ASSERT_TRUE(recorder.wait_for_close(10s));
  const auto elapsed = std::chrono::steady_clock::now() - stopped;
  EXPECT_GE(elapsed, 1250ms);  // the retries after 0, 250 and 1000 ms
  const CloseInfo close = recorder.close_info();
  EXPECT_EQ(close.code, 1006);
  EXPECT_EQ(close.error.code, ErrorCode::ConnectionLost) << close.error.message;
  ASSERT_EQ(recorder.errors().size(), 1u);
}

TEST(Loss, ASessionTheGatewayNoLongerKnowsIsConnectionLost) {
  auto gateway = std::make_unique<Gateway>(gateway_config());
  const std::uint16_t port = gateway->ws_port();
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(emulated_options(gateway->ws_url("/echo"))));
  ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
  gateway.reset();
  Gateway restarted(gateway_config({{"ws_port", port}}));  // knows no session
  ASSERT_TRUE(recorder.wait_for_close(10s));
  const CloseInfo close = recorder.close_info();
  EXPECT_EQ(close.code, 1006);
  EXPECT_EQ(close.error.code, ErrorCode::ConnectionLost) << close.error.message;
  EXPECT_NE(close.error.message.find("404"), std::string::npos) << close.error.message;
}

TEST(Heartbeats, AQuietConnectionStaysOpenOnTheGatewaysHeartbeats) {
  Gateway gateway(gateway_config({{"emulation", {{"heartbeat_ms", 100}}}}));
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(emulated_options(gateway.ws_url("/echo"))));
  ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
  // The behaviour under test is that nothing happens: five idle limits of twice the heartbeat
  // pass, and the heartbeats keep the downstream alive through them.
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(client.state(), State::Open) << recorder.describe_errors();
  ASSERT_FALSE(client.send_text("still here"));
  ASSERT_TRUE(recorder.wait_for_messages(1));
  const auto stats = gateway.stats();
  EXPECT_EQ(stats.at("emulated_sessions_created"), 1);
  EXPECT_LE(stats.at("emulated_downstream_requests").get<int>(), 2);  // none abandoned as idle
}

}  // namespace
}  // namespace tether::test
