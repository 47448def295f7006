// The emulation protocol's server side (docs/emulation.md, docs/gateway.md "Emulation"), checked
// with raw HTTP requests whose frames are built with the protocol's codec.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "control/control_codec.hpp"
#include "control/control_negotiation.hpp"
#include "digest_test_answer.hpp"
#include "emulation_test_client.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/gateway_stats_wait.hpp"
#include "tether_test/http_request.hpp"
#include "tether_test/pki.hpp"
#include "tether_test/temp_dir.hpp"
#include "tether_test/users_file.hpp"
#include "websocket_test_client.hpp"

namespace tether::gateway::test {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using tether::test::Gateway;
using tether::test::GatewayStartError;
using tether::test::TempDir;
using tether::transport::emulated::encode_close_payload;
using namespace std::chrono_literals;

Frame text(std::uint64_t sequence, std::string payload) {
  return {FrameType::Text, sequence, std::move(payload)};
}

Frame binary(std::uint64_t sequence, std::string payload) {
  return {FrameType::Binary, sequence, std::move(payload)};
}

Frame close_frame(std::uint64_t sequence, std::uint16_t code, std::string_view reason = {}) {
  return {FrameType::Close, sequence, encode_close_payload(code, reason)};
}

Frame ping(std::string payload) { return {FrameType::Ping, 0, std::move(payload)}; }

// A CONTROL frame carrying message (docs/control-channel.md section 3.2).
Frame control_frame(std::uint64_t sequence, const control::ControlMessage& message) {
  Frame frame{FrameType::Control, sequence, {}};
  EXPECT_FALSE(control::append_control_message(frame.payload, message));
  return frame;
}

// The control message a client sends: how a revalidation ended.
const control::ControlMessage revalidated =
    control::RevalidationResult{7, control::RevalidationOutcome::Succeeded, 204};

// "TEXT 1 hello", "NOP", "CLOSE 3 4000": frames as failure messages can show them.
std::string describe(const Frame& frame) {
  std::string description = tether::transport::emulated::to_string(frame.type);
  if (frame.sequence != 0) description += " " + std::to_string(frame.sequence);
  if (frame.type == FrameType::Close) {
    tether::transport::emulated::ClosePayload close;
    if (auto error = tether::transport::emulated::decode_close_payload(frame.payload, close)) {
      return description + " (malformed: " + error.message + ")";
    }
    return description + " " + std::to_string(close.code);
  }
  if (frame.type == FrameType::Control) {
    std::optional<control::ControlMessage> message;
    if (auto error = control::decode_control_message(frame.payload, message)) {
      return description + " (malformed: " + error.message + ")";
    }
    return description + " " + (message ? control::to_string(control::type_of(*message)) : "?");
  }
  if (!frame.payload.empty()) description += " " + frame.payload;
  return description;
}

std::vector<std::string> describe(const std::vector<Frame>& frames) {
  std::vector<std::string> descriptions;
  descriptions.reserve(frames.size());
  for (const auto& frame : frames) descriptions.push_back(describe(frame));
  return descriptions;
}

std::vector<std::string> without_nops(const std::vector<Frame>& frames) {
  std::vector<std::string> descriptions;
  for (const auto& frame : frames) {
    if (frame.type != FrameType::Nop) descriptions.push_back(describe(frame));
  }
  return descriptions;
}

// headers with name's value replaced by value, or name removed when value is empty.
HttpHeaders replaced(HttpHeaders headers, std::string_view name, const std::string& value) {
  for (auto header = headers.begin(); header != headers.end(); ++header) {
    if (header->first != name) continue;
    if (value.empty()) {
      headers.erase(header);
    } else {
      header->second = value;
    }
    return headers;
  }
  ADD_FAILURE() << "no header " << name;
  return headers;
}

std::string header_of(const HttpResponse& response, std::string_view name) {
  const auto values = response.header_values(name);
  return values.empty() ? std::string() : values.front();
}

// A gateway whose downstreams are short, so that tests of heartbeats and recycling are quick.
json quick_config(json config = json::object()) {
  config["emulation"]["heartbeat_ms"] = 200;
  return config;
}

// An /echo session, created.
EmulationTestClient created_echo(const Gateway& gateway, HttpHeaders headers = {}) {
  EmulationTestClient client(gateway.ws_port(), "/echo", std::move(headers));
  const auto response = client.create();
  EXPECT_EQ(response.status, 201U) << response.body;
  return client;
}

// The frames of an upstream request's reply (section 7), described.
std::vector<std::string> reply_frames(const HttpResponse& reply) {
  tether::transport::emulated::FrameDecoder decoder(
      std::size_t{1} << 20, tether::transport::emulated::ControlFrames::Accepted);
  EXPECT_FALSE(decoder.feed(reply.body));
  EXPECT_FALSE(decoder.has_partial_frame());
  std::vector<Frame> frames;
  while (auto frame = decoder.next()) frames.push_back(std::move(*frame));
  return describe(frames);
}

const HttpHeaders upstream_reply_offer = {{"Tether-Upstream-Reply", "frames"}};

// An /echo session whose create offered frames in upstream replies.
EmulationTestClient created_echo_with_replies(const Gateway& gateway) {
  EmulationTestClient client(gateway.ws_port(), "/echo");
  const auto response = client.create(upstream_reply_offer);
  EXPECT_EQ(response.status, 201U) << response.body;
  EXPECT_THAT(response.header_values("Tether-Upstream-Reply"), ElementsAre("frames"));
  return client;
}

// --- create (section 4) ---

TEST(GatewayEmulationCreate, Answers201WithTokenHeartbeatAndNoStore) {
  Gateway gateway(json{{"emulation", {{"heartbeat_ms", 1234}}}});
  EmulationTestClient client(gateway.ws_port(), "/echo");
  const auto response = client.create();
  EXPECT_EQ(response.status, 201U);
  EXPECT_EQ(header_of(response, "Tether-Emulation"), "1");
  EXPECT_THAT(header_of(response, "Tether-Session"), MatchesRegex("[A-Za-z0-9_-]{32}"));
  EXPECT_EQ(header_of(response, "Tether-Heartbeat"), "1234");
  EXPECT_EQ(header_of(response, "Cache-Control"), "no-store");
  EXPECT_THAT(response.header_values("Tether-Protocol"), IsEmpty());
  const auto stats = gateway.stats();
  EXPECT_EQ(stats.at("emulated_sessions_created"), 1);
  EXPECT_EQ(stats.at("emulated_sessions_open"), 1);
}

TEST(GatewayEmulationCreate, TokensAreDistinctAndCarryMoreThan128Bits) {
  Gateway gateway(json{{"emulation", {{"max_creates_per_client", 200}}}});
  std::set<std::string> tokens;
  std::set<char> characters;
  for (int index = 0; index < 200; ++index) {
    EmulationTestClient client(gateway.ws_port(), "/echo");
    ASSERT_EQ(client.create().status, 201U);
    tokens.insert(client.token());
    characters.insert(client.token().begin(), client.token().end());
  }
  EXPECT_EQ(tokens.size(), 200U);
  // 32 characters of a 64-character alphabet are 192 bits, if the characters are all used:
  // 6,400 characters drawn at random miss none of the 64.
  EXPECT_EQ(characters.size(), 64U);
}

TEST(GatewayEmulationCreate, WithoutTetherEmulationGets400) {
  Gateway gateway;
  const auto response = tether::test::http_request(gateway.ws_port(), "POST", "/echo/;e/create");
  EXPECT_EQ(response.status, 400U);
  EXPECT_EQ(header_of(response, "Cache-Control"), "no-store");
}

TEST(GatewayEmulationCreate, WithUnknownProtocolVersionGets400) {
  Gateway gateway;
  const auto response = tether::test::http_request(gateway.ws_port(), "POST", "/echo/;e/create",
                                                   {{"Tether-Emulation", "2"}});
  EXPECT_EQ(response.status, 400U);
}

TEST(GatewayEmulationCreate, ForUnknownServiceGets404) {
  Gateway gateway;
  EXPECT_EQ(EmulationTestClient(gateway.ws_port(), "/nothing").create().status, 404U);
  EXPECT_EQ(EmulationTestClient(gateway.ws_port(), "").create().status, 404U);
}

TEST(GatewayEmulationCreate, WhenEmulationIsDisabledGets404) {
  Gateway gateway(json{{"emulation", {{"enabled", false}}}});
  EXPECT_EQ(EmulationTestClient(gateway.ws_port(), "/echo").create().status, 404U);
}

TEST(GatewayEmulationCreate, WithGetGets405) {
  Gateway gateway;
  const auto response = tether::test::http_request(gateway.ws_port(), "GET", "/echo/;e/create",
                                                   {{"Tether-Emulation", "1"}});
  EXPECT_EQ(response.status, 405U);
  EXPECT_EQ(header_of(response, "Allow"), "POST");
}

TEST(GatewayEmulationCreate, FromOriginNotAllowedGets403AndIsCountedAsRefusal) {
  Gateway gateway(json{{"allowed_origins", {"https://good.example"}}});
  EmulationTestClient evil(gateway.ws_port(), "/echo", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(evil.create().status, 403U);
  EmulationTestClient none(gateway.ws_port(), "/echo");
  EXPECT_EQ(none.create().status, 403U);
  EmulationTestClient good(gateway.ws_port(), "/echo", {{"Origin", "https://good.example"}});
  EXPECT_EQ(good.create().status, 201U);
  EXPECT_EQ(gateway.stats().at("upgrades_refused").at("403"), 2);
}

TEST(GatewayEmulationCreate, SelectsTheFirstOfferedSubprotocolItSupports) {
  Gateway gateway(json{{"subprotocols", {"chat.v1", "chat.v2"}}});
  EmulationTestClient client(gateway.ws_port(), "/echo");
  const auto response = client.create({{"Tether-Protocol", "unknown, chat.v2, chat.v1"}});
  EXPECT_EQ(header_of(response, "Tether-Protocol"), "chat.v2");
}

TEST(GatewayEmulationCreate, SelectSubprotocolFaultForcesTheAnswer) {
  Gateway gateway(json{{"faults", {{"select_subprotocol", "never-offered"}}}});
  EmulationTestClient client(gateway.ws_port(), "/echo");
  const auto response = client.create({{"Tether-Protocol", "chat.v1"}});
  EXPECT_EQ(header_of(response, "Tether-Protocol"), "never-offered");
}

TEST(GatewayEmulationCreate, IgnoresTheNativeUpgradeFaults) {
  Gateway gateway(json{{"faults", {{"refuse_upgrade_status", 503}, {"handshake_delay_ms", 3000}}}});
  auto native = WebSocketTestClient::connect(gateway.ws_port(), "/echo");
  EXPECT_EQ(native.response().result_int(), 503U);
  const auto start = std::chrono::steady_clock::now();
  EmulationTestClient client(gateway.ws_port(), "/echo");
  EXPECT_EQ(client.create().status, 201U);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST(GatewayEmulationCreate, CreateDelayFaultHoldsTheAnswerBackButMakesTheSessionAtOnce) {
  Gateway gateway(json{{"faults", {{"emulation_create_delay_ms", 1000}}}});
  EmulationTestClient client(gateway.ws_port(), "/echo");
  const auto start = std::chrono::steady_clock::now();
  auto created = std::async(std::launch::async, [&client] { return client.create().status; });
  const auto stats = tether::test::wait_for_stats(
      gateway, [](const json& now) { return now.at("emulated_sessions_open") == 1; });
  EXPECT_EQ(stats.at("emulated_sessions_open"), 1);
  EXPECT_EQ(created.wait_for(0s), std::future_status::timeout) << "answered before the delay";
  EXPECT_EQ(created.get(), 201U);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 1000ms);
}

class GatewayEmulationAuth : public ::testing::Test {
 protected:
  GatewayEmulationAuth() { tether::test::write_users_file(users_file_, {{"alice", "secret"}}); }

  json config(const std::vector<std::string>& schemes) const {
    return {{"auth", {{"users_file", users_file_}}},
            {"services",
             {{"/echo",
               {{"schemes", schemes},
                {"set_cookie_on_upgrade", {"affinity=node-1; Path=/"}},
                {"set_cookie_on_challenge", {"challenged=yes; Path=/"}}}}}}};
  }

  TempDir directory_;
  std::filesystem::path users_file_ = directory_.path() / "users.json";
};

TEST_F(GatewayEmulationAuth, CreateWithoutCredentialsGets401WithTheServiceChallenges) {
  Gateway gateway(config({"basic", "bearer"}));
  EmulationTestClient client(gateway.ws_port(), "/echo");
  const auto response = client.create();
  EXPECT_EQ(response.status, 401U);
  EXPECT_THAT(response.header_values("WWW-Authenticate"),
              ElementsAre(R"(Basic realm="tether", charset="UTF-8")", R"(Bearer realm="tether")"));
  EXPECT_THAT(response.header_values("Set-Cookie"), ElementsAre("challenged=yes; Path=/"));
  EXPECT_THAT(response.header_values("Tether-Session"), IsEmpty());
  const auto stats = gateway.stats();
  EXPECT_EQ(stats.at("unauthorized_sent_by_service").at("/echo"), 1);
  EXPECT_EQ(stats.at("emulated_sessions_created"), 0);
}

TEST_F(GatewayEmulationAuth, CreateWithBasicIsAcceptedWithTheUpgradeCookies) {
  Gateway gateway(config({"basic"}));
  EmulationTestClient client(gateway.ws_port(), "/echo");
  const auto response = client.create({{"Authorization", "Basic YWxpY2U6c2VjcmV0"}});
  EXPECT_EQ(response.status, 201U);
  EXPECT_THAT(response.header_values("Set-Cookie"), ElementsAre("affinity=node-1; Path=/"));
  EXPECT_EQ(gateway.stats().at("upgrades_authenticated").at("basic"), 1);
}

TEST_F(GatewayEmulationAuth, CreateAcceptsADigestAnswerForItsPostAndTarget) {
  Gateway gateway(config({"digest-sha256"}));
  EmulationTestClient client(gateway.ws_port(), "/echo");
  const auto challenge = client.create().header_values("WWW-Authenticate").at(0);
  const auto answer =
      answer_digest_challenge(challenge, {"alice", "secret", "/echo/;e/create", 1, false, "POST"});
  EXPECT_EQ(client.create({{"Authorization", answer}}).status, 201U);
  // The same answer again is a replay.
  EXPECT_EQ(client.create({{"Authorization", answer}}).status, 401U);
}

// --- the session's principal (section 3): the token alone is not a credential ---

constexpr std::string_view alice_basic = "Basic YWxpY2U6c2VjcmV0";    // alice:secret
constexpr std::string_view mallory_basic = "Basic bWFsbG9yeTpldmls";  // mallory:evil

class GatewayEmulationPrincipal : public ::testing::Test {
 protected:
  GatewayEmulationPrincipal() {
    tether::test::write_users_file(users_file_, {{"alice", "secret"}, {"mallory", "evil"}});
  }

  // /echo asking for schemes, with service_extra merged into its config and extra into the
  // gateway's.
  json config(const std::vector<std::string>& schemes, const json& service_extra = json::object(),
              const json& extra = json::object()) const {
    json service = {{"schemes", schemes}};
    service.merge_patch(service_extra);
    json result = {{"auth", {{"users_file", users_file_}}}, {"services", {{"/echo", service}}}};
    result.merge_patch(extra);
    return result;
  }

  // An /echo session created by alice with Basic.
  static EmulationTestClient created_by_alice(const Gateway& gateway) {
    EmulationTestClient client(gateway.ws_port(), "/echo");
    EXPECT_EQ(client.create({{"Authorization", std::string(alice_basic)}}).status, 201U);
    return client;
  }

  static HttpHeaders as(std::string_view authorization) {
    return {{"Authorization", std::string(authorization)}};
  }

  TempDir directory_;
  std::filesystem::path users_file_ = directory_.path() / "users.json";
};

TEST_F(GatewayEmulationPrincipal, CredentialsAreRequiredOnEveryRequestByDefault) {
  Gateway gateway(config({"basic"}));
  auto client = created_by_alice(gateway);
  const auto upstream = client.upstream(encode_frames({text(1, "token only")}));
  EXPECT_EQ(upstream.status, 401U);
  EXPECT_THAT(upstream.header_values("WWW-Authenticate"),
              ElementsAre(R"(Basic realm="tether", charset="UTF-8")"));
  auto downstream = client.downstream();
  ASSERT_TRUE(downstream.read_header());
  EXPECT_EQ(downstream.status(), 401U);
  EXPECT_EQ(gateway.stats().at("messages_received"), 0) << "nothing reached the service";

  EXPECT_EQ(
      client.upstream(encode_frames({text(1, "with credentials")}), 0, as(alice_basic)).status,
      204U);
  const auto stats = gateway.stats();
  EXPECT_EQ(stats.at("messages_received"), 1);
  EXPECT_EQ(stats.at("emulated_requests_authenticated").at("basic"), 1);
}

TEST_F(GatewayEmulationPrincipal, TakeoverDownstreamIsRefusedCountedAndTheVictimKeepsItsMessages) {
  Gateway gateway(config({"basic"}));
  auto victim = created_by_alice(gateway);
  auto victims_downstream = victim.downstream(0, false, as(alice_basic));
  EXPECT_EQ(describe(*victims_downstream.next_frame()), "NOP");

  // The attacker has the token, and the Origin (none), but not alice's credentials.
  auto with_own_credentials = victim.downstream(0, false, as(mallory_basic));
  ASSERT_TRUE(with_own_credentials.read_header());
  EXPECT_EQ(with_own_credentials.status(), 403U);
  auto with_none = victim.downstream(0, false);
  ASSERT_TRUE(with_none.read_header());
  EXPECT_EQ(with_none.status(), 401U);
  EXPECT_EQ(gateway.stats().at("downstream_takeovers_refused"), 2);

  ASSERT_EQ(victim.upstream(encode_frames({text(1, "still mine")}), 0, as(alice_basic)).status,
            204U);
  EXPECT_EQ(describe(*victims_downstream.next_non_nop()), "TEXT 1 still mine");
  EXPECT_EQ(victims_downstream.end(), DownstreamEnd::open) << "the victim's downstream lives on";
}

TEST_F(GatewayEmulationPrincipal, UpstreamFromAnotherPrincipalIsRefusedAndDeliversNothing) {
  Gateway gateway(config({"basic"}));
  auto victim = created_by_alice(gateway);
  EXPECT_EQ(victim.upstream(encode_frames({text(1, "injected")}), 0, as(mallory_basic)).status,
            403U);
  EXPECT_EQ(victim.upstream(encode_frames({text(1, "mine")}), 0, as(alice_basic)).status, 204U);
  auto downstream = victim.downstream(0, false, as(alice_basic));
  EXPECT_THAT(without_nops(downstream.read_to_end(500ms)), ElementsAre("TEXT 1 mine"));
  const auto stats = gateway.stats();
  EXPECT_EQ(stats.at("messages_received"), 1);
  EXPECT_EQ(stats.at("emulated_duplicate_frames_dropped"), 0) << "sequence 1 was the victim's";
}

TEST_F(GatewayEmulationPrincipal, WhenCredentialsAreOptionalTheyAreStillCheckedWhenPresent) {
  Gateway gateway(config({"basic"}, {{"credentials_on_every_request", false}}));
  auto client = created_by_alice(gateway);
  EXPECT_EQ(client.upstream({}).status, 204U);
  EXPECT_EQ(client.upstream({}, 0, as(mallory_basic)).status, 403U);
  // A downstream opened with alice's credentials is replaced only by one that has them too.
  auto authenticated = client.downstream(0, false, as(alice_basic));
  ASSERT_TRUE(authenticated.next_frame());
  auto anonymous = client.downstream(0, false);
  ASSERT_TRUE(anonymous.read_header());
  EXPECT_EQ(anonymous.status(), 401U);
  EXPECT_EQ(authenticated.end(), DownstreamEnd::open);
  EXPECT_EQ(gateway.stats().at("downstream_takeovers_refused"), 1);
}

TEST_F(GatewayEmulationPrincipal, DigestAnswersTheCreatesNonceWithNewCountsAndNoReplay) {
  Gateway gateway(
      config({"digest-sha256"}, json::object(), {{"auth", {{"nonce_lifetime_ms", 300}}}}));
  EmulationTestClient client(gateway.ws_port(), "/echo");
  const auto challenge = client.create().header_values("WWW-Authenticate").at(0);
  ASSERT_EQ(client
                .create({{"Authorization",
                          answer_digest_challenge(challenge, {"alice", "secret", "/echo/;e/create",
                                                              1, false, "POST"})}})
                .status,
            201U);
  // Past the nonce's lifetime: the session, not the nonce, bounds its requests.
  std::this_thread::sleep_for(400ms);  // the nonce's age is what is tested, not a synchronisation
  const std::string target = "/echo/;e/up?n=7";
  const auto second =
      answer_digest_challenge(challenge, {"alice", "secret", target, 2, false, "POST"});
  auto headers = client.session_headers(0, {{"Authorization", second}});
  EXPECT_EQ(tether::test::http_request(gateway.ws_port(), "POST", target, headers).status, 204U);
  EXPECT_EQ(tether::test::http_request(gateway.ws_port(), "POST", target, headers).status, 401U)
      << "a nonce count answered twice is a replay";
  EXPECT_EQ(gateway.stats().at("emulated_requests_authenticated").at("digest-sha256"), 1);
}

TEST_F(GatewayEmulationPrincipal, ExpiredBearerTokenEndsTheSessionWithClose4401) {
  Gateway gateway(config({"bearer"}, json::object(), {{"auth", {{"token_lifetime_ms", 1000}}}}));
  const auto token = json::parse(tether::test::post_form(gateway.ws_port(), "/token",
                                                         "username=alice&password=secret")
                                     .body)
                         .at("access_token")
                         .get<std::string>();
  const auto bearer = "Bearer " + token;
  EmulationTestClient client(gateway.ws_port(), "/echo");
  ASSERT_EQ(client.create(as(bearer)).status, 201U);
  auto downstream = client.downstream(0, false, as(bearer));
  EXPECT_THAT(without_nops(downstream.read_to_end(3s)), ElementsAre("CLOSE 1 4401"));
  EXPECT_EQ(downstream.end(), DownstreamEnd::complete);
  const auto stats =
      wait_for_stats(gateway, [](const json& s) { return s.at("emulated_sessions_open") == 0; });
  EXPECT_EQ(stats.at("emulated_sessions_expired"), 1);
  EXPECT_EQ(stats.at("emulated_sessions_open"), 0) << "no answer to the CLOSE is awaited";
  EXPECT_EQ(client.upstream({}, 1, as(bearer)).status, 404U);
}

TEST_F(GatewayEmulationPrincipal, RequestToASessionWhoseTokenExpiredGets401InvalidToken) {
  Gateway gateway(config({"bearer"}, {{"credentials_on_every_request", false}},
                         {{"auth", {{"token_lifetime_ms", 300}}}}));
  const auto token = json::parse(tether::test::post_form(gateway.ws_port(), "/token",
                                                         "username=alice&password=secret")
                                     .body)
                         .at("access_token")
                         .get<std::string>();
  EmulationTestClient client(gateway.ws_port(), "/echo");
  ASSERT_EQ(client.create(as("Bearer " + token)).status, 201U);
  const auto stats =
      wait_for_stats(gateway, [](const json& s) { return s.at("emulated_sessions_expired") == 1; });
  ASSERT_EQ(stats.at("emulated_sessions_expired"), 1);
  const auto refused = client.upstream(encode_frames({text(1, "too late")}));
  EXPECT_EQ(refused.status, 401U);
  EXPECT_THAT(header_of(refused, "WWW-Authenticate"), ::testing::HasSubstr("invalid_token"));
  EXPECT_EQ(gateway.stats().at("messages_received"), 0);
}

TEST(GatewayEmulationListener, SessionCreatedOverTlsIsUnknownOnThePlainListener) {
  TempDir directory;
  const auto pki = tether::test::Pki::generate(directory.path());
  Gateway gateway(
      json{{"tls", {{"certificate", pki.server_cert}, {"private_key", pki.server_key}}}});
  EmulationTestClient secure(gateway.wss_port(), "/echo", {}, pki.ca_cert);
  ASSERT_EQ(secure.create().status, 201U);

  const auto injected = tether::test::http_request(gateway.ws_port(), "POST", "/echo/;e/up?n=1",
                                                   secure.session_headers(0),
                                                   encode_frames({text(1, "over plain http")}));
  EXPECT_EQ(injected.status, 404U);
  DownstreamReader plain_downstream(gateway.ws_port(), "/echo/;e/down?n=1",
                                    secure.session_headers(0));
  ASSERT_TRUE(plain_downstream.read_header());
  EXPECT_EQ(plain_downstream.status(), 404U);

  EXPECT_EQ(secure.upstream(encode_frames({text(1, "over https")})).status, 204U);
  const auto stats = gateway.stats();
  EXPECT_EQ(stats.at("messages_received"), 1);
  EXPECT_EQ(stats.at("emulated_duplicate_frames_dropped"), 0);
}

// --- sessions (sections 3 and 9) ---

TEST(GatewayEmulationSession, UpstreamWithUnknownTokenGets404) {
  Gateway gateway;
  auto client = created_echo(gateway);
  auto token = client.token();
  token[0] = token[0] == 'A' ? 'B' : 'A';
  const auto headers = replaced(client.session_headers(0), "Tether-Session", token);
  EXPECT_EQ(
      tether::test::http_request(gateway.ws_port(), "POST", "/echo/;e/up?n=1", headers).status,
      404U);
}

TEST(GatewayEmulationSession, DownstreamWithUnknownTokenGets404) {
  Gateway gateway;
  auto client = created_echo(gateway);
  const auto headers =
      replaced(client.session_headers(0), "Tether-Session", "not-a-token-the-gateway-issued");
  DownstreamReader downstream(gateway.ws_port(), "/echo/;e/down?n=1", headers);
  ASSERT_TRUE(downstream.read_header());
  EXPECT_EQ(downstream.status(), 404U);
}

TEST(GatewayEmulationSession, TokenOfAnotherServiceGets404) {
  Gateway gateway;
  auto client = created_echo(gateway);
  const auto response = tether::test::http_request(gateway.ws_port(), "POST", "/ticker/;e/up?n=1",
                                                   client.session_headers(0));
  EXPECT_EQ(response.status, 404U);
}

TEST(GatewayEmulationSession, MissingTokenOrAckGets400) {
  Gateway gateway;
  auto client = created_echo(gateway);
  const auto no_token =
      tether::test::http_request(gateway.ws_port(), "POST", "/echo/;e/up?n=1",
                                 {{"Tether-Emulation", "1"}, {"Tether-Ack", "0"}});
  EXPECT_EQ(no_token.status, 400U);
  const auto no_ack =
      tether::test::http_request(gateway.ws_port(), "POST", "/echo/;e/up?n=1",
                                 {{"Tether-Emulation", "1"}, {"Tether-Session", client.token()}});
  EXPECT_EQ(no_ack.status, 400U);
  EXPECT_EQ(client.upstream({}, 0, {}).status, 204U) << "the session is still there";
}

TEST(GatewayEmulationSession, AckOfAFrameNeverSentGets400) {
  Gateway gateway;
  auto client = created_echo(gateway);
  EXPECT_EQ(client.upstream({}, 1).status, 400U);
}

TEST(GatewayEmulationSession, RequestFromAnotherOriginThanCreateGets403) {
  Gateway gateway;
  auto client = created_echo(gateway, {{"Origin", "https://app.example"}});
  EXPECT_EQ(client.upstream({}, 0, {}).status, 204U);
  const auto other = replaced(client.session_headers(0), "Origin", "https://evil.example");
  EXPECT_EQ(tether::test::http_request(gateway.ws_port(), "POST", "/echo/;e/up?n=2", other).status,
            403U);
  const auto none = replaced(client.session_headers(0), "Origin", {});
  EXPECT_EQ(tether::test::http_request(gateway.ws_port(), "POST", "/echo/;e/up?n=3", none).status,
            403U);
}

TEST(GatewayEmulationSession, IdleSessionIsForgotten) {
  Gateway gateway(json{{"emulation", {{"idle_timeout_ms", 300}}}});
  auto client = created_echo(gateway);
  const auto stats =
      wait_for_stats(gateway, [](const json& s) { return s.at("emulated_sessions_open") == 0; });
  EXPECT_EQ(stats.at("emulated_sessions_open"), 0);
  EXPECT_EQ(client.upstream({}).status, 404U);
}

TEST(GatewayEmulationSession, RefusedRequestsDoNotKeepTheSessionAlive) {
  Gateway gateway(json{{"emulation", {{"idle_timeout_ms", 300}}}});
  auto client = created_echo(gateway);
  const auto refused = replaced(client.session_headers(0), "Tether-Ack", "not a number");
  // Refused every 100 ms, three times within the idle limit: the session ends all the same.
  unsigned status = 400;
  const auto deadline = std::chrono::steady_clock::now() + 3s;
  while (status == 400 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(100ms);  // the pace of a client, not a synchronisation
    status =
        tether::test::http_request(gateway.ws_port(), "POST", "/echo/;e/up?n=1", refused).status;
  }
  EXPECT_EQ(status, 404U) << "refused requests kept the session alive";
}

TEST(GatewayEmulationSession, ARefusedDownstreamLeavesItsAcknowledgementUnapplied) {
  Gateway gateway;
  auto client = created_echo(gateway);
  ASSERT_EQ(client.upstream(encode_frames({text(1, "hello")})).status, 204U);
  // Acknowledges the echo (sequence 1), but asks for a mode that does not exist: refused whole.
  const auto bad_mode = client.session_headers(1, {{"Tether-Mode", "push"}});
  EXPECT_EQ(
      tether::test::http_request(gateway.ws_port(), "GET", "/echo/;e/down?n=1", bad_mode).status,
      400U);
  const auto poll = client.session_headers(0, {{"Tether-Mode", "poll"}});
  const auto response =
      tether::test::http_request(gateway.ws_port(), "GET", "/echo/;e/down?n=2", poll);
  EXPECT_EQ(response.status, 200U);
  EXPECT_NE(response.body.find("hello"), std::string::npos) << "the echo is still unacknowledged";
}

TEST(GatewayEmulationSession, RequestsKeepTheSessionAlive) {
  Gateway gateway(json{{"emulation", {{"idle_timeout_ms", 800}}}});
  auto client = created_echo(gateway);
  const auto deadline = std::chrono::steady_clock::now() + 2s;
  while (std::chrono::steady_clock::now() < deadline) {
    ASSERT_EQ(client.upstream({}).status, 204U);
    std::this_thread::sleep_for(100ms);  // the pace of a client, not a synchronisation
  }
}

// --- echo over emulation (sections 5 to 8) ---

TEST(GatewayEmulationEcho, EchoesTextAndBinaryWithTheirTypesInOrder) {
  Gateway gateway;
  auto client = created_echo(gateway);
  EXPECT_EQ(client.upstream(encode_frames({text(1, "hello"), binary(2, "bytes")})).status, 204U);
  EXPECT_EQ(client.upstream(encode_frames({text(3, "again")})).status, 204U);
  auto downstream = client.downstream();
  ASSERT_TRUE(downstream.read_header());
  EXPECT_EQ(downstream.status(), 200U);
  EXPECT_EQ(downstream.header("Content-Type"), "application/octet-stream");
  EXPECT_EQ(downstream.header("Cache-Control"), "no-store");
  EXPECT_EQ(describe(*downstream.next_frame()), "NOP") << "a downstream starts with a NOP";
  EXPECT_EQ(describe(*downstream.next_frame()), "TEXT 1 hello");
  EXPECT_EQ(describe(*downstream.next_frame()), "BINARY 2 bytes");
  EXPECT_EQ(describe(*downstream.next_frame()), "TEXT 3 again");
  EXPECT_EQ(gateway.stats().at("messages_received"), 3);
}

TEST(GatewayEmulationEcho, StreamsEchoesOnAnOpenDownstream) {
  Gateway gateway;
  auto client = created_echo(gateway);
  auto downstream = client.downstream();
  EXPECT_EQ(describe(*downstream.next_frame()), "NOP");
  for (int index = 1; index <= 3; ++index) {
    const auto message = "message " + std::to_string(index);
    ASSERT_EQ(client.upstream(encode_frames({text(index, message)})).status, 204U);
    EXPECT_EQ(describe(*downstream.next_non_nop()),
              "TEXT " + std::to_string(index) + " " + message);
  }
}

TEST(GatewayEmulationEcho, AnswersPingWithPongOnTheDownstream) {
  Gateway gateway;
  auto client = created_echo(gateway);
  auto downstream = client.downstream();
  ASSERT_EQ(client.upstream(encode_frames({ping("are you there")})).status, 204U);
  EXPECT_EQ(describe(*downstream.next_non_nop()), "PONG are you there");
}

TEST(GatewayEmulationEcho, KeepsThePongOfAPingThatFoundNoDownstream) {
  Gateway gateway;
  auto client = created_echo(gateway);
  ASSERT_EQ(client.upstream(encode_frames({ping("later")})).status, 204U);
  EXPECT_EQ(describe(*client.downstream().next_non_nop()), "PONG later");
}

TEST(GatewayEmulationEcho, SendsHeartbeatNopsOnAnIdleDownstream) {
  Gateway gateway(quick_config());
  auto client = created_echo(gateway);
  auto downstream = client.downstream();
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(describe(*downstream.next_frame()), "NOP");
  EXPECT_EQ(describe(*downstream.next_frame(1s)), "NOP");
  EXPECT_EQ(describe(*downstream.next_frame(1s)), "NOP");
  EXPECT_GE(std::chrono::steady_clock::now() - start, 350ms);
}

TEST(GatewayEmulationTicker, DeliversQuotesOverEmulation) {
  Gateway gateway(json{{"ticker_interval_ms", 20}});
  EmulationTestClient client(gateway.ws_port(), "/ticker");
  ASSERT_EQ(client.create().status, 201U);
  auto downstream = client.downstream();
  const auto first = downstream.next_non_nop();
  const auto second = downstream.next_non_nop();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->type, FrameType::Text);
  EXPECT_EQ(second->sequence, first->sequence + 1);
  EXPECT_EQ(json::parse(first->payload).at("symbol"), "TTHR");
}

// --- reliability (sections 6 and 7) ---

TEST(GatewayEmulationReliability, ResendsWhatTheAckDoesNotCoverAfterACutDownstream) {
  Gateway gateway(json{{"faults", {{"emulation_cut_downstream_after_frames", 2}}}});
  auto client = created_echo(gateway);
  ASSERT_EQ(client
                .upstream(encode_frames(
                    {text(1, "a"), text(2, "b"), text(3, "c"), text(4, "d"), text(5, "e")}))
                .status,
            204U);
  auto first = client.downstream(0);
  EXPECT_THAT(without_nops(first.read_to_end()), ElementsAre("TEXT 1 a", "TEXT 2 b"));
  EXPECT_EQ(first.end(), DownstreamEnd::cut) << "cut without the chunked terminator";
  // The client got 1 and 2, but says it has only 1: 2 comes again.
  auto second = client.downstream(1);
  EXPECT_THAT(without_nops(second.read_to_end()), ElementsAre("TEXT 2 b", "TEXT 3 c"));
  auto third = client.downstream(3);
  EXPECT_THAT(without_nops(third.read_to_end()), ElementsAre("TEXT 4 d", "TEXT 5 e"));
  EXPECT_EQ(gateway.stats().at("emulated_frames_retransmitted"), 1);
}

TEST(GatewayEmulationReliability, UpstreamAckTrimsTheRetransmissionBuffer) {
  Gateway gateway;
  auto client = created_echo(gateway);
  ASSERT_EQ(client.upstream(encode_frames({text(1, "a"), text(2, "b")})).status, 204U);
  ASSERT_EQ(client.upstream(encode_frames({text(3, "c")}), 2).status, 204U);
  auto downstream = client.downstream(2);
  EXPECT_EQ(describe(*downstream.next_non_nop()), "TEXT 3 c");
}

TEST(GatewayEmulationReliability, NewDownstreamSupersedesTheOpenOne) {
  Gateway gateway;
  auto client = created_echo(gateway);
  auto first = client.downstream();
  ASSERT_TRUE(first.next_frame());
  auto second = client.downstream();
  ASSERT_TRUE(second.next_frame());
  EXPECT_THAT(first.read_to_end(), IsEmpty());
  EXPECT_EQ(first.end(), DownstreamEnd::complete);
  ASSERT_EQ(client.upstream(encode_frames({text(1, "to the new one")})).status, 204U);
  EXPECT_EQ(describe(*second.next_non_nop()), "TEXT 1 to the new one");
}

TEST(GatewayEmulationReliability, UpstreamSentTwiceIsDeliveredOnce) {
  Gateway gateway;
  auto client = created_echo(gateway);
  const auto body = encode_frames({text(1, "once"), text(2, "twice")});
  ASSERT_EQ(client.upstream(body).status, 204U);
  ASSERT_EQ(client.upstream(body).status, 204U);
  ASSERT_EQ(client.upstream(encode_frames({text(2, "twice"), text(3, "new")})).status, 204U);
  auto downstream = client.downstream();
  EXPECT_THAT(without_nops(downstream.read_to_end(500ms)),
              ElementsAre("TEXT 1 once", "TEXT 2 twice", "TEXT 3 new"));
  const auto stats = gateway.stats();
  EXPECT_EQ(stats.at("emulated_duplicate_frames_dropped"), 3);
  EXPECT_EQ(stats.at("messages_received"), 3);
}

TEST(GatewayEmulationReliability, DroppedUpstreamResponseIsProcessedAndItsResendDropped) {
  Gateway gateway(json{{"faults", {{"emulation_drop_upstream_response_every", 2}}}});
  auto client = created_echo(gateway);
  ASSERT_EQ(client.upstream(encode_frames({text(1, "one")})).status, 204U);
  const auto second = encode_frames({text(2, "two"), text(3, "three")});
  EXPECT_THROW(client.upstream(second), std::runtime_error) << "closed without a response";
  EXPECT_EQ(client.upstream(second).status, 204U);
  auto downstream = client.downstream();
  EXPECT_THAT(without_nops(downstream.read_to_end(500ms)),
              ElementsAre("TEXT 1 one", "TEXT 2 two", "TEXT 3 three"));
  const auto stats = gateway.stats();
  EXPECT_EQ(stats.at("emulated_upstream_requests"), 3);
  EXPECT_EQ(stats.at("emulated_duplicate_frames_dropped"), 2);
}

TEST(GatewayEmulationReliability, GapInUpstreamSequenceGets400AndEndsTheSession) {
  Gateway gateway;
  auto client = created_echo(gateway);
  EXPECT_EQ(client.upstream(encode_frames({text(2, "skipped one")})).status, 400U);
  EXPECT_EQ(client.upstream({}).status, 404U);
  EXPECT_EQ(gateway.stats().at("emulated_sessions_open"), 0);
}

TEST(GatewayEmulationReliability, MalformedFramesGet400) {
  Gateway gateway;
  auto client = created_echo(gateway);
  EXPECT_EQ(client.upstream(encode_frames({text(1, "\xff\xfe")})).status, 400U) << "not UTF-8";
  auto truncated = created_echo(gateway);
  EXPECT_EQ(truncated.upstream(encode_frames({text(1, "cut short")}).substr(0, 15)).status, 400U);
}

// --- downstream modes and recycling (section 6) ---

TEST(GatewayEmulationDownstream, EndsAfterRecycleBytes) {
  Gateway gateway(json{{"emulation", {{"recycle_bytes", 40}}}});
  auto client = created_echo(gateway);
  ASSERT_EQ(client
                .upstream(encode_frames(
                    {text(1, "0123456789"), text(2, "0123456789"), text(3, "0123456789")}))
                .status,
            204U);
  auto first = client.downstream();
  // 13 (NOP) + 23 + 23 bytes: over 40 after the second message.
  EXPECT_THAT(without_nops(first.read_to_end()),
              ElementsAre("TEXT 1 0123456789", "TEXT 2 0123456789"));
  EXPECT_EQ(first.end(), DownstreamEnd::complete);
  EXPECT_EQ(describe(*client.downstream(2).next_non_nop()), "TEXT 3 0123456789");
}

// docs/gateway.md: by default a response carries 1 MiB of frames; at 64 KiB every large message
// cost the client a downstream request of its own (docs/benchmarks.md).
TEST(GatewayEmulationDownstream, ByDefaultCarriesSeveral64KiBMessages) {
  Gateway gateway;
  auto client = created_echo(gateway);
  const std::string large(64 * 1024, 'x');
  ASSERT_EQ(
      client.upstream(encode_frames({binary(1, large), binary(2, large), binary(3, large)})).status,
      204U);
  auto downstream = client.downstream();
  for (std::uint64_t sequence = 1; sequence <= 3; ++sequence) {
    const auto frame = downstream.next_non_nop();
    ASSERT_TRUE(frame) << "the response ended before message " << sequence;
    EXPECT_EQ(frame->sequence, sequence);
    EXPECT_EQ(frame->payload.size(), large.size());
  }
}

TEST(GatewayEmulationDownstream, EndsAfterRecycleTime) {
  Gateway gateway(json{{"emulation", {{"recycle_ms", 300}}}});
  auto client = created_echo(gateway);
  auto downstream = client.downstream();
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THAT(describe(downstream.read_to_end()), ElementsAre("NOP"));
  EXPECT_EQ(downstream.end(), DownstreamEnd::complete);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 250ms);
}

