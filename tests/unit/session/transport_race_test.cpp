// TransportPolicy::Auto's race and probe (docs/emulation.md section 11) against scripted
// transports: when the emulated create starts, which transport carries the connection, what
// happens to the other, and what the application sees.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "session_harness.hpp"
#include "tether/auth.hpp"

namespace tether::testing {
namespace {

using namespace std::chrono_literals;
using Transitions = std::vector<std::string>;

/// Auto, with a race that starts 20 ms after the upgrade's TCP connection and timeouts far away.
ConnectOptions racing_options() {
  ConnectOptions options = native_options();
  options.transport = TransportPolicy::Auto;
  options.fallback.race_delay = 20ms;
  options.handshake_timeout = 10s;
  return options;
}

/// The two transports of a race that started: the upgrade's, connected, and the create's.
struct Race {
  std::shared_ptr<FakeTransport> native;
  std::shared_ptr<FakeTransport> emulated;
};

/// Connects with `options`, plays the upgrade's TCP connection and waits for the create that
/// race_delay later starts beside it.
Race start_race(SessionHarness& test, const ConnectOptions& options = racing_options()) {
  test.connect(options);
  Race race;
  race.native = test.transport(0);
  race.native->connected();
  race.emulated = test.transport(1);
  return race;
}

/// Plays the native open and its probe's pong.
void open_and_answer_probe(FakeTransport& native) {
  native.open();
  ASSERT_EQ(native.pings(), 1) << "the probe's ping";
  native.pong();
}

TEST(TransportRace, AnUpgradeUnansweredForRaceDelayStartsTheEmulatedCreateBesideIt) {
  SessionHarness test;
  const auto [native, emulated] = start_race(test);
  ASSERT_TRUE(emulated);
  EXPECT_EQ(emulated->kind(), TransportKind::Emulated);
  EXPECT_FALSE(native->aborted()) << "the upgrade goes on beside the create";
  EXPECT_EQ(test.session->transport_kind(), TransportKind::Native);
}

TEST(TransportRace, NoRaceWithoutARaceDelayOrOutsideAuto) {
  for (const bool auto_policy : {true, false}) {
    SessionHarness test;
    ConnectOptions options = racing_options();
    if (auto_policy) {
      options.fallback.race_delay = 0ms;
    } else {
      options.transport = TransportPolicy::Native;
    }
    options.handshake_timeout = 100ms;
    test.connect(options);
    const auto native = test.transport(0);
    native->connected();
    if (auto_policy) {
      ASSERT_TRUE(test.transport(1));
      EXPECT_TRUE(native->aborted()) << "the emulation started once the upgrade timed out";
    } else {
      ASSERT_TRUE(test.recorder.wait_for_close());
      EXPECT_EQ(test.network->created(), 1U);
    }
  }
}

TEST(TransportRace, TheEmulationOpeningFirstCarriesTheConnectionAndTheUpgradeIsAborted) {
  SessionHarness test;
  const auto [native, emulated] = start_race(test);
  emulated->connected();
  emulated->open();
  ASSERT_TRUE(test.recorder.wait_for_state(State::Open));
  EXPECT_TRUE(native->aborted());
  EXPECT_EQ(test.session->transport_kind(), TransportKind::Emulated);
  EXPECT_EQ(test.recorder.transitions(), Transitions({"Idle -> Connecting", "Connecting -> Open"}));
  // The winner carries the connection: messages both ways.
  EXPECT_FALSE(test.session->send(MessageKind::Text, "hello", nullptr));
  EXPECT_EQ(emulated->payloads_sent(), std::vector<std::string>({"hello"}));
  emulated->receive("welcome");
  EXPECT_EQ(test.recorder.timeline().back(), "message welcome");
  // No background probe: without resume, the connection could not move to the native transport.
  EXPECT_EQ(test.network->created(), 2U);
}

TEST(TransportRace, TheUpgradeAnsweredFirstWinsAndACreateNotYetSentIsDropped) {
  SessionHarness test;
  const auto [native, emulated] = start_race(test);
  open_and_answer_probe(*native);
  ASSERT_TRUE(test.recorder.wait_for_state(State::Open));
  EXPECT_EQ(test.session->transport_kind(), TransportKind::Native);
  EXPECT_TRUE(emulated->aborted());
  EXPECT_FALSE(native->aborted());
}

TEST(TransportRace, ALosingCreateThatStillOpensIsClosedAtOnceUnseen) {
  SessionHarness test;
  const auto [native, emulated] = start_race(test);
  emulated->connected();  // the create is out: the gateway may make a session
  open_and_answer_probe(*native);
  ASSERT_TRUE(test.recorder.wait_for_state(State::Open));
  EXPECT_FALSE(emulated->aborted()) << "its answer must come, to close what it made";
  const auto timeline = test.recorder.timeline();
  emulated->open();
  ASSERT_TRUE(eventually([losing = emulated] { return losing->close_request().has_value(); }));
  EXPECT_EQ(emulated->close_request(), (std::pair<std::uint16_t, std::string>{
                                           1000, "another transport carries the connection"}));
  EXPECT_EQ(test.recorder.timeline(), timeline) << "the loser reports nothing";
  EXPECT_EQ(test.session->transport_kind(), TransportKind::Native);
}

TEST(TransportRace, TheUpgradeTimingOutHandsTheConnectionToTheRacingCreate) {
  SessionHarness test;
  ConnectOptions options = racing_options();
  // The create's own deadline would end race_delay after the upgrade's: the upgrade's comes first.
  options.fallback.race_delay = 100ms;
  options.handshake_timeout = 300ms;
  const auto [native, emulated] = start_race(test, options);
  emulated->connected();
  // The upgrade times out; the create it raced goes on, and times out in turn, each error naming
  // its own request.
  ASSERT_TRUE(test.recorder.wait_for_close());
  EXPECT_TRUE(native->aborted());
  EXPECT_EQ(test.network->created(), 2U) << "no second create after the upgrade timed out";
  ASSERT_EQ(test.recorder.errors().size(), 1U);
  const Error error = test.recorder.errors()[0];
  EXPECT_EQ(error.code, ErrorCode::HandshakeTimeout);
  EXPECT_NE(error.message.find("the emulated connection's create request"), std::string::npos)
      << error.message;
  EXPECT_NE(error.message.find("the WebSocket handshake"), std::string::npos) << error.message;
}

TEST(TransportRace, AFailedCreateLeavesTheUpgradeToGoOnAlone) {
  SessionHarness test;
  const auto [native, emulated] = start_race(test);
  emulated->connected();
  emulated->refuse(503);
  open_and_answer_probe(*native);
  ASSERT_TRUE(test.recorder.wait_for_state(State::Open));
  EXPECT_EQ(test.session->transport_kind(), TransportKind::Native);
  EXPECT_TRUE(test.recorder.errors().empty());
}

TEST(TransportRace, AChallengeToTheCreateIsAnsweredAndTheEmulationCarriesOn) {
  SessionHarness test;
  ConnectOptions options = racing_options();
  options.challenge_handler = std::make_shared<auth::BasicHandler>(
      [](const auth::CredentialRequest&, auth::CredentialReply reply) {
        reply.complete({"alice", "secret"});
      });
  options.auth.allow_insecure_auth = true;
  test.connect(options);
  const auto native = test.transport(0);
  native->connected();
  test.transport(1)->refuse(401, {"Basic realm=\"gateway\""});
  const auto replay = test.transport(2);
  ASSERT_TRUE(replay);
  EXPECT_TRUE(native->aborted());
  EXPECT_EQ(replay->kind(), TransportKind::Emulated);
  ASSERT_TRUE(replay->request().authorization);
  EXPECT_EQ(replay->request().authorization->value.value(), "Basic YWxpY2U6c2VjcmV0");
}

TEST(TransportRace, CloseDuringTheRaceEndsBothAttempts) {
  SessionHarness test;
  const auto [native, emulated] = start_race(test);
  ASSERT_FALSE(test.session->close(1000, {}));
  ASSERT_TRUE(test.recorder.wait_for_close());
  EXPECT_TRUE(native->aborted());
  EXPECT_TRUE(emulated->aborted());
  EXPECT_TRUE(test.recorder.errors().empty());
  EXPECT_EQ(test.recorder.transitions(),
            Transitions({"Idle -> Connecting", "Connecting -> Closing", "Closing -> Closed"}));
}

// ---- the probe ----

TEST(OpenProbe, ANativeOpenUnderAutoIsOpenOnlyOnceItsPingIsAnswered) {
  SessionHarness test;
  test.connect(racing_options());
  const auto native = test.transport(0);
  native->connected();
  native->open();
  native->receive("sent by the gateway at once");
  EXPECT_EQ(test.session->state(), State::Connecting);
  native->pong();
  ASSERT_TRUE(test.recorder.wait_for_state(State::Open));
  EXPECT_EQ(test.recorder.timeline(),
            Transitions({"state Idle -> Connecting", "state Connecting -> Open",
                         "message sent by the gateway at once"}))
      << "what came before the pong follows Open";
}

TEST(OpenProbe, AWebSocketThatAnswersNoPingFallsBackBeforeTheApplicationSeesOpen) {
  SessionHarness test;
  ConnectOptions options = racing_options();
  options.fallback.probe_timeout = 50ms;
  test.connect(options);
  const auto native = test.transport(0);
  native->connected();
  native->open();
  const auto emulated = test.transport(1);
  ASSERT_TRUE(emulated);
  EXPECT_TRUE(native->aborted());
  EXPECT_EQ(emulated->kind(), TransportKind::Emulated);
  emulated->connected();
  emulated->open();
  ASSERT_TRUE(test.recorder.wait_for_state(State::Open));
  EXPECT_EQ(test.recorder.transitions(), Transitions({"Idle -> Connecting", "Connecting -> Open"}));
  EXPECT_EQ(emulated->pings(), 0) << "the emulation is not probed";
}

TEST(OpenProbe, NotUnderNativeOrWithAZeroProbeTimeout) {
  for (const bool auto_policy : {true, false}) {
    SessionHarness test;
    ConnectOptions options = racing_options();
    if (auto_policy) {
      options.fallback.probe_timeout = 0ms;
    } else {
      options.transport = TransportPolicy::Native;
    }
    const auto native = test.open(options);
    EXPECT_EQ(native->pings(), 0);
    EXPECT_EQ(test.session->state(), State::Open);
  }
}

}  // namespace
}  // namespace tether::testing
