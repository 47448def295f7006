// Emulated connections over http:// share libcurl's multi handle and connection cache, sixteen
// at a time on one IoContext (docs/architecture.md, "HTTP on the I/O thread"): each carries on
// when others of its IoContext close or are destroyed (which aborts them).
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "event_recorder.hpp"
#include "test_environment.hpp"
#include "tether/client.hpp"
#include "tether/io_context.hpp"
#include "tether_test/gateway.hpp"

namespace tether::test {
namespace {

using namespace std::chrono_literals;

std::vector<int> range(int first, int end) {
  std::vector<int> indexes;
  for (int index = first; index < end; ++index) indexes.push_back(index);
  return indexes;
}

// 20 connections: sixteen share one multi handle, four a second. Five close, five are destroyed
// mid-session (an abort, which cancels their open downstreams in the shared handle), and the
// other ten, in both handles, echo on and close cleanly.
TEST(SharedConnectionCache, EmulatedConnectionsOfOneIoContextCarryOnWhenOthersEnd) {
  constexpr int count = 20;
  Gateway gateway(gateway_config());
  auto io = std::make_shared<IoContext>();
  std::vector<std::unique_ptr<Client>> clients;
  std::vector<std::unique_ptr<EventRecorder>> recorders;
  for (int index = 0; index < count; ++index) {
    clients.push_back(std::make_unique<Client>(io));
    recorders.push_back(std::make_unique<EventRecorder>(*clients.back(), io));
    ASSERT_FALSE(clients.back()->connect(emulated_options(gateway.ws_url("/echo"))));
  }
  for (int index = 0; index < count; ++index) {
    ASSERT_TRUE(recorders[index]->wait_for_state(State::Open, 20s)) << "client " << index;
    EXPECT_EQ(clients[index]->transport(), TransportKind::Emulated);
    ASSERT_FALSE(clients[index]->send_text("first " + std::to_string(index)));
  }
  for (const int index : range(0, count)) ASSERT_TRUE(recorders[index]->wait_for_messages(1, 20s));

  for (const int index : range(0, 5)) ASSERT_FALSE(clients[index]->close(1000, "done"));
  for (const int index : range(0, 5)) ASSERT_TRUE(recorders[index]->wait_for_close(20s));
  for (const int index : range(5, 10)) clients[index].reset();

  const std::vector<int> carrying_on = range(10, count);
  for (const int index : carrying_on) {
    ASSERT_FALSE(clients[index]->send_text("second " + std::to_string(index)));
  }
  for (const int index : carrying_on) {
    ASSERT_TRUE(recorders[index]->wait_for_messages(2, 20s)) << "client " << index;
    std::vector<std::string> echoes;
    for (const auto& message : recorders[index]->messages()) echoes.push_back(message.data);
    EXPECT_EQ(echoes, (std::vector<std::string>{"first " + std::to_string(index),
                                                "second " + std::to_string(index)}));
    ASSERT_FALSE(clients[index]->close(1000, "done"));
  }
  for (const int index : carrying_on) ASSERT_TRUE(recorders[index]->wait_for_close(20s));
  for (const int index : range(0, count)) {
    if (index >= 5 && index < 10) continue;
    EXPECT_EQ(recorders[index]->close_info().code, 1000) << "client " << index;
    EXPECT_FALSE(recorders[index]->close_info().error) << "client " << index;
    EXPECT_TRUE(recorders[index]->errors().empty())
        << "client " << index << ": " << recorders[index]->describe_errors();
  }
}

}  // namespace
}  // namespace tether::test