TEST(GatewayEmulationDownstream, PollAnswersWithTheBufferedFramesAndNoNop) {
  Gateway gateway;
  auto client = created_echo(gateway);
  ASSERT_EQ(client.upstream(encode_frames({text(1, "a"), text(2, "b")})).status, 204U);
  auto poll = client.downstream(0, true);
  EXPECT_THAT(describe(poll.read_to_end()), ElementsAre("TEXT 1 a", "TEXT 2 b"));
  EXPECT_EQ(poll.end(), DownstreamEnd::complete);
  EXPECT_EQ(gateway.stats().at("emulated_poll_downstreams"), 1);
}

TEST(GatewayEmulationDownstream, PollWaitsForTheNextFrame) {
  Gateway gateway;
  auto client = created_echo(gateway);
  auto poll = client.downstream(0, true);
  ASSERT_TRUE(poll.read_header());
  EXPECT_FALSE(poll.next_frame(200ms));
  ASSERT_EQ(client.upstream(encode_frames({text(1, "news")})).status, 204U);
  EXPECT_THAT(describe(poll.read_to_end()), ElementsAre("TEXT 1 news"));
  EXPECT_EQ(poll.end(), DownstreamEnd::complete);
}

TEST(GatewayEmulationDownstream, PollWithNothingToSayEndsAfterTheHeartbeatWithOneNop) {
  Gateway gateway(quick_config());
  auto client = created_echo(gateway);
  auto poll = client.downstream(0, true);
  EXPECT_THAT(describe(poll.read_to_end()), ElementsAre("NOP"));
  EXPECT_EQ(poll.end(), DownstreamEnd::complete);
}

