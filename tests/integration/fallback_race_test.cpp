// TransportPolicy::Auto, fast (docs/emulation.md section 11): the emulated create races a
// WebSocket upgrade left unanswered for FallbackOptions::race_delay, the first transport to open
// carries the connection and the other ends without a trace, and a native WebSocket answers a
// probe ping before the application sees Open.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "event_recorder.hpp"
#include "log_capture.hpp"
#include "reconnect_recorder.hpp"
#include "test_environment.hpp"
#include "tether/auth.hpp"
#include "tether/client.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/gateway_stats_wait.hpp"
#include "tether_test/silent_listener.hpp"
#include "tether_test/temp_dir.hpp"
#include "tether_test/users_file.hpp"

namespace tether::test {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::string_view race_started_line = "starts beside it";
constexpr std::string_view probe_failed_line = "probe ping got no pong";

std::chrono::milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - start);
}

/// Sends a text and a binary message over the open `client` and checks that both come back as
/// sent, in order.
void expect_text_and_binary_echo(Client& client, EventRecorder& recorder) {
  const std::size_t before = recorder.messages().size();
  const std::string text = "round trip over the transport that won";
  const std::string binary("\x00\x01\x7f\x80\xfe\xff", 6);
  ASSERT_FALSE(client.send_text(text));
  ASSERT_FALSE(client.send_binary(binary));
  ASSERT_TRUE(recorder.wait_for_messages(before + 2)) << recorder.describe_errors();
  const auto messages = recorder.messages();
  EXPECT_EQ(messages[before].kind, MessageKind::Text);
  EXPECT_EQ(messages[before].data, text);
  EXPECT_EQ(messages[before + 1].kind, MessageKind::Binary);
  EXPECT_EQ(messages[before + 1].data, binary);
}

/// A native transport that an intermediary breaks in one of the three ways Auto gets around.
struct BrokenNative {
  const char* name;
  nlohmann::json faults;
};

class BrokenNativeTransport : public ::testing::TestWithParam<BrokenNative> {};

TEST_P(BrokenNativeTransport, EndsOnTheEmulationWithTheEchoWorkingWellWithinTheHandshakeTimeout) {
  Gateway gateway(gateway_config({{"faults", GetParam().faults}}));
  LogCapture log;
  Client client;
  EventRecorder recorder(client);
  auto options = trusting_options(gateway.ws_url("/echo"));
  options.handshake_timeout = 10s;
  const auto start = Clock::now();
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_state(State::Open, 10s)) << recorder.describe_errors();
  const auto time_to_open = since(start);
  std::cout << "[ time to Open ] " << GetParam().name << ": " << time_to_open.count() << " ms\n";
  EXPECT_EQ(client.transport(), TransportKind::Emulated);
  // race_delay (300 ms) + an emulated open, or probe_timeout (2 s) + one, or a refusal + one:
  // far from handshake_timeout in every case.
  EXPECT_LT(time_to_open, 3s);
  expect_text_and_binary_echo(client, recorder);
  ASSERT_FALSE(client.close());
  ASSERT_TRUE(recorder.wait_for_close());
  EXPECT_TRUE(recorder.errors().empty()) << recorder.describe_errors();
  // The fallback happens within Connecting: the application sees one ordinary connection.
  EXPECT_EQ(recorder.states(),
            (std::vector<State>{State::Connecting, State::Open, State::Closing, State::Closed}));
  EXPECT_EQ(gateway.stats().at("emulated_sessions_created"), 1);
  EXPECT_EQ(log.lines_containing(race_started_line).size(),
            GetParam().faults.contains("handshake_delay_ms") ? 1u : 0u);
  EXPECT_EQ(log.lines_containing(probe_failed_line).size(),
            GetParam().faults.contains("unresponsive_after_open") ? 1u : 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Fault, BrokenNativeTransport,
    ::testing::Values(BrokenNative{"HungUpgrade", {{"handshake_delay_ms", 60000}}},
                      BrokenNative{"RefusedUpgrade", {{"refuse_upgrade_status", 403}}},
                      BrokenNative{"SilentWebSocket", {{"unresponsive_after_open", true}}}),
    [](const ::testing::TestParamInfo<BrokenNative>& fault) {
      return std::string(fault.param.name);
    });

