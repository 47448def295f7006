// Resumable sessions (docs/control-channel.md section 5.5, docs/gateway.md "Resume") on both of
// the gateway's transports, checked with its own Beast and emulation clients: the answer and the
// RESUME_TOKEN of a new session, a resume after drop_connections that replays exactly what the
// client had not received and goes on counting, on one transport or across both, the resumes the
// gateway refuses, ACKs both ways; and the faults that exercise it: close_connections,
// black_hole, a restart.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/error.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "control/control_codec.hpp"
#include "control/control_message.hpp"
#include "control/control_negotiation.hpp"
#include "control/native_framing.hpp"
#include "emulation_test_client.hpp"
#include "gateway_config.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/gateway_stats_wait.hpp"
#include "tether_test/temp_dir.hpp"
#include "tether_test/users_file.hpp"
#include "transport/emulated/frame_codec.hpp"
#include "websocket_test_client.hpp"

namespace tether::gateway::test {
namespace {

using nlohmann::json;
using tether::test::Gateway;
using tether::test::TempDir;
using tether::test::wait_for_stats;
using namespace std::chrono_literals;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;

const std::string new_session_offer = control::extension_offer(control::ResumeOffer{});
const std::string new_session_answer = "x-tether-control; v=1; resume";

std::string resume_offer(const std::string& token, std::uint64_t received) {
  return control::extension_offer(control::ResumeOffer{token, received});
}

std::string resumed_answer(std::uint64_t received) {
  return new_session_answer + "; received=" + std::to_string(received);
}

// What a client reads next: an application message (text) or a control message.
using Incoming = std::variant<std::string, control::ControlMessage>;

enum class Transport { native, emulated };

const char* name_of(Transport transport) {
  return transport == Transport::native ? "native" : "emulated";
}

// One transport connection of a session, as the test drives it. Every read waits at most 5 s.
class Link {
 public:
  virtual ~Link() = default;
  // The extensions header of the 101 or the 201.
  virtual std::string answer() const = 0;
  virtual void send(const std::string& text) = 0;
  virtual void send_control(const control::ControlMessage& message) = 0;
  // The next message; nullopt when the connection ended or nothing came.
  virtual std::optional<Incoming> next() = 0;
  // Reads on until the gateway's close and answers it, as a client does; returns its code, or
  // nullopt when the connection ended without one.
  virtual std::optional<std::uint16_t> await_close() = 0;
};

class NativeLink final : public Link {
 public:
  NativeLink(const Gateway& gateway, const std::string& path, const std::string& offer,
             HandshakeOptions options)
      : client_(open(gateway, path, offer, std::move(options))) {}

  std::string answer() const override {
    const auto values = field_values(client_.response(), http::field::sec_websocket_extensions);
    return values.empty() ? std::string() : values.front();
  }
  void send(const std::string& text) override { EXPECT_FALSE(client_.write(text, true)); }
  void send_control(const control::ControlMessage& message) override {
    std::string encoded;
    EXPECT_FALSE(control::append_native_control_message(encoded, message));
    EXPECT_FALSE(client_.write(encoded, false));
  }
  std::optional<Incoming> next() override {
    const auto read = client_.read();
    if (read.error) return std::nullopt;
    if (read.is_text) return read.payload;
    control::ReceivedBinary received;
    EXPECT_FALSE(control::read_native_binary(read.payload, received));
    if (received.control) return *received.control;
    return std::string(received.application);
  }
  std::optional<std::uint16_t> await_close() override {
    boost::beast::error_code error;
    while (!(error = client_.read().error)) {
    }
    if (error != websocket::error::closed) return std::nullopt;
    return client_.close_reason().code;
  }
  WebSocketTestClient& client() { return client_; }