TEST(GatewayEmulationDownstream, BufferDownstreamFaultHoldsStreamResponsesBackButNotPolls) {
  Gateway gateway(json{{"faults", {{"emulation_buffer_downstream", true}}}});
  auto client = created_echo(gateway);
  auto stream = client.downstream();
  EXPECT_FALSE(stream.read_header(700ms)) << "held back like a buffering proxy";
  ASSERT_EQ(client.upstream(encode_frames({text(1, "polled")})).status, 204U);
  auto poll = client.downstream(0, true);
  EXPECT_THAT(describe(poll.read_to_end()), ElementsAre("TEXT 1 polled"));
  // The held-back response, superseded, comes whole at its end.
  EXPECT_THAT(without_nops(stream.read_to_end()), ElementsAre("TEXT 1 polled"));
  EXPECT_EQ(stream.end(), DownstreamEnd::complete);
}

// --- limits (section 7) ---

TEST(GatewayEmulationLimits, MessageOverMaxMessageSizeGets413AndEndsTheSession) {
  Gateway gateway(json{{"max_message_size", 1024}});
  auto client = created_echo(gateway);
  EXPECT_EQ(client.upstream(encode_frames({binary(1, std::string(1024, 'x'))})).status, 204U);
  EXPECT_EQ(client.upstream(encode_frames({binary(2, std::string(1025, 'x'))})).status, 413U);
  EXPECT_EQ(client.upstream({}).status, 404U);
}

