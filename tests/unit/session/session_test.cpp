// The session against a scripted transport: every transition the state machine allows, taken by
// the event that takes it in real use, and what the session reports on the way.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "session_harness.hpp"
#include "tether/auth.hpp"
#include "tether/cookies.hpp"
#include "tether_test/silent_listener.hpp"

namespace tether::testing {
namespace {

using test::SilentListener;

using Transitions = std::vector<std::string>;

/// Basic credentials for a ws:// test server, given at once.
ConnectOptions with_credentials(ConnectOptions options) {
  options.challenge_handler = std::make_shared<auth::BasicHandler>(
      [](const auth::CredentialRequest&, auth::CredentialReply reply) {
        reply.complete({"alice", "secret"});
      });
  options.auth.allow_insecure_auth = true;
  return options;
}

/// A login dialog the user has not answered yet: the reply waits in `pending`.
struct PendingLogin {
  std::mutex mutex;
  std::optional<auth::CredentialReply> reply;
};

ConnectOptions with_pending_login(ConnectOptions options,
                                  const std::shared_ptr<PendingLogin>& login) {
  options.challenge_handler = std::make_shared<auth::BasicHandler>(
      [login](const auth::CredentialRequest&, auth::CredentialReply reply) {
        std::lock_guard lock(login->mutex);
        login->reply.emplace(std::move(reply));
      });
  options.auth.allow_insecure_auth = true;
  return options;
}

ConnectOptions declining_login(ConnectOptions options) {
  options.challenge_handler = std::make_shared<auth::BasicHandler>(
      [](const auth::CredentialRequest&, auth::CredentialReply reply) { reply.decline(); });
  options.auth.allow_insecure_auth = true;
  return options;
}

const std::vector<std::string> basic_challenge = {"Basic realm=\"gateway\""};

// ---- one scenario per allowed transition ----

void drop_with_reconnect_on(SessionHarness& test) {
  test.open(reconnecting(native_options()))->closed(connection_lost());
  ASSERT_TRUE(test.recorder.wait_for_state(State::Reconnecting));
  EXPECT_TRUE(test.recorder.errors().empty()) << "a drop the client mends is not an error";
  EXPECT_TRUE(test.recorder.closes().empty());
}

void drop_while_revalidating_with_reconnect_on(SessionHarness& test) {
  SilentListener gateway;
  auto native = test.open_with_control_channel(reconnecting(loopback_options(gateway.port())));
  native->control(control::Revalidate{1, 30000, "/revalidate"});
  ASSERT_TRUE(test.recorder.wait_for_revalidations(1));
  native->closed(connection_lost());
  ASSERT_TRUE(test.recorder.wait_for_state(State::Reconnecting));
  ASSERT_TRUE(test.recorder.wait_for_revalidations(2));
  EXPECT_EQ(test.recorder.revalidations()[1].phase, Revalidation::Phase::Failed);
}

void reconnect_attempt_opens(SessionHarness& test) {
  test.open(reconnecting(native_options()))->closed(connection_lost());
  const auto second = test.transport(1);
  second->connected();
  second->open();
  ASSERT_TRUE(test.recorder.wait_for_reconnections(1));
  EXPECT_EQ(test.recorder.transitions(),
            Transitions({"Idle -> Connecting", "Connecting -> Open", "Open -> Reconnecting",
                         "Reconnecting -> Open"}));
}

void close_while_reconnecting(SessionHarness& test) {
  test.open(reconnecting(native_options()))->closed(connection_lost());
  const auto second = test.transport(1);
  EXPECT_FALSE(test.session->close(1000, {}));
  ASSERT_TRUE(test.recorder.wait_for_close());
  EXPECT_EQ(test.recorder.closes().at(0).error.code, ErrorCode::Cancelled);
  EXPECT_TRUE(second->aborted());
}

void reconnect_meets_a_failure_it_cannot_mend(SessionHarness& test) {
  test.open(reconnecting(native_options()))->closed(connection_lost());
  test.transport(1)->refuse(403);
  ASSERT_TRUE(test.recorder.wait_for_close());
  EXPECT_EQ(test.recorder.errors().at(0).code, ErrorCode::HandshakeRejected);
  EXPECT_EQ(test.network->created(), 2U) << "a 403 is not retried";
}

void connect_from_idle(SessionHarness& test) {
  test.connect(native_options());
  ASSERT_TRUE(test.transport(0));
  ASSERT_TRUE(test.recorder.wait_for_transitions(1));
  EXPECT_EQ(test.recorder.transitions(), Transitions({"Idle -> Connecting"}));
  EXPECT_EQ(test.transport(0)->kind(), TransportKind::Native);
  EXPECT_EQ(test.transport(0)->request().url.target, "/echo");
}

void connect_again_after_a_refusal(SessionHarness& test) {
  test.connect(native_options());
  test.transport(0)->refuse(403);
  ASSERT_TRUE(test.recorder.wait_for_close());
  test.connect(native_options());
  ASSERT_TRUE(test.transport(1));
  ASSERT_TRUE(test.recorder.wait_for_transitions(3));
  EXPECT_EQ(test.recorder.transitions(),
            Transitions({"Idle -> Connecting", "Connecting -> Closed", "Closed -> Connecting"}));
}

void challenge_pauses_the_handshake(SessionHarness& test) {
  const auto login = std::make_shared<PendingLogin>();
  test.connect(with_pending_login(native_options(), login));
  test.transport(0)->refuse(401, basic_challenge);
  ASSERT_TRUE(test.recorder.wait_for_transitions(2));
  EXPECT_EQ(test.recorder.transitions(),
            Transitions({"Idle -> Connecting", "Connecting -> Authenticating"}));
  EXPECT_EQ(test.network->created(), 1U) << "no replay before the answer";
}

void answered_challenge_replays_the_handshake(SessionHarness& test) {
  test.connect(with_credentials(native_options()));
  test.transport(0)->refuse(401, basic_challenge);
  const auto replay = test.transport(1);
  ASSERT_TRUE(replay);
  ASSERT_TRUE(replay->request().authorization);
  EXPECT_EQ(replay->request().authorization->name, "Authorization");
  EXPECT_EQ(replay->request().authorization->value.value(), "Basic YWxpY2U6c2VjcmV0");
  replay->connected();
  replay->open();
  ASSERT_TRUE(test.recorder.wait_for_transitions(4));
  EXPECT_EQ(test.recorder.transitions(),
            Transitions({"Idle -> Connecting", "Connecting -> Authenticating",
                         "Authenticating -> Connecting", "Connecting -> Open"}));
}

void close_while_the_challenge_is_answered(SessionHarness& test) {
  const auto login = std::make_shared<PendingLogin>();
  test.connect(with_pending_login(native_options(), login));
  test.transport(0)->refuse(401, basic_challenge);
  ASSERT_TRUE(test.recorder.wait_for_state(State::Authenticating));
  EXPECT_FALSE(test.session->close(1000, {}));
  ASSERT_TRUE(test.recorder.wait_for_close());
  EXPECT_EQ(test.recorder.transitions(),
            Transitions({"Idle -> Connecting", "Connecting -> Authenticating",
                         "Authenticating -> Closing", "Closing -> Closed"}));
  EXPECT_TRUE(test.recorder.errors().empty()) << "a cancel is not an error";
  EXPECT_EQ(test.recorder.closes().at(0).error.code, ErrorCode::Cancelled);
}

void declined_challenge_fails_the_attempt(SessionHarness& test) {
  test.connect(declining_login(native_options()));
  test.transport(0)->refuse(401, basic_challenge);
  ASSERT_TRUE(test.recorder.wait_for_close());
  EXPECT_EQ(test.recorder.transitions(),
            Transitions({"Idle -> Connecting", "Connecting -> Authenticating",
                         "Authenticating -> Closed"}));
  ASSERT_EQ(test.recorder.errors().size(), 1U);
  EXPECT_EQ(test.recorder.errors()[0].code, ErrorCode::AuthFailed);
  EXPECT_EQ(test.recorder.closes().at(0).error.code, ErrorCode::AuthFailed);
}

void handshake_opens(SessionHarness& test) {
  test.open(native_options());
  EXPECT_EQ(test.recorder.transitions(), Transitions({"Idle -> Connecting", "Connecting -> Open"}));
  EXPECT_EQ(test.session->state(), State::Open);
  EXPECT_EQ(test.session->transport_kind(), TransportKind::Native);
}

void close_while_connecting(SessionHarness& test) {
  test.connect(native_options());
  const auto transport = test.transport(0);
  EXPECT_FALSE(test.session->close(1000, {}));
  ASSERT_TRUE(test.recorder.wait_for_close());
  EXPECT_EQ(test.recorder.transitions(),
            Transitions({"Idle -> Connecting", "Connecting -> Closing", "Closing -> Closed"}));
  EXPECT_TRUE(transport->aborted());
}

void refusal_fails_the_attempt(SessionHarness& test) {
  test.connect(native_options());
  const auto transport = test.transport(0);
  transport->refuse(403);
  ASSERT_TRUE(test.recorder.wait_for_close());
  EXPECT_EQ(test.recorder.transitions(),
            Transitions({"Idle -> Connecting", "Connecting -> Closed"}));
  ASSERT_EQ(test.recorder.errors().size(), 1U);
  EXPECT_EQ(test.recorder.errors()[0].code, ErrorCode::HandshakeRejected);
  EXPECT_EQ(test.recorder.closes().at(0).code, 1006);
  EXPECT_TRUE(transport->aborted());
  EXPECT_EQ(test.network->created(), 1U) << "TransportPolicy::Native never falls back";
}

void close_while_open(SessionHarness& test) {
  const auto transport = test.open(native_options());
  EXPECT_FALSE(test.session->close(1000, "bye"));
  ASSERT_TRUE(test.recorder.wait_for_transitions(3));
  EXPECT_EQ(test.recorder.transitions(),
            Transitions({"Idle -> Connecting", "Connecting -> Open", "Open -> Closing"}));
  EXPECT_EQ(test.session->state(), State::Closing);
  // The closing handshake is the transport's: the session asked for it with the caller's words.
  test.transport(0)->connected();  // a round trip on the I/O thread, after close()'s task
  EXPECT_EQ(transport->close_request(), std::make_pair(std::uint16_t{1000}, std::string("bye")));
}

void drop_while_open(SessionHarness& test) {
  const auto transport = test.open(native_options());
  CloseInfo lost;
  lost.error = {ErrorCode::ConnectionLost, "the connection was reset"};
  transport->closed(lost);
  ASSERT_TRUE(test.recorder.wait_for_close());
  EXPECT_EQ(test.recorder.transitions(),
            Transitions({"Idle -> Connecting", "Connecting -> Open", "Open -> Closed"}));
  ASSERT_EQ(test.recorder.errors().size(), 1U);
  EXPECT_EQ(test.recorder.errors()[0].code, ErrorCode::ConnectionLost);
  EXPECT_EQ(test.recorder.closes().at(0).code, 1006);
}

void closing_handshake_completes(SessionHarness& test) {
  const auto transport = test.open(native_options());
  EXPECT_FALSE(test.session->close(1000, "bye"));
  CloseInfo clean;
  clean.code = 1000;
  clean.reason = "bye";
  transport->closed(clean);
  ASSERT_TRUE(test.recorder.wait_for_close());
  EXPECT_EQ(test.recorder.transitions(), Transitions({"Idle -> Connecting", "Connecting -> Open",
                                                      "Open -> Closing", "Closing -> Closed"}));
  EXPECT_TRUE(test.recorder.errors().empty());
  EXPECT_EQ(test.recorder.closes().at(0).code, 1000);
}

/// A revalidation the gateway asks for at another origin fails at once, without a request.
void revalidation_starts_and_ends(SessionHarness& test) {
  const auto transport = test.open_with_control_channel(native_options());
  transport->control(control::Revalidate{1, 30000, "https://elsewhere.test/revalidate"});
  ASSERT_TRUE(test.recorder.wait_for_revalidations(2));
  EXPECT_EQ(test.recorder.transitions(),
            Transitions({"Idle -> Connecting", "Connecting -> Open", "Open -> Revalidating",
                         "Revalidating -> Open"}));
}

void close_while_revalidating(SessionHarness& test) {
  SilentListener gateway;
  test.open_revalidating(gateway.port());
  EXPECT_FALSE(test.session->close(1000, "bye"));
  ASSERT_TRUE(test.recorder.wait_for_state(State::Closing));
}

void drop_while_revalidating(SessionHarness& test) {
  SilentListener gateway;
  const auto transport = test.open_revalidating(gateway.port());
  CloseInfo lost;
  lost.error = {ErrorCode::ConnectionLost, "the connection was reset"};
  transport->closed(lost);
  ASSERT_TRUE(test.recorder.wait_for_close());
  EXPECT_EQ(test.recorder.errors().at(0).code, ErrorCode::ConnectionLost);
}

struct TransitionCase {
  State from;
  State to;
  const char* scenario;
  std::function<void(SessionHarness&)> drive;
};

/// Every transition is_allowed_transition() allows, with the scenario that takes it.
const std::vector<TransitionCase>& transition_cases() {
  static const std::vector<TransitionCase> cases = {
      {State::Idle, State::Connecting, "ConnectFromIdle", connect_from_idle},
      {State::Closed, State::Connecting, "ConnectAgainAfterARefusal",
       connect_again_after_a_refusal},
      {State::Connecting, State::Authenticating, "ChallengePausesTheHandshake",
       challenge_pauses_the_handshake},
      {State::Connecting, State::Open, "HandshakeOpens", handshake_opens},
      {State::Connecting, State::Closing, "CloseWhileConnecting", close_while_connecting},
      {State::Connecting, State::Closed, "RefusalFailsTheAttempt", refusal_fails_the_attempt},
      {State::Authenticating, State::Connecting, "AnsweredChallengeReplaysTheHandshake",
       answered_challenge_replays_the_handshake},
      {State::Authenticating, State::Closing, "CloseWhileTheChallengeIsAnswered",
       close_while_the_challenge_is_answered},
      {State::Authenticating, State::Closed, "DeclinedChallengeFailsTheAttempt",
       declined_challenge_fails_the_attempt},
      {State::Open, State::Closing, "CloseWhileOpen", close_while_open},
      {State::Open, State::Closed, "DropWhileOpen", drop_while_open},
      {State::Closing, State::Closed, "ClosingHandshakeCompletes", closing_handshake_completes},
      {State::Open, State::Revalidating, "GatewayAsksForARevalidation",
       revalidation_starts_and_ends},
      {State::Revalidating, State::Open, "RevalidationEnds", revalidation_starts_and_ends},
      {State::Revalidating, State::Closing, "CloseWhileRevalidating", close_while_revalidating},
      {State::Revalidating, State::Closed, "DropWhileRevalidating", drop_while_revalidating},
      {State::Open, State::Reconnecting, "DropWithReconnectOn", drop_with_reconnect_on},
      {State::Revalidating, State::Reconnecting, "DropWhileRevalidatingWithReconnectOn",
       drop_while_revalidating_with_reconnect_on},
      {State::Reconnecting, State::Open, "ReconnectAttemptOpens", reconnect_attempt_opens},
      {State::Reconnecting, State::Closing, "CloseWhileReconnecting", close_while_reconnecting},
      {State::Reconnecting, State::Closed, "ReconnectMeetsAFailureItCannotMend",
       reconnect_meets_a_failure_it_cannot_mend},
  };
  return cases;
}

/// Allowed by the table but never taken by this session: the answered handshake is replayed from
/// Connecting, so Open always follows Connecting.
const std::vector<std::pair<State, State>> allowed_but_not_taken = {
    {State::Authenticating, State::Open},
};

// For the test names ctest shows.
void PrintTo(const TransitionCase& transition, std::ostream* out) { *out << transition.scenario; }

class SessionTransition : public ::testing::TestWithParam<TransitionCase> {};

TEST_P(SessionTransition, IsTakenByItsScenario) {
  const TransitionCase& transition = GetParam();
  SessionHarness test;
  transition.drive(test);
  const std::string expected =
      std::string(to_string(transition.from)) + " -> " + to_string(transition.to);
  const auto taken = test.recorder.transitions();
  EXPECT_NE(std::find(taken.begin(), taken.end(), expected), taken.end()) << expected;
}

INSTANTIATE_TEST_SUITE_P(EveryAllowedTransition, SessionTransition,
                         ::testing::ValuesIn(transition_cases()),
                         [](const ::testing::TestParamInfo<TransitionCase>& scenario) {
                           return std::string(scenario.param.scenario);
                         });

TEST(SessionTransitionTable, EveryAllowedTransitionHasAScenario) {
  const State states[] = {State::Idle,         State::Connecting,  State::Authenticating,
                          State::Open,         State::Closing,     State::Closed,
                          State::Revalidating, State::Reconnecting};
  for (const State from : states) {
    for (const State to : states) {
      const auto& cases = transition_cases();
      const bool has_scenario = std::any_of(
          cases.begin(), cases.end(), [&](const auto& c) { return c.from == from && c.to == to; });
      const bool not_taken = std::find(allowed_but_not_taken.begin(), allowed_but_not_taken.end(),
                                       std::make_pair(from, to)) != allowed_but_not_taken.end();
      const std::string name = std::string(to_string(from)) + " -> " + to_string(to);
      if (is_allowed_transition(from, to)) {
        EXPECT_TRUE(has_scenario != not_taken) << name << " needs exactly one scenario";
      } else {
        EXPECT_FALSE(has_scenario || not_taken) << name << " is not allowed";
      }
    }
  }
}

// ---- hangs, the heartbeat, the fallback and the subprotocol ----

TEST(Session, ServerThatNeverAnswersTimesOutTheConnect) {
  SessionHarness test;
  ConnectOptions options = native_options();
  options.connect_timeout = std::chrono::milliseconds(50);
  test.connect(options);
  const auto transport = test.transport(0);
  ASSERT_TRUE(test.recorder.wait_for_close());
  EXPECT_EQ(test.recorder.transitions(),
            Transitions({"Idle -> Connecting", "Connecting -> Closed"}));
  ASSERT_EQ(test.recorder.errors().size(), 1U);
  EXPECT_EQ(test.recorder.errors()[0].code, ErrorCode::ConnectTimeout);
  EXPECT_TRUE(transport->aborted());
}

TEST(Session, UpgradeThatNeverCompletesTimesOutTheHandshake) {
  SessionHarness test;
  ConnectOptions options = native_options();
  options.handshake_timeout = std::chrono::milliseconds(50);
  test.connect(options);
  test.transport(0)->connected();
  ASSERT_TRUE(test.recorder.wait_for_close());
  ASSERT_EQ(test.recorder.errors().size(), 1U);
  EXPECT_EQ(test.recorder.errors()[0].code, ErrorCode::HandshakeTimeout);
  EXPECT_NE(test.recorder.errors()[0].message.find("the WebSocket handshake"), std::string::npos)
      << test.recorder.errors()[0].message;
}

TEST(Session, AnEmulatedCreateThatNeverCompletesTimesOutNamingTheCreate) {
  SessionHarness test;
  ConnectOptions options = native_options();
  options.transport = TransportPolicy::Emulated;
  options.handshake_timeout = std::chrono::milliseconds(50);
  test.connect(options);
  test.transport(0)->connected();
  ASSERT_TRUE(test.recorder.wait_for_close());
  ASSERT_EQ(test.recorder.errors().size(), 1U);
  EXPECT_EQ(test.recorder.errors()[0].code, ErrorCode::HandshakeTimeout);
  EXPECT_NE(test.recorder.errors()[0].message.find("the emulated connection's create request"),
            std::string::npos)
      << test.recorder.errors()[0].message;
}

TEST(Session, UnansweredPingClosesTheConnection) {
  SessionHarness test;
  ConnectOptions options = native_options();
  options.ping_interval = std::chrono::milliseconds(20);
  options.pong_timeout = std::chrono::milliseconds(100);
  const auto transport = test.open(options);
  ASSERT_TRUE(test.recorder.wait_for_close());
  EXPECT_EQ(test.recorder.transitions(), Transitions({"Idle -> Connecting", "Connecting -> Open",
                                                      "Open -> Closing", "Closing -> Closed"}));
  ASSERT_EQ(test.recorder.errors().size(), 1U);
  EXPECT_EQ(test.recorder.errors()[0].code, ErrorCode::PeerUnresponsive);
  EXPECT_GE(transport->pings(), 1);
  EXPECT_TRUE(transport->aborted());
}

TEST(Session, PingNeedsAnOpenConnectionAndAtMost125Bytes) {
  SessionHarness test;
  EXPECT_EQ(test.session->ping("early").code, ErrorCode::InvalidState);
  const auto transport = test.open(native_options());
  EXPECT_EQ(test.session->ping(std::string(126, 'x')).code, ErrorCode::InvalidArgument);
  EXPECT_FALSE(test.session->ping(std::string(125, 'x')));
}

TEST(Session, PingGoesOutAndItsPongIsReportedWithThePayload) {
  SessionHarness test;
  std::promise<std::pair<std::string, std::chrono::microseconds>> pong;
  test.session->update_handlers([&pong](session::Handlers& handlers) {
    handlers.pong = [&pong](const Pong& received) {
      pong.set_value({std::string(received.payload), received.elapsed});
    };
  });
  const auto transport = test.open(native_options());
  ASSERT_FALSE(test.session->ping("are you there?"));
  // The ping is posted to the I/O thread before the pong is played there: they stay in order.
  transport->pong("are you there?");
  auto answered = pong.get_future();
  ASSERT_EQ(answered.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  const auto [payload, elapsed] = answered.get();
  EXPECT_EQ(payload, "are you there?");
  EXPECT_GE(elapsed.count(), 0);
  EXPECT_LT(elapsed, std::chrono::seconds(5)) << "measured from this ping, not from the epoch";
  EXPECT_EQ(transport->ping_payloads(), std::vector<std::string>({"are you there?"}));
}

TEST(Session, RefusedUpgradeFallsBackToTheEmulationInAuto) {
  SessionHarness test;
  ConnectOptions options = native_options();
  options.transport = TransportPolicy::Auto;
  test.connect(options);
  const auto native = test.transport(0);
  native->refuse(403);
  const auto emulated = test.transport(1);
  ASSERT_TRUE(emulated);
  EXPECT_TRUE(native->aborted());
  EXPECT_EQ(emulated->kind(), TransportKind::Emulated);
  EXPECT_EQ(test.session->transport_kind(), TransportKind::Emulated);
  emulated->connected();
  emulated->open();
  ASSERT_TRUE(test.recorder.wait_for_state(State::Open));
  EXPECT_EQ(test.recorder.transitions(), Transitions({"Idle -> Connecting", "Connecting -> Open"}))
      << "the fallback stays in Connecting";
  EXPECT_TRUE(test.recorder.errors().empty());
}

TEST(Session, GatewayWithoutTheEmulationReportsTheNativeFailure) {
  SessionHarness test;
  ConnectOptions options = native_options();
  options.transport = TransportPolicy::Auto;
  test.connect(options);
  test.transport(0)->refuse(403);
  test.transport(1)->refuse(404);
  ASSERT_TRUE(test.recorder.wait_for_close());
  ASSERT_EQ(test.recorder.errors().size(), 1U);
  const Error error = test.recorder.errors()[0];
  EXPECT_EQ(error.http_status, 403);
  EXPECT_NE(error.message.find("not offered there either"), std::string::npos) << error.message;
}

TEST(Session, ChallengeIsAnsweredRatherThanFallenBackFrom) {
  SessionHarness test;
  ConnectOptions options = with_credentials(native_options());
  options.transport = TransportPolicy::Auto;
  test.connect(options);
  test.transport(0)->refuse(401, basic_challenge);
  EXPECT_EQ(test.transport(1)->kind(), TransportKind::Native);
}

TEST(Session, SubprotocolTheClientDidNotOfferFailsTheAttempt) {
  SessionHarness test;
  test.connect(native_options());
  const auto transport = test.transport(0);
  transport->connected();
  transport->open("chat");
  ASSERT_TRUE(test.recorder.wait_for_close());
  EXPECT_EQ(test.recorder.transitions(),
            Transitions({"Idle -> Connecting", "Connecting -> Closed"}));
  ASSERT_EQ(test.recorder.errors().size(), 1U);
  EXPECT_EQ(test.recorder.errors()[0].code, ErrorCode::SubprotocolMismatch);
}

// ---- cookies ----

TEST(Session, WithoutAnApplicationJarCookiesLastTheClientsLifetime) {
  SessionHarness test;
  ConnectOptions options = native_options();
  ASSERT_EQ(options.cookie_jar, nullptr);
  test.connect(options);
  const auto first = test.transport(0);
  first->connected();
  first->open({}, {"affinity=node-1; Path=/"});
  ASSERT_TRUE(test.recorder.wait_for_state(State::Open));
  EXPECT_EQ(first->request().cookie_header, "");
  ASSERT_NE(first->request().options.cookie_jar, nullptr)
      << "the emulated transport's later requests read the jar of the request";
  EXPECT_EQ(first->request().options.cookie_jar->cookie_header("ws://gateway.test/echo"),
            "affinity=node-1");
  CloseInfo lost;
  lost.error = {ErrorCode::ConnectionLost, "the connection was reset"};
  first->closed(lost);
  ASSERT_TRUE(test.recorder.wait_for_close());
  test.connect(options);
  EXPECT_EQ(test.transport(1)->request().cookie_header, "affinity=node-1")
      << "the next connect() of the same client sends the affinity cookie";
}

TEST(Session, EachClientHasItsOwnJar) {
  SessionHarness one;
  SessionHarness other;
  one.connect(native_options());
  other.connect(native_options());
  EXPECT_NE(one.transport(0)->request().options.cookie_jar,
            other.transport(0)->request().options.cookie_jar);
}

}  // namespace
}  // namespace tether::testing