 private:
  static WebSocketTestClient open(const Gateway& gateway, const std::string& path,
                                  const std::string& offer, HandshakeOptions options) {
    options.headers.emplace_back("Sec-WebSocket-Extensions", offer);
    auto client = WebSocketTestClient::connect(gateway.ws_port(), path, options);
    EXPECT_FALSE(client.handshake_error()) << client.handshake_error().message();
    return client;
  }

  WebSocketTestClient client_;
};

class EmulatedLink final : public Link {
 public:
  EmulatedLink(const Gateway& gateway, const std::string& path, const std::string& offer,
               const HandshakeOptions& options)
      : client_(gateway.ws_port(), path, headers_of(options)) {
    const auto created = client_.create({{"Tether-Extensions", offer}});
    EXPECT_EQ(created.status, 201U) << created.body;
    const auto values = created.header_values("Tether-Extensions");
    answer_ = values.empty() ? std::string() : values.front();
    downstream_ = std::make_unique<DownstreamReader>(client_.downstream());
  }

  std::string answer() const override { return answer_; }
  void send(const std::string& text) override { send_frame(FrameType::Text, text); }
  void send_control(const control::ControlMessage& message) override {
    std::string body;
    EXPECT_FALSE(control::append_control_message(body, message));
    send_frame(FrameType::Control, body);
  }
  std::optional<Incoming> next() override {
    const auto frame = downstream_->next_non_nop();
    if (!frame) return std::nullopt;
    if (frame->sequence != 0) last_received_ = frame->sequence;
    if (frame->type == FrameType::Text || frame->type == FrameType::Binary) return frame->payload;
    if (frame->type != FrameType::Control) return std::nullopt;  // a CLOSE
    std::optional<control::ControlMessage> message;
    EXPECT_FALSE(control::decode_control_message(frame->payload, message));
    if (!message) return std::nullopt;
    return *message;
  }
  std::optional<std::uint16_t> await_close() override {
    std::optional<Frame> frame;
    while ((frame = downstream_->next_non_nop()) && frame->type != FrameType::Close) {
    }
    if (!frame) return std::nullopt;
    transport::emulated::ClosePayload close;
    EXPECT_FALSE(transport::emulated::decode_close_payload(frame->payload, close));
    last_received_ = frame->sequence;
    send_frame(FrameType::Close, transport::emulated::encode_close_payload(close.code, {}));
    return close.code;
  }
  DownstreamReader& downstream() { return *downstream_; }
  EmulationTestClient& client() { return client_; }

 private:
  static HttpHeaders headers_of(const HandshakeOptions& options) {
    HttpHeaders headers(options.headers.begin(), options.headers.end());
    if (!options.origin.empty()) headers.emplace_back("Origin", options.origin);
    return headers;
  }

  void send_frame(FrameType type, const std::string& payload) {
    const auto response =
        client_.upstream(encode_frames({{type, ++last_sent_, payload}}), last_received_);
    EXPECT_EQ(response.status, 204U) << response.body;
  }