TEST(GatewayEmulationLimits, BodyOverTheUpstreamLimitGets413) {
  Gateway gateway(json{{"max_message_size", 1024}});
  auto client = created_echo(gateway);
  const std::string body(std::size_t{3} * 1024 * 1024, '\0');
  EXPECT_EQ(client.upstream(body).status, 413U);
  EXPECT_EQ(client.upstream({}).status, 404U);
}

// --- bounded memory (docs/gateway.md "Emulation") ---

// An /echo gateway whose sessions may hold four 10-byte messages unacknowledged.
json small_buffer_config() {
  return json{{"max_message_size", 16}, {"emulation", {{"max_unacknowledged_bytes", 40}}}};
}

const std::string ten_bytes = "0123456789";

TEST(GatewayEmulationMemory, UnacknowledgedBytesOverTheCapEndTheSessionWith1008) {
  Gateway gateway(small_buffer_config());
  auto client = created_echo(gateway);
  auto downstream = client.downstream();
  ASSERT_EQ(client
                .upstream(encode_frames({text(1, ten_bytes), text(2, ten_bytes), text(3, ten_bytes),
                                         text(4, ten_bytes)}))
                .status,
            204U);
  EXPECT_EQ(wait_for_stats(
                gateway, [](const json& s) { return s.at("emulated_unacknowledged_bytes") == 40; })
                .at("emulated_unacknowledged_bytes"),
            40);
  ASSERT_EQ(client.upstream(encode_frames({text(5, "x")})).status, 204U);
  EXPECT_THAT(without_nops(downstream.read_to_end()),
              ElementsAre("TEXT 1 " + ten_bytes, "TEXT 2 " + ten_bytes, "TEXT 3 " + ten_bytes,
                          "TEXT 4 " + ten_bytes, "CLOSE 5 1008"));
  EXPECT_EQ(downstream.end(), DownstreamEnd::complete);
  const auto stats =
      wait_for_stats(gateway, [](const json& s) { return s.at("emulated_sessions_open") == 0; });
  EXPECT_EQ(stats.at("emulated_sessions_open"), 0);
  EXPECT_EQ(stats.at("emulated_sessions_over_buffer"), 1);
  EXPECT_EQ(stats.at("emulated_unacknowledged_bytes"), 0);
  EXPECT_EQ(client.upstream({}, 5).status, 404U);
}

