// The emulated transport when HTTP requests fail (docs/emulation.md sections 5-10): no message
// lost, duplicated or reordered through cut downstreams and lost upstream answers, poll mode
// behind a buffering proxy, the limits, a gateway that goes away, and clients destroyed with
// requests in flight.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>

#include "event_recorder.hpp"
#include "test_environment.hpp"
#include "tether/log.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/silent_listener.hpp"

namespace tether::test {
namespace {

/// Sends `count` numbered messages through /echo and checks that exactly 0..count-1 came back,
/// in order, each once.
void expect_exact_echo(const nlohmann::json& faults, int count, bool secure,
                       const std::function<void(const nlohmann::json& stats)>& check_stats) {
  Gateway gateway(gateway_config({{"faults", faults}}));
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(
      emulated_options(secure ? gateway.wss_url("/echo") : gateway.ws_url("/echo"))));
  ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
  for (int i = 0; i < count; ++i) {
    ASSERT_FALSE(client.send_text("message " + std::to_string(i)));
    // Some in bursts that share a request, some one at a time.
    if (i % 50 == 0) std::this_thread::sleep_for(2ms);
  }
  ASSERT_TRUE(recorder.wait_for_messages(count, 60s))
      << recorder.messages().size() << " of " << count << "; " << recorder.describe_errors();
  std::this_thread::sleep_for(200ms);  // a duplicate would arrive now
  const auto messages = recorder.messages();
  ASSERT_EQ(messages.size(), static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    ASSERT_EQ(messages[i].data, "message " + std::to_string(i));
  }
  EXPECT_TRUE(recorder.errors().empty()) << recorder.describe_errors();
  EXPECT_EQ(client.state(), State::Open);
  check_stats(gateway.stats());
}

class Faults : public ::testing::TestWithParam<bool> {};

TEST_P(Faults, CutDownstreamsLoseAndDuplicateNothing) {
  expect_exact_echo({{"emulation_cut_downstream_after_frames", 7}}, 2000, GetParam(),
                    [](const nlohmann::json& stats) {
                      // Each cut cost a downstream request that resumed from Tether-Ack.
                      EXPECT_GT(stats.at("emulated_downstream_requests").get<int>(), 2000 / 7);
                    });
}

TEST_P(Faults, LostUpstreamAnswersLoseAndDuplicateNothing) {
  expect_exact_echo({{"emulation_drop_upstream_response_every", 3}}, 2000, GetParam(),
                    [](const nlohmann::json& stats) {
                      EXPECT_GT(stats.at("emulated_duplicate_frames_dropped").get<int>(), 0);
                    });
}

TEST_P(Faults, BothFaultsAtOnceLoseAndDuplicateNothing) {
  expect_exact_echo(
      {{"emulation_cut_downstream_after_frames", 5}, {"emulation_drop_upstream_response_every", 4}},
      2000, GetParam(), [](const nlohmann::json& stats) {
        EXPECT_GT(stats.at("emulated_downstream_requests").get<int>(), 2000 / 5);
        EXPECT_GT(stats.at("emulated_duplicate_frames_dropped").get<int>(), 0);
      });
}

INSTANTIATE_TEST_SUITE_P(Transport, Faults, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& secure) {
                           return secure.param ? "Https" : "Http";
                         });

TEST(PollMode, ABufferingProxyIsDetectedAndPolledThrough) {
  std::mutex mutex;
  std::vector<std::string> lines;
  set_log_sink(
      [&](LogLevel, std::string_view line) {
        const std::lock_guard lock(mutex);
        lines.emplace_back(line);
      },
      LogLevel::Info);
  Gateway gateway(gateway_config({{"emulation", {{"heartbeat_ms", 500}}},
                                  {"faults", {{"emulation_buffer_downstream", true}}}}));
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(emulated_options(gateway.ws_url("/echo"))));
  ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
  constexpr int count = 200;
  for (int i = 0; i < count; ++i) ASSERT_FALSE(client.send_text(std::to_string(i)));
  ASSERT_TRUE(recorder.wait_for_messages(count, 30s)) << recorder.describe_errors();
  set_log_sink({});
  const auto messages = recorder.messages();
  for (int i = 0; i < count; ++i) ASSERT_EQ(messages[i].data, std::to_string(i));
  EXPECT_GT(gateway.stats().at("emulated_poll_downstreams").get<int>(), 0);
  const std::lock_guard lock(mutex);
  EXPECT_EQ(std::count_if(lines.begin(), lines.end(),
                          [](const std::string& line) {
                            return line.find("switching to poll mode") != std::string::npos;
                          }),
            1);
}

