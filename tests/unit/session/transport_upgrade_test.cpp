// The upgrade in place (docs/emulation.md section 11) against scripted transports: the probe, the
// resume offer, and how the streams go over to the native transport.
#include <gtest/gtest.h>

#include <asio/post.hpp>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include "core/io_context_impl.hpp"
#include "session_harness.hpp"
#include "tether/fallback_memory.hpp"

namespace tether::testing {
namespace {

using Strings = std::vector<std::string>;
using Kinds = std::vector<TransportKind>;

const std::string token(32, 'k');

/// Auto with reconnect, and a memory that sends connect() straight to the emulated transport.
ConnectOptions remembered_options() {
  ConnectOptions options = reconnecting(native_options());
  options.transport = TransportPolicy::Auto;
  options.fallback.memory->remember(FallbackMemory::key(options.url, ""),
                                    FallbackMemory::Clock::now() + std::chrono::minutes(10));
  return options;
}

/// Opens emulated with resume on and the gateway's token; returns the emulated transport.
std::shared_ptr<FakeTransport> open_emulated(SessionHarness& test, const ConnectOptions& options) {
  auto emulated = test.open_with(options, [](FakeTransport& transport) {
    transport.open_with_control_channel(control::ChannelAnswer{1, true, std::nullopt});
  });
  EXPECT_EQ(emulated->kind(), TransportKind::Emulated);
  emulated->control(control::ResumeToken{30000, token});
  return emulated;
}

/// Plays the background probe's native open and pong; it closes with 1000.
void pass_probe(FakeTransport& probe) {
  ASSERT_EQ(probe.kind(), TransportKind::Native);
  EXPECT_FALSE(probe.request().resume) << "the probe resumes nothing";
  probe.connected();
  probe.open_with_control_channel(control::ChannelAnswer{1, false, std::nullopt});
  ASSERT_EQ(probe.pings(), 1);
  probe.pong();
  ASSERT_TRUE(probe.close_request());
  EXPECT_EQ(probe.close_request()->first, 1000);
}

std::vector<std::uint64_t> acks_in(const std::vector<control::ControlMessage>& controls) {
  std::vector<std::uint64_t> acks;
  for (const auto& message : controls) {
    if (const auto* ack = std::get_if<control::Ack>(&message)) acks.push_back(ack->received);
  }
  return acks;
}

/// Opens emulated and passes the probe; the upgrade's handshake is then under way, its TCP
/// connection up. Returns the emulated transport and the upgrade's.
std::pair<std::shared_ptr<FakeTransport>, std::shared_ptr<FakeTransport>> start_upgrade(
    SessionHarness& test) {
  auto emulated = open_emulated(test, remembered_options());
  pass_probe(*test.transport(1));
  auto upgrade = test.transport(2);
  upgrade->connected();
  return {emulated, upgrade};
}

void send_all(SessionHarness& test, const Strings& texts) {
  for (const auto& text : texts) {
    ASSERT_FALSE(test.session->send(MessageKind::Text, text, nullptr)) << text;
  }
}

TEST(TransportUpgrade, AResumedNativeHandshakeCarriesTheConnectionWithoutALossOrARepeat) {
  SessionHarness test;
  const auto emulated = open_emulated(test, remembered_options());
  send_all(test, {"1", "2"});
  emulated->receive("a");
  emulated->receive("b");
  pass_probe(*test.transport(1));

  const auto upgrade = test.transport(2);
  ASSERT_EQ(upgrade->kind(), TransportKind::Native);
  const auto offer = upgrade->request().resume;
  ASSERT_TRUE(offer);
  EXPECT_EQ(offer->token, token);
  EXPECT_EQ(offer->received, 2U);
  // Meanwhile the emulated connection goes on; its ACKs wait, or the gateway would refuse the
  // offer as below what was acknowledged.
  emulated->receive("c");
  send_all(test, {"3"});
  EXPECT_TRUE(acks_in(emulated->controls_sent()).empty());

  upgrade->connected();
  // The gateway had received one of the client's messages, and replays from its third.
  upgrade->open_with_control_channel(control::ChannelAnswer{1, true, 1});
  ASSERT_TRUE(test.recorder.wait_for_transports(2));
  EXPECT_EQ(test.recorder.transports(), Kinds({TransportKind::Emulated, TransportKind::Native}));
  EXPECT_TRUE(emulated->aborted());
  EXPECT_EQ(test.session->transport_kind(), TransportKind::Native);
  EXPECT_EQ(upgrade->payloads_sent(), Strings({"2", "3"}));
  EXPECT_EQ(acks_in(upgrade->controls_sent()), std::vector<std::uint64_t>({3}))
      << "what the emulated transport delivered after the offer";
  upgrade->control(control::ResumeToken{30000, std::string(32, 'n')});
  upgrade->receive("c");  // the replay: delivered already
  upgrade->receive("d");
  send_all(test, {"4"});
  EXPECT_EQ(upgrade->payloads_sent(), Strings({"2", "3", "4"}));
  const auto timeline = test.recorder.timeline();
  EXPECT_EQ(timeline, Strings({"state Idle -> Connecting", "state Connecting -> Open", "message a",
                               "message b", "message c", "message d"}));
}

TEST(TransportUpgrade, AGatewayThatDoesNotResumeLeavesTheConnectionEmulated) {
  SessionHarness test;
  std::shared_ptr<FakeTransport> emulated, upgrade;
  std::tie(emulated, upgrade) = start_upgrade(test);
  upgrade->open_with_control_channel(control::ChannelAnswer{1, true, std::nullopt});
  ASSERT_TRUE(eventually([&upgrade] { return upgrade->close_request().has_value(); }))
      << "its new session is closed on the gateway";
  EXPECT_FALSE(emulated->aborted());
  EXPECT_EQ(test.session->transport_kind(), TransportKind::Emulated);
  send_all(test, {"still emulated"});
  EXPECT_EQ(emulated->payloads_sent(), Strings({"still emulated"}));
  EXPECT_EQ(test.recorder.transports(), Kinds({TransportKind::Emulated}));
}

TEST(TransportUpgrade, TheEmulatedEndDuringTheUpgradeWaitsForItsOutcome) {
  SessionHarness test;
  std::shared_ptr<FakeTransport> emulated, upgrade;
  std::tie(emulated, upgrade) = start_upgrade(test);
  // The gateway dropped the emulated connection as it moved the session.
  CloseInfo dropped;
  dropped.code = 1006;
  dropped.error = {ErrorCode::ConnectionLost, "the emulated session is gone"};
  emulated->closed(dropped);
  EXPECT_EQ(test.recorder.transitions(), Strings({"Idle -> Connecting", "Connecting -> Open"}));
  upgrade->refuse(503);
  // The upgrade failed: the end counts after all, and the session reconnects.
  ASSERT_TRUE(test.recorder.wait_for_state(State::Reconnecting));
  EXPECT_EQ(test.recorder.transports().front(), TransportKind::Emulated);
}

/// Calls close(1000, "bye") while the I/O thread is busy, and plays `meanwhile` there before
/// close()'s task: the window in which the state is Closing already and the session has not yet
/// handled the close.
void close_after(SessionHarness& test, const std::function<void()>& meanwhile) {
  std::promise<void> called;
  std::promise<void> played;
  asio::post(io_context_impl(*test.io).io, [&] {
    called.get_future().wait();
    meanwhile();
    played.set_value();
  });
  ASSERT_FALSE(test.session->close(1000, "bye"));
  called.set_value();
  played.get_future().wait();
}

/// The gateway moved the session to the upgrade's handshake: the emulated connection's next
/// downstream request finds it gone.
CloseInfo session_gone() {
  CloseInfo gone;
  gone.code = 1006;
  gone.error = {ErrorCode::ConnectionLost, "HTTP 404: the session is gone"};
  return gone;
}

/// The application saw its own close, and nothing else after Open.
void expect_the_applications_close(SessionHarness& test) {
  ASSERT_TRUE(test.recorder.wait_for_close());
  EXPECT_TRUE(test.recorder.errors().empty()) << test.recorder.errors().front().message;
  ASSERT_EQ(test.recorder.closes().size(), 1U);
  EXPECT_EQ(test.recorder.closes()[0].code, 1000);
  EXPECT_EQ(test.recorder.closes()[0].reason, "bye");
  EXPECT_FALSE(test.recorder.closes()[0].error);
  EXPECT_EQ(test.recorder.transports(), Kinds({TransportKind::Emulated}));
  EXPECT_EQ(test.session->state(), State::Closed);
}

/// The upgrade's handshake, discarded, opens resumed: it closes its connection, which ends the
/// session on the gateway, instead of dropping it (the gateway would keep the session).
void expect_the_resumed_session_closed(FakeTransport& upgrade) {
  ASSERT_TRUE(eventually([&upgrade] { return upgrade.close_request().has_value(); }));
  EXPECT_EQ(upgrade.close_request()->first, 1000);
  EXPECT_FALSE(upgrade.aborted());
}

TEST(TransportUpgrade, TheEmulatedEndBetweenCloseAndItsTaskIsTheApplicationsClose) {
  SessionHarness test;
  std::shared_ptr<FakeTransport> emulated, upgrade;
  std::tie(emulated, upgrade) = start_upgrade(test);
  close_after(test, [&] { emulated->closed(session_gone()); });
  expect_the_applications_close(test);
  upgrade->open_with_control_channel(control::ChannelAnswer{1, true, 0});
  expect_the_resumed_session_closed(*upgrade);
}

TEST(TransportUpgrade, TheUpgradesOpenBetweenCloseAndItsTaskMovesNothing) {
  SessionHarness test;
  std::shared_ptr<FakeTransport> emulated, upgrade;
  std::tie(emulated, upgrade) = start_upgrade(test);
  close_after(test, [&] {
    upgrade->open_with_control_channel(control::ChannelAnswer{1, true, 0});
  });
  expect_the_resumed_session_closed(*upgrade);
  ASSERT_TRUE(eventually([&emulated] { return emulated->close_request().has_value(); }));
  emulated->closed(session_gone());
  expect_the_applications_close(test);
}

TEST(TransportUpgrade, TheUpgradesFailureBetweenCloseAndItsTaskLeavesTheApplicationsClose) {
  SessionHarness test;
  std::shared_ptr<FakeTransport> emulated, upgrade;
  std::tie(emulated, upgrade) = start_upgrade(test);
  emulated->closed(session_gone());  // held: the upgrade decides what it means
  close_after(test, [&] { upgrade->refuse(503); });
  expect_the_applications_close(test);
}

TEST(TransportUpgrade, NoUpgradeWithoutResumeOrWithTheOptionOff) {
  for (const bool option_off : {true, false}) {
    SessionHarness test;
    ConnectOptions options = remembered_options();
    options.fallback.upgrade = !option_off;
    if (option_off) {
      open_emulated(test, options);
    } else {
      options.reconnect.enabled = false;  // nothing to resume
      test.open_with_control_channel(options);
    }
    pass_probe(*test.transport(1));
    EXPECT_EQ(test.network->created(), 2U) << "option off: " << option_off;
  }
}

}  // namespace
}  // namespace tether::testing