TEST(GatewayEmulationMemory, BurstWithoutADownstreamEndsTheSessionAtTheCap) {
  Gateway gateway(small_buffer_config());
  auto client = created_echo(gateway);
  for (std::uint64_t sequence = 1; sequence <= 5; ++sequence) {
    ASSERT_EQ(client.upstream(encode_frames({text(sequence, ten_bytes)})).status, 204U);
  }
  EXPECT_EQ(client.upstream(encode_frames({text(6, ten_bytes)})).status, 404U)
      << "the fifth echo went over the cap: the session is gone, and its buffer with it";
  const auto stats = gateway.stats();
  EXPECT_EQ(stats.at("emulated_sessions_over_buffer"), 1);
  EXPECT_EQ(stats.at("emulated_unacknowledged_bytes"), 0);
}

TEST(GatewayEmulationMemory, AcknowledgedBytesNoLongerCount) {
  Gateway gateway(small_buffer_config());
  auto client = created_echo(gateway);
  for (std::uint64_t sequence = 1; sequence <= 10; ++sequence) {
    ASSERT_EQ(client.upstream(encode_frames({text(sequence, ten_bytes)}), sequence - 1).status,
              204U);
  }
  EXPECT_EQ(gateway.stats().at("emulated_unacknowledged_bytes"), 10);
  auto downstream = client.downstream(9);
  EXPECT_EQ(describe(*downstream.next_non_nop()), "TEXT 10 " + ten_bytes);
}

