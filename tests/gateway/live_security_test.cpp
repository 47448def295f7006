// Live-session security on the gateway (docs/gateway.md "Live-session security",
// docs/control-channel.md): per-user rights, revalidation and its URL, the grace deadline, and
// DENIED, checked with the gateway's own Beast client and the control channel's codec.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/beast/websocket/error.hpp>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "control/control_codec.hpp"
#include "control/control_negotiation.hpp"
#include "control/native_framing.hpp"
#include "digest_test_answer.hpp"
#include "emulation_test_client.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/gateway_stats_wait.hpp"
#include "tether_test/http_request.hpp"
#include "tether_test/temp_dir.hpp"
#include "tether_test/users_file.hpp"
#include "websocket_test_client.hpp"

namespace tether::gateway::test {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;
using tether::test::Gateway;
using tether::test::GatewayStartError;
using tether::test::http_request;
using tether::test::TempDir;
using tether::test::wait_for_stats;
namespace http = boost::beast::http;

constexpr auto alice_basic = "Basic YWxpY2U6c2VjcmV0";  // base64("alice:secret")
constexpr auto bob_basic = "Basic Ym9iOnNlY3JldA==";    // base64("bob:secret")

// What the client reads next: an application message or a control message.
struct Incoming {
  WebSocketTestClient::Received received;
  std::optional<control::ControlMessage> control;
};

// A native client that offers the control channel (docs/control-channel.md section 2) and reads
// control messages with the SDK's codec.
class ControlClient {
 public:
  ControlClient(const Gateway& gateway, const std::string& path,
                const std::string& authorization = "", const std::string& cookie = "")
      : client_(WebSocketTestClient::connect(gateway.ws_port(), path,
                                             options(authorization, cookie))) {}

  WebSocketTestClient& socket() { return client_; }

  bool negotiated() const {
    const auto& response = client_.response();
    const auto field = response.find(http::field::sec_websocket_extensions);
    return field != response.end() &&
           std::string(field->value()).find(control::extension_name) != std::string::npos;
  }

  Incoming next() {
    Incoming incoming{client_.read(), std::nullopt};
    if (incoming.received.error || incoming.received.is_text) return incoming;
    control::ReceivedBinary binary;
    if (control::read_native_binary(incoming.received.payload, binary)) {
      ADD_FAILURE() << "a malformed control message came";
      return incoming;
    }
    if (binary.is_control) incoming.control = binary.control;
    return incoming;
  }

  // The next control message of type Message, skipping application messages (quotes); nullopt
  // when the connection ends or reads time out first.
  template <class Message>
  std::optional<Message> next_control() {
    for (;;) {
      auto incoming = next();
      if (incoming.received.error) return std::nullopt;
      if (incoming.control) {
        if (const auto* message = std::get_if<Message>(&*incoming.control)) return *message;
        ADD_FAILURE() << "another control message came first";
      }
    }
  }

  void send_control(const control::ControlMessage& message) {
    std::string bytes;
    ASSERT_FALSE(control::append_native_control_message(bytes, message));
    ASSERT_FALSE(client_.write(bytes, false));
  }

 private:
  static HandshakeOptions options(const std::string& authorization, const std::string& cookie) {
    HandshakeOptions options;
    options.headers.emplace_back("Sec-WebSocket-Extensions", control::extension_offer());
    if (!authorization.empty()) options.headers.emplace_back("Authorization", authorization);
    if (!cookie.empty()) options.headers.emplace_back("Cookie", cookie);
    return options;
  }

