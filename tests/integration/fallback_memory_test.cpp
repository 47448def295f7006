// The memory of TransportPolicy::Auto (docs/emulation.md section 11, "Remembered"): a gateway
// whose native transport failed is reached over the emulated transport first, and probed in the
// background until the native transport works again.
#include "tether/fallback_memory.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <mutex>
#include <thread>

#include "echo_attempt.hpp"
#include "event_recorder.hpp"
#include "log_capture.hpp"
#include "reconnect_recorder.hpp"
#include "test_environment.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/gateway_stats_wait.hpp"
#include "transport_log.hpp"

namespace tether::test {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::string_view fallback_line = "trying the HTTP emulation of WebSocket";

/// A connect() that opened: the transports reported until then, and how long it took.
struct Opened {
  std::vector<TransportChange> changes;
  std::chrono::microseconds time_to_open{0};
};

/// Connects a new client with `options`, waits for Open, runs `while_open`, and closes it.
Opened open_and_close(
    const ConnectOptions& options, const std::function<void()>& while_open = [] {}) {
  Client client;
  TransportLog transports(client);
  EventRecorder recorder(client);
  const auto started = Clock::now();
  EXPECT_FALSE(client.connect(options));
  EXPECT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
  Opened opened;
  opened.time_to_open =
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
  while_open();
  EXPECT_FALSE(client.close(1000, ""));
  EXPECT_TRUE(recorder.wait_for_close());
  EXPECT_TRUE(recorder.errors().empty()) << recorder.describe_errors();
  opened.changes = transports.changes();
  return opened;
}

/// Waits up to 10 s until `memory` remembers `key` or not, as `remembered` says.
bool wait_until_remembered(FallbackMemory& memory, const std::string& key, bool remembered) {
  const auto deadline = Clock::now() + 10s;
  while (memory.remembers(key) != remembered && Clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  return memory.remembers(key) == remembered;
}

ConnectOptions options_with_memory(const Gateway& gateway,
                                   const std::shared_ptr<FallbackMemory>& memory) {
  auto options = trusting_options(gateway.ws_url("/echo"));
  options.fallback.memory = memory;
  return options;
}

std::uint64_t refused_upgrades(const nlohmann::json& stats) {
  const auto& refused = stats.at("upgrades_refused");
  return refused.contains("403") ? refused.at("403").get<std::uint64_t>() : 0;
}

void expect_remembered_start(const std::vector<TransportChange>& changes) {
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].first, TransportKind::Emulated);
  // Not a failure of this connect(), and words that say why it is not native.
  EXPECT_FALSE(changes[0].second);
  EXPECT_NE(changes[0].second.message.find("remembered"), std::string::npos)
      << changes[0].second.message;
}

TEST(FallbackMemory, AFallbackIsRememberedAndTheNextConnectOpensEmulatedWithoutAnUpgrade) {
  Gateway gateway(gateway_config({{"faults", {{"refuse_upgrade_status", 403}}}}));
  const auto memory = std::make_shared<FallbackMemory>();
  const auto options = options_with_memory(gateway, memory);
  const std::string key = FallbackMemory::key(options.url, "");

  const Opened first = open_and_close(options);
  ASSERT_EQ(first.changes.size(), 2u);
  EXPECT_EQ(first.changes[1].first, TransportKind::Emulated);
  EXPECT_TRUE(memory->remembers(key));
  EXPECT_EQ(refused_upgrades(gateway.stats()), 1u);

  // Remembered for a short while only, to see the background probe renew it.
  memory->remember(key, FallbackMemory::Clock::now() + 30s);
  LogCapture log;
  // The probe's upgrade is refused again, after the open: the memory is renewed. The client
  // stays open until then, since a client that goes away stops its probe.
  const auto renewed = [&] {
    const auto renewed_until = FallbackMemory::Clock::now() + 5min;
    const auto deadline = Clock::now() + 10s;
    while (!memory->remembers(key, renewed_until) && Clock::now() < deadline) {
      std::this_thread::sleep_for(10ms);
    }
    EXPECT_TRUE(memory->remembers(key, renewed_until));
  };
  const Opened second = open_and_close(options, renewed);
  expect_remembered_start(second.changes);
  EXPECT_TRUE(log.lines_containing(fallback_line).empty());
  const auto stats = gateway.stats();
  EXPECT_EQ(refused_upgrades(stats), 2u);
  EXPECT_EQ(stats.at("emulated_sessions_created"), 2);
}