TEST(GatewayEmulationMemory, SessionWithoutADownstreamBuffersNothingFromTheTicker) {
  Gateway gateway(json{{"ticker_interval_ms", 20}});
  EmulationTestClient created_only(gateway.ws_port(), "/ticker");
  ASSERT_EQ(created_only.create().status, 201U);
  EmulationTestClient reader(gateway.ws_port(), "/ticker");
  ASSERT_EQ(reader.create().status, 201U);
  auto quotes = reader.downstream();
  std::optional<Frame> quote;
  for (int count = 0; count < 3; ++count) ASSERT_TRUE(quote = quotes.next_non_nop());
  auto late = created_only.downstream();
  const auto first = late.next_non_nop();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->sequence, 1U);
  EXPECT_GT(json::parse(first->payload).at("seq"), json::parse(quote->payload).at("seq"))
      << "the session joined the ticker with its first downstream, not at create";
}

TEST(GatewayEmulationMemory, SessionWhoseFirstDownstreamNeverComesIsForgotten) {
  Gateway gateway(json{{"emulation", {{"first_downstream_timeout_ms", 300}}}});
  auto client = created_echo(gateway);
  ASSERT_EQ(client.upstream({}).status, 204U) << "an upstream does not lift the limit";
  const auto stats =
      wait_for_stats(gateway, [](const json& s) { return s.at("emulated_sessions_open") == 0; });
  EXPECT_EQ(stats.at("emulated_sessions_open"), 0);
  EXPECT_EQ(client.upstream({}).status, 404U);
}

TEST(GatewayEmulationMemory, FirstDownstreamLiftsItsLimit) {
  Gateway gateway(quick_config(json{{"emulation", {{"first_downstream_timeout_ms", 300}}}}));
  auto client = created_echo(gateway);
  auto downstream = client.downstream();
  // The initial NOP, then three heartbeats 200 ms apart: past the first downstream's limit.
  for (int count = 0; count < 4; ++count) ASSERT_TRUE(downstream.next_frame(1s));
  EXPECT_EQ(gateway.stats().at("emulated_sessions_open"), 1);
  EXPECT_EQ(client.upstream({}).status, 204U);
}

TEST(GatewayEmulationMemory, CreateOverMaxSessionsGets503WithRetryAfter) {
  Gateway gateway(
      json{{"emulation", {{"max_sessions", 2}, {"first_downstream_timeout_ms", 5000}}}});
  auto first = created_echo(gateway);
  auto second = created_echo(gateway);
  EmulationTestClient third(gateway.ws_port(), "/echo");
  const auto refused = third.create();
  EXPECT_EQ(refused.status, 503U);
  EXPECT_EQ(header_of(refused, "Retry-After"), "5");
  EXPECT_EQ(header_of(refused, "Cache-Control"), "no-store");
  EXPECT_THAT(refused.body, ::testing::HasSubstr("emulation.max_sessions"));
  EXPECT_EQ(gateway.stats().at("upgrades_refused").at("503"), 1);
  // A session that ends makes room.
  auto downstream = first.downstream();
  ASSERT_EQ(first.upstream(encode_frames({close_frame(1, 1000)})).status, 204U);
  EXPECT_THAT(without_nops(downstream.read_to_end()), ElementsAre("CLOSE 1 1000"));
  wait_for_stats(gateway, [](const json& s) { return s.at("emulated_sessions_open") == 1; });
  EXPECT_EQ(third.create().status, 201U);
}

TEST(GatewayEmulationMemory, CreatesFromOneClientOverItsCapGet503UntilTheWindowMoves) {
  Gateway gateway(json{{"emulation", {{"max_creates_per_client", 3}, {"create_window_ms", 500}}}});
  EmulationTestClient client(gateway.ws_port(), "/echo");
  for (int count = 0; count < 3; ++count) ASSERT_EQ(client.create().status, 201U);
  const auto refused = client.create();
  EXPECT_EQ(refused.status, 503U);
  EXPECT_EQ(header_of(refused, "Retry-After"), "1") << "500 ms, rounded up to a whole second";
  EXPECT_THAT(refused.body, ::testing::HasSubstr("emulation.max_creates_per_client"));
  // Refused creates do not count: the window moves on, and creates are accepted again.
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  unsigned status = 503;
  while (status == 503 && std::chrono::steady_clock::now() < deadline) {
    status = client.create().status;
  }
  EXPECT_EQ(status, 201U);
}

TEST(GatewayEmulationMemory, CapBelowMaxMessageSizeExitsWithStatus2) {
  try {
    Gateway gateway(
        json{{"max_message_size", 1024}, {"emulation", {{"max_unacknowledged_bytes", 1023}}}});
    FAIL() << "the gateway started with a buffer that cannot hold one message";
  } catch (const GatewayStartError& error) {
    EXPECT_EQ(error.exit_status(), 2);
    EXPECT_THAT(error.what(),
                ::testing::HasSubstr(
                    "'emulation.max_unacknowledged_bytes' must be at least 'max_message_size'"));
  }
}

// --- close (section 9) ---

TEST(GatewayEmulationClose, ClientCloseIsAnsweredAndTheSessionForgotten) {
  Gateway gateway;
  auto client = created_echo(gateway);
  auto downstream = client.downstream();
  ASSERT_EQ(client.upstream(encode_frames({text(1, "last"), close_frame(2, 1000, "bye")})).status,
            204U);
  EXPECT_THAT(without_nops(downstream.read_to_end()), ElementsAre("TEXT 1 last", "CLOSE 2 1000"));
  EXPECT_EQ(downstream.end(), DownstreamEnd::complete) << "the gateway's CLOSE ends the response";
  const auto stats =
      wait_for_stats(gateway, [](const json& s) { return s.at("emulated_sessions_open") == 0; });
  EXPECT_EQ(stats.at("emulated_sessions_open"), 0);
  EXPECT_EQ(client.upstream({}, 2).status, 404U);
}