  EmulationTestClient client_;
  std::unique_ptr<DownstreamReader> downstream_;
  std::string answer_;
  std::uint64_t last_sent_ = 0;
  std::uint64_t last_received_ = 0;
};

std::unique_ptr<Link> open_link(Transport transport, const Gateway& gateway,
                                const std::string& offer, const std::string& path = "/echo",
                                const HandshakeOptions& options = {}) {
  if (transport == Transport::native) {
    return std::make_unique<NativeLink>(gateway, path, offer, options);
  }
  return std::make_unique<EmulatedLink>(gateway, path, offer, options);
}

// The next application message, skipping the gateway's ACKs; "" when none came.
std::string next_text(Link& link) {
  while (auto incoming = link.next()) {
    if (const auto* text = std::get_if<std::string>(&*incoming)) return *text;
    EXPECT_TRUE(std::holds_alternative<control::Ack>(std::get<control::ControlMessage>(*incoming)))
        << "a control message other than ACK came: "
        << control::to_string(control::type_of(std::get<control::ControlMessage>(*incoming)));
  }
  return {};
}

// The RESUME_TOKEN that must come first on every connection with resume on.
control::ResumeToken first_token(Link& link) {
  auto incoming = link.next();
  EXPECT_TRUE(incoming) << "nothing came";
  if (!incoming) return {};
  const auto* message = std::get_if<control::ControlMessage>(&*incoming);
  EXPECT_TRUE(message) << "an application message came before RESUME_TOKEN";
  if (!message) return {};
  const auto* token = std::get_if<control::ResumeToken>(message);
  EXPECT_TRUE(token) << "another control message came before RESUME_TOKEN";
  return token ? *token : control::ResumeToken{};
}

// The gateway's next ACK, skipping application messages.
std::optional<control::Ack> next_ack(Link& link) {
  while (auto incoming = link.next()) {
    const auto* message = std::get_if<control::ControlMessage>(&*incoming);
    if (!message) continue;
    if (const auto* ack = std::get_if<control::Ack>(message)) return *ack;
  }
  return std::nullopt;
}

// Sends each text and reads its echo.
void echo_all(Link& link, const std::vector<std::string>& texts) {
  for (const auto& text : texts) link.send(text);
  for (const auto& text : texts) EXPECT_EQ(next_text(link), text);
}

json wait_for_counter(const Gateway& gateway, const char* name, std::uint64_t value) {
  return wait_for_stats(gateway, [&](const json& stats) { return stats.at(name) == value; });
}

class GatewayResumeOnEach : public ::testing::TestWithParam<Transport> {};

TEST_P(GatewayResumeOnEach, ANewSessionIsAnsweredResumeAndGetsItsTokenFirst) {
  Gateway gateway;
  auto link = open_link(GetParam(), gateway, new_session_offer);
  EXPECT_EQ(link->answer(), new_session_answer);
  const auto token = first_token(*link);
  EXPECT_EQ(token.window_ms, 30'000U);
  EXPECT_EQ(token.token.size(), 43U);  // 32 random bytes, base64url
  echo_all(*link, {"after the token"});
  EXPECT_EQ(gateway.stats().at("resumable_sessions_open"), 1);
}

TEST_P(GatewayResumeOnEach, WithoutTheOfferThereIsNoResume) {
  Gateway gateway;
  auto link = open_link(GetParam(), gateway, control::extension_offer());
  EXPECT_EQ(link->answer(), "x-tether-control; v=1");
  echo_all(*link, {"first"});  // no RESUME_TOKEN before it
  EXPECT_EQ(gateway.stats().at("resumable_sessions_open"), 0);
}

TEST_P(GatewayResumeOnEach, AGatewayWithResumeOffNeverAnswersIt) {
  Gateway gateway(json{{"resume", false}});
  auto link = open_link(GetParam(), gateway, new_session_offer);
  EXPECT_EQ(link->answer(), "x-tether-control; v=1");
  echo_all(*link, {"first"});
  EXPECT_EQ(gateway.stats().at("resumable_sessions_open"), 0);
}

TEST_P(GatewayResumeOnEach, TheGatewayAcknowledgesWithin250Ms) {
  Gateway gateway;
  auto link = open_link(GetParam(), gateway, new_session_offer);
  first_token(*link);
  echo_all(*link, {"one", "two"});
  const auto ack = next_ack(*link);
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->received, 2U);
  EXPECT_GE(gateway.stats().at("acks_sent"), 1);
}

TEST_P(GatewayResumeOnEach, AnAckFreesWhatTheGatewayKept) {
  Gateway gateway;
  auto link = open_link(GetParam(), gateway, new_session_offer);
  first_token(*link);
  echo_all(*link, {"one", "two", "three"});
  auto stats = wait_for_counter(gateway, "resume_unacknowledged_messages", 3);
  ASSERT_EQ(stats.at("resume_unacknowledged_messages"), 3);
  EXPECT_EQ(stats.at("resume_unacknowledged_bytes"), 11);
  link->send_control(control::Ack{2});
  stats = wait_for_counter(gateway, "resume_unacknowledged_messages", 1);
  EXPECT_EQ(stats.at("resume_unacknowledged_messages"), 1);
  EXPECT_EQ(stats.at("resume_unacknowledged_bytes"), 5);
  EXPECT_EQ(stats.at("acks_received"), 1);
}

TEST_P(GatewayResumeOnEach, AnAckAboveWhatWasSentClosesWith1002) {
  Gateway gateway;
  auto link = open_link(GetParam(), gateway, new_session_offer);
  first_token(*link);
  echo_all(*link, {"one"});
  link->send_control(control::Ack{2});
  EXPECT_EQ(link->await_close(), websocket::close_code::protocol_error);
  EXPECT_EQ(wait_for_counter(gateway, "resumable_sessions_open", 0).at("resumable_sessions_open"),
            0);
}

TEST_P(GatewayResumeOnEach, CloseConnectionsClosesWithTheCodeGiven) {
  Gateway gateway;
  auto link = open_link(GetParam(), gateway, new_session_offer);
  first_token(*link);
  echo_all(*link, {"one"});
  const auto answer = gateway.control_request({{"action", "close_connections"}, {"code", 4410}});
  EXPECT_EQ(answer.at("connections_closed"), 1);
  EXPECT_EQ(link->await_close(), 4410);
  EXPECT_EQ(gateway.stats().at("control_actions").at("close_connections"), 1);
}

TEST_P(GatewayResumeOnEach, CloseConnectionsNeedsACodeAnEndpointMaySend) {
  Gateway gateway;
  for (const json& code : {json(1005), json(999), json("4410"), json()}) {
    EXPECT_THROW(gateway.control_request({{"action", "close_connections"}, {"code", code}}),
                 std::runtime_error)
        << code;
  }
}

TEST_P(GatewayResumeOnEach, PastItsBoundASessionClosesWith1008AndIsForgotten) {
  Gateway gateway(json{{"resume_max_unacknowledged_messages", 2}});
  auto link = open_link(GetParam(), gateway, new_session_offer);
  first_token(*link);
  echo_all(*link, {"one", "two"});
  link->send("three");  // its echo would be the third kept: none has been acknowledged
  EXPECT_EQ(link->await_close(), 1008);
  const auto stats = wait_for_counter(gateway, "resumable_sessions_open", 0);
  EXPECT_EQ(stats.at("resumable_sessions_open"), 0);
  EXPECT_EQ(stats.at("resume_sessions_over_buffer"), 1);
  EXPECT_EQ(stats.at("resume_unacknowledged_messages"), 0);
}

// A clean close ends the session: its token resumes nothing afterwards.
TEST_P(GatewayResumeOnEach, AfterACleanCloseTheTokenResumesNothing) {
  Gateway gateway;
  auto link = open_link(GetParam(), gateway, new_session_offer);
  const auto token = first_token(*link);
  echo_all(*link, {"one"});
  gateway.control_request({{"action", "close_connections"}, {"code", 1000}});
  EXPECT_EQ(link->await_close(), 1000);
  ASSERT_EQ(wait_for_counter(gateway, "resumable_sessions_open", 0).at("resumable_sessions_open"),
            0);
  auto again = open_link(GetParam(), gateway, resume_offer(token.token, 1));
  EXPECT_EQ(again->answer(), new_session_answer);
  EXPECT_EQ(gateway.stats().at("resumes_refused"), json({{"unknown_token", 1}}));
}

INSTANTIATE_TEST_SUITE_P(Gateway, GatewayResumeOnEach,
                         ::testing::Values(Transport::native, Transport::emulated),
                         [](const auto& test) { return std::string(name_of(test.param)); });

// A session begun on one transport resumes on the other as well as on the same.
class GatewayResumeAcross : public ::testing::TestWithParam<std::tuple<Transport, Transport>> {};

TEST_P(GatewayResumeAcross, AResumeAfterADropReplaysWhatTheClientMissedAndCountsOn) {
  const auto [before, after] = GetParam();
  Gateway gateway;
  auto first = open_link(before, gateway, new_session_offer);
  const auto token = first_token(*first);
  echo_all(*first, {"one", "two", "three"});
  ASSERT_EQ(wait_for_counter(gateway, "resume_unacknowledged_messages", 3)
                .at("resume_unacknowledged_messages"),
            3);
  EXPECT_EQ(gateway.control("drop_connections").at("connections_dropped"), 1);
  // A drop leaves the session waiting for its resume; the client says it got only "one".
  EXPECT_EQ(gateway.stats().at("resumable_sessions_open"), 1);
  auto second = open_link(after, gateway, resume_offer(token.token, 1));
  EXPECT_EQ(second->answer(), resumed_answer(3));
  const auto new_token = first_token(*second);
  EXPECT_NE(new_token.token, token.token);
  EXPECT_EQ(next_text(*second), "two");
  EXPECT_EQ(next_text(*second), "three");
  // The gateway goes on counting the client's messages from 3: this one is its 4th.
  echo_all(*second, {"four"});
  const auto ack = next_ack(*second);
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->received, 4U);
  const auto stats = gateway.stats();
  EXPECT_EQ(stats.at("sessions_resumed"), 1);
  EXPECT_EQ(stats.at("messages_replayed"), 2);
  EXPECT_EQ(stats.at("resume_unacknowledged_messages"), 3);  // two, three, four
  EXPECT_EQ(stats.at("resumable_sessions_open"), 1);
}

TEST_P(GatewayResumeAcross, AResumeEndsTheConnectionStillCarryingTheSession) {
  const auto [before, after] = GetParam();
  Gateway gateway;
  auto first = open_link(before, gateway, new_session_offer);
  const auto token = first_token(*first);
  echo_all(*first, {"one"});
  auto second = open_link(after, gateway, resume_offer(token.token, 1));
  EXPECT_EQ(second->answer(), resumed_answer(1));
  first_token(*second);
  echo_all(*second, {"two"});
  EXPECT_FALSE(first->next()) << "the old connection still carries the session";
}

INSTANTIATE_TEST_SUITE_P(
    Gateway, GatewayResumeAcross,
    ::testing::Combine(::testing::Values(Transport::native, Transport::emulated),
                       ::testing::Values(Transport::native, Transport::emulated)),
    [](const auto& test) {
      return std::string(name_of(std::get<0>(test.param))) + "_then_" +
             name_of(std::get<1>(test.param));
    });

// The resumes the gateway refuses: each is answered as a new session and counted by reason.
class GatewayResumeRefusal : public ::testing::Test {
 protected:
  GatewayResumeRefusal() {
    tether::test::write_users_file(users_file_, {{"alice", "secret"}, {"bob", "secret"}});
  }

