// The session's side of the control channel (docs/control-channel.md section 5) against a
// scripted transport: the Revalidating sub-state, the revalidation's events and result, the
// origin rule, superseding, DENIED, AUTHORIZATION_CHANGED and the close that AuthExpired ends.
// The revalidation's HTTP exchanges with a real gateway are in
// tests/integration/revalidation_session_test.cpp.
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "session_harness.hpp"
#include "tether/log.hpp"
#include "tether_test/silent_listener.hpp"

namespace tether::testing {
namespace {

using test::SilentListener;

using Timeline = std::vector<std::string>;

control::Revalidate revalidate(std::uint32_t id, std::string url) {
  return {id, 30000, std::move(url)};
}

/// The revalidation results the session sent.
std::vector<control::RevalidationResult> results_sent(const FakeTransport& transport) {
  std::vector<control::RevalidationResult> results;
  for (const auto& message : transport.controls_sent()) {
    if (const auto* result = std::get_if<control::RevalidationResult>(&message)) {
      results.push_back(*result);
    }
  }
  return results;
}

/// The timeline from the first revalidation's transition on.
Timeline since_revalidating(const Timeline& timeline) {
  for (auto event = timeline.begin(); event != timeline.end(); ++event) {
    if (*event == "state Open -> Revalidating") return Timeline(event, timeline.end());
  }
  return {};
}

TEST(SessionRevalidation, SendAndPingKeepWorkingWhileRevalidating) {
  SilentListener gateway;
  SessionHarness test;
  const auto transport = test.open_revalidating(gateway.port());
  EXPECT_EQ(test.session->state(), State::Revalidating);
  EXPECT_EQ(test.recorder.revalidations()[0].phase, Revalidation::Phase::Started);
  EXPECT_EQ(test.recorder.revalidations()[0].url,
            "http://127.0.0.1:" + std::to_string(gateway.port()) + "/revalidate");

  std::uint64_t number = 0;
  EXPECT_FALSE(test.session->send(MessageKind::Text, "still here", &number));
  EXPECT_EQ(number, 1U);
  EXPECT_FALSE(test.session->send(MessageKind::Binary, "and here", &number));
  EXPECT_EQ(number, 2U);
  EXPECT_EQ(transport->messages_sent(), 2U);
  EXPECT_FALSE(test.session->ping("alive?"));
  EXPECT_EQ(test.session->state(), State::Revalidating);
}

TEST(SessionRevalidation, MessagesKeepArrivingInOrderWhileRevalidating) {
  SilentListener gateway;
  SessionHarness test;
  const auto transport = test.open_with_control_channel(loopback_options(gateway.port()));
  transport->receive("before");
  transport->control(control::Revalidate{1, 30000, "/revalidate"});
  transport->receive("during 1");
  transport->receive("during 2");
  EXPECT_EQ(test.session->state(), State::Revalidating);
  EXPECT_EQ(since_revalidating(test.recorder.timeline()),
            Timeline({"state Open -> Revalidating", "revalidation Started", "message during 1",
                      "message during 2"}));
}

TEST(SessionRevalidation, CloseDuringARevalidationEndsIt) {
  SilentListener gateway;
  SessionHarness test;
  const auto transport = test.open_revalidating(gateway.port());
  EXPECT_FALSE(test.session->close(1000, "bye"));
  ASSERT_TRUE(test.recorder.wait_for_revalidations(2));
  EXPECT_EQ(test.recorder.revalidations()[1].error.code, ErrorCode::Cancelled);
  ASSERT_TRUE(transport->close_request());
  EXPECT_EQ(transport->close_request()->first, 1000);
  CloseInfo clean;
  clean.code = 1000;
  transport->closed(clean);
  ASSERT_TRUE(test.recorder.wait_for_close());
  EXPECT_EQ(since_revalidating(test.recorder.timeline()),
            Timeline({"state Open -> Revalidating", "revalidation Started",
                      "state Revalidating -> Closing", "revalidation Failed",
                      "state Closing -> Closed", "closed 1000"}));
  EXPECT_TRUE(results_sent(*transport).empty());
}

struct OtherOrigin {
  const char* name;
  /// The URL, "{port}" standing for the connection's port and "{other}" for another one.
  std::string url;
};

void PrintTo(const OtherOrigin& origin, std::ostream* out) { *out << origin.name; }

std::string with_ports(std::string url, std::uint16_t port, std::uint16_t other) {
  for (const auto& [name, value] : {std::pair<std::string, std::uint16_t>{"{port}", port},
                                    std::pair<std::string, std::uint16_t>{"{other}", other}}) {
    const auto at = url.find(name);
    if (at != std::string::npos) url.replace(at, name.size(), std::to_string(value));
  }
  return url;
}

class SessionRevalidationOrigin : public ::testing::TestWithParam<OtherOrigin> {};

TEST_P(SessionRevalidationOrigin, IsRefusedWithoutARequest) {
  SilentListener gateway;
  SilentListener elsewhere;
  SessionHarness test;
  ConnectOptions options = loopback_options(gateway.port());
  options.auth.allow_insecure_auth = true;
  const auto transport = test.open_with_control_channel(options);
  transport->control(revalidate(9, with_ports(GetParam().url, gateway.port(), elsewhere.port())));
  ASSERT_TRUE(test.recorder.wait_for_revalidations(2));

  const Revalidation failed = test.recorder.revalidations()[1];
  EXPECT_EQ(failed.phase, Revalidation::Phase::Failed);
  EXPECT_EQ(failed.http_status, 0);
  EXPECT_EQ(failed.error.code, ErrorCode::InvalidArgument);
  const std::string own_origin = "http://127.0.0.1:" + std::to_string(gateway.port());
  EXPECT_NE(failed.error.message.find(own_origin), std::string::npos) << failed.error.message;
  EXPECT_NE(failed.error.message.find("nothing was sent"), std::string::npos)
      << failed.error.message;
  const auto results = results_sent(*transport);
  ASSERT_EQ(results.size(), 1U);
  EXPECT_EQ(results[0].request_id, 9U);
  EXPECT_EQ(results[0].outcome, control::RevalidationOutcome::UrlRefused);
  EXPECT_EQ(results[0].http_status, 0);
  EXPECT_EQ(gateway.accepted(), 0U);
  EXPECT_EQ(elsewhere.accepted(), 0U);
  EXPECT_EQ(since_revalidating(test.recorder.timeline()),
            Timeline({"state Open -> Revalidating", "revalidation Started",
                      "state Revalidating -> Open", "revalidation Failed"}));
  EXPECT_EQ(test.session->state(), State::Open);
}

INSTANTIATE_TEST_SUITE_P(
    EveryPartOfTheOrigin, SessionRevalidationOrigin,
    ::testing::Values(OtherOrigin{"AnotherPort", "http://127.0.0.1:{other}/revalidate"},
                      OtherOrigin{"AnotherScheme", "https://127.0.0.1:{port}/revalidate"},
                      OtherOrigin{"AnotherHost", "http://localhost:{port}/revalidate"}),
    [](const ::testing::TestParamInfo<OtherOrigin>& origin) {
      return std::string(origin.param.name);
    });

TEST(SessionRevalidation, TheRefusalNamesBothOrigins) {
  SilentListener gateway;
  SessionHarness test;
  const auto transport = test.open_with_control_channel(loopback_options(gateway.port()));
  transport->control(revalidate(1, "https://login.example.com/revalidate?token=secret"));
  ASSERT_TRUE(test.recorder.wait_for_revalidations(2));
  const std::string message = test.recorder.revalidations()[1].error.message;
  EXPECT_NE(message.find("https://login.example.com:443"), std::string::npos) << message;
  EXPECT_NE(message.find("http://127.0.0.1:" + std::to_string(gateway.port())), std::string::npos)
      << message;
  EXPECT_EQ(message.find("secret"), std::string::npos) << message;
}

TEST(SessionRevalidation, ANewRequestSupersedesTheOneInProgress) {
  SilentListener gateway;
  SilentListener elsewhere;
  SessionHarness test;
  const auto transport = test.open_with_control_channel(loopback_options(gateway.port()));
  transport->control(revalidate(1, "/slow"));
  ASSERT_TRUE(test.recorder.wait_for_revalidations(1));
  ASSERT_TRUE(gateway.wait_for_accepted(1, std::chrono::seconds(5)));  // its request is made
  transport->control(
      revalidate(2, "http://127.0.0.1:" + std::to_string(elsewhere.port()) + "/refused"));
  ASSERT_TRUE(test.recorder.wait_for_revalidations(4));

  const auto revalidations = test.recorder.revalidations();
  EXPECT_EQ(revalidations[1].phase, Revalidation::Phase::Failed);
  EXPECT_EQ(revalidations[1].error.code, ErrorCode::Cancelled);
  EXPECT_NE(revalidations[1].url.find("/slow"), std::string::npos);
  EXPECT_EQ(revalidations[2].phase, Revalidation::Phase::Started);
  EXPECT_NE(revalidations[2].url.find("/refused"), std::string::npos);
  EXPECT_EQ(revalidations[3].error.code, ErrorCode::InvalidArgument);
  // Only the second is answered; the superseded one's result is omitted (section 5.1).
  const auto results = results_sent(*transport);
  ASSERT_EQ(results.size(), 1U);
  EXPECT_EQ(results[0].request_id, 2U);
  EXPECT_EQ(
      since_revalidating(test.recorder.timeline()),
      Timeline({"state Open -> Revalidating", "revalidation Started", "revalidation Failed",
                "revalidation Started", "state Revalidating -> Open", "revalidation Failed"}));
}

TEST(SessionRevalidation, CloseCode4401ReportsAuthExpiredAndNothingReconnects) {
  SilentListener gateway;
  SessionHarness test;
  const auto transport = test.open_revalidating(gateway.port());
  CloseInfo expired;
  expired.code = 4401;
  expired.reason = "revalidation expired";
  expired.closed_by_peer = true;
  expired.error = {ErrorCode::AuthExpired, "the gateway closed the connection (4401)"};
  transport->closed(expired);
  ASSERT_TRUE(test.recorder.wait_for_close());

  ASSERT_EQ(test.recorder.errors().size(), 1U);
  EXPECT_EQ(test.recorder.errors()[0].code, ErrorCode::AuthExpired);
  EXPECT_EQ(test.recorder.closes()[0].error.code, ErrorCode::AuthExpired);
  EXPECT_EQ(test.recorder.closes()[0].code, 4401);
  ASSERT_EQ(test.recorder.revalidations().size(), 2U);
  EXPECT_EQ(test.recorder.revalidations()[1].error.code, ErrorCode::AuthExpired);
  EXPECT_EQ(since_revalidating(test.recorder.timeline()),
            Timeline({"state Open -> Revalidating", "revalidation Started", "error AuthExpired",
                      "revalidation Failed", "state Revalidating -> Closed", "closed 4401"}));
  EXPECT_EQ(test.session->state(), State::Closed);
  EXPECT_EQ(test.network->created(), 1U);
}

TEST(SessionControl, DeniedIsNotAuthorizedWithTheMessageNumberAndTheConnectionStaysOpen) {
  SessionHarness test;
  const auto transport = test.open_with_control_channel(native_options());
  std::uint64_t refused = 0;
  ASSERT_FALSE(test.session->send(MessageKind::Text, "buy AAPL", &refused));
  transport->control(
      control::Denied{control::Operation::Send, refused, "AAPL", "alice may not send to AAPL"});
  ASSERT_TRUE(test.recorder.wait_for_errors(1));

  const Error denied = test.recorder.errors()[0];
  EXPECT_EQ(denied.code, ErrorCode::NotAuthorized);
  EXPECT_EQ(denied.message_id, refused);
  EXPECT_EQ(denied.http_status, 0);
  for (const char* part : {"message 1", "send", "AAPL", "alice may not send to AAPL"}) {
    EXPECT_NE(denied.message.find(part), std::string::npos) << part << ": " << denied.message;
  }
  EXPECT_EQ(test.session->state(), State::Open);
  EXPECT_TRUE(test.recorder.closes().empty());
  EXPECT_FALSE(transport->close_request());
  EXPECT_FALSE(transport->aborted());
  std::uint64_t next = 0;
  EXPECT_FALSE(test.session->send(MessageKind::Text, "buy MSFT", &next));
  EXPECT_EQ(next, 2U);
}

TEST(SessionControl, DeniedSubscriptionNamesTheTopic) {
  SessionHarness test;
  const auto transport = test.open_with_control_channel(native_options());
  transport->control(
      control::Denied{control::Operation::Receive, 4, "MSFT", "bob may not receive MSFT"});
  ASSERT_TRUE(test.recorder.wait_for_errors(1));
  const Error denied = test.recorder.errors()[0];
  EXPECT_EQ(denied.code, ErrorCode::NotAuthorized);
  EXPECT_EQ(denied.message_id, 4U);
  EXPECT_NE(denied.message.find("subscription"), std::string::npos) << denied.message;
  EXPECT_NE(denied.message.find("topic MSFT"), std::string::npos) << denied.message;
}

TEST(SessionControl, AuthorizationChangedIsLoggedAtInfoWithoutAnError) {
  std::mutex mutex;
  std::vector<std::string> lines;
  set_log_sink(
      [&](LogLevel level, std::string_view line) {
        std::lock_guard lock(mutex);
        if (level == LogLevel::Info) lines.emplace_back(line);
      },
      LogLevel::Info);
  {
    SessionHarness test;
    const auto transport = test.open_with_control_channel(native_options());
    transport->control(control::AuthorizationChanged{
        {{control::Operation::Receive, false, "MSFT"}, {control::Operation::Send, true, ""}}});
    EXPECT_TRUE(test.recorder.errors().empty());
    EXPECT_EQ(test.session->state(), State::Open);
  }
  set_log_sink({});
  std::lock_guard lock(mutex);
  bool found = false;
  for (const auto& line : lines) {
    found = found || line.find(
                         "receive on topic MSFT revoked, send on the whole service "
                         "granted") != std::string::npos;
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace tether::testing
