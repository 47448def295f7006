#include "event_printer.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <sstream>

namespace tether::cat {
namespace {

nlohmann::json parsed(const std::string& line) {
  EXPECT_EQ(line.back(), '\n');
  return nlohmann::json::parse(line);
}

TEST(EventPrinter, StateEventNamesBothStatesAndTheTransport) {
  const auto event = parsed(state_event_json(tether::State::Connecting, tether::State::Open,
                                             tether::TransportKind::Native));
  EXPECT_EQ(
      event,
      (nlohmann::json{
          {"event", "state"}, {"from", "Connecting"}, {"to", "Open"}, {"transport", "Native"}}));
}

TEST(EventPrinter, OpenEventCarriesTheSubprotocolAndTheTransport) {
  EXPECT_EQ(
      parsed(open_event_json("chat.v1", tether::TransportKind::Emulated)),
      (nlohmann::json{{"event", "open"}, {"subprotocol", "chat.v1"}, {"transport", "Emulated"}}));
}

TEST(EventPrinter, OpenEventKeepsTheFieldsOfEarlierVersionsFirst) {
  EXPECT_EQ(open_event_json("", tether::TransportKind::Native),
            "{\"event\":\"open\",\"subprotocol\":\"\",\"transport\":\"Native\"}\n");
}

TEST(EventPrinter, ErrorEventCarriesCodeMessageAndHttpStatus) {
  const auto event = parsed(error_event_json({tether::ErrorCode::HandshakeRejected, "no", 403}));
  EXPECT_EQ(event, (nlohmann::json{{"event", "error"},
                                   {"code", "HandshakeRejected"},
                                   {"message", "no"},
                                   {"http_status", 403},
                                   {"message_id", 0}}));
}

TEST(EventPrinter, ErrorEventKeepsTheFieldsOfEarlierVersionsFirst) {
  EXPECT_EQ(error_event_json({tether::ErrorCode::ConnectFailed, "refused"}),
            "{\"event\":\"error\",\"code\":\"ConnectFailed\",\"message\":\"refused\","
            "\"http_status\":0,\"message_id\":0}\n");
}

tether::Error refusal_of_message(std::uint64_t number) {
  tether::Error refusal{tether::ErrorCode::NotAuthorized, "send on /echo refused: read-only user"};
  refusal.message_id = number;
  return refusal;
}

TEST(EventPrinter, ARefusedMessageIsNamedByItsNumber) {
  EXPECT_EQ(parsed(error_event_json(refusal_of_message(3))),
            (nlohmann::json{{"event", "error"},
                            {"code", "NotAuthorized"},
                            {"message", "send on /echo refused: read-only user"},
                            {"http_status", 0},
                            {"message_id", 3}}));
  std::ostringstream out;
  EventPrinter printer{out, false, false};
  printer.error(refusal_of_message(3));
  EXPECT_EQ(out.str(),
            "tether-cat: message 3 was refused: send on /echo refused: read-only user\n");
}

TEST(EventPrinter, ARefusalOfNoSingleMessageGivesTheMessageAlone) {
  std::ostringstream out;
  EventPrinter printer{out, false, false};
  printer.error(refusal_of_message(0));
  EXPECT_EQ(out.str(), "tether-cat: send on /echo refused: read-only user\n");
}

TEST(EventPrinter, RevalidationEventCarriesPhaseUrlStatusAndError) {
  tether::Revalidation failed;
  failed.phase = tether::Revalidation::Phase::Failed;
  failed.url = "https://gw.example.com/revalidate";
  failed.http_status = 401;
  failed.error = {tether::ErrorCode::AuthFailed, "the gateway refused the credentials", 401};
  EXPECT_EQ(revalidation_event_json(failed),
            "{\"event\":\"revalidation\",\"phase\":\"Failed\","
            "\"url\":\"https://gw.example.com/revalidate\",\"http_status\":401,"
            "\"code\":\"AuthFailed\",\"message\":\"the gateway refused the credentials\"}\n");
  tether::Revalidation started;
  started.url = "https://gw.example.com/revalidate";
  EXPECT_EQ(parsed(revalidation_event_json(started)),
            (nlohmann::json{{"event", "revalidation"},
                            {"phase", "Started"},
                            {"url", "https://gw.example.com/revalidate"},
                            {"http_status", 0},
                            {"code", "None"},
                            {"message", ""}}));
  started.phase = tether::Revalidation::Phase::Succeeded;
  EXPECT_EQ(parsed(revalidation_event_json(started))["phase"], "Succeeded");
}

TEST(EventPrinter, OnlyAFailedRevalidationGetsAHumanLine) {
  std::ostringstream out;
  EventPrinter printer{out, false, false};
  tether::Revalidation revalidation;
  revalidation.url = "https://gw.example.com/revalidate";
  printer.revalidation(revalidation);
  revalidation.phase = tether::Revalidation::Phase::Succeeded;
  printer.revalidation(revalidation);
  EXPECT_EQ(out.str(), "");
  revalidation.phase = tether::Revalidation::Phase::Failed;
  revalidation.error = {tether::ErrorCode::AuthFailed, "no token"};
  printer.revalidation(revalidation);
  EXPECT_EQ(out.str(),
            "tether-cat: revalidation at https://gw.example.com/revalidate failed: no token\n");
}

TEST(EventPrinter, TheEndOfARevalidationIsAStateEventButNoNewOpenEvent) {
  std::ostringstream out;
  EventPrinter printer{out, true, false};
  printer.state_changed(tether::State::Open, tether::State::Revalidating,
                        tether::TransportKind::Native, "");
  printer.state_changed(tether::State::Revalidating, tether::State::Open,
                        tether::TransportKind::Native, "");
  EXPECT_EQ(out.str(),
            "{\"event\":\"state\",\"from\":\"Open\",\"to\":\"Revalidating\","
            "\"transport\":\"Native\"}\n"
            "{\"event\":\"state\",\"from\":\"Revalidating\",\"to\":\"Open\","
            "\"transport\":\"Native\"}\n");
}

TEST(EventPrinter, ReconnectingEventCarriesAttemptDelayAndReason) {
  tether::ReconnectAttempt attempt;
  attempt.attempt = 3;
  attempt.delay = std::chrono::milliseconds{1250};
  attempt.reason = {tether::ErrorCode::PeerUnresponsive, "no pong within 10000 ms"};
  EXPECT_EQ(reconnecting_event_json(attempt),
            "{\"event\":\"reconnecting\",\"attempt\":3,\"delay_ms\":1250,"
            "\"code\":\"PeerUnresponsive\",\"message\":\"no pong within 10000 ms\"}\n");
}

TEST(EventPrinter, ReconnectedEventSaysWhetherTheSessionResumedAndWhatMayBeLost) {
  tether::Reconnected reconnected;
  reconnected.resumed = false;
  reconnected.attempts = 2;
  reconnected.transport = tether::TransportKind::Emulated;
  reconnected.first_unconfirmed = 41;
  reconnected.last_unconfirmed = 43;
  EXPECT_EQ(reconnected_event_json(reconnected),
            "{\"event\":\"reconnected\",\"resumed\":false,\"attempts\":2,"
            "\"transport\":\"Emulated\",\"first_unconfirmed\":41,\"last_unconfirmed\":43}\n");
  reconnected.resumed = true;
  EXPECT_EQ(parsed(reconnected_event_json(reconnected))["resumed"], true);
}

TEST(EventPrinter, EachAttemptGetsAHumanLine) {
  std::ostringstream out;
  EventPrinter printer{out, false, false};
  tether::ReconnectAttempt attempt;
  attempt.delay = std::chrono::milliseconds{480};
  attempt.reason = {tether::ErrorCode::ConnectionLost, "the connection dropped"};
  printer.reconnecting(attempt);
  EXPECT_EQ(out.str(), "tether-cat: reconnecting: attempt 1 in 480 ms (the connection dropped)\n");
}

TEST(EventPrinter, OnlyANewSessionThatMayHaveLostMessagesGetsAHumanLine) {
  std::ostringstream out;
  EventPrinter printer{out, false, false};
  tether::Reconnected reconnected;
  reconnected.resumed = true;
  printer.reconnected(reconnected);
  reconnected.resumed = false;
  printer.reconnected(reconnected);  // nothing was unconfirmed
  EXPECT_EQ(out.str(), "");
  reconnected.first_unconfirmed = 7;
  reconnected.last_unconfirmed = 9;
  printer.reconnected(reconnected);
  EXPECT_EQ(out.str(),
            "tether-cat: reconnected as a new session: messages 7 to 9 may not have been "
            "delivered\n");
}

TEST(EventPrinter, TheEndOfAReconnectIsAStateEventButNoNewOpenEvent) {
  std::ostringstream out;
  EventPrinter printer{out, true, false};
  printer.state_changed(tether::State::Reconnecting, tether::State::Open,
                        tether::TransportKind::Native, "");
  EXPECT_EQ(out.str(),
            "{\"event\":\"state\",\"from\":\"Reconnecting\",\"to\":\"Open\","
            "\"transport\":\"Native\"}\n");
}

TEST(EventPrinter, ClosedEventCarriesCodeReasonAndWhoClosed) {
  tether::CloseInfo close;
  close.code = 1011;
  close.reason = "bye";
  close.closed_by_peer = true;
  EXPECT_EQ(
      parsed(closed_event_json(close)),
      (nlohmann::json{{"event", "closed"}, {"code", 1011}, {"reason", "bye"}, {"by_peer", true}}));
}

TEST(EventPrinter, InvalidUtf8IsReplacedRatherThanThrown) {
  tether::CloseInfo close;
  close.reason = "\xff";
  EXPECT_NO_THROW(parsed(closed_event_json(close)));
}

TEST(EventPrinter, ErrorsGiveAHumanLineAndAJsonLine) {
  std::ostringstream out;
  EventPrinter printer{out, true, false};
  printer.error({tether::ErrorCode::ConnectFailed, "connection refused"});
  EXPECT_NE(out.str().find("\"code\":\"ConnectFailed\""), std::string::npos);
  EXPECT_NE(out.str().find("tether-cat: connection refused\n"), std::string::npos);
}

TEST(EventPrinter, QuietDropsHumanLinesButNotEvents) {
  std::ostringstream out;
  EventPrinter printer{out, true, true};
  printer.error({tether::ErrorCode::ConnectFailed, "connection refused"});
  EXPECT_EQ(out.str().find("tether-cat:"), std::string::npos);
  EXPECT_NE(out.str().find("\"event\":\"error\""), std::string::npos);
}

TEST(EventPrinter, WithoutEventsOnlyHumanLinesArePrinted) {
  std::ostringstream out;
  EventPrinter printer{out, false, false};
  printer.state_changed(tether::State::Connecting, tether::State::Open,
                        tether::TransportKind::Native, "");
  EXPECT_EQ(out.str(), "");
}

TEST(EventPrinter, APeerCloseWithAnErrorCodeGetsAHumanLine) {
  std::ostringstream out;
  EventPrinter printer{out, false, false};
  tether::CloseInfo close;
  close.code = 1011;
  close.reason = "overloaded";
  close.closed_by_peer = true;
  printer.closed(close);
  EXPECT_EQ(out.str(), "tether-cat: the peer closed the connection with code 1011: overloaded\n");
}

TEST(EventPrinter, OpenIsFollowedByTheOpenEvent) {
  std::ostringstream out;
  EventPrinter printer{out, true, false};
  printer.state_changed(tether::State::Connecting, tether::State::Open,
                        tether::TransportKind::Native, "chat.v1");
  EXPECT_NE(out.str().find("\"event\":\"open\""), std::string::npos);
}

TEST(EventPrinter, AFallbackGivesAHumanLineOnly) {
  std::ostringstream out;
  EventPrinter printer{out, true, false};
  printer.fell_back_to_emulation(false);
  EXPECT_EQ(out.str().rfind("tether-cat: the WebSocket handshake failed", 0), 0u) << out.str();
  EXPECT_NE(out.str().find("HTTP emulation"), std::string::npos) << out.str();
  EXPECT_EQ(out.str().find("\"event\""), std::string::npos) << out.str();
}

TEST(EventPrinter, AFallbackTheMemoryMadeSaysSo) {
  std::ostringstream out;
  EventPrinter printer{out, false, false};
  printer.fell_back_to_emulation(true);
  EXPECT_EQ(out.str().rfind("tether-cat: the WebSocket failed lately for this gateway", 0), 0u)
      << out.str();
  EXPECT_EQ(out.str().find("handshake failed"), std::string::npos) << out.str();
}

TEST(EventPrinter, TransportEventCarriesTheTransportAndWhy) {
  EXPECT_EQ(transport_event_json(tether::TransportKind::Emulated,
                                 {tether::ErrorCode::HandshakeRejected, "refused", 403}),
            "{\"event\":\"transport\",\"transport\":\"Emulated\",\"code\":\"HandshakeRejected\","
            "\"message\":\"refused\",\"http_status\":403}\n");
  EXPECT_EQ(parsed(transport_event_json(tether::TransportKind::Native, {}))["code"], "None");
}

TEST(EventPrinter, OnlyTheUpgradeInPlaceGetsAHumanLine) {
  std::ostringstream out;
  EventPrinter printer{out, false, false};
  printer.transport_changed(tether::TransportKind::Native, {}, false);
  printer.transport_changed(tether::TransportKind::Emulated,
                            {tether::ErrorCode::HandshakeRejected, "refused", 403}, false);
  EXPECT_EQ(out.str(), "") << "an attempt's start and a fallback";
  printer.transport_changed(tether::TransportKind::Native, {}, true);
  EXPECT_EQ(out.str().rfind("tether-cat: the WebSocket gets through again", 0), 0u) << out.str();
}

TEST(EventPrinter, QuietDropsTheFallbackLine) {
  std::ostringstream out;
  EventPrinter printer{out, true, true};
  printer.fell_back_to_emulation(false);
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace tether::cat