  json config() const {
    return {
        {"auth", {{"users_file", users_file_}}},
        {"services", {{"/echo", {{"schemes", {"basic"}}}}, {"/ticker", {{"schemes", {"basic"}}}}}}};
  }

  static HandshakeOptions as(const std::string& authorization, const std::string& origin = {}) {
    return {origin, {}, {{"Authorization", authorization}}};
  }

  // alice's session on /echo from origin, dropped: its token.
  static std::string dropped_session(const Gateway& gateway, const std::string& origin = {}) {
    auto link =
        open_link(Transport::native, gateway, new_session_offer, "/echo", as(alice, origin));
    const auto token = first_token(*link).token;
    echo_all(*link, {"one"});
    gateway.control("drop_connections");
    return token;
  }

  static void expect_refused(const Gateway& gateway, Link& link, const char* reason) {
    EXPECT_EQ(link.answer(), new_session_answer);
    EXPECT_EQ(gateway.stats().at("resumes_refused"), json({{reason, 1}}));
    EXPECT_EQ(gateway.stats().at("sessions_resumed"), 0);
  }

  static constexpr auto alice = "Basic YWxpY2U6c2VjcmV0";  // alice:secret
  static constexpr auto bob = "Basic Ym9iOnNlY3JldA==";    // bob:secret

