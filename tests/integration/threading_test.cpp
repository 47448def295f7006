// Threads: one I/O thread serves many connections, calls are safe from any thread, and a client
// may be destroyed from its own callback.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <atomic>
#include <future>
#include <map>
#include <memory>
#include <thread>

#include "event_recorder.hpp"
#include "test_environment.hpp"
#include "tether_test/gateway.hpp"

namespace tether::test {
namespace {

/// 1,000 connections need about 1,000 descriptors here and as many in the gateway, which
/// inherits this limit.
void raise_descriptor_limit(rlim_t wanted) {
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_cur >= wanted) return;
  if (limit.rlim_max < wanted) GTEST_SKIP() << "the hard descriptor limit is " << limit.rlim_max;
  limit.rlim_cur = wanted;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &limit), 0);
}

TEST(Threading, OneIoThreadServesAThousandConnections) {
  constexpr int count = 1000;
  raise_descriptor_limit(4096);
  Gateway gateway(gateway_config());
  auto io = std::make_shared<IoContext>();
  std::atomic<int> echoed{0};
  std::atomic<int> failures{0};
  std::atomic<bool> off_thread{false};
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < count; ++i) {
    auto client = std::make_unique<Client>(io);
    Client* raw = client.get();
    client->on_state_changed([raw, io, &off_thread, i](State, State to) {
      if (!io->running_in_this_thread()) off_thread = true;
      if (to == State::Open) raw->send_text("client " + std::to_string(i));
    });
    client->on_message([&echoed, i](const Message& message) {
      if (message.data == "client " + std::to_string(i)) ++echoed;
    });
    client->on_error([&failures](const Error&) { ++failures; });
    ASSERT_FALSE(client->connect(trusting_options(gateway.ws_url("/echo"))));
    clients.push_back(std::move(client));
  }
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (echoed < count && failures == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(echoed.load(), count);
  EXPECT_EQ(failures.load(), 0);
  EXPECT_FALSE(off_thread);
  EXPECT_EQ(gateway.stats().at("open_connections").get<int>(), count);
  clients.clear();
}

TEST(Threading, SendsFromManyThreadsKeepEachThreadsOrder) {
  constexpr int threads = 4;
  constexpr int per_thread = 500;
  Gateway gateway(gateway_config());
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(trusting_options(gateway.wss_url("/echo"))));
  ASSERT_TRUE(recorder.wait_for_state(State::Open));
  std::vector<std::thread> senders;
  for (int t = 0; t < threads; ++t) {
    senders.emplace_back([&client, t] {
      for (int n = 0; n < per_thread; ++n) {
        EXPECT_FALSE(client.send_text(std::to_string(t) + ":" + std::to_string(n)));
      }
    });
  }
  for (auto& sender : senders) sender.join();
  ASSERT_TRUE(recorder.wait_for_messages(threads * per_thread, 30s));
  std::map<int, int> next;
  for (const auto& message : recorder.messages()) {
    const auto colon = message.data.find(':');
    const int thread = std::stoi(message.data.substr(0, colon));
    const int number = std::stoi(message.data.substr(colon + 1));
    EXPECT_EQ(number, next[thread]++) << "thread " << thread;
  }
}

TEST(Threading, StateQueriesAndClosesRaceSafely) {
  Gateway gateway(gateway_config());
  for (int round = 0; round < 20; ++round) {
    Client client;
    EventRecorder recorder(client);
    ASSERT_FALSE(client.connect(trusting_options(gateway.ws_url("/echo"))));
    std::thread closer([&client] { (void)client.close(); });
    std::thread reader([&client] {
      for (int i = 0; i < 100; ++i) {
        (void)client.state();
        (void)client.transport();
        (void)client.subprotocol();
        (void)client.send_text("x");
      }
    });
    closer.join();
    reader.join();
    EXPECT_TRUE(recorder.wait_for_close());
  }
}

TEST(Threading, ClientMayBeDestroyedFromItsOwnCallback) {
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
    if (to == State::Open) client->send_text("bye");
  });
  ASSERT_FALSE(client->connect(trusting_options(gateway.ws_url("/echo"))));
  ASSERT_EQ(done.get_future().wait_for(10s), std::future_status::ready);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(after_destruction.load(), 0);
}

TEST(Threading, DestroyingAClientWhileItsHandshakeIsInProgressReturns) {
  Gateway gateway(gateway_config({{"faults", {{"handshake_delay_ms", 500}}}}));
  auto destroyed = std::async(std::launch::async, [&gateway] {
    Client client;
    EventRecorder recorder(client);
    EXPECT_FALSE(client.connect(trusting_options(gateway.ws_url("/echo"))));
    std::this_thread::sleep_for(100ms);  // TCP is up, the upgrade is waiting for its answer
  });
  EXPECT_EQ(destroyed.wait_for(10s), std::future_status::ready) << "~Client deadlocked";
}

TEST(Threading, NoCallbackRunsAfterTheDestructorReturns) {
  Gateway gateway(gateway_config({{"ticker_interval_ms", 1}}));
  std::atomic<bool> destroyed{false};
  std::atomic<int> late{0};
  {
    Client client;
    EventRecorder recorder(client);
    recorder.on_message([&](const Message&) {
      if (destroyed) ++late;
    });
    ASSERT_FALSE(client.connect(trusting_options(gateway.ws_url("/ticker"))));
    ASSERT_TRUE(recorder.wait_for_messages(5));
  }
  destroyed = true;
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(late.load(), 0);
}

TEST(Threading, ApplicationContextRunsItsClientsCallbacks) {
  Gateway gateway(gateway_config());
  auto io = std::make_shared<IoContext>();
  Client client(io);
  std::promise<bool> on_own_thread;
  client.on_state_changed([&](State, State to) {
    if (to == State::Open) on_own_thread.set_value(io->running_in_this_thread());
  });
  ASSERT_FALSE(client.connect(trusting_options(gateway.ws_url("/echo"))));
  auto result = on_own_thread.get_future();
  ASSERT_EQ(result.wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(result.get());
  EXPECT_FALSE(IoContext::shared()->running_in_this_thread());
}

}  // namespace
}  // namespace tether::test