TEST(FallbackMemory, ARememberedOpenTakesNoLongerThanAnEmulatedOnlyOne) {
  Gateway gateway(gateway_config({{"faults", {{"refuse_upgrade_status", 403}}}}));
  const auto memory = std::make_shared<FallbackMemory>();
  const auto options = options_with_memory(gateway, memory);
  const Opened fallen_back = open_and_close(options);
  const Opened remembered = open_and_close(options);
  const Opened emulated_only = open_and_close(emulated_options(gateway.ws_url("/echo")));
  expect_remembered_start(remembered.changes);
  // Measured, not asserted: loopback times vary with the machine's load.
  RecordProperty("fallen_back_us", static_cast<int>(fallen_back.time_to_open.count()));
  RecordProperty("remembered_us", static_cast<int>(remembered.time_to_open.count()));
  RecordProperty("emulated_only_us", static_cast<int>(emulated_only.time_to_open.count()));
  std::cout << "time to Open: fallen back " << fallen_back.time_to_open.count()
            << " us, remembered " << remembered.time_to_open.count() << " us, emulated only "
            << emulated_only.time_to_open.count() << " us\n";
}

TEST(FallbackMemory, TheBackgroundProbeForgetsAGatewayWhoseUpgradeWorksAgain) {
  Gateway gateway(gateway_config({{"faults", {{"refuse_upgrade_status", 403}}}}));
  const auto memory = std::make_shared<FallbackMemory>();
  const auto options = options_with_memory(gateway, memory);
  const std::string key = FallbackMemory::key(options.url, "");
  open_and_close(options);
  ASSERT_TRUE(memory->remembers(key));
  gateway.control("allow_upgrades");

  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
  EXPECT_EQ(client.transport(), TransportKind::Emulated);
  EXPECT_TRUE(wait_until_remembered(*memory, key, false));
  const auto stats =
      wait_for_stats(gateway, [](const auto& now) { return now.at("upgrades_accepted") >= 1; });
  EXPECT_EQ(stats.at("upgrades_accepted"), 1);
  // The probe is invisible: the connection stays as it opened, without a state or an error.
  EXPECT_EQ(client.transport(), TransportKind::Emulated);
  EXPECT_EQ(recorder.states(), (std::vector<State>{State::Connecting, State::Open}));
  EXPECT_TRUE(recorder.errors().empty()) << recorder.describe_errors();
  ASSERT_FALSE(client.close(1000, ""));
  ASSERT_TRUE(recorder.wait_for_close());

  const Opened native = open_and_close(options);
  ASSERT_EQ(native.changes.size(), 1u);
  EXPECT_EQ(native.changes[0].first, TransportKind::Native);
}

TEST(FallbackMemory, TwoClientsWithTheirOwnMemoriesDoNotShareThem) {
  Gateway gateway(gateway_config({{"faults", {{"refuse_upgrade_status", 403}}}}));
  const auto mine = std::make_shared<FallbackMemory>();
  const auto theirs = std::make_shared<FallbackMemory>();
  open_and_close(options_with_memory(gateway, mine));
  const Opened other = open_and_close(options_with_memory(gateway, theirs));
  // The other client learns for itself: native first, then the fallback.
  ASSERT_EQ(other.changes.size(), 2u);
  EXPECT_EQ(other.changes[0].first, TransportKind::Native);
  EXPECT_EQ(other.changes[1].first, TransportKind::Emulated);
  EXPECT_EQ(refused_upgrades(gateway.stats()), 2u);
  EXPECT_FALSE(FallbackMemory::process()->remembers(FallbackMemory::key(gateway.ws_url("/"), "")));
}