  WebSocketTestClient client_;
};

HttpResponse post_control(const Gateway& gateway, const json& body) {
  return http_request(gateway.ws_port(), "POST", "/_control",
                      {{"Tether-Control-Secret", gateway.control_secret()}}, body.dump());
}

json change_right(const Gateway& gateway, const std::string& action, const std::string& right,
                  const std::string& service, const std::string& topic = "") {
  json body = {{"action", action}, {"user", "alice"}, {"service", service}, {"right", right}};
  if (!topic.empty()) body["topic"] = topic;
  const auto response = post_control(gateway, body);
  EXPECT_EQ(response.status, 200U) << response.body;
  return json::parse(response.body, nullptr, false);
}

std::size_t revalidate_all(const Gateway& gateway) {
  const auto response = post_control(gateway, {{"action", "revalidate"}});
  EXPECT_EQ(response.status, 200U) << response.body;
  return json::parse(response.body).value("revalidations_requested", std::size_t{0});
}

HttpResponse get(const Gateway& gateway, const std::string& target,
                 const std::string& authorization = "", const std::string& cookie = "") {
  tether::test::HttpHeaders headers;
  if (!authorization.empty()) headers.emplace_back("Authorization", authorization);
  if (!cookie.empty()) headers.emplace_back("Cookie", cookie);
  return http_request(gateway.ws_port(), "GET", target, headers);
}

std::string symbol_of(const WebSocketTestClient::Received& quote) {
  return json::parse(quote.payload, nullptr, false).value("symbol", "");
}

class GatewayLiveSecurity : public ::testing::Test {
 protected:
  GatewayLiveSecurity() {
    tether::test::write_users_file(users_file_, {{"alice", "secret"}, {"bob", "secret"}});
  }

  // /echo and /ticker ask for schemes; service adds to both, rights is the config's.
  json config(const std::vector<std::string>& schemes, json service = json::object(),
              json rights = json::object()) const {
    service["schemes"] = schemes;
    return {{"auth", {{"users_file", users_file_}}},
            {"services", {{"/echo", service}, {"/ticker", service}}},
            {"rights", rights},
            {"ticker_interval_ms", 10},
            {"ticker_symbols", {"AAPL", "MSFT"}}};
  }

  std::string token_for(const Gateway& gateway, const std::string& user = "alice") const {
    const auto response = tether::test::post_form(gateway.ws_port(), "/token",
                                                  "username=" + user + "&password=secret");
    return json::parse(response.body).value("access_token", "");
  }

  // An open connection to path with the control channel, and the REVALIDATE /_control asked for.
  std::optional<control::Revalidate> revalidate_request(const Gateway& gateway,
                                                        ControlClient& client) {
    if (!client.negotiated()) {
      ADD_FAILURE() << "the gateway did not accept the control channel";
      return std::nullopt;
    }
    EXPECT_EQ(revalidate_all(gateway), 1U);
    return client.next_control<control::Revalidate>();
  }