TEST(TransportRace, TheNativeLoserLeavesNoConnectionOnTheGateway) {
  Gateway gateway(gateway_config({{"faults", {{"handshake_delay_ms", 60000}}}}));
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(trusting_options(gateway.ws_url("/echo"))));
  ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
  ASSERT_EQ(client.transport(), TransportKind::Emulated);
  // The aborted upgrade's connection is gone: the gateway's delayed 101 finds no one.
  const auto stats = wait_for_stats(gateway, [](const nlohmann::json& s) {
    return s.at("open_connections") == 0 && s.at("emulated_sessions_open") == 1;
  });
  EXPECT_EQ(stats.at("open_connections"), 0);
  EXPECT_EQ(stats.at("upgrades_accepted"), 0);
  EXPECT_EQ(stats.at("emulated_sessions_open"), 1);
}

// The upgrade is answered after the race started, and before the create: the native transport
// wins, and the session the create made is closed on the gateway once its answer comes.
TEST(TransportRace, TheEmulatedLoserClosesTheSessionItsCreateMade) {
  Gateway gateway(gateway_config(
      {{"faults", {{"handshake_delay_ms", 300}, {"emulation_create_delay_ms", 1500}}}}));
  LogCapture log;
  Client client;
  EventRecorder recorder(client);
  auto options = trusting_options(gateway.ws_url("/echo"));
  options.fallback.race_delay = 50ms;
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
  EXPECT_EQ(client.transport(), TransportKind::Native);
  EXPECT_EQ(log.lines_containing(race_started_line).size(), 1u);
  const auto stats = wait_for_stats(gateway, [](const nlohmann::json& s) {
    return s.at("emulated_sessions_created") == 1 && s.at("emulated_sessions_open") == 0;
  });
  EXPECT_EQ(stats.at("emulated_sessions_created"), 1);
  EXPECT_EQ(stats.at("emulated_sessions_open"), 0);
  EXPECT_EQ(stats.at("emulated_sessions_expired"), 0);
  EXPECT_EQ(stats.at("open_connections"), 1);
  expect_text_and_binary_echo(client, recorder);
  EXPECT_EQ(client.transport(), TransportKind::Native);
}

TEST(TransportRace, DoesNotStartWhenTheUpgradeIsAnsweredInTime) {
  Gateway gateway(gateway_config());
  LogCapture log;
  Client client;
  EventRecorder recorder(client);
  auto options = trusting_options(gateway.ws_url("/echo"));
  // "In time" with room for a loaded machine (sanitizers, parallel tests) on loopback.
  options.fallback.race_delay = 2s;
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
  EXPECT_EQ(client.transport(), TransportKind::Native);
  expect_text_and_binary_echo(client, recorder);
  EXPECT_TRUE(log.lines_containing(race_started_line).empty());
  const auto stats = gateway.stats();
  EXPECT_EQ(stats.at("emulated_sessions_created"), 0);
  // The probe's ping, and no other: the heartbeat is off by default.
  EXPECT_EQ(stats.at("pings_received"), 1);
}

TEST(TransportRace, CloseDuringTheRaceEndsBothAttemptsAndReportsNothingElse) {
  // Neither the upgrade nor the create is ever answered.
  SilentListener silent;
  Client client;
  EventRecorder recorder(client);
  auto options = trusting_options("ws://127.0.0.1:" + std::to_string(silent.port()) + "/echo");
  options.fallback.race_delay = 50ms;
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(silent.wait_for_accepted(2, 5s)) << "the emulated create did not start beside";
  ASSERT_FALSE(client.close());
  ASSERT_TRUE(recorder.wait_for_close());
  EXPECT_EQ(recorder.close_info().error.code, ErrorCode::Cancelled);
  EXPECT_TRUE(recorder.errors().empty()) << recorder.describe_errors();
  EXPECT_EQ(recorder.states(),
            (std::vector<State>{State::Connecting, State::Closing, State::Closed}));
  EXPECT_EQ(client.state(), State::Closed);
}

