// Threads, over every transport (native and emulated, docs/emulation.md): calls are safe from any
// thread, callbacks run on the client's I/O context, and a client may be destroyed at any time,
// from its own callback too, with no callback after its destructor returns. One I/O thread serves
// a thousand native connections.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "echo_attempt.hpp"
#include "event_recorder.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/silent_listener.hpp"
#include "transport_test.hpp"

namespace tether::test {
namespace {

/// 1,000 connections need about 1,000 descriptors here and as many in the gateway, which
/// inherits this limit.
void raise_descriptor_limit(rlim_t wanted) {
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_cur >= wanted) return;
  ASSERT_GE(limit.rlim_max, wanted) << "the hard descriptor limit is " << limit.rlim_max
                                    << ": this test needs " << wanted << " (ulimit -Hn)";
  limit.rlim_cur = wanted;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &limit), 0);
}

// Over the native transport alone: a thousand emulated connections are two thousand HTTP requests
// in flight at all times, a load test rather than a test of the I/O thread.
TEST(Threading, OneIoThreadServesAThousandConnections) {
  constexpr int count = 1000;
  raise_descriptor_limit(4096);
  Gateway gateway(gateway_config());
  auto io = std::make_shared<IoContext>();
  std::mutex mutex;
  std::condition_variable changed;
  int echoed = 0;    // guarded by mutex
  int failures = 0;  // guarded by mutex
  std::atomic<bool> off_thread{false};
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < count; ++i) {
    auto client = std::make_unique<Client>(io);
    Client* raw = client.get();
    client->on_state_changed([raw, io, &off_thread, i](State, State to) {
      if (!io->running_in_this_thread()) off_thread = true;
      if (to != State::Open) return;
      if (auto error = raw->send_text("client " + std::to_string(i)))
        ADD_FAILURE() << error.message;
    });
    client->on_message([&, i](const Message& message) {
      const std::lock_guard lock(mutex);
      if (message.data == "client " + std::to_string(i)) ++echoed;
      changed.notify_all();
    });
    client->on_error([&](const Error&) {
      const std::lock_guard lock(mutex);
      ++failures;
      changed.notify_all();
    });
    // Native: a thousand upgrades at once on a loaded machine may be answered later than
    // race_delay, and Auto's race would then carry some over the emulation (docs/emulation.md
    // section 11), which open_connections below does not count.
    ASSERT_FALSE(
        client->connect(trusting_options(gateway.ws_url("/echo"), TransportPolicy::Native)));
    clients.push_back(std::move(client));
  }
  {
    std::unique_lock lock(mutex);
    changed.wait_for(lock, 60s, [&] { return echoed == count || failures > 0; });
    EXPECT_EQ(echoed, count);
    EXPECT_EQ(failures, 0);
  }
  EXPECT_FALSE(off_thread);
  EXPECT_EQ(gateway.stats().at("open_connections").get<int>(), count);
  clients.clear();
}

class Concurrency : public TransportTest {};

TEST_P(Concurrency, SendsFromManyThreadsKeepEachThreadsOrder) {
  constexpr int threads = 4;
  constexpr int per_thread = 500;
  Gateway gateway(gateway_config());
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options_for(gateway.wss_url("/echo"))));
  ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
  std::vector<std::thread> senders;
  for (int t = 0; t < threads; ++t) {
    senders.emplace_back([&client, t] {
      for (int n = 0; n < per_thread; ++n) {
        EXPECT_FALSE(client.send_text(std::to_string(t) + ":" + std::to_string(n)));
      }
    });
  }
  for (auto& sender : senders) sender.join();
  ASSERT_TRUE(recorder.wait_for_messages(threads * per_thread, 30s)) << recorder.describe_errors();
  std::map<int, int> next;
  for (const auto& message : recorder.messages()) {
    const auto colon = message.data.find(':');
    const int thread = std::stoi(message.data.substr(0, colon));
    const int number = std::stoi(message.data.substr(colon + 1));
    EXPECT_EQ(number, next[thread]++) << "thread " << thread;
  }
}