  TempDir directory_;
  std::filesystem::path users_file_ = directory_.path() / "users.json";
};

// The error of a gateway that must not start with config.
std::string start_error(const json& config) {
  try {
    Gateway gateway(config);
  } catch (const GatewayStartError& error) {
    EXPECT_EQ(error.exit_status(), 2);
    return error.what();
  }
  ADD_FAILURE() << "the gateway started with " << config.dump();
  return "";
}

// --- The config -------------------------------------------------------------------------------

TEST(GatewayLiveSecurityConfig, RightsForAServiceWithoutConnectionsAreRefused) {
  EXPECT_THAT(start_error({{"rights", {{"alice", {{"/whoami", {{"send", false}}}}}}}}),
              HasSubstr("rights.alice./whoami"));
}

TEST(GatewayLiveSecurityConfig, AnUnknownRightIsRefusedNamingIt) {
  EXPECT_THAT(start_error({{"rights", {{"alice", {{"/echo", {{"publish", false}}}}}}}}),
              HasSubstr("rights.alice./echo.publish"));
}

TEST(GatewayLiveSecurityConfig, AReceiveRightMustBeABooleanOrTopics) {
  EXPECT_THAT(start_error({{"rights", {{"alice", {{"/ticker", {{"receive", "AAPL"}}}}}}}}),
              HasSubstr("rights.alice./ticker.receive"));
  EXPECT_THAT(start_error({{"rights", {{"alice", {{"/ticker", {{"receive", {""}}}}}}}}}),
              HasSubstr("rights.alice./ticker.receive"));
}

TEST(GatewayLiveSecurityConfig, AGraceOfZeroIsRefused) {
  EXPECT_THAT(start_error({{"services", {{"/echo", {{"revalidate_grace_s", 0}}}}}}),
              HasSubstr("services./echo.revalidate_grace_s"));
}

TEST(GatewayLiveSecurityConfig, ANegativeScheduleIsRefused) {
  EXPECT_THAT(start_error({{"services", {{"/echo", {{"revalidate_after_s", -1}}}}}}),
              HasSubstr("services./echo.revalidate_after_s"));
}

TEST(GatewayLiveSecurityConfig, TickerSymbolsMustBeDistinctAndNotEmpty) {
  EXPECT_THAT(start_error({{"ticker_symbols", json::array()}}), HasSubstr("ticker_symbols"));
  EXPECT_THAT(start_error({{"ticker_symbols", {"AAPL", "AAPL"}}}), HasSubstr("ticker_symbols"));
}

// --- Connect ----------------------------------------------------------------------------------

TEST_F(GatewayLiveSecurity, ARefusedConnectIs403AtTheUpgradeAndOthersStillConnect) {
  Gateway gateway(config({"basic"}, {}, {{"bob", {{"/echo", {{"connect", false}}}}}}));
  auto bob = WebSocketTestClient::connect(gateway.ws_port(), "/echo",
                                          {"", {}, {{"Authorization", bob_basic}}});
  EXPECT_EQ(bob.response().result_int(), 403U);
  EXPECT_EQ(bob.response()["Tether-Refusal"], "gateway");
  auto alice = WebSocketTestClient::connect(gateway.ws_port(), "/echo",
                                            {"", {}, {{"Authorization", alice_basic}}});
  ASSERT_FALSE(alice.handshake_error()) << alice.handshake_error().message();
  auto bob_on_ticker = WebSocketTestClient::connect(gateway.ws_port(), "/ticker",
                                                    {"", {}, {{"Authorization", bob_basic}}});
  EXPECT_FALSE(bob_on_ticker.handshake_error()) << "bob's refusal is for /echo only";
}

TEST_F(GatewayLiveSecurity, ARefusedConnectIs403AtTheEmulatedCreate) {
  Gateway gateway(config({"basic"}, {}, {{"bob", {{"/echo", {{"connect", false}}}}}}));
  EmulationTestClient bob(gateway.ws_port(), "/echo", {{"Authorization", bob_basic}});
  const auto refused = bob.create();
  EXPECT_EQ(refused.status, 403U);
  EXPECT_THAT(refused.header_values("Tether-Refusal"), ::testing::ElementsAre("gateway"));
  EmulationTestClient alice(gateway.ws_port(), "/echo", {{"Authorization", alice_basic}});
  EXPECT_EQ(alice.create().status, 201U);
}

TEST_F(GatewayLiveSecurity, ARevokedConnectRefusesTheNextUpgrade) {
  Gateway gateway(config({"basic"}));
  change_right(gateway, "revoke", "connect", "/echo");
  auto alice = WebSocketTestClient::connect(gateway.ws_port(), "/echo",
                                            {"", {}, {{"Authorization", alice_basic}}});
  EXPECT_EQ(alice.response().result_int(), 403U);
  change_right(gateway, "grant", "connect", "/echo");
  auto again = WebSocketTestClient::connect(gateway.ws_port(), "/echo",
                                            {"", {}, {{"Authorization", alice_basic}}});
  EXPECT_FALSE(again.handshake_error());
}

// --- /_control --------------------------------------------------------------------------------

TEST_F(GatewayLiveSecurity, GrantAndRevokeNeedAUserAServiceAndARight) {
  Gateway gateway(config({"basic"}));
  EXPECT_EQ(
      post_control(gateway, {{"action", "revoke"}, {"service", "/echo"}, {"right", "send"}}).status,
      400U);
  EXPECT_EQ(
      post_control(
          gateway,
          {{"action", "revoke"}, {"user", "alice"}, {"service", "/whoami"}, {"right", "send"}})
          .status,
      400U);
  EXPECT_EQ(post_control(gateway, {{"action", "revoke"},
                                   {"user", "alice"},
                                   {"service", "/echo"},
                                   {"right", "send"},
                                   {"topic", "AAPL"}})
                .status,
            400U)
      << "a topic is for receive only";
  EXPECT_EQ(post_control(gateway, {{"action", "revalidate"}, {"user", 7}}).status, 400U);
}

TEST_F(GatewayLiveSecurity, GrantAndRevokeReportTheRightsAfter) {
  Gateway gateway(config({"basic"}));
  const auto revoked = change_right(gateway, "revoke", "receive", "/ticker", "AAPL");
  EXPECT_EQ(revoked.at("rights"), json({{"connect", true},
                                        {"send", true},
                                        {"receive_only_listed", false},
                                        {"receive_listed", {"AAPL"}}}));
  const auto granted = change_right(gateway, "grant", "receive", "/ticker", "AAPL");
  EXPECT_EQ(granted.at("rights").at("receive_listed"), json::array());
  EXPECT_EQ(gateway.stats().at("control_actions"), json({{"grant", 1}, {"revoke", 1}}));
}

TEST_F(GatewayLiveSecurity, RevalidateAsksNoConnectionWithoutTheControlChannel) {
  Gateway gateway(config({"basic"}));
  auto plain = WebSocketTestClient::connect(gateway.ws_port(), "/echo",
                                            {"", {}, {{"Authorization", alice_basic}}});
  ASSERT_FALSE(plain.handshake_error());
  EXPECT_EQ(revalidate_all(gateway), 0U);
  ASSERT_FALSE(plain.write("still plain", true));
  EXPECT_EQ(plain.read().payload, "still plain");
  EXPECT_EQ(gateway.stats().at("revalidation_requests"), 0);
}

// --- Live authorization without the control channel -------------------------------------------

TEST_F(GatewayLiveSecurity, ARefusedSendWithoutTheControlChannelClosesWith1008) {
  Gateway gateway(config({"basic"}, {}, {{"alice", {{"/echo", {{"send", false}}}}}}));
  auto alice = WebSocketTestClient::connect(gateway.ws_port(), "/echo",
                                            {"", {}, {{"Authorization", alice_basic}}});
  ASSERT_FALSE(alice.handshake_error());
  ASSERT_FALSE(alice.write("refused", true));
  const auto read = alice.read();
  EXPECT_EQ(read.error, boost::beast::websocket::error::closed) << "read " << read.payload;
  EXPECT_EQ(alice.close_reason().code, 1008);
  EXPECT_EQ(gateway.stats().at("operations_denied"), json({{"send", 1}}));
}

TEST_F(GatewayLiveSecurity, TheTickerQuotesOnlyTheSymbolsTheUserMayReceive) {
  Gateway gateway(config({"basic"}, {}, {{"alice", {{"/ticker", {{"receive", {"MSFT"}}}}}}}));
  auto alice = WebSocketTestClient::connect(gateway.ws_port(), "/ticker",
                                            {"", {}, {{"Authorization", alice_basic}}});
  auto bob = WebSocketTestClient::connect(gateway.ws_port(), "/ticker",
                                          {"", {}, {{"Authorization", bob_basic}}});
  std::vector<std::string> alice_symbols, bob_symbols;
  for (int quote = 0; quote < 10; ++quote) alice_symbols.push_back(symbol_of(alice.read()));
  for (int quote = 0; quote < 10; ++quote) bob_symbols.push_back(symbol_of(bob.read()));
  EXPECT_THAT(alice_symbols, ::testing::Each(std::string("MSFT")));
  EXPECT_THAT(bob_symbols, ::testing::Contains(std::string("AAPL")))
      << "bob has no entry: every symbol";
  EXPECT_THAT(bob_symbols, ::testing::Contains(std::string("MSFT")));
}

TEST_F(GatewayLiveSecurity, ASubscriptionNarrowsTheQuotesToItsSymbols) {
  Gateway gateway(config({"basic"}));
  auto alice = WebSocketTestClient::connect(gateway.ws_port(), "/ticker",
                                            {"", {}, {{"Authorization", alice_basic}}});
  ASSERT_FALSE(alice.write(R"({"subscribe":"AAPL"})", true));
  // Quotes already sent before the subscription arrived may still come: look at the later ones.
  std::vector<std::string> symbols;
  for (int quote = 0; quote < 30; ++quote) symbols.push_back(symbol_of(alice.read()));
  EXPECT_THAT(std::vector<std::string>(symbols.end() - 10, symbols.end()),
              ::testing::Each(std::string("AAPL")));
}

TEST_F(GatewayLiveSecurity, ASubscriptionToARefusedSymbolWithoutTheControlChannelClosesWith1008) {
  Gateway gateway(config({"basic"}, {}, {{"alice", {{"/ticker", {{"receive", {"MSFT"}}}}}}}));
  auto alice = WebSocketTestClient::connect(gateway.ws_port(), "/ticker",
                                            {"", {}, {{"Authorization", alice_basic}}});
  ASSERT_FALSE(alice.write(R"({"subscribe":"AAPL"})", true));
  while (!alice.read().error) {
  }
  EXPECT_EQ(alice.close_reason().code, 1008);
  EXPECT_EQ(gateway.stats().at("operations_denied"), json({{"receive", 1}}));
}

// --- The revalidation URL ---------------------------------------------------------------------

TEST_F(GatewayLiveSecurity, ARevalidationUrlOfNoConnectionIs404) {
  Gateway gateway(config({"basic"}));
  EXPECT_EQ(get(gateway, "/echo/;r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", alice_basic).status, 404U);
  EXPECT_EQ(get(gateway, "/nowhere/;r/AAAA", alice_basic).status, 404U);
  EXPECT_EQ(gateway.stats().at("revalidations_succeeded"), 0);
}

TEST_F(GatewayLiveSecurity, CredentialsAreCountedByPathWithoutTheRevalidationToken) {
  Gateway gateway(config({"basic"}));
  get(gateway, "/echo/;r/secret-token-1234", alice_basic);
  get(gateway, "/whoami");
  const auto received = gateway.stats().at("credentials_received_by_path");
  EXPECT_EQ(received.at("/echo/;r"), json({{"basic", 1}}));
  EXPECT_EQ(received.at("/whoami"), json({{"none", 1}}));
  EXPECT_THAT(gateway.stats().dump(), Not(HasSubstr("secret-token-1234")));
}

// --- With the control channel -----------------------------------------------------------------

TEST_F(GatewayLiveSecurity, RevalidateSendsAnUnguessableUrlOnTheServiceWithTheGrace) {
  Gateway gateway(config({"basic"}, {{"revalidate_grace_s", 2.5}}));
  ControlClient alice(gateway, "/echo", alice_basic);
  const auto request = revalidate_request(gateway, alice);
  ASSERT_TRUE(request);
  EXPECT_EQ(request->deadline_ms, 2500U);
  EXPECT_THAT(request->url, StartsWith("/echo/;r/"));
  EXPECT_GE(request->url.size(), std::string("/echo/;r/").size() + 32);
  EXPECT_EQ(gateway.stats().at("revalidation_requests"), 1);
  EXPECT_EQ(revalidate_all(gateway), 0U) << "one is pending: it is not asked again";
}

TEST_F(GatewayLiveSecurity, RevalidateForAUserAsksOnlyThatUsersConnections) {
  Gateway gateway(config({"basic"}));
  ControlClient alice(gateway, "/echo", alice_basic);
  ControlClient bob(gateway, "/echo", bob_basic);
  ASSERT_TRUE(alice.negotiated());
  const auto response = post_control(gateway, {{"action", "revalidate"}, {"user", "bob"}});
  EXPECT_EQ(json::parse(response.body).at("revalidations_requested"), 1);
  EXPECT_TRUE(bob.next_control<control::Revalidate>());
  ASSERT_FALSE(alice.socket().write("alice was not asked", true));
  const auto next = alice.next();
  EXPECT_FALSE(next.control);
  EXPECT_EQ(next.received.payload, "alice was not asked");
}

TEST_F(GatewayLiveSecurity, TheRevalidationUrlAnswers204ToTheConnectionsUser) {
  Gateway gateway(config({"basic"}, {{"revalidate_grace_s", 0.3}}));
  ControlClient alice(gateway, "/echo", alice_basic);
  ControlClient bob(gateway, "/echo", bob_basic);
  ASSERT_TRUE(alice.negotiated());
  ASSERT_EQ(revalidate_all(gateway), 2U);
  const auto request = alice.next_control<control::Revalidate>();
  ASSERT_TRUE(request);
  EXPECT_EQ(get(gateway, request->url, alice_basic).status, 204U);
  EXPECT_EQ(gateway.stats().at("revalidations_succeeded"), 1);
  EXPECT_EQ(gateway.stats().at("credentials_received_by_path").at("/echo/;r"),
            json({{"basic", 1}}));
  // bob, asked at the same time, does not answer: once his grace has closed him, alice's has
  // passed too, and the success lifted it.
  ASSERT_TRUE(bob.next_control<control::Revalidate>());
  while (!bob.next().received.error) {
  }
  EXPECT_EQ(bob.socket().close_reason().code, 4401);
  ASSERT_FALSE(alice.socket().write("still open", true));
  EXPECT_EQ(alice.next().received.payload, "still open");
  EXPECT_EQ(gateway.stats().at("revalidation_deadlines_expired"), 1);
}

TEST_F(GatewayLiveSecurity, TheRevalidationUrlAnswers403ToAnotherUser) {
  Gateway gateway(config({"basic"}));
  ControlClient alice(gateway, "/echo", alice_basic);
  const auto request = revalidate_request(gateway, alice);
  ASSERT_TRUE(request);
  EXPECT_EQ(get(gateway, request->url, bob_basic).status, 403U);
  EXPECT_EQ(gateway.stats().at("revalidations_failed"), 1);
  EXPECT_EQ(gateway.stats().at("revalidations_succeeded"), 0);
}

TEST_F(GatewayLiveSecurity, TheRevalidationUrlAnswers401WithTheServicesChallenges) {
  Gateway gateway(config({"digest-sha256", "basic"}));
  const auto refused = WebSocketTestClient::connect(gateway.ws_port(), "/echo");
  ControlClient alice(gateway, "/echo", alice_basic);
  const auto request = revalidate_request(gateway, alice);
  ASSERT_TRUE(request);
  const auto challenged = get(gateway, request->url);
  EXPECT_EQ(challenged.status, 401U);
  const auto challenges = challenged.header_values("WWW-Authenticate");
  ASSERT_EQ(challenges.size(), 2U);
  EXPECT_THAT(challenges[0], HasSubstr("algorithm=SHA-256"));
  EXPECT_THAT(challenges[1], StartsWith("Basic "));
  // Digest answers a fresh nonce, for the revalidation URL itself.
  EXPECT_NE(challenges[0], field_values(refused.response(), http::field::www_authenticate).at(0));
  const auto answer = answer_digest_challenge(challenges[0], {"alice", "secret", request->url});
  EXPECT_EQ(get(gateway, request->url, answer).status, 204U);
  EXPECT_EQ(gateway.stats().at("revalidations_failed"), 1);
  EXPECT_EQ(gateway.stats().at("revalidations_succeeded"), 1);
}

TEST_F(GatewayLiveSecurity, TheGraceExpiryClosesWith4401) {
  Gateway gateway(config({"basic"}, {{"revalidate_after_s", 0.2}, {"revalidate_grace_s", 0.3}}));
  ControlClient alice(gateway, "/echo", alice_basic);
  ASSERT_TRUE(alice.negotiated());
  ASSERT_TRUE(alice.next_control<control::Revalidate>()) << "the schedule asks after 0.2 s";
  while (!alice.next().received.error) {
  }
  EXPECT_EQ(alice.socket().close_reason().code, 4401);
  EXPECT_EQ(gateway.stats().at("revalidation_deadlines_expired"), 1);
}

TEST_F(GatewayLiveSecurity, TheScheduleAsksAgainAfterEachSuccess) {
  Gateway gateway(config({"basic"}, {{"revalidate_after_s", 0.2}}));
  ControlClient alice(gateway, "/echo", alice_basic);
  ASSERT_TRUE(alice.negotiated());
  for (std::uint32_t round = 1; round <= 2; ++round) {
    const auto request = alice.next_control<control::Revalidate>();
    ASSERT_TRUE(request);
    EXPECT_EQ(request->request_id, round);
    EXPECT_EQ(get(gateway, request->url, alice_basic).status, 204U);
  }
  EXPECT_EQ(gateway.stats().at("revalidations_succeeded"), 2);
}

TEST_F(GatewayLiveSecurity, AnExpiringBearerTokenAsksForRevalidationAndANewTokenKeepsItOpen) {
  auto settings = config({"bearer"});
  settings["auth"]["token_lifetime_ms"] = 300;
  Gateway gateway(settings);
  ControlClient alice(gateway, "/echo", "Bearer " + token_for(gateway));
  ASSERT_TRUE(alice.negotiated());
  const auto request = alice.next_control<control::Revalidate>();
  ASSERT_TRUE(request) << "the token's expiry asks";
  const auto fresh = token_for(gateway);
  EXPECT_EQ(get(gateway, request->url, "Bearer " + fresh).status, 204U);
  EXPECT_EQ(gateway.stats().at("credentials_received_by_path").at("/echo/;r"),
            json({{"bearer", 1}}));
  // The fresh token's expiry asks again.
  EXPECT_TRUE(alice.next_control<control::Revalidate>());
}

TEST_F(GatewayLiveSecurity, ASessionCookieRevalidatesAndAnotherUsersCookieIsRefused) {
  Gateway gateway(config({}, {{"sso_cookie", true}}));
  const auto log_in = [&](const std::string& user) {
    const auto response = tether::test::post_form(gateway.ws_port(), "/login",
                                                  "username=" + user + "&password=secret");
    const auto set_cookie = response.header_values("Set-Cookie").at(0);
    return set_cookie.substr(0, set_cookie.find(';'));
  };
  const auto alice_cookie = log_in("alice");
  ControlClient alice(gateway, "/echo", "", alice_cookie);
  const auto request = revalidate_request(gateway, alice);
  ASSERT_TRUE(request);
  EXPECT_EQ(get(gateway, request->url).status, 403U) << "sso_cookie alone: 403 without it";
  EXPECT_EQ(get(gateway, request->url, "", log_in("bob")).status, 403U);
  EXPECT_EQ(get(gateway, request->url, "", alice_cookie).status, 204U);
  EXPECT_EQ(gateway.stats().at("credentials_received_by_path").at("/echo/;r"),
            json({{"none", 1}, {"session_cookie", 2}}));
}

TEST_F(GatewayLiveSecurity, ARevalidationResultIsCountedAndChangesNothing) {
  Gateway gateway(config({"basic"}));
  ControlClient alice(gateway, "/echo", alice_basic);
  const auto request = revalidate_request(gateway, alice);
  ASSERT_TRUE(request);
  alice.send_control(control::RevalidationResult{request->request_id,
                                                 control::RevalidationOutcome::Succeeded, 204});
  const auto stats = wait_for_stats(
      gateway, [](const json& s) { return s["revalidation_results"].contains("succeeded"); });
  EXPECT_EQ(stats.at("revalidation_results"), json({{"succeeded", 1}}));
  EXPECT_EQ(stats.at("revalidations_succeeded"), 0) << "only the request revalidates";
}

TEST_F(GatewayLiveSecurity, ARefusedSendIsDeniedAndTheConnectionStaysOpen) {
  Gateway gateway(config({"basic"}, {}, {{"alice", {{"/echo", {{"send", false}}}}}}));
  ControlClient alice(gateway, "/echo", alice_basic);
  ASSERT_TRUE(alice.negotiated());
  ASSERT_FALSE(alice.socket().write("first", true));
  ASSERT_FALSE(alice.socket().write("second", true));
  for (std::uint64_t number = 1; number <= 2; ++number) {
    const auto denied = alice.next_control<control::Denied>();
    ASSERT_TRUE(denied);
    EXPECT_EQ(denied->operation, control::Operation::Send);
    EXPECT_EQ(denied->message_id, number);
    EXPECT_THAT(denied->topic, IsEmpty());
    EXPECT_EQ(denied->reason, "alice may not send on /echo");
  }
  EXPECT_EQ(gateway.stats().at("operations_denied"), json({{"send", 2}}));
}

TEST_F(GatewayLiveSecurity, ASendGrantedAtARevalidationEchoesTheNextMessage) {
  Gateway gateway(config({"basic"}, {}, {{"alice", {{"/echo", {{"send", false}}}}}}));
  ControlClient alice(gateway, "/echo", alice_basic);
  ASSERT_FALSE(alice.socket().write("refused", true));
  ASSERT_TRUE(alice.next_control<control::Denied>());
  change_right(gateway, "grant", "send", "/echo");
  const auto request = revalidate_request(gateway, alice);
  ASSERT_TRUE(request);
  ASSERT_EQ(get(gateway, request->url, alice_basic).status, 204U);
  const auto changed = alice.next_control<control::AuthorizationChanged>();
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->changes,
            std::vector<control::RightChange>({{control::Operation::Send, true, ""}}));
  ASSERT_FALSE(alice.socket().write("allowed", true));
  const auto echoed = alice.next();
  EXPECT_FALSE(echoed.control);
  EXPECT_EQ(echoed.received.payload, "allowed");
}

