// Authentication on the gateway (docs/gateway.md, "Authentication"), checked with the Beast client,
// and the Digest implementation cross-checked with curl.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/websocket/error.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "auth/users_file.hpp"
#include "digest_test_answer.hpp"
#include "tether_test/child_process.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/http_request.hpp"
#include "tether_test/temp_dir.hpp"
#include "tether_test/users_file.hpp"
#include "websocket_test_client.hpp"

namespace tether::gateway::test {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using tether::test::ChildProcess;
using tether::test::Gateway;
using tether::test::GatewayStartError;
using tether::test::TempDir;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;

constexpr auto alice_basic = "Basic YWxpY2U6c2VjcmV0";        // base64("alice:secret")
constexpr auto alice_wrong_basic = "Basic YWxpY2U6d3Jvbmc=";  // base64("alice:wrong")

std::vector<std::string> challenges_of(const WebSocketTestClient& client) {
  return field_values(client.response(), http::field::www_authenticate);
}

WebSocketTestClient connect_echo(const Gateway& gateway, const std::string& authorization = "") {
  HandshakeOptions options;
  if (!authorization.empty()) options.headers.emplace_back("Authorization", authorization);
  return WebSocketTestClient::connect(gateway.ws_port(), "/echo", options);
}

// Answers the first Digest challenge of a refused upgrade to /echo.
std::string answer_echo_challenge(const WebSocketTestClient& refused, const std::string& password,
                                  std::uint32_t nonce_count = 1, bool userhash = false) {
  return answer_digest_challenge(challenges_of(refused).at(0),
                                 {"alice", password, "/echo", nonce_count, userhash});
}

// The error of a gateway that must not start with config.
GatewayStartError start_error(const json& config) {
  try {
    Gateway gateway(config);
  } catch (const GatewayStartError& error) {
    return error;
  }
  ADD_FAILURE() << "the gateway started with " << config.dump();
  return GatewayStartError("started", std::nullopt);
}

class GatewayAuth : public ::testing::Test {
 protected:
  GatewayAuth() { tether::test::write_users_file(users_file_, {{"alice", "secret"}}); }

  // A config whose /echo and /whoami ask for schemes, in that order, with more auth settings.
  json config(const std::vector<std::string>& schemes, json auth = json::object(),
              json service = json::object()) const {
    auth["users_file"] = users_file_;
    service["schemes"] = schemes;
    return {{"auth", auth}, {"services", {{"/echo", service}, {"/whoami", service}}}};
  }

  std::string token_for(const Gateway& gateway, const std::string& password = "secret") const {
    const auto response =
        tether::test::post_form(gateway.ws_port(), "/token", "username=alice&password=" + password);
    return json::parse(response.body).value("access_token", "");
  }

