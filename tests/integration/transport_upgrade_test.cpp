// The upgrade in place (docs/emulation.md section 11): a connection that TransportPolicy::Auto left
// on the emulated transport moves to the native WebSocket once a background probe finds that it
// gets through, by a planned resume of its session: no message lost, repeated or reordered, no
// state change, one transport change.
#include <gtest/gtest.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "event_recorder.hpp"
#include "log_capture.hpp"
#include "test_environment.hpp"
#include "tether/fallback_memory.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/gateway_stats_wait.hpp"
#include "transport_log.hpp"

namespace tether::test {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view upgrade_started_line = "(FallbackOptions::upgrade)";

/// Auto with reconnect (so the session resumes), and a memory of its own.
ConnectOptions resumable_options(const Gateway& gateway,
                                 const std::shared_ptr<FallbackMemory>& memory) {
  auto options = trusting_options(gateway.ws_url("/echo"));
  options.fallback.memory = memory;
  options.reconnect.enabled = true;
  return options;
}

/// A memory that sends connect() to `options`' gateway straight to the emulated transport.
std::shared_ptr<FallbackMemory> memory_remembering(const Gateway& gateway) {
  auto memory = std::make_shared<FallbackMemory>();
  memory->remember(FallbackMemory::key(gateway.ws_url("/echo"), ""),
                   FallbackMemory::Clock::now() + std::chrono::minutes(10));
  return memory;
}

/// Waits up to 10 s until `client` reports the transport `kind`.
bool wait_for_transport(const Client& client, TransportKind kind) {
  const auto deadline = Clock::now() + 10s;
  while (client.transport() != kind && Clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  return client.transport() == kind;
}

/// Sends `count` numbered messages through the echo service, text and binary in turn, keeping
/// `window` in flight: each echo sends the next, from the client's I/O thread, so that messages
/// cross the upgrade in both directions. Records the echoes in the order they came.
class NumberedStream {
 public:
  NumberedStream(Client& client, std::size_t count, std::size_t window)
      : state_(std::make_shared<State>()) {
    state_->client = &client;
    state_->count = count;
    state_->window = window;
    client.on_message([state = state_](const Message& message) {
      std::size_t next = 0;
      {
        const std::lock_guard lock(state->mutex);
        state->echoes.push_back({message.kind, std::string(message.data)});
        next = state->sent < state->count ? state->sent++ : state->count;
      }
      state->changed.notify_all();
      if (next < state->count) send(*state, next);
    });
  }

  void start() {
    for (std::size_t i = 0; i < state_->window; ++i) {
      std::size_t next = 0;
      {
        const std::lock_guard lock(state_->mutex);
        next = state_->sent++;
      }
      send(*state_, next);
    }
  }

  bool wait_for_all(std::chrono::milliseconds timeout) {
    std::unique_lock lock(state_->mutex);
    return state_->changed.wait_for(lock, timeout,
                                    [&] { return state_->echoes.size() >= state_->count; });
  }

  std::size_t echoed() const {
    const std::lock_guard lock(state_->mutex);
    return state_->echoes.size();
  }

  /// Every message once, in order, of the kind it was sent as; else what went wrong.
  std::string check() const {
    const std::lock_guard lock(state_->mutex);
    if (!state_->send_errors.empty()) return "a send failed: " + state_->send_errors.front();
    if (state_->echoes.size() != state_->count) {
      return std::to_string(state_->echoes.size()) + " echoes for " +
             std::to_string(state_->count) + " messages";
    }
    for (std::size_t i = 0; i < state_->count; ++i) {
      const auto& echo = state_->echoes[i];
      if (echo.data != payload(i) || echo.kind != kind(i)) {
        return "echo " + std::to_string(i) + " is '" + echo.data + "'";
      }
    }
    return {};
  }

 private:
  struct State {
    Client* client = nullptr;
    std::size_t count = 0;
    std::size_t window = 0;
    mutable std::mutex mutex;
    std::condition_variable changed;
    std::size_t sent = 0;
    std::vector<EventRecorder::ReceivedMessage> echoes;
    std::vector<std::string> send_errors;
  };

  static std::string payload(std::size_t number) { return "message " + std::to_string(number); }
  static MessageKind kind(std::size_t number) {
    return number % 2 == 0 ? MessageKind::Text : MessageKind::Binary;
  }
  static void send(State& state, std::size_t number) {
    const std::string data = payload(number);
    const Error error = kind(number) == MessageKind::Text ? state.client->send_text(data)
                                                          : state.client->send_binary(data);
    if (!error) return;
    const std::lock_guard lock(state.mutex);
    state.send_errors.push_back(error.message);
  }

  std::shared_ptr<State> state_;
};

/// The transports a client reported, each as its kind.
std::vector<TransportKind> kinds_of(const std::vector<TransportChange>& all) {
  std::vector<TransportKind> kinds;
  for (const auto& change : all) kinds.push_back(change.first);
  return kinds;
}

TEST(TransportUpgrade, ARememberedConnectionMovesToNativeWhileAThousandMessagesEcho) {
  Gateway gateway(gateway_config());
  auto options = resumable_options(gateway, memory_remembering(gateway));
  Client client;
  EventRecorder recorder(client);
  TransportLog transports(client);
  NumberedStream stream(client, 1000, 16);
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
  ASSERT_EQ(client.transport(), TransportKind::Emulated);
  stream.start();

  ASSERT_TRUE(wait_for_transport(client, TransportKind::Native));
  const std::size_t echoed_at_upgrade = stream.echoed();
  ASSERT_TRUE(stream.wait_for_all(20s)) << stream.echoed() << " echoed";
  EXPECT_EQ(stream.check(), "");
  std::cout << "the upgrade came after " << echoed_at_upgrade << " of 1000 echoes\n";

  // One change after the first: to native, with words, not an error.
  const auto changes = transports.changes();
  ASSERT_EQ(kinds_of(changes),
            (std::vector<TransportKind>{TransportKind::Emulated, TransportKind::Native}));
  EXPECT_FALSE(changes[1].second);
  EXPECT_NE(changes[1].second.message.find("FallbackOptions::upgrade"), std::string::npos)
      << changes[1].second.message;
  // No reconnect: the application saw Open once, and never Reconnecting.
  EXPECT_EQ(recorder.states(), (std::vector<State>{State::Connecting, State::Open}));
  EXPECT_TRUE(recorder.errors().empty()) << recorder.describe_errors();
  const auto stats = gateway.stats();
  EXPECT_EQ(stats.at("sessions_resumed"), 1);
  EXPECT_EQ(stats.at("resumable_sessions_open"), 1);

  ASSERT_FALSE(client.close(1000, ""));
  ASSERT_TRUE(recorder.wait_for_close());
  EXPECT_TRUE(recorder.errors().empty()) << recorder.describe_errors();
  const auto after = wait_for_stats(gateway, [](const auto& now) {
    return now.at("resumable_sessions_open") == 0 && now.at("emulated_sessions_open") == 0;
  });
  EXPECT_EQ(after.at("resumable_sessions_open"), 0);
  EXPECT_EQ(after.at("emulated_sessions_open"), 0);
}

// Every upgrade is answered 1.5 s late (long enough for the create to win on a loaded machine):
// the race opens the emulated connection, the probe and the resume then get through (slowly),
// and the session moves while the gateway already dropped its emulated connection.
TEST(TransportUpgrade, AConnectionTheRaceLeftEmulatedMovesToNative) {
  Gateway gateway(gateway_config({{"faults", {{"handshake_delay_ms", 1500}}}}));
  auto options = resumable_options(gateway, std::make_shared<FallbackMemory>());
  options.fallback.race_delay = 50ms;
  Client client;
  EventRecorder recorder(client);
  TransportLog transports(client);
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
  ASSERT_EQ(client.transport(), TransportKind::Emulated);
  ASSERT_FALSE(client.send_text("before"));
  ASSERT_TRUE(wait_for_transport(client, TransportKind::Native));
  ASSERT_FALSE(client.send_binary("after"));
  ASSERT_TRUE(recorder.wait_for_messages(2));
  const auto messages = recorder.messages();
  EXPECT_EQ(messages[0].data, "before");
  EXPECT_EQ(messages[1].data, "after");
  EXPECT_EQ(messages[1].kind, MessageKind::Binary);
  EXPECT_EQ(kinds_of(transports.changes()),
            (std::vector<TransportKind>{TransportKind::Native, TransportKind::Emulated,
                                        TransportKind::Native}));
  EXPECT_EQ(recorder.states(), (std::vector<State>{State::Connecting, State::Open}));
  EXPECT_TRUE(recorder.errors().empty()) << recorder.describe_errors();
  EXPECT_EQ(gateway.stats().at("sessions_resumed"), 1);
  ASSERT_FALSE(client.close(1000, ""));
  ASSERT_TRUE(recorder.wait_for_close());
}

std::uint64_t refused_upgrades(const nlohmann::json& stats) {
  const auto& refused = stats.at("upgrades_refused");
  return refused.contains("403") ? refused.at("403").get<std::uint64_t>() : 0;
}

TEST(TransportUpgrade, WhenTheProbeFailsTheConnectionStaysEmulatedWithoutAnEvent) {
  Gateway gateway(gateway_config({{"faults", {{"refuse_upgrade_status", 403}}}}));
  const auto memory = memory_remembering(gateway);
  Client client;
  EventRecorder recorder(client);
  TransportLog transports(client);
  ASSERT_FALSE(client.connect(resumable_options(gateway, memory)));
  ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
  const auto stats =
      wait_for_stats(gateway, [](const auto& now) { return refused_upgrades(now) >= 1; });
  ASSERT_EQ(refused_upgrades(stats), 1u) << "the probe's upgrade";
  ASSERT_FALSE(client.send_text("still here"));
  ASSERT_FALSE(client.send_binary("and here"));
  ASSERT_TRUE(recorder.wait_for_messages(2));
  EXPECT_EQ(recorder.messages()[1].data, "and here");
  EXPECT_EQ(client.transport(), TransportKind::Emulated);
  EXPECT_EQ(kinds_of(transports.changes()), (std::vector<TransportKind>{TransportKind::Emulated}));
  EXPECT_EQ(recorder.states(), (std::vector<State>{State::Connecting, State::Open}));
  EXPECT_TRUE(recorder.errors().empty()) << recorder.describe_errors();
  EXPECT_TRUE(memory->remembers(FallbackMemory::key(gateway.ws_url("/echo"), "")));
  EXPECT_EQ(gateway.stats().at("sessions_resumed"), 0);
  ASSERT_FALSE(client.close(1000, ""));
  ASSERT_TRUE(recorder.wait_for_close());
}

// The gateway answers upgrades 300 ms late, after it has moved the session: close() comes while
// the resume's answer is awaited.
TEST(TransportUpgrade, CloseDuringTheUpgradeEndsCleanlyWithoutALateEvent) {
  Gateway gateway(gateway_config({{"faults", {{"handshake_delay_ms", 300}}}}));
  LogCapture log;
  Client client;
  EventRecorder recorder(client);
  TransportLog transports(client);
  ASSERT_FALSE(client.connect(resumable_options(gateway, memory_remembering(gateway))));
  ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
  const auto deadline = Clock::now() + 10s;
  while (log.lines_containing(upgrade_started_line).empty() && Clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  ASSERT_FALSE(log.lines_containing(upgrade_started_line).empty());
  ASSERT_FALSE(client.close(1000, "bye"));
  ASSERT_TRUE(recorder.wait_for_close());
  // The resume's handshake is answered, then closed: the gateway forgets the session.
  const auto stats = wait_for_stats(gateway, [](const auto& now) {
    return now.at("upgrades_accepted") >= 2 && now.at("resumable_sessions_open") == 0 &&
           now.at("emulated_sessions_open") == 0 && now.at("open_connections") == 0;
  });
  EXPECT_EQ(stats.at("resumable_sessions_open"), 0);
  EXPECT_EQ(stats.at("emulated_sessions_open"), 0);
  EXPECT_EQ(stats.at("open_connections"), 0);
  EXPECT_EQ(client.state(), State::Closed);
  EXPECT_EQ(client.transport(), TransportKind::None);
  EXPECT_EQ(kinds_of(transports.changes()), (std::vector<TransportKind>{TransportKind::Emulated}));
  EXPECT_EQ(recorder.states(),
            (std::vector<State>{State::Connecting, State::Open, State::Closing, State::Closed}));
  EXPECT_TRUE(recorder.errors().empty()) << recorder.describe_errors();
}

/// Connects `client` with `options` (which `memory` sends to the emulated transport), waits
/// until the background probe has got through (the memory forgets the gateway), and checks that
/// the connection stayed emulated, echoing, with no transport change but the first.
void expect_emulated_after_the_probe(Client& client, EventRecorder& recorder,
                                     const TransportLog& transports, const ConnectOptions& options,
                                     FallbackMemory& memory) {
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
  const auto deadline = Clock::now() + 10s;
  const std::string key = FallbackMemory::key(options.url, "");
  while (memory.remembers(key) && Clock::now() < deadline) std::this_thread::sleep_for(5ms);
  ASSERT_FALSE(memory.remembers(key));
  ASSERT_FALSE(client.send_text("emulated"));
  ASSERT_TRUE(recorder.wait_for_messages(1));
  EXPECT_EQ(client.transport(), TransportKind::Emulated);
  EXPECT_EQ(kinds_of(transports.changes()), (std::vector<TransportKind>{TransportKind::Emulated}));
}

TEST(TransportUpgrade, WithTheUpgradeOffTheConnectionStaysEmulated) {
  Gateway gateway(gateway_config());
  const auto memory = memory_remembering(gateway);
  auto options = resumable_options(gateway, memory);
  options.fallback.upgrade = false;
  Client client;
  EventRecorder recorder(client);
  TransportLog transports(client);
  // The probe still runs, for the memory.
  ASSERT_NO_FATAL_FAILURE(
      expect_emulated_after_the_probe(client, recorder, transports, options, *memory));
  const auto stats = gateway.stats();
  EXPECT_EQ(stats.at("sessions_resumed"), 0);
  EXPECT_EQ(stats.at("upgrades_accepted"), 1) << "the probe's, and no other";
  ASSERT_FALSE(client.close(1000, ""));
  ASSERT_TRUE(recorder.wait_for_close());
}

// Without resume the session cannot move: the probe only tells the memory.
TEST(TransportUpgrade, AConnectionWithoutResumeStaysEmulated) {
  Gateway gateway(gateway_config({{"resume", false}}));
  const auto memory = memory_remembering(gateway);
  auto options = resumable_options(gateway, memory);
  Client client;
  EventRecorder recorder(client);
  TransportLog transports(client);
  ASSERT_NO_FATAL_FAILURE(
      expect_emulated_after_the_probe(client, recorder, transports, options, *memory));
  EXPECT_EQ(gateway.stats().at("upgrades_accepted"), 1) << "the probe's, and no other";
  ASSERT_FALSE(client.close(1000, ""));
  ASSERT_TRUE(recorder.wait_for_close());
}

}  // namespace
}  // namespace tether::test