/// A gateway whose /echo asks for Basic over wss, with alice/secret in its users file, and a
/// credential provider that counts how often it is asked.
class RaceWithCredentials : public ::testing::Test {
 protected:
  Gateway start_gateway(const nlohmann::json& faults) {
    write_users_file(users_file_, {{"alice", "secret"}});
    return Gateway(gateway_config({{"auth", {{"users_file", users_file_.string()}}},
                                   {"services", {{"/echo", {{"schemes", {"basic"}}}}}},
                                   {"faults", faults}}));
  }

  ConnectOptions counted_options(const Gateway& gateway) {
    auto options = trusting_options(gateway.wss_url("/echo"));
    options.challenge_handler = std::make_shared<auth::BasicHandler>(
        [calls = calls_](const auth::CredentialRequest&, auth::CredentialReply reply) {
          ++*calls;
          reply.complete({"alice", "secret"});
        });
    return options;
  }

  /// Connects, and checks that the connection opens over the emulation, echoes, and asked the
  /// provider once.
  void expect_emulated_open_asking_once(const Gateway& gateway) {
    Client client;
    EventRecorder recorder(client);
    ASSERT_FALSE(client.connect(counted_options(gateway)));
    ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
    EXPECT_EQ(client.transport(), TransportKind::Emulated);
    EXPECT_EQ(*calls_, 1);
    expect_text_and_binary_echo(client, recorder);
    EXPECT_EQ(*calls_, 1);
  }

  TempDir directory_;
  std::filesystem::path users_file_ = directory_.path() / "users.json";
  std::shared_ptr<std::atomic<int>> calls_ = std::make_shared<std::atomic<int>>(0);
};

// The gateway challenges the upgrade at once and delays the 101 that answers the replay: the
// create that races the replay carries the answer the upgrade settled.
TEST_F(RaceWithCredentials, TheEmulatedCreateReusesTheAnswerTheUpgradeSettled) {
  Gateway gateway = start_gateway({{"handshake_delay_ms", 60000}});
  expect_emulated_open_asking_once(gateway);
  const auto stats = gateway.stats();
  // One challenge, to the first upgrade: the replay and the create both carried the answer.
  EXPECT_EQ(stats.at("unauthorized_sent"), 1);
  EXPECT_EQ(stats.at("upgrades_authenticated").at("basic"), 2) << "the replay and the create";
  EXPECT_EQ(stats.at("emulated_sessions_created"), 1);
}

// The upgrade hangs before the gateway sees it (as behind a stalling intermediary): the race's
// create is challenged, answered once, and carries the connection.
TEST_F(RaceWithCredentials, AChallengeToTheRacingCreateIsAnsweredOnce) {
  Gateway gateway = start_gateway(nlohmann::json::object());
  gateway.control("hang_upgrades");
  expect_emulated_open_asking_once(gateway);
  const auto stats = gateway.stats();
  EXPECT_EQ(stats.at("upgrades_hung"), 1);
  EXPECT_EQ(stats.at("unauthorized_sent"), 1) << "the create's challenge alone";
}

// Reconnecting runs the whole strategy again: a reconnect whose upgrade hangs comes back over the
// emulation after race_delay, not after handshake_timeout.
TEST(TransportRace, RunsForReconnectAttemptsToo) {
  Gateway gateway(gateway_config());
  Client client;
  EventRecorder recorder(client);
  ReconnectRecorder reconnects(client);
  auto options = trusting_options(gateway.ws_url("/echo"));
  options.handshake_timeout = 10s;
  options.reconnect.enabled = true;
  options.reconnect.initial_delay = 1ms;
  options.reconnect.max_delay = 1ms;
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
  ASSERT_EQ(client.transport(), TransportKind::Native);
  gateway.control("hang_upgrades");
  const auto dropped = Clock::now();
  EXPECT_EQ(gateway.control("drop_connections").at("connections_dropped"), 1);
  ASSERT_TRUE(reconnects.wait_for_reconnected(1, 10s)) << reconnects.describe();
  const auto time_to_reconnect = since(dropped);
  std::cout << "[ time to Reconnected ] hung upgrade: " << time_to_reconnect.count() << " ms\n";
  EXPECT_LT(time_to_reconnect, 3s);
  EXPECT_EQ(reconnects.reconnections().at(0).reconnected.transport, TransportKind::Emulated);
  EXPECT_EQ(client.transport(), TransportKind::Emulated);
  expect_text_and_binary_echo(client, recorder);
}

}  // namespace
}  // namespace tether::test