TEST(Limits, AMessageOverMaxMessageSizeClosesWith1009) {
  Gateway gateway(gateway_config());
  Client client;
  EventRecorder recorder(client);
  auto options = emulated_options(gateway.ws_url("/echo"));
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
}

TEST(Limits, AMessageOverTheGatewaysLimitEndsWith1009) {
  Gateway gateway(gateway_config({{"max_message_size", 1024}}));
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(emulated_options(gateway.ws_url("/echo"))));
  ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
  ASSERT_FALSE(client.send_text(std::string(4096, 'x')));
  ASSERT_TRUE(recorder.wait_for_close());
  EXPECT_EQ(recorder.close_info().code, 1009);
}

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
  std::this_thread::sleep_for(1s);  // five idle limits of twice the heartbeat
  EXPECT_EQ(client.state(), State::Open) << recorder.describe_errors();
  ASSERT_FALSE(client.send_text("still here"));
  ASSERT_TRUE(recorder.wait_for_messages(1));
  const auto stats = gateway.stats();
  EXPECT_EQ(stats.at("emulated_sessions_created"), 1);
  EXPECT_LE(stats.at("emulated_downstream_requests").get<int>(), 2);  // none abandoned as idle
}

TEST(Destruction, DestroyingAClientWithRequestsInFlightStopsEveryCallback) {
  Gateway gateway(gateway_config());
  std::atomic<bool> destroyed{false};
  std::atomic<int> after_destruction{0};
  {
    Client client;
    client.on_message([&](const Message&) {
      if (destroyed) ++after_destruction;
    });
    client.on_closed([&](const CloseInfo&) {
      if (destroyed) ++after_destruction;
    });
    EventRecorder recorder(client);
    ASSERT_FALSE(client.connect(emulated_options(gateway.ws_url("/echo"))));
    ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
    client.on_message([&](const Message&) {
      if (destroyed) ++after_destruction;
    });
    for (int i = 0; i < 500; ++i) ASSERT_FALSE(client.send_binary(std::string(1000, 'x')));
  }
  destroyed = true;
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(after_destruction.load(), 0);
}

TEST(Destruction, AClientMayBeDestroyedFromItsMessageCallback) {
  Gateway gateway(gateway_config());
  auto client = std::make_unique<Client>();
  std::atomic<int> after_destruction{0};
  std::atomic<bool> destroyed{false};
  std::promise<void> done;
  client->on_message([&](const Message&) {
    if (destroyed) {
      ++after_destruction;
      return;
    }
    client.reset();
    destroyed = true;
    done.set_value();
  });
  client->on_state_changed([&](State, State to) {
    if (destroyed) ++after_destruction;
    if (to == State::Open) {
      for (int i = 0; i < 50; ++i) client->send_text("bye");
    }
  });
  ASSERT_FALSE(client->connect(emulated_options(gateway.ws_url("/echo"))));
  ASSERT_EQ(done.get_future().wait_for(10s), std::future_status::ready);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(after_destruction.load(), 0);
}

TEST(Destruction, DestroyingAClientWhileCreateWaitsReturnsAtOnce) {
  SilentListener listener;
  auto destroyed = std::async(std::launch::async, [&listener] {
    Client client;
    EventRecorder recorder(client);
    EXPECT_FALSE(client.connect(
        emulated_options("ws://127.0.0.1:" + std::to_string(listener.port()) + "/echo")));
    std::this_thread::sleep_for(100ms);  // create is waiting for its answer
  });
  EXPECT_EQ(destroyed.wait_for(10s), std::future_status::ready) << "~Client deadlocked";
}

TEST(Destruction, ClientsOnTheirOwnIoContextEndWithIt) {
  Gateway gateway(gateway_config());
  auto io = std::make_shared<IoContext>();
  {
    Client client(io);
    EventRecorder recorder(client, io);
    ASSERT_FALSE(client.connect(emulated_options(gateway.ws_url("/echo"))));
    ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
    ASSERT_FALSE(client.send_text("in flight"));
  }
  io.reset();  // the transport's requests and timers go with the context
  SUCCEED();
}

}  // namespace
}  // namespace tether::test