TEST(FallbackMemory, WithoutAMemoryOfItsOwnAClientUsesTheProcessOne) {
  Gateway gateway(gateway_config({{"faults", {{"refuse_upgrade_status", 403}}}}));
  const auto options = trusting_options(gateway.ws_url("/echo"));
  open_and_close(options);
  const std::string key = FallbackMemory::key(options.url, "");
  EXPECT_TRUE(FallbackMemory::process()->remembers(key));
  expect_remembered_start(open_and_close(options).changes);
  FallbackMemory::process()->forget(key);
}

TEST(FallbackMemory, RememberForZeroNeverRemembers) {
  Gateway gateway(gateway_config({{"faults", {{"refuse_upgrade_status", 403}}}}));
  const auto memory = std::make_shared<FallbackMemory>();
  auto options = options_with_memory(gateway, memory);
  options.fallback.remember_for = 0ms;
  for (int connect = 1; connect <= 2; ++connect) {
    const Opened opened = open_and_close(options);
    ASSERT_EQ(opened.changes.size(), 2u) << "connect " << connect;
    EXPECT_EQ(opened.changes[0].first, TransportKind::Native) << "connect " << connect;
  }
  EXPECT_FALSE(memory->remembers(FallbackMemory::key(options.url, "")));
  EXPECT_EQ(refused_upgrades(gateway.stats()), 2u);
}

TEST(FallbackMemory, AReconnectToARememberedGatewayGoesStraightToTheEmulation) {
  Gateway gateway(gateway_config({{"faults", {{"refuse_upgrade_status", 403}}}}));
  const auto memory = std::make_shared<FallbackMemory>();
  auto options = options_with_memory(gateway, memory);
  options.reconnect.enabled = true;
  options.reconnect.initial_delay = 50ms;
  Client client;
  ReconnectRecorder reconnects(client);
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
  EXPECT_GE(gateway.control("drop_connections").at("connections_dropped").get<int>(), 1);
  ASSERT_TRUE(reconnects.wait_for_reconnected(1, 10s));
  const auto changes = reconnects.transport_changes();
  // The first connect(): native, then the fallback; the reconnect: the emulation at once.
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[2].transport, TransportKind::Emulated);
  EXPECT_FALSE(changes[2].reason);
  EXPECT_NE(changes[2].reason.message.find("remembered"), std::string::npos);
  ASSERT_FALSE(client.close(1000, ""));
  ASSERT_TRUE(recorder.wait_for_close());
}

TEST(FallbackMemory, AClientDestroyedWhileItsProbeRunsLeavesNothingBehind) {
  // The upgrade hangs: the probe is still waiting when the client goes.
  Gateway gateway(gateway_config({{"faults", {{"refuse_upgrade_status", 403}}}}));
  const auto memory = std::make_shared<FallbackMemory>();
  const auto options = options_with_memory(gateway, memory);
  const std::string key = FallbackMemory::key(options.url, "");
  open_and_close(options);
  gateway.control("hang_upgrades");
  {
    Client client;
    EventRecorder recorder(client);
    ASSERT_FALSE(client.connect(options));
    ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
    const auto stats =
        wait_for_stats(gateway, [](const auto& now) { return now.at("upgrades_hung") >= 1; });
    EXPECT_EQ(stats.at("upgrades_hung"), 1);
  }
  // Nothing learnt from a probe cut short: the memory is as the fallback left it.
  EXPECT_TRUE(memory->remembers(key));
  EXPECT_TRUE(sentinel_round_trip(emulated_options(gateway.ws_url("/echo"))));
}

}  // namespace
}  // namespace tether::test
