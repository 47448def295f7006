// Reconnect and resume in the session, against scripted transports (docs/reconnect.md,
// docs/control-channel.md section 5.5): what each drop, answer and acknowledgement makes the
// session do with the application's messages.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "session/backoff.hpp"
#include "session_harness.hpp"

namespace tether::testing {
namespace {

using Strings = std::vector<std::string>;

const std::string token(32, 'k');

/// Open with resume on, the gateway's token given.
std::shared_ptr<FakeTransport> open_resumable(SessionHarness& test, ConnectOptions options) {
  auto first = test.open_with(reconnecting(std::move(options)), [](FakeTransport& transport) {
    transport.open_with_control_channel(control::ChannelAnswer{1, true, std::nullopt});
  });
  first->control(control::ResumeToken{30000, token});
  return first;
}

void send_all(SessionHarness& test, const Strings& texts) {
  for (const auto& text : texts) {
    ASSERT_FALSE(test.session->send(MessageKind::Text, text, nullptr)) << text;
  }
}

std::uint64_t send_numbered(SessionHarness& test, const std::string& text) {
  std::uint64_t number = 0;
  EXPECT_FALSE(test.session->send(MessageKind::Text, text, &number));
  return number;
}

TEST(SessionResume, TheFirstOfferAsksForANewResumableSession) {
  SessionHarness test;
  test.connect(reconnecting(native_options()));
  const auto offer = test.transport(0)->request().resume;
  ASSERT_TRUE(offer);
  EXPECT_TRUE(offer->token.empty());
}

TEST(SessionResume, WithoutReconnectNothingIsOffered) {
  SessionHarness test;
  test.connect(native_options());
  EXPECT_FALSE(test.transport(0)->request().resume);
}

TEST(SessionResume, AResumedSessionGetsWhatTheGatewayDidNotReceiveInOrder) {
  SessionHarness test;
  auto first = open_resumable(test, native_options());
  send_all(test, {"1", "2", "3"});
  first->receive("a");
  first->receive("b");
  first->closed(connection_lost());
  ASSERT_TRUE(test.recorder.wait_for_state(State::Reconnecting));
  send_all(test, {"4"});  // queued while reconnecting

  const auto second = test.transport(1);
  const auto offer = second->request().resume;
  ASSERT_TRUE(offer);
  EXPECT_EQ(offer->token, token);
  EXPECT_EQ(offer->received, 2U) << "the gateway replays from its third message";
  second->connected();
  second->open_with_control_channel(control::ChannelAnswer{1, true, 1});
  ASSERT_TRUE(test.recorder.wait_for_reconnections(1));
  EXPECT_EQ(second->payloads_sent(), Strings({"2", "3", "4"}));
  const Reconnected back = test.recorder.reconnections()[0];
  EXPECT_TRUE(back.resumed);
  EXPECT_EQ(back.attempts, 1U);
  EXPECT_EQ(back.first_unconfirmed, 0U);
  EXPECT_EQ(send_numbered(test, "5"), 5U) << "numbers go on across the resume";
}

TEST(SessionResume, AnAcknowledgedMessageIsNotReplayed) {
  SessionHarness test;
  auto first = open_resumable(test, native_options());
  send_all(test, {"1", "2", "3"});
  first->control(control::Ack{2});
  first->closed(connection_lost());
  const auto second = test.transport(1);
  second->connected();
  second->open_with_control_channel(control::ChannelAnswer{1, true, 2});
  ASSERT_TRUE(test.recorder.wait_for_reconnections(1));
  EXPECT_EQ(second->payloads_sent(), Strings({"3"}));
}

TEST(SessionResume, ANewSessionReportsTheUnconfirmedAndSendsOnlyWhatWaited) {
  SessionHarness test;
  auto first = open_resumable(test, native_options());
  send_all(test, {"1", "2", "3"});
  first->control(control::Ack{1});
  first->closed(connection_lost());
  ASSERT_TRUE(test.recorder.wait_for_state(State::Reconnecting));
  send_all(test, {"4"});
  const auto second = test.transport(1);
  second->connected();
  second->open_with_control_channel(control::ChannelAnswer{1, true, std::nullopt});
  ASSERT_TRUE(test.recorder.wait_for_reconnections(1));
  const Reconnected back = test.recorder.reconnections()[0];
  EXPECT_FALSE(back.resumed);
  EXPECT_EQ(back.first_unconfirmed, 2U);
  EXPECT_EQ(back.last_unconfirmed, 3U);
  EXPECT_EQ(second->payloads_sent(), Strings({"4"}));
  // The gateway numbers its new session from 1: its DENIED of message 1 is the stream's 4.
  second->control(control::Denied{control::Operation::Send, 1, "", "no"});
  ASSERT_TRUE(test.recorder.wait_for_errors(1));
  EXPECT_EQ(test.recorder.errors()[0].message_id, 4U);
}

TEST(SessionResume, AGatewayWithoutResumeLeavesEverythingSentUnconfirmed) {
  SessionHarness test;
  auto first = test.open(reconnecting(native_options()));
  send_all(test, {"1", "2"});
  first->closed(connection_lost());
  const auto second = test.transport(1);
  EXPECT_TRUE(second->request().resume->token.empty()) << "no token came: a new session";
  second->connected();
  second->open();
  ASSERT_TRUE(test.recorder.wait_for_reconnections(1));
  const Reconnected back = test.recorder.reconnections()[0];
  EXPECT_FALSE(back.resumed);
  EXPECT_EQ(back.first_unconfirmed, 1U);
  EXPECT_EQ(back.last_unconfirmed, 2U);
  EXPECT_TRUE(second->payloads_sent().empty());
}

TEST(SessionResume, AResumeClaimingMoreThanWasSentFailsTheConnection) {
  SessionHarness test;
  auto first = open_resumable(test, native_options());
  send_all(test, {"1"});
  first->closed(connection_lost());
  const auto second = test.transport(1);
  second->connected();
  second->open_with_control_channel(control::ChannelAnswer{1, true, 7});
  ASSERT_TRUE(test.recorder.wait_for_close());
  EXPECT_EQ(test.recorder.errors().at(0).code, ErrorCode::ProtocolError);
}

TEST(SessionResume, AnAckAboveWhatWasSentIsAProtocolError) {
  SessionHarness test;
  auto first = open_resumable(test, native_options());
  send_all(test, {"1"});
  first->control(control::Ack{2});
  ASSERT_TRUE(test.recorder.wait_for_close());
  EXPECT_EQ(test.recorder.errors().at(0).code, ErrorCode::ProtocolError);
}

TEST(SessionResume, TheClientAcknowledgesEvery64Messages) {
  SessionHarness test;
  auto first = open_resumable(test, native_options());
  for (int i = 0; i < 64; ++i) first->receive("m");
  const auto controls = first->controls_sent();
  ASSERT_EQ(controls.size(), 1U);
  EXPECT_EQ(std::get<control::Ack>(controls[0]).received, 64U);
}

TEST(SessionResume, TheClientAcknowledgesAFewMessagesWithin250Ms) {
  SessionHarness test;
  auto first = open_resumable(test, native_options());
  first->receive("m");
  first->receive("m");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (first->controls_sent().empty() && std::chrono::steady_clock::now() < deadline) {
    first->connected();  // a round trip on the I/O thread
  }
  const auto controls = first->controls_sent();
  ASSERT_EQ(controls.size(), 1U);
  EXPECT_EQ(std::get<control::Ack>(controls[0]).received, 2U);
}

TEST(SessionBackpressure, KeptMessagesCountUntilAcknowledgedThenWritableIsReported) {
  SessionHarness test;
  ConnectOptions options = native_options();
  options.max_queued_messages = 2;
  auto first = open_resumable(test, options);
  send_all(test, {"1", "2"});
  EXPECT_EQ(test.session->send(MessageKind::Text, "3", nullptr).code, ErrorCode::WouldBlock);
  first->control(control::Ack{1});
  ASSERT_TRUE(test.recorder.wait_for_writables(1));
  send_all(test, {"3"});
  EXPECT_EQ(first->payloads_sent(), Strings({"1", "2", "3"}));
}

TEST(SessionBackpressure, SendsWhileReconnectingQueueUpToTheBound) {
  SessionHarness test;
  ConnectOptions options = reconnecting(native_options());
  options.max_queued_messages = 2;
  options.reconnect.initial_delay = std::chrono::hours(1);  // stays Reconnecting
  test.open(options)->closed(connection_lost());
  ASSERT_TRUE(test.recorder.wait_for_state(State::Reconnecting));
  send_all(test, {"1", "2"});
  const Error full = test.session->send(MessageKind::Text, "3", nullptr);
  EXPECT_EQ(full.code, ErrorCode::WouldBlock) << full.message;
}

TEST(SessionBackpressure, TheTransportsWouldBlockIsReportedAndItsWritableToo) {
  SessionHarness test;
  auto first = open_resumable(test, native_options());
  first->block_sends(true);
  EXPECT_EQ(test.session->send(MessageKind::Text, "1", nullptr).code, ErrorCode::WouldBlock);
  first->block_sends(false);
  first->writable();
  ASSERT_TRUE(test.recorder.wait_for_writables(1));
}

TEST(SessionReconnect, TransientFailuresAreRetriedWithTheNextAttemptNumber) {
  SessionHarness test;
  test.open(reconnecting(native_options()))->closed(connection_lost());
  test.transport(1)->refuse(503);
  const auto third = test.transport(2);
  ASSERT_TRUE(test.recorder.wait_for_reconnect_attempts(2));
  const auto attempts = test.recorder.reconnect_attempts();
  EXPECT_EQ(attempts[0].attempt, 1U);
  EXPECT_EQ(attempts[0].reason.code, ErrorCode::ConnectionLost);
  EXPECT_EQ(attempts[1].attempt, 2U);
  EXPECT_EQ(attempts[1].reason.http_status, 503);
  third->connected();
  third->open();
  ASSERT_TRUE(test.recorder.wait_for_reconnections(1));
  EXPECT_EQ(test.recorder.reconnections()[0].attempts, 2U);
}

TEST(SessionReconnect, MaxAttemptsGivesUpWithTheLastFailure) {
  SessionHarness test;
  ConnectOptions options = reconnecting(native_options());
  options.reconnect.max_attempts = 1;
  test.open(options)->closed(connection_lost());
  test.transport(1)->refuse(503);
  ASSERT_TRUE(test.recorder.wait_for_close());
  const Error error = test.recorder.errors().at(0);
  EXPECT_EQ(error.code, ErrorCode::HandshakeRejected);
  EXPECT_NE(error.message.find("gave up reconnecting"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("max_attempts"), std::string::npos) << error.message;
}

TEST(SessionReconnect, ClosesThatSayDoNotComeBackEndTheConnection) {
  for (const std::uint16_t code : {1000, 1008, 4401, 4410}) {
    SessionHarness test;
    CloseInfo close;
    close.code = code;
    close.closed_by_peer = true;
    test.open(reconnecting(native_options()))->closed(close);
    ASSERT_TRUE(test.recorder.wait_for_close()) << code;
    EXPECT_EQ(test.network->created(), 1U) << code;
  }
}

TEST(SessionReconnect, ExpiredCredentialsEndTheConnection) {
  SessionHarness test;
  CloseInfo close;
  close.code = 4401;
  close.error = {ErrorCode::AuthExpired, "the credentials expired"};
  test.open(reconnecting(native_options()))->closed(close);
  ASSERT_TRUE(test.recorder.wait_for_close());
  EXPECT_EQ(test.network->created(), 1U);
}

TEST(SessionReconnect, AGoingAwayCloseComesBack) {
  SessionHarness test;
  CloseInfo close;
  close.code = 1001;
  close.closed_by_peer = true;
  test.open(reconnecting(native_options()))->closed(close);
  ASSERT_TRUE(test.recorder.wait_for_reconnect_attempts(1));
  EXPECT_TRUE(test.transport(1));
}

TEST(SessionReconnect, AnUnansweredPingIsAPeerGoneAndComesBack) {
  SessionHarness test;
  ConnectOptions options = reconnecting(native_options());
  options.ping_interval = std::chrono::milliseconds(10);
  options.pong_timeout = std::chrono::milliseconds(50);
  auto first = test.open(options);
  ASSERT_TRUE(test.recorder.wait_for_reconnect_attempts(1));
  EXPECT_EQ(test.recorder.reconnect_attempts()[0].reason.code, ErrorCode::PeerUnresponsive);
  EXPECT_TRUE(first->aborted());
}

TEST(Backoff, TheCeilingDoublesUpToTheMaximum) {
  ReconnectPolicy policy;
  policy.initial_delay = std::chrono::milliseconds(100);
  policy.max_delay = std::chrono::milliseconds(1000);
  const session::Backoff backoff(policy);
  EXPECT_EQ(backoff.ceiling(1).count(), 100);
  EXPECT_EQ(backoff.ceiling(2).count(), 200);
  EXPECT_EQ(backoff.ceiling(4).count(), 800);
  EXPECT_EQ(backoff.ceiling(5).count(), 1000);
  EXPECT_EQ(backoff.ceiling(1000).count(), 1000);
}

TEST(Backoff, TheDelayIsDrawnBetweenZeroAndTheCeiling) {
  ReconnectPolicy policy;
  policy.initial_delay = std::chrono::milliseconds(100);
  double drawn = 0.0;
  session::Backoff backoff(policy, [&drawn] { return drawn; });
  EXPECT_EQ(backoff.delay(2, {})->count(), 0);
  drawn = 0.5;
  EXPECT_EQ(backoff.delay(2, {})->count(), 100);
  drawn = 0.999;
  EXPECT_EQ(backoff.delay(2, {})->count(), 200);
}

TEST(Backoff, ItGivesUpPastMaxAttemptsOrMaxDuration) {
  ReconnectPolicy policy;
  policy.initial_delay = std::chrono::milliseconds(100);
  policy.max_attempts = 3;
  policy.max_duration = std::chrono::milliseconds(1000);
  session::Backoff backoff(policy, [] { return 0.999; });
  EXPECT_TRUE(backoff.delay(3, {}));
  EXPECT_FALSE(backoff.delay(4, {}));
  EXPECT_FALSE(backoff.delay(1, std::chrono::milliseconds(950)));
}

}  // namespace
}  // namespace tether::testing