  TempDir directory_;
  std::filesystem::path users_file_ = directory_.path() / "users.json";
};

TEST_F(GatewayAuth, UpgradeWithoutCredentialsGets401WithChallengeAndNoWebSocket) {
  Gateway gateway(config({"basic"}));
  auto client = connect_echo(gateway);
  EXPECT_EQ(client.handshake_error(), websocket::error::upgrade_declined);
  EXPECT_EQ(client.response().result(), http::status::unauthorized);
  EXPECT_THAT(challenges_of(client), ElementsAre(R"(Basic realm="tether", charset="UTF-8")"));
  EXPECT_EQ(gateway.stats().at("upgrades_accepted"), 0);
}

TEST_F(GatewayAuth, BasicAcceptsTheRightPassword) {
  Gateway gateway(config({"basic"}));
  auto client = connect_echo(gateway, alice_basic);
  ASSERT_FALSE(client.handshake_error()) << client.handshake_error().message();
  ASSERT_FALSE(client.write("hello", true));
  EXPECT_EQ(client.read().payload, "hello");
}

TEST_F(GatewayAuth, BasicRefusesAWrongPasswordWith401AndChallenge) {
  Gateway gateway(config({"basic"}));
  auto client = connect_echo(gateway, alice_wrong_basic);
  EXPECT_EQ(client.response().result(), http::status::unauthorized);
  EXPECT_THAT(challenges_of(client), ElementsAre(StartsWith("Basic ")));
}

TEST_F(GatewayAuth, DigestSha256AcceptsTheRightAnswer) {
  Gateway gateway(config({"digest-sha256"}));
  const auto refused = connect_echo(gateway);
  EXPECT_THAT(challenges_of(refused),
              ElementsAre(AllOf(HasSubstr("algorithm=SHA-256"), HasSubstr(R"(qop="auth")"))));
  auto client = connect_echo(gateway, answer_echo_challenge(refused, "secret"));
  EXPECT_FALSE(client.handshake_error()) << client.handshake_error().message();
}

TEST_F(GatewayAuth, DigestMd5AcceptsTheRightAnswer) {
  Gateway gateway(config({"digest-md5"}));
  const auto refused = connect_echo(gateway);
  EXPECT_THAT(challenges_of(refused), ElementsAre(HasSubstr("algorithm=MD5")));
  auto client = connect_echo(gateway, answer_echo_challenge(refused, "secret"));
  EXPECT_FALSE(client.handshake_error()) << client.handshake_error().message();
}

TEST_F(GatewayAuth, DigestRefusesAWrongPasswordWithAFreshChallenge) {
  Gateway gateway(config({"digest-sha256"}));
  const auto refused = connect_echo(gateway);
  auto client = connect_echo(gateway, answer_echo_challenge(refused, "wrong"));
  EXPECT_EQ(client.response().result(), http::status::unauthorized);
  EXPECT_THAT(challenges_of(client),
              ElementsAre(AllOf(StartsWith("Digest "), Not(HasSubstr("stale")))));
}

TEST_F(GatewayAuth, DigestAcceptsTheNextNonceCountAndRefusesAReplayedOne) {
  Gateway gateway(config({"digest-sha256"}));
  const auto refused = connect_echo(gateway);
  EXPECT_FALSE(
      connect_echo(gateway, answer_echo_challenge(refused, "secret", 1)).handshake_error());
  EXPECT_FALSE(
      connect_echo(gateway, answer_echo_challenge(refused, "secret", 2)).handshake_error());
  auto replayed = connect_echo(gateway, answer_echo_challenge(refused, "secret", 2));
  EXPECT_EQ(replayed.response().result(), http::status::unauthorized);
}

TEST_F(GatewayAuth, DigestAnswerToAnExpiredNonceGetsStaleTrue) {
  Gateway gateway(config({"digest-sha256"}, {{"nonce_lifetime_ms", 100}}));
  const auto refused = connect_echo(gateway);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto client = connect_echo(gateway, answer_echo_challenge(refused, "secret"));
  EXPECT_EQ(client.response().result(), http::status::unauthorized);
  EXPECT_THAT(challenges_of(client), ElementsAre(HasSubstr("stale=true")));
  // The fresh nonce of that answer works at once, as a client answering stale=true expects.
  EXPECT_FALSE(connect_echo(gateway, answer_echo_challenge(client, "secret")).handshake_error());
}

TEST_F(GatewayAuth, DigestWrongAnswerToAnExpiredNonceIsNotStale) {
  Gateway gateway(config({"digest-sha256"}, {{"nonce_lifetime_ms", 100}}));
  const auto refused = connect_echo(gateway);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto client = connect_echo(gateway, answer_echo_challenge(refused, "wrong"));
  EXPECT_THAT(challenges_of(client), ElementsAre(Not(HasSubstr("stale"))));
}

TEST_F(GatewayAuth, DigestUserhashIsOfferedAndAccepted) {
  Gateway gateway(config({"digest-sha256"}, {{"digest_userhash", true}}));
  const auto refused = connect_echo(gateway);
  EXPECT_THAT(challenges_of(refused), ElementsAre(HasSubstr("userhash=true")));
  auto client = connect_echo(gateway, answer_echo_challenge(refused, "secret", 1, true));
  EXPECT_FALSE(client.handshake_error()) << client.handshake_error().message();
}

TEST_F(GatewayAuth, TokenEndpointIssuesABearerTokenAsJson) {
  Gateway gateway(config({"bearer"}, {{"token_lifetime_ms", 60'000}}));
  const auto response =
      tether::test::post_form(gateway.ws_port(), "/token", "username=alice&password=secret");
  ASSERT_EQ(response.status, 200U);
  const auto body = json::parse(response.body);
  EXPECT_FALSE(body.at("access_token").get<std::string>().empty());
  EXPECT_EQ(body.at("token_type"), "Bearer");
  EXPECT_EQ(body.at("expires_in"), 60);
}

TEST_F(GatewayAuth, TokenEndpointRefusesAWrongPasswordWithInvalidGrant) {
  Gateway gateway(config({"bearer"}));
  const auto response =
      tether::test::post_form(gateway.ws_port(), "/token", "username=alice&password=wrong");
  EXPECT_EQ(response.status, 400U);
  EXPECT_EQ(json::parse(response.body).at("error"), "invalid_grant");
}

TEST_F(GatewayAuth, BearerAcceptsAnIssuedToken) {
  Gateway gateway(config({"bearer"}));
  auto client = connect_echo(gateway, "Bearer " + token_for(gateway));
  EXPECT_FALSE(client.handshake_error()) << client.handshake_error().message();
}

TEST_F(GatewayAuth, BearerRefusesAnUnknownTokenWithInvalidToken) {
  Gateway gateway(config({"bearer"}));
  auto client = connect_echo(gateway, "Bearer not-a-token");
  EXPECT_EQ(client.response().result(), http::status::unauthorized);
  EXPECT_THAT(challenges_of(client), ElementsAre(AllOf(StartsWith(R"(Bearer realm="tether")"),
                                                       HasSubstr(R"(error="invalid_token")"))));
}

TEST_F(GatewayAuth, BearerChallengeWithoutATokenHasNoError) {
  Gateway gateway(config({"bearer"}));
  EXPECT_THAT(challenges_of(connect_echo(gateway)), ElementsAre(R"(Bearer realm="tether")"));
}

TEST_F(GatewayAuth, BearerRefusesAnExpiredTokenWithInvalidToken) {
  Gateway gateway(config({"bearer"}, {{"token_lifetime_ms", 100}}));
  const auto token = token_for(gateway);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto client = connect_echo(gateway, "Bearer " + token);
  EXPECT_EQ(client.response().result(), http::status::unauthorized);
  EXPECT_THAT(challenges_of(client), ElementsAre(HasSubstr(R"(error="invalid_token")")));
}

TEST_F(GatewayAuth, SeveralSchemesAreOfferedInTheConfiguredOrder) {
  Gateway gateway(config({"bearer", "digest-sha256", "digest-md5", "basic"}));
  EXPECT_THAT(challenges_of(connect_echo(gateway)),
              ElementsAre(StartsWith("Bearer "), AllOf(StartsWith("Digest "), HasSubstr("SHA-256")),
                          AllOf(StartsWith("Digest "), HasSubstr("MD5")), StartsWith("Basic ")));
}

TEST_F(GatewayAuth, AnyOfferedSchemeIsAccepted) {
  Gateway gateway(config({"digest-sha256", "basic"}));
  EXPECT_FALSE(connect_echo(gateway, alice_basic).handshake_error());
}

TEST_F(GatewayAuth, SchemeNotOfferedIsRefused) {
  Gateway gateway(config({"digest-sha256"}));
  EXPECT_EQ(connect_echo(gateway, alice_basic).response().result(), http::status::unauthorized);
}

TEST_F(GatewayAuth, ApplicationPrefixIsOnEveryChallengeAndOptionalInCredentials) {
  Gateway gateway(config({"basic", "bearer"}, json::object(), {{"application_prefix", true}}));
  EXPECT_THAT(challenges_of(connect_echo(gateway)),
              ElementsAre(StartsWith("Application Basic "), StartsWith("Application Bearer ")));
  EXPECT_FALSE(connect_echo(gateway, std::string("Application ") + alice_basic).handshake_error());
  EXPECT_FALSE(connect_echo(gateway, alice_basic).handshake_error());
}

TEST_F(GatewayAuth, RealmIsConfigurable) {
  tether::test::write_users_file(users_file_, {{"alice", "secret"}}, "corp");
  Gateway gateway(config({"basic", "digest-md5"}, {{"realm", "corp"}}));
  EXPECT_THAT(challenges_of(connect_echo(gateway)),
              ElementsAre(HasSubstr(R"(realm="corp")"), HasSubstr(R"(realm="corp")")));
}

TEST_F(GatewayAuth, DigestInARealmTheUsersFileWasNotWrittenForFailsToStart) {
  const auto error = start_error(config({"digest-md5"}, {{"realm", "other"}}));
  EXPECT_EQ(error.exit_status(), 1);
  EXPECT_THAT(error.what(), HasSubstr("realm"));
}

// The users file of docs/gateway.md written by hand for a Basic-only service: the salted hash is
// SHA-256 over the salt's 32 hex characters followed by the password, and there are no Digest
// values at all.
TEST_F(GatewayAuth, AUsersFileWithoutDigestValuesServesBasic) {
  // SHA-256("2b7e151628aed2a6abf7158809cf4f3c" "secret"), computed outside the gateway.
  const json users = {
      {"realm", "tether"},
      {"users",
       {{"alice",
         {{"salt", "2b7e151628aed2a6abf7158809cf4f3c"},
          {"sha256", "3d967c81fea4419c4e81befe0bd2fa3fe75759109fd0bd01a6e18296c6f8ba65"}}}}}};
  std::ofstream(users_file_) << users.dump();
  Gateway gateway(config({"basic"}));
  EXPECT_FALSE(connect_echo(gateway, alice_basic).handshake_error());
  EXPECT_EQ(connect_echo(gateway, alice_wrong_basic).response().result(),
            http::status::unauthorized);
}

TEST_F(GatewayAuth, AUserWithoutDigestValuesCannotAnswerDigestButCanUseBasic) {
  auto users = make_users_document({{"alice", "secret"}}, "tether");
  users["users"]["alice"].erase("digest");
  std::ofstream(users_file_) << users.dump();
  Gateway gateway(config({"digest-sha256", "basic"}));
  const auto refused = connect_echo(gateway);
  const auto digest_answer = answer_echo_challenge(refused, "secret");
  EXPECT_EQ(connect_echo(gateway, digest_answer).response().result(), http::status::unauthorized);
  EXPECT_FALSE(connect_echo(gateway, alice_basic).handshake_error());
  EXPECT_EQ(gateway.stats().at("upgrades_authenticated"), json({{"basic", 1}}));
}

TEST_F(GatewayAuth, StatsCountUnauthorizedAuthenticatedAndPreemptiveUpgrades) {
  Gateway gateway(config({"digest-sha256", "basic"}));
  const auto refused = connect_echo(gateway);
  connect_echo(gateway, answer_echo_challenge(refused, "secret"));  // answers a challenge
  connect_echo(gateway, alice_basic);                               // sent pre-emptively
  tether::test::http_request(gateway.ws_port(), "GET", "/whoami");
  const auto stats = gateway.stats();
  EXPECT_EQ(stats.at("unauthorized_sent"), 2);
  EXPECT_EQ(stats.at("unauthorized_sent_by_service"), json({{"/echo", 1}, {"/whoami", 1}}));
  EXPECT_EQ(stats.at("upgrades_authenticated"), json({{"basic", 1}, {"digest-sha256", 1}}));
  EXPECT_EQ(stats.at("upgrades_preemptive"), 1);
  EXPECT_EQ(stats.at("upgrades_refused").at("401"), 1);
}

TEST_F(GatewayAuth, WhoamiAnswersTheUserName) {
  Gateway gateway(config({"basic"}));
  const auto response = tether::test::http_request(gateway.ws_port(), "GET", "/whoami",
                                                   {{"Authorization", alice_basic}});
  EXPECT_EQ(response.status, 200U);
  EXPECT_EQ(response.body, "alice");
}

TEST_F(GatewayAuth, WhoamiWithoutCredentialsGets401WithTheChallenge) {
  Gateway gateway(config({"basic"}));
  const auto response = tether::test::http_request(gateway.ws_port(), "GET", "/whoami");
  EXPECT_EQ(response.status, 401U);
  EXPECT_THAT(response.header_values("WWW-Authenticate"), ElementsAre(StartsWith("Basic ")));
}

TEST(GatewayAuthConfig, UnknownSchemeExitsWithStatus2) {
  const auto error = start_error({{"auth", {{"users_file", "/nonexistent"}}},
                                  {"services", {{"/echo", {{"schemes", {"ntlm"}}}}}}});
  EXPECT_EQ(error.exit_status(), 2);
  EXPECT_THAT(error.what(), HasSubstr("services./echo.schemes"));
}

TEST(GatewayAuthConfig, SchemesWithoutUsersFileExitWithStatus2) {
  const auto error = start_error({{"services", {{"/echo", {{"schemes", {"basic"}}}}}}});
  EXPECT_EQ(error.exit_status(), 2);
  EXPECT_THAT(error.what(), HasSubstr("auth.users_file"));
}

TEST(GatewayAuthConfig, UnknownServicePathExitsWithStatus2) {
  const auto error = start_error({{"services", {{"/nowhere", json::object()}}}});
  EXPECT_EQ(error.exit_status(), 2);
  EXPECT_THAT(error.what(), HasSubstr("services./nowhere"));
}

TEST(GatewayAuthConfig, UnreadableUsersFileExitsWithStatus1) {
  const auto error = start_error({{"auth", {{"users_file", "/nonexistent/users.json"}}}});
  EXPECT_EQ(error.exit_status(), 1);
  EXPECT_THAT(error.what(), HasSubstr("/nonexistent/users.json"));
}

// curl's Digest, an implementation we did not write, against the gateway's: `curl --digest`.
class GatewayDigestWithCurl : public GatewayAuth {
 protected:
  struct CurlResult {
    std::string body;
    std::string status;
  };

  // GET /whoami with curl --digest -u alice:password; body and status from curl's output.
  CurlResult curl_whoami(const Gateway& gateway, const std::string& password) {
    const std::filesystem::path curl = "/usr/bin/curl";
    if (!std::filesystem::exists(curl)) {
      ADD_FAILURE() << "curl is missing: scripts/bootstrap installs it";
      return {};
    }
    const auto url = "http://127.0.0.1:" + std::to_string(gateway.ws_port()) + "/whoami";
    ChildProcess process(curl,
                         {"--silent", "--show-error", "--digest", "--user", "alice:" + password,
                          "--write-out", "\n%{http_code}", url},
                         directory_.path() / "curl.stderr");
    std::vector<std::string> lines;
    while (auto line = process.read_stdout_line(std::chrono::seconds(10))) lines.push_back(*line);
    EXPECT_EQ(process.wait_for_exit(std::chrono::seconds(10)), 0);
    CurlResult result;
    if (lines.empty()) return result;
    result.status = lines.back();  // --write-out puts it on a line of its own, last
    lines.pop_back();
    for (const auto& line : lines) result.body += (result.body.empty() ? "" : "\n") + line;
    return result;
  }
};

TEST_F(GatewayDigestWithCurl, CurlDigestMd5GetsThrough) {
  Gateway gateway(config({"digest-md5"}));
  const auto result = curl_whoami(gateway, "secret");
  EXPECT_EQ(result.status, "200");
  EXPECT_EQ(result.body, "alice");
}

TEST_F(GatewayDigestWithCurl, CurlDigestSha256GetsThrough) {
  Gateway gateway(config({"digest-sha256"}));
  const auto result = curl_whoami(gateway, "secret");
  EXPECT_EQ(result.status, "200");
  EXPECT_EQ(result.body, "alice");
}

TEST_F(GatewayDigestWithCurl, CurlDigestWithUserhashGetsThrough) {
  Gateway gateway(config({"digest-sha256"}, {{"digest_userhash", true}}));
  const auto result = curl_whoami(gateway, "secret");
  EXPECT_EQ(result.status, "200");
  EXPECT_EQ(result.body, "alice");
}

TEST_F(GatewayDigestWithCurl, CurlDigestWithAWrongPasswordIsRefused) {
  Gateway gateway(config({"digest-md5"}));
  EXPECT_EQ(curl_whoami(gateway, "wrong").status, "401");
}

}  // namespace
}  // namespace tether::gateway::test
