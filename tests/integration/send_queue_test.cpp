// The send queue is bounded (ConnectOptions::max_queued_messages, max_queued_bytes): past the
// bound send_* returns WouldBlock, queues nothing and the connection goes on, over every
// transport (docs/security.md "Bounded memory").
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "event_recorder.hpp"
#include "tether_test/gateway.hpp"
#include "transport_test.hpp"

namespace tether::test {
namespace {

class SendQueue : public TransportTest {
 protected:
  /// Opens a connection to /echo with `options`, then sends "go": `burst` runs in the handler of
  /// its echo, on the I/O thread, where nothing drains the queue until the handler returns (the
  /// native transport's writes and the emulated transport's upstream requests run there too),
  /// so that what the burst queues is exactly what the bound sees.
  void run_burst(ConnectOptions options, const std::function<void()>& burst) {
    ASSERT_FALSE(client_.connect(std::move(options)));
    ASSERT_TRUE(recorder_.wait_for_state(State::Open)) << recorder_.describe_errors();
    recorder_.on_message([burst, done = false](const Message& message) mutable {
      if (message.data != "go" || done) return;
      done = true;
      burst();
    });
    ASSERT_FALSE(client_.send_text("go"));
  }

  /// The messages echoed after "go".
  std::vector<std::string> echoes_after_go() const {
    std::vector<std::string> echoes;
    for (const auto& message : recorder_.messages()) {
      if (message.data != "go") echoes.push_back(message.data);
    }
    return echoes;
  }

  Gateway gateway_{gateway_config()};
  Client client_;
  EventRecorder recorder_{client_};
};

TEST_P(SendQueue, MessagesOverMaxQueuedMessagesGetWouldBlockAndTheConnectionGoesOn) {
  auto options = options_for(gateway_.ws_url("/echo"));
  options.max_queued_messages = 4;
  std::vector<Error> results;
  run_burst(options, [&] {
    for (int index = 1; index <= 6; ++index) {
      results.push_back(client_.send_text("message " + std::to_string(index)));
    }
  });
  ASSERT_TRUE(recorder_.wait_for_messages(5))
      << recorder_.describe_errors() << "echoes so far: " << echoes_after_go().size();
  ASSERT_EQ(results.size(), 6U);
  for (int index = 0; index < 4; ++index) EXPECT_FALSE(results[index]) << results[index].message;
  for (int index = 4; index < 6; ++index) {
    EXPECT_EQ(results[index].code, ErrorCode::WouldBlock) << results[index].message;
    EXPECT_NE(results[index].message.find("max_queued_messages"), std::string::npos)
        << results[index].message;
  }
  EXPECT_EQ(echoes_after_go(),
            (std::vector<std::string>{"message 1", "message 2", "message 3", "message 4"}))
      << "the refused messages were not sent";
  // The queue has drained: sending works again, on the same connection.
  ASSERT_FALSE(client_.send_text("after"));
  ASSERT_TRUE(recorder_.wait_for_messages(6)) << recorder_.describe_errors();
  EXPECT_EQ(recorder_.messages().back().data, "after");
  EXPECT_EQ(client_.state(), State::Open);
  EXPECT_TRUE(recorder_.errors().empty()) << recorder_.describe_errors();
}

TEST_P(SendQueue, MessagesOverMaxQueuedBytesGetWouldBlock) {
  auto options = options_for(gateway_.ws_url("/echo"));
  options.max_queued_bytes = 1000;
  const std::string four_hundred(400, 'x');
  std::vector<Error> results;
  run_burst(options, [&] {
    for (int index = 0; index < 3; ++index) results.push_back(client_.send_binary(four_hundred));
    results.push_back(client_.send_binary(std::string(200, 'y')));  // 1000: fits exactly
  });
  ASSERT_TRUE(recorder_.wait_for_messages(4)) << recorder_.describe_errors();
  ASSERT_EQ(results.size(), 4U);
  EXPECT_FALSE(results[0]) << results[0].message;
  EXPECT_FALSE(results[1]) << results[1].message;
  EXPECT_EQ(results[2].code, ErrorCode::WouldBlock) << results[2].message;
  EXPECT_NE(results[2].message.find("max_queued_bytes"), std::string::npos) << results[2].message;
  EXPECT_FALSE(results[3]) << results[3].message;
}

TEST_P(SendQueue, AMessageOverMaxQueuedBytesGoesAloneThroughAnEmptyQueue) {
  auto options = options_for(gateway_.ws_url("/echo"));
  options.max_queued_bytes = 100;
  std::vector<Error> results;
  run_burst(options, [&] {
    results.push_back(client_.send_binary(std::string(1000, 'x')));
    results.push_back(client_.send_binary("behind it"));
  });
  ASSERT_TRUE(recorder_.wait_for_messages(2)) << recorder_.describe_errors();
  ASSERT_EQ(results.size(), 2U);
  EXPECT_FALSE(results[0]) << results[0].message;
  EXPECT_EQ(results[1].code, ErrorCode::WouldBlock) << results[1].message;
  EXPECT_EQ(echoes_after_go(), (std::vector<std::string>{std::string(1000, 'x')}));
}

INSTANTIATE_TEST_SUITE_P(Transports, SendQueue, ::testing::ValuesIn(each_transport),
                         TransportName());

// A server that stops reading fills the kernel's buffers, then websocketpp's queue: the bound
// holds there too, measured from websocketpp's buffered amount while sends come from another
// thread than the I/O thread.
TEST(NativeSendQueue, ServerThatStopsReadingGetsWouldBlockInsteadOfUnboundedGrowth) {
  Gateway gateway(gateway_config({{"faults", {{"unresponsive_after_open", true}}}}));
  // An I/O thread of its own: the stalled connection's teardown is no other test's business.
  auto io = std::make_shared<IoContext>();
  Client client(io);
  EventRecorder recorder(client, io);
  auto options = trusting_options(gateway.ws_url("/echo"), TransportPolicy::Native);
  options.max_queued_bytes = std::size_t{1024} * 1024;
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
  const std::string chunk(std::size_t{64} * 1024, 'x');
  // Loopback's socket buffers hold a few MiB; 128 MiB is far beyond them and the bound.
  Error refused;
  for (int sent = 0; sent < 2048 && !refused; ++sent) refused = client.send_binary(chunk);
  EXPECT_EQ(refused.code, ErrorCode::WouldBlock) << refused.message;
  EXPECT_EQ(client.state(), State::Open);
}

}  // namespace
}  // namespace tether::test