TEST(GatewayEmulationClose, ClientCloseWithoutDownstreamIsAnsweredOnTheNextOne) {
  Gateway gateway;
  auto client = created_echo(gateway);
  ASSERT_EQ(client.upstream(encode_frames({close_frame(1, 1001)})).status, 204U);
  EXPECT_EQ(gateway.stats().at("emulated_sessions_open"), 1) << "its CLOSE is not sent yet";
  auto downstream = client.downstream();
  EXPECT_THAT(without_nops(downstream.read_to_end()), ElementsAre("CLOSE 1 1001"));
  auto after = client.downstream(1);
  ASSERT_TRUE(after.read_header());
  EXPECT_EQ(after.status(), 404U);
}

// --- frames in upstream replies (section 7) ---

TEST(GatewayEmulationReplies, OnlyTheOfferOfFramesIsAcceptedAndTheConfigCanDeclineIt) {
  Gateway gateway;
  for (const HttpHeaders& offer :
       {HttpHeaders{}, HttpHeaders{{"Tether-Upstream-Reply", "frames, more"}},
        HttpHeaders{{"Tether-Upstream-Reply", "bytes"}}}) {
    EmulationTestClient client(gateway.ws_port(), "/echo");
    const auto response = client.create(offer);
    EXPECT_EQ(response.status, 201U);
    EXPECT_THAT(response.header_values("Tether-Upstream-Reply"), IsEmpty());
    EXPECT_EQ(client.upstream(encode_frames({text(1, "down")})).status, 204U);
  }
  Gateway declining(json{{"emulation", {{"upstream_replies", false}}}});
  EmulationTestClient client(declining.ws_port(), "/echo");
  const auto response = client.create(upstream_reply_offer);
  EXPECT_EQ(response.status, 201U);
  EXPECT_THAT(response.header_values("Tether-Upstream-Reply"), IsEmpty());
  EXPECT_EQ(client.upstream(encode_frames({text(1, "down")})).status, 204U);
  EXPECT_THAT(without_nops(client.downstream().read_to_end(300ms)), ElementsAre("TEXT 1 down"));
}

TEST(GatewayEmulationReplies, EchoesAndPongsComeBackInTheReplyAndNotOnTheDownstream) {
  Gateway gateway;
  auto client = created_echo_with_replies(gateway);
  auto downstream = client.downstream();
  EXPECT_EQ(describe(*downstream.next_frame()), "NOP");
  const auto reply =
      client.upstream(encode_frames({text(1, "hello"), ping("there?"), binary(2, "bytes")}));
  EXPECT_EQ(reply.status, 200U);
  EXPECT_EQ(header_of(reply, "Content-Type"), "application/octet-stream");
  EXPECT_EQ(header_of(reply, "Cache-Control"), "no-store");
  EXPECT_THAT(reply_frames(reply), ElementsAre("TEXT 1 hello", "PONG there?", "BINARY 2 bytes"));
  EXPECT_EQ(client.upstream(encode_frames({}), 2).status, 204U) << "nothing to say: 204";
  EXPECT_FALSE(downstream.next_non_nop(300ms)) << "nothing went down twice";
  EXPECT_EQ(gateway.stats().at("emulated_frames_replied"), 3);
}

TEST(GatewayEmulationReplies, WhatAReplyCarriedComesAgainUntilAcknowledged) {
  Gateway gateway;
  auto client = created_echo_with_replies(gateway);
  EXPECT_THAT(reply_frames(client.upstream(encode_frames({text(1, "a")}))),
              ElementsAre("TEXT 1 a"));
  // That reply was lost: the retry, with the same frames and the same ack, gets it again.
  EXPECT_THAT(reply_frames(client.upstream(encode_frames({text(1, "a")}), 0)),
              ElementsAre("TEXT 1 a"));
  EXPECT_THAT(reply_frames(client.upstream(encode_frames({text(2, "b")}), 1)),
              ElementsAre("TEXT 2 b"));
  EXPECT_EQ(client.upstream(encode_frames({}), 2).status, 204U);
  const auto stats = gateway.stats();
  EXPECT_EQ(stats.at("emulated_frames_replied_again"), 1);
  EXPECT_EQ(stats.at("emulated_duplicate_frames_dropped"), 1);
  EXPECT_EQ(stats.at("messages_received"), 2);
}

TEST(GatewayEmulationReplies, FramesPastTheReplysBoundGoOnTheDownstreamInOrder) {
  Gateway gateway(json{{"emulation", {{"upstream_reply_bytes", 100}}}});
  auto client = created_echo_with_replies(gateway);
  auto downstream = client.downstream();
  const std::string sixty(60, 'x');
  const auto reply = client.upstream(
      encode_frames({text(1, "1" + sixty), text(2, "2" + sixty), text(3, "3" + sixty)}));
  EXPECT_THAT(reply_frames(reply), ElementsAre("TEXT 1 1" + sixty));
  EXPECT_EQ(describe(*downstream.next_non_nop()), "TEXT 2 2" + sixty);
  EXPECT_EQ(describe(*downstream.next_non_nop()), "TEXT 3 3" + sixty);
}

TEST(GatewayEmulationReplies, AReplyCarriesTheFramesThatFoundNoDownstream) {
  Gateway gateway(json{{"emulation", {{"upstream_reply_bytes", 20}}}});
  auto client = created_echo_with_replies(gateway);
  // Past the bound and with no downstream open, 2 and 3 wait; the next reply takes them.
  EXPECT_THAT(
      reply_frames(client.upstream(encode_frames({text(1, "a"), text(2, "b"), text(3, "c")}))),
      ElementsAre("TEXT 1 a"));
  EXPECT_THAT(reply_frames(client.upstream(encode_frames({}), 1)), ElementsAre("TEXT 2 b"));
  EXPECT_THAT(reply_frames(client.upstream(encode_frames({}), 2)), ElementsAre("TEXT 3 c"));
}

TEST(GatewayEmulationReplies, TheGatewaysCloseTravelsOnADownstreamNeverInAReply) {
  Gateway gateway;
  auto client = created_echo_with_replies(gateway);
  const auto reply = client.upstream(encode_frames({text(1, "last"), close_frame(2, 1000)}));
  EXPECT_THAT(reply_frames(reply), ElementsAre("TEXT 1 last"));
  auto downstream = client.downstream(1);
  EXPECT_THAT(without_nops(downstream.read_to_end()), ElementsAre("CLOSE 2 1000"));
}

TEST(GatewayEmulationClose, CloseAfterMessagesFaultClosesTheEmulatedSession) {
  Gateway gateway(json{{"faults", {{"close_after_messages", 2}, {"close_code", 4000}}}});
  auto client = created_echo(gateway);
  auto downstream = client.downstream();
  ASSERT_EQ(client.upstream(encode_frames({text(1, "one"), text(2, "two")})).status, 204U);
  EXPECT_THAT(without_nops(downstream.read_to_end()),
              ElementsAre("TEXT 1 one", "TEXT 2 two", "CLOSE 3 4000"));
  EXPECT_EQ(downstream.end(), DownstreamEnd::complete);
  EXPECT_EQ(gateway.stats().at("emulated_sessions_open"), 1) << "waiting for the client's CLOSE";
  ASSERT_EQ(client.upstream(encode_frames({close_frame(3, 4000)}), 3).status, 204U);
  EXPECT_EQ(gateway.stats().at("emulated_sessions_open"), 0);
  EXPECT_EQ(client.upstream({}, 3).status, 404U);
}

TEST(GatewayEmulationClose, MessageAfterTheClientCloseIsAProtocolError) {
  Gateway gateway;
  auto client = created_echo(gateway);
  EXPECT_EQ(client.upstream(encode_frames({close_frame(1, 1000), text(2, "too late")})).status,
            400U);
}

// --- the control channel (docs/control-channel.md sections 2, 3.2 and 6) ---

const HttpHeaders control_offer = {{"Tether-Extensions", control::extension_offer()}};

// An /echo session with the control channel, created.
EmulationTestClient created_with_control_channel(const Gateway& gateway) {
  EmulationTestClient client(gateway.ws_port(), "/echo");
  const auto response = client.create(control_offer);
  EXPECT_EQ(response.status, 201U) << response.body;
  EXPECT_EQ(header_of(response, "Tether-Extensions"), "x-tether-control; v=1");
  return client;
}

TEST(GatewayEmulationControlChannel, CreateOfferingItIsAnsweredWithVersion1) {
  Gateway gateway;
  EmulationTestClient client(gateway.ws_port(), "/echo");
  const auto response = client.create({{"Tether-Extensions",
                                        "permessage-foo, X-Tether-Control; V=2, "
                                        "x-tether-control; v=1"}});
  EXPECT_EQ(response.status, 201U) << response.body;
  EXPECT_THAT(response.header_values("Tether-Extensions"), ElementsAre("x-tether-control; v=1"));
}