  TempDir directory_;
  std::filesystem::path users_file_ = directory_.path() / "users.json";
};

// DENIED names the session's numbers, which go on across its connections.
TEST_F(GatewayResumeRefusal, DeniedNamesTheSessionsMessageNumbers) {
  auto with_rights = config();
  with_rights["rights"] = {{"alice", {{"/echo", {{"send", false}}}}}};
  Gateway gateway(with_rights);
  const auto next_denied = [](Link& link) {
    while (auto incoming = link.next()) {
      const auto* message = std::get_if<control::ControlMessage>(&*incoming);
      const auto* denied = message ? std::get_if<control::Denied>(message) : nullptr;
      if (denied) return denied->message_id;
    }
    return std::uint64_t{0};
  };
  auto first = open_link(Transport::native, gateway, new_session_offer, "/echo", as(alice));
  const auto token = first_token(*first).token;
  first->send("one");
  EXPECT_EQ(next_denied(*first), 1U);
  gateway.control("drop_connections");
  auto second = open_link(Transport::emulated, gateway, resume_offer(token, 0), "/echo", as(alice));
  EXPECT_EQ(second->answer(), resumed_answer(1));
  first_token(*second);
  second->send("two");
  EXPECT_EQ(next_denied(*second), 2U);
}

TEST_F(GatewayResumeRefusal, AnotherPrincipal) {
  Gateway gateway(config());
  const auto token = dropped_session(gateway);
  auto link = open_link(Transport::native, gateway, resume_offer(token, 1), "/echo", as(bob));
  expect_refused(gateway, *link, "other_principal");
}

TEST_F(GatewayResumeRefusal, AnotherOrigin) {
  Gateway gateway(config());
  const auto token = dropped_session(gateway, "https://app.example");
  auto link = open_link(Transport::emulated, gateway, resume_offer(token, 1), "/echo",
                        as(alice, "https://other.example"));
  expect_refused(gateway, *link, "other_origin");
}

TEST_F(GatewayResumeRefusal, AnotherService) {
  Gateway gateway(config());
  const auto token = dropped_session(gateway);
  auto link = open_link(Transport::native, gateway, resume_offer(token, 1), "/ticker", as(alice));
  expect_refused(gateway, *link, "other_service");
}

// A drop may come before the resumed connection's RESUME_TOKEN reaches the client: the token it
// resumed with resumes the session again...
TEST_F(GatewayResumeRefusal, NotTheTokenPresentedLastWhoseNewerTheClientMayNotHave) {
  Gateway gateway(config());
  const auto token = dropped_session(gateway);
  auto resumed = open_link(Transport::native, gateway, resume_offer(token, 1), "/echo", as(alice));
  EXPECT_EQ(resumed->answer(), resumed_answer(1));
  auto again = open_link(Transport::emulated, gateway, resume_offer(token, 1), "/echo", as(alice));
  EXPECT_EQ(again->answer(), resumed_answer(1));
  EXPECT_EQ(gateway.stats().at("sessions_resumed"), 2);
}

// ...until the client resumes with the newer one, which proves it had it: then the older is void.
TEST_F(GatewayResumeRefusal, ATokenOlderThanOneTheClientPresented) {
  Gateway gateway(config());
  const auto token = dropped_session(gateway);
  auto resumed = open_link(Transport::native, gateway, resume_offer(token, 1), "/echo", as(alice));
  EXPECT_EQ(resumed->answer(), resumed_answer(1));
  const auto newer = first_token(*resumed).token;
  auto with_newer =
      open_link(Transport::native, gateway, resume_offer(newer, 1), "/echo", as(alice));
  EXPECT_EQ(with_newer->answer(), resumed_answer(1));
  auto link = open_link(Transport::emulated, gateway, resume_offer(token, 1), "/echo", as(alice));
  EXPECT_EQ(link->answer(), new_session_answer);
  EXPECT_EQ(gateway.stats().at("resumes_refused"), json({{"unknown_token", 1}}));
}

TEST_F(GatewayResumeRefusal, ACountAboveWhatWasSent) {
  Gateway gateway(config());
  const auto token = dropped_session(gateway);
  auto link = open_link(Transport::native, gateway, resume_offer(token, 2), "/echo", as(alice));
  expect_refused(gateway, *link, "received_out_of_range");
}

TEST_F(GatewayResumeRefusal, AfterTheWindow) {
  auto short_window = config();
  short_window["resume_window_s"] = 0.2;
  Gateway gateway(short_window);
  const auto token = dropped_session(gateway);
  ASSERT_EQ(wait_for_counter(gateway, "resumable_sessions_open", 0).at("resumable_sessions_open"),
            0);
  auto link = open_link(Transport::native, gateway, resume_offer(token, 1), "/echo", as(alice));
  expect_refused(gateway, *link, "unknown_token");
}

GatewayConfig parsed(const json& config) {
  auto result = parse_gateway_config(config.dump(), {});
  if (const auto* error = std::get_if<ConfigError>(&result)) {
    ADD_FAILURE() << error->message;
    return {};
  }
  return std::get<GatewayConfig>(result);
}

std::string refusal_of(const json& config) {
  const auto result = parse_gateway_config(config.dump(), {});
  const auto* error = std::get_if<ConfigError>(&result);
  return error ? error->message : std::string("accepted");
}

TEST(GatewayResumeConfig, DefaultsToOnWithA30sWindowAndTwiceTheLargestMessage) {
  const auto config = parsed(json{{"max_message_size", 1000}});
  EXPECT_TRUE(config.resume.enabled);
  EXPECT_EQ(config.resume.window, 30s);
  EXPECT_EQ(config.resume.max_unacknowledged_bytes, 2000U);
  EXPECT_EQ(config.resume.max_unacknowledged_messages, 65'536U);
}

TEST(GatewayResumeConfig, ReadsEveryKeyWithAFractionalWindow) {
  const auto config = parsed(json{{"resume", false},
                                  {"resume_window_s", 0.25},
                                  {"resume_max_unacknowledged_bytes", 1 << 25},
                                  {"resume_max_unacknowledged_messages", 10}});
  EXPECT_FALSE(config.resume.enabled);
  EXPECT_EQ(config.resume.window, 250ms);
  EXPECT_EQ(config.resume.max_unacknowledged_bytes, std::uint64_t{1} << 25);
  EXPECT_EQ(config.resume.max_unacknowledged_messages, 10U);
}

TEST(GatewayResumeConfig, RefusesValuesThatCannotWork) {
  EXPECT_THAT(refusal_of(json{{"resume", 1}}), ::testing::HasSubstr("'resume'"));
  EXPECT_THAT(refusal_of(json{{"resume_window_s", 0}}), ::testing::HasSubstr("resume_window_s"));
  EXPECT_THAT(refusal_of(json{{"resume_window_s", -1}}), ::testing::HasSubstr("resume_window_s"));
  EXPECT_THAT(
      refusal_of(json{{"max_message_size", 1000}, {"resume_max_unacknowledged_bytes", 999}}),
      ::testing::HasSubstr("resume_max_unacknowledged_bytes"));
  EXPECT_THAT(refusal_of(json{{"resume_max_unacknowledged_messages", 0}}),
              ::testing::HasSubstr("resume_max_unacknowledged_messages"));
}

TEST(GatewayRestart, StartAgainServesTheSamePortWithEverySessionGone) {
  Gateway gateway;
  const auto port = gateway.ws_port();
  auto link = open_link(Transport::native, gateway, new_session_offer);
  const auto token = first_token(*link).token;
  echo_all(*link, {"one"});
  EXPECT_EQ(gateway.stop(), 0);
  EXPECT_FALSE(link->next());
  gateway.start_again();
  EXPECT_EQ(gateway.ws_port(), port);
  auto again = open_link(Transport::native, gateway, resume_offer(token, 1));
  EXPECT_EQ(again->answer(), new_session_answer);
  EXPECT_EQ(gateway.stats().at("resumes_refused"), json({{"unknown_token", 1}}));
}

TEST(GatewayBlackHole, NativeConnectionsGoSilentWithoutClosingUntilItEnds) {
  Gateway gateway;
  auto link = open_link(Transport::native, gateway, new_session_offer);
  const auto token = first_token(*link).token;
  echo_all(*link, {"one"});
  const auto answer = gateway.control("black_hole");
  EXPECT_EQ(answer.at("black_hole"), true);
  EXPECT_EQ(answer.at("connections_black_holed"), 1);
  auto& client = static_cast<NativeLink&>(*link).client();
  ASSERT_FALSE(client.write("unanswered", true));
  EXPECT_EQ(client.read().error, boost::beast::error::timeout) << "not silent";
  // A new connection is accepted and never answered.
  DownstreamReader upgrade(gateway.ws_port(), "/echo",
                           {{"Upgrade", "websocket"},
                            {"Connection", "Upgrade"},
                            {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                            {"Sec-WebSocket-Version", "13"}});
  EXPECT_FALSE(upgrade.read_header(300ms));
  EXPECT_EQ(upgrade.end(), DownstreamEnd::open);
  const auto ended = gateway.control("end_black_hole");
  EXPECT_EQ(ended.at("black_hole"), false);
  EXPECT_EQ(ended.at("connections_dropped"), 2);
  EXPECT_FALSE(upgrade.read_header(1s));
  EXPECT_EQ(upgrade.end(), DownstreamEnd::cut);
  // The black-holed connection was dropped, not closed: its session resumes. The gateway never
  // read "unanswered": the client is to send it again.
  auto resumed = open_link(Transport::native, gateway, resume_offer(token, 1));
  EXPECT_EQ(resumed->answer(), resumed_answer(1));
  first_token(*resumed);
  echo_all(*resumed, {"unanswered"});
  const auto actions = gateway.stats().at("control_actions");
  EXPECT_EQ(actions.at("black_hole"), 1);
  EXPECT_EQ(actions.at("end_black_hole"), 1);
}

TEST(GatewayBlackHole, EmulatedDownstreamsGoSilentWithoutEnding) {
  Gateway gateway(json{{"emulation", {{"heartbeat_ms", 100}}}});
  auto link = open_link(Transport::emulated, gateway, new_session_offer);
  first_token(*link);
  echo_all(*link, {"one"});
  auto& downstream = static_cast<EmulatedLink&>(*link).downstream();
  EXPECT_EQ(gateway.control("black_hole").at("connections_black_holed"), 1);
  // Not even a heartbeat: 300 ms is three of them.
  EXPECT_FALSE(downstream.next_frame(300ms));
  EXPECT_EQ(downstream.end(), DownstreamEnd::open);
  // A new request of the session is accepted and never answered.
  auto next_downstream = static_cast<EmulatedLink&>(*link).client().downstream();
  EXPECT_FALSE(next_downstream.read_header(300ms));
  EXPECT_EQ(next_downstream.end(), DownstreamEnd::open);
  EXPECT_EQ(gateway.control("end_black_hole").at("connections_dropped"), 2);
  downstream.read_to_end();
  EXPECT_EQ(downstream.end(), DownstreamEnd::cut);
  EXPECT_FALSE(next_downstream.read_header(1s));
  EXPECT_EQ(next_downstream.end(), DownstreamEnd::cut);
}

}  // namespace
}  // namespace tether::gateway::test