TEST_F(GatewayLiveSecurity, ASubscriptionToARefusedSymbolIsDeniedAndQuotesGoOn) {
  Gateway gateway(config({"basic"}, {}, {{"alice", {{"/ticker", {{"receive", {"MSFT"}}}}}}}));
  ControlClient alice(gateway, "/ticker", alice_basic);
  ASSERT_TRUE(alice.negotiated());
  ASSERT_FALSE(alice.socket().write(R"({"subscribe":"AAPL"})", true));
  const auto denied = alice.next_control<control::Denied>();
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->operation, control::Operation::Receive);
  EXPECT_EQ(denied->message_id, 1U);
  EXPECT_EQ(denied->topic, "AAPL");
  EXPECT_EQ(denied->reason, "alice may not receive AAPL on /ticker");
  EXPECT_EQ(symbol_of(alice.next().received), "MSFT");
}

TEST_F(GatewayLiveSecurity, ARevokedSymbolIsAnnouncedAtTheNextRevalidationAndItsQuotesStop) {
  Gateway gateway(config({"basic"}));
  ControlClient alice(gateway, "/ticker", alice_basic);
  ASSERT_TRUE(alice.negotiated());
  change_right(gateway, "revoke", "receive", "/ticker", "AAPL");
  std::vector<std::string> before;
  for (int quote = 0; quote < 6; ++quote) before.push_back(symbol_of(alice.next().received));
  EXPECT_THAT(before, ::testing::Contains(std::string("AAPL")))
      << "a live connection keeps its rights until it revalidates";
  const auto request = revalidate_request(gateway, alice);
  ASSERT_TRUE(request);
  ASSERT_EQ(get(gateway, request->url, alice_basic).status, 204U);
  const auto changed = alice.next_control<control::AuthorizationChanged>();
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->changes,
            std::vector<control::RightChange>({{control::Operation::Receive, false, "AAPL"}}));
  EXPECT_EQ(gateway.stats().at("authorization_changes_sent"), 1);
  std::vector<std::string> after;
  for (int quote = 0; quote < 10; ++quote) after.push_back(symbol_of(alice.next().received));
  EXPECT_THAT(after, ::testing::Each(std::string("MSFT")));
}

TEST_F(GatewayLiveSecurity, ARevokedConnectFailsTheRevalidationAndTheGraceCloses) {
  Gateway gateway(config({"basic"}, {{"revalidate_grace_s", 0.3}}));
  ControlClient alice(gateway, "/echo", alice_basic);
  change_right(gateway, "revoke", "connect", "/echo");
  const auto request = revalidate_request(gateway, alice);
  ASSERT_TRUE(request);
  const auto refused = get(gateway, request->url, alice_basic);
  EXPECT_EQ(refused.status, 403U);
  EXPECT_THAT(refused.body, HasSubstr("alice may no longer connect to /echo"));
  while (!alice.next().received.error) {
  }
  EXPECT_EQ(alice.socket().close_reason().code, 4401);
}

}  // namespace
}  // namespace tether::gateway::test