TEST(GatewayEmulationControlChannel, CreateWithoutTheOfferGetsNoAnswer) {
  Gateway gateway;
  EmulationTestClient client(gateway.ws_port(), "/echo");
  const auto response = client.create();
  EXPECT_EQ(response.status, 201U);
  EXPECT_THAT(response.header_values("Tether-Extensions"), IsEmpty());
}

TEST(GatewayEmulationControlChannel, AnOfferOfAnotherVersionOnlyIsDeclined) {
  Gateway gateway;
  EmulationTestClient client(gateway.ws_port(), "/echo");
  const auto response = client.create({{"Tether-Extensions", "x-tether-control; v=2"}});
  EXPECT_EQ(response.status, 201U);
  EXPECT_THAT(response.header_values("Tether-Extensions"), IsEmpty());
}

TEST(GatewayEmulationControlChannel, WhenTheConfigTurnsItOffTheOfferGetsNoAnswer) {
  Gateway gateway(json{{"control_channel", false}});
  EmulationTestClient client(gateway.ws_port(), "/echo");
  const auto response = client.create(control_offer);
  EXPECT_EQ(response.status, 201U);
  EXPECT_THAT(response.header_values("Tether-Extensions"), IsEmpty());
  EXPECT_EQ(client.upstream(encode_frames({control_frame(1, revalidated)})).status, 400U)
      << "no CONTROL frame on a session without the channel";
}

TEST(GatewayEmulationControlChannel, AMalformedExtensionListGets400) {
  Gateway gateway;
  EmulationTestClient client(gateway.ws_port(), "/echo");
  const auto response = client.create({{"Tether-Extensions", "x-tether-control; v=\"1"}});
  EXPECT_EQ(response.status, 400U);
  EXPECT_THAT(response.body, ::testing::HasSubstr("Tether-Extensions"));
  EXPECT_EQ(gateway.stats().at("emulated_sessions_created"), 0);
}

TEST(GatewayEmulationControlChannel, AControlMessageReachesTheServiceAndComesBackInItsPlace) {
  Gateway gateway;
  auto client = created_with_control_channel(gateway);
  ASSERT_EQ(client
                .upstream(encode_frames(
                    {text(1, "before"), control_frame(2, revalidated), text(3, "after")}))
                .status,
            204U);
  const auto frames = client.downstream().read_to_end(1s);
  EXPECT_THAT(without_nops(frames),
              ElementsAre("TEXT 1 before", "CONTROL 2 REVALIDATION_RESULT", "TEXT 3 after"));
  // /echo sends the very message back: the client's bytes, in a CONTROL frame of the gateway's.
  for (const auto& frame : frames) {
    if (frame.type == FrameType::Control) {
      EXPECT_EQ(frame.payload, control_frame(2, revalidated).payload);
    }
  }
  const auto stats = gateway.stats();
  EXPECT_EQ(stats.at("control_messages_received"), 1);
  EXPECT_EQ(stats.at("control_messages_sent"), 1);
  EXPECT_EQ(stats.at("messages_received"), 2) << "a control message is not a message";
}

TEST(GatewayEmulationControlChannel, ControlMessagesTakeNoMessageNumber) {
  // close_after_messages counts messages_received(), the numbers of docs/control-channel.md
  // section 4: the CONTROL frame between the two texts is not one.
  Gateway gateway(json{{"faults", {{"close_after_messages", 2}, {"close_code", 4000}}}});
  auto client = created_with_control_channel(gateway);
  auto downstream = client.downstream();
  ASSERT_EQ(
      client
          .upstream(encode_frames({text(1, "one"), control_frame(2, revalidated), text(3, "two")}))
          .status,
      204U);
  EXPECT_THAT(
      without_nops(downstream.read_to_end()),
      ElementsAre("TEXT 1 one", "CONTROL 2 REVALIDATION_RESULT", "TEXT 3 two", "CLOSE 4 4000"));
}

// Sends control, the session's first frame, with a downstream open: the client broke the protocol
// (docs/emulation.md section 5), so the upstream gets 400, the downstream CLOSE 1002, and the
// session is forgotten without the service seeing a control message.
void expect_protocol_error_from(const Gateway& gateway, EmulationTestClient& client,
                                const Frame& control) {
  auto downstream = client.downstream();
  EXPECT_EQ(describe(*downstream.next_frame()), "NOP");
  EXPECT_EQ(client.upstream(encode_frames({control})).status, 400U);
  EXPECT_THAT(without_nops(downstream.read_to_end()), ElementsAre("CLOSE 1 1002"));
  EXPECT_EQ(client.upstream({}).status, 404U);
  EXPECT_EQ(gateway.stats().at("control_messages_received"), 0);
}

TEST(GatewayEmulationControlChannel, AControlFrameWithoutTheChannelIsAProtocolError) {
  Gateway gateway;
  auto client = created_echo(gateway);  // no offer
  expect_protocol_error_from(gateway, client, control_frame(1, revalidated));
}

TEST(GatewayEmulationControlChannel, AMalformedControlMessageGets400AndEndsTheSessionWith1002) {
  Gateway gateway;
  auto client = created_with_control_channel(gateway);
  // A REVALIDATION_RESULT cut short after its type byte (section 6).
  expect_protocol_error_from(gateway, client, {FrameType::Control, 1, "\x02"});
}

TEST(GatewayEmulationControlChannel, AControlMessageOfAnUnknownTypeIsIgnored) {
  Gateway gateway;
  auto client = created_with_control_channel(gateway);
  // 0x05 is reserved (section 5): a later version's message, which version 1 ignores.
  ASSERT_EQ(
      client.upstream(encode_frames({{FrameType::Control, 1, "\x05later"}, text(2, "hi")})).status,
      204U);
  EXPECT_THAT(without_nops(client.downstream().read_to_end(1s)), ElementsAre("TEXT 1 hi"));
  EXPECT_EQ(gateway.stats().at("control_messages_received"), 0);
}

// --- lifecycle ---

TEST(GatewayEmulationLifecycle, SigtermWithSessionsAndAnOpenDownstreamExitsWith0) {
  Gateway gateway(json{{"ticker_interval_ms", 10}});
  auto echo = created_echo(gateway);
  auto downstream = echo.downstream();
  ASSERT_EQ(echo.upstream(encode_frames({text(1, "in flight")})).status, 204U);
  EmulationTestClient ticker(gateway.ws_port(), "/ticker");
  ASSERT_EQ(ticker.create().status, 201U);
  auto quotes = ticker.downstream();
  ASSERT_TRUE(quotes.next_non_nop());
  EXPECT_EQ(gateway.stop(), 0);
}

// --- config ---

TEST(GatewayEmulationConfig, UnknownEmulationKeyExitsWithStatus2NamingIt) {
  try {
    Gateway gateway(json{{"emulation", {{"heartbeat", 5}}}});
    FAIL() << "the gateway started with an unknown key";
  } catch (const GatewayStartError& error) {
    EXPECT_EQ(error.exit_status(), 2);
    EXPECT_THAT(error.what(), ::testing::HasSubstr("emulation.heartbeat"));
  }
}

TEST(GatewayEmulationConfig, AnUnknownUpstreamConnectionCloseExitsWithStatus2NamingIt) {
  try {
    Gateway gateway(json{{"faults", {{"emulation_upstream_connection_close", "sometimes"}}}});
    FAIL() << "the gateway started with an unknown way to close upstream connections";
  } catch (const GatewayStartError& error) {
    EXPECT_EQ(error.exit_status(), 2);
    EXPECT_THAT(error.what(), ::testing::HasSubstr("faults.emulation_upstream_connection_close"));
  }
}

TEST(GatewayEmulationConfig, CredentialsOnEveryRequestWithoutCredentialsToAskExitsWithStatus2) {
  try {
    Gateway gateway(json{{"services", {{"/echo", {{"credentials_on_every_request", true}}}}}});
    FAIL() << "the gateway started asking for credentials it has no scheme for";
  } catch (const GatewayStartError& error) {
    EXPECT_EQ(error.exit_status(), 2);
    EXPECT_THAT(error.what(), ::testing::HasSubstr("'services./echo.credentials_on_every_request' "
                                                   "needs 'schemes' or 'sso_cookie'"));
  }
}

TEST(GatewayEmulationConfig, HeartbeatOverAnHourExitsWithStatus2) {
  try {
    Gateway gateway(json{{"emulation", {{"heartbeat_ms", 3600001}}}});
    FAIL() << "the gateway started with a heartbeat no client accepts";
  } catch (const GatewayStartError& error) {
    EXPECT_EQ(error.exit_status(), 2);
    EXPECT_THAT(error.what(), ::testing::HasSubstr("at most 3600000"));
  }
}

TEST(GatewayEmulationConfig, ZeroHeartbeatExitsWithStatus2) {
  try {
    Gateway gateway(json{{"emulation", {{"heartbeat_ms", 0}}}});
    FAIL() << "the gateway started with a zero heartbeat";
  } catch (const GatewayStartError& error) {
    EXPECT_EQ(error.exit_status(), 2);
  }
}

}  // namespace
}  // namespace tether::gateway::test