TEST_P(Concurrency, StateQueriesAndClosesRaceSafely) {
  Gateway gateway(gateway_config());
  for (int round = 0; round < 20; ++round) {
    Client client;
    EventRecorder recorder(client);
    ASSERT_FALSE(client.connect(options_for(gateway.ws_url("/echo"))));
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

TEST_P(Concurrency, AnApplicationContextRunsItsClientsCallbacks) {
  Gateway gateway(gateway_config());
  auto io = std::make_shared<IoContext>();
  Client client(io);
  std::promise<bool> on_own_thread;
  client.on_state_changed([&](State, State to) {
    if (to == State::Open) on_own_thread.set_value(io->running_in_this_thread());
  });
  ASSERT_FALSE(client.connect(options_for(gateway.ws_url("/echo"))));
  auto result = on_own_thread.get_future();
  ASSERT_EQ(result.wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(result.get());
  EXPECT_FALSE(IoContext::shared()->running_in_this_thread());
}

INSTANTIATE_TEST_SUITE_P(Transports, Concurrency, ::testing::ValuesIn(each_transport),
                         TransportName());

class Destruction : public TransportTest {};

TEST_P(Destruction, NoCallbackRunsAfterTheDestructorReturnsWithMessagesInFlight) {
  Gateway gateway(gateway_config());
  std::optional<EventRecorder> recorder;
  {
    Client client;
    recorder.emplace(client);
    ASSERT_FALSE(client.connect(options_for(gateway.ws_url("/echo"))));
    ASSERT_TRUE(recorder->wait_for_state(State::Open)) << recorder->describe_errors();
    for (int i = 0; i < 500; ++i) ASSERT_FALSE(client.send_binary(std::string(1000, 'x')));
    ASSERT_TRUE(recorder->wait_for_messages(1));  // echoes are coming in
  }
  // The record outlives the client: anything it gains from now on came after the destructor.
  const auto messages = recorder->messages().size();
  const auto states = recorder->states();
  const auto errors = recorder->errors().size();
  const bool closed = recorder->wait_for_close(0ms);
  ASSERT_TRUE(sentinel_round_trip(options_for(gateway.ws_url("/echo"))));
  EXPECT_EQ(recorder->messages().size(), messages);
  EXPECT_EQ(recorder->states(), states);
  EXPECT_EQ(recorder->errors().size(), errors) << recorder->describe_errors();
  EXPECT_EQ(recorder->wait_for_close(0ms), closed);
}

TEST_P(Destruction, AClientMayBeDestroyedFromItsMessageCallback) {
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
      for (int i = 0; i < 50; ++i) (void)client->send_text("bye");
    }
  });
  ASSERT_FALSE(client->connect(options_for(gateway.ws_url("/echo"))));
  ASSERT_EQ(done.get_future().wait_for(10s), std::future_status::ready);
  ASSERT_TRUE(sentinel_round_trip(options_for(gateway.ws_url("/echo"))));
  EXPECT_EQ(after_destruction.load(), 0);
}

TEST_P(Destruction, DestroyingAClientWhileItsHandshakeWaitsReturnsAtOnce) {
  SilentListener listener;
  auto destroyed = std::async(std::launch::async, [&] {
    Client client;
    EventRecorder recorder(client);
    EXPECT_FALSE(
        client.connect(options_for("ws://127.0.0.1:" + std::to_string(listener.port()) + "/echo")));
    // TCP is up; the upgrade, or the emulation's create, waits for an answer that never comes.
    EXPECT_TRUE(listener.wait_for_accepted(1, 5s));
  });
  EXPECT_EQ(destroyed.wait_for(10s), std::future_status::ready) << "~Client deadlocked";
}

TEST_P(Destruction, ClientsOnTheirOwnIoContextEndWithIt) {
  Gateway gateway(gateway_config());
  auto io = std::make_shared<IoContext>();
  {
    Client client(io);
    EventRecorder recorder(client, io);
    ASSERT_FALSE(client.connect(options_for(gateway.ws_url("/echo"))));
    ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
    ASSERT_FALSE(client.send_text("in flight"));
  }
  io.reset();  // the transport's requests and timers go with the context
  SUCCEED();
}

INSTANTIATE_TEST_SUITE_P(Transports, Destruction, ::testing::ValuesIn(each_transport),
                         TransportName());

}  // namespace
}  // namespace tether::test
