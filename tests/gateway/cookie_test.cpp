// Cookies and single sign-on on the gateway (docs/gateway.md, "Cookies and single sign-on"),
// checked with the Beast client.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tether_test/gateway.hpp"
#include "tether_test/http_request.hpp"
#include "tether_test/temp_dir.hpp"
#include "tether_test/users_file.hpp"
#include "websocket_test_client.hpp"

namespace tether::gateway::test {
namespace {

using nlohmann::json;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using tether::test::Gateway;
using tether::test::http_request;
using tether::test::post_form;
using tether::test::TempDir;
namespace http = boost::beast::http;

std::vector<std::string> set_cookies_of(const WebSocketTestClient& client) {
  return field_values(client.response(), http::field::set_cookie);
}

WebSocketTestClient connect_echo_with_cookie(const Gateway& gateway, const std::string& cookie) {
  HandshakeOptions options;
  if (!cookie.empty()) options.headers.emplace_back("Cookie", cookie);
  return WebSocketTestClient::connect(gateway.ws_port(), "/echo", options);
}

class GatewayCookies : public ::testing::Test {
 protected:
  GatewayCookies() { tether::test::write_users_file(users_file_, {{"alice", "secret"}}); }

  json config(const json& echo_service) const {
    return {{"auth", {{"users_file", users_file_}}}, {"services", {{"/echo", echo_service}}}};
  }

  // "tether_session=VALUE" from a successful POST /login.
  static std::string log_in(const Gateway& gateway) {
    const auto response = post_form(gateway.ws_port(), "/login", "username=alice&password=secret");
    const auto cookie = response.header_values("Set-Cookie").at(0);
    return cookie.substr(0, cookie.find(';'));
  }

  TempDir directory_;
  std::filesystem::path users_file_ = directory_.path() / "users.json";
};

TEST_F(GatewayCookies, LoginSetsASecureHttpOnlySessionCookie) {
  Gateway gateway(config(json::object()));
  const auto response = post_form(gateway.ws_port(), "/login", "username=alice&password=secret");
  EXPECT_EQ(response.status, 200U);
  EXPECT_THAT(response.header_values("Set-Cookie"),
              ElementsAre(MatchesRegex("tether_session=[0-9a-f]{64}; Secure; HttpOnly; Path=/")));
}

TEST_F(GatewayCookies, LoginWithAWrongPasswordIsRefusedWithoutACookie) {
  Gateway gateway(config(json::object()));
  const auto response = post_form(gateway.ws_port(), "/login", "username=alice&password=wrong");
  EXPECT_EQ(response.status, 403U);
  EXPECT_THAT(response.header_values("Set-Cookie"), IsEmpty());
}

TEST_F(GatewayCookies, LoginTakesPercentEncodedFields) {
  tether::test::write_users_file(users_file_, {{"alice", "s3cr@t &more"}});
  Gateway gateway(config(json::object()));
  const auto response =
      post_form(gateway.ws_port(), "/login", "username=alice&password=s3cr%40t+%26more");
  EXPECT_EQ(response.status, 200U);
}

TEST_F(GatewayCookies, SsoCookieOpensTheWebSocketWithoutCredentials) {
  Gateway gateway(config({{"schemes", {"basic"}}, {"sso_cookie", true}}));
  auto client = connect_echo_with_cookie(gateway, "theme=dark; " + log_in(gateway));
  ASSERT_FALSE(client.handshake_error()) << client.handshake_error().message();
  const auto stats = gateway.stats();
  EXPECT_EQ(stats.at("upgrades_authenticated"), json({{"session_cookie", 1}}));
  EXPECT_EQ(stats.at("unauthorized_sent"), 0);
}

TEST_F(GatewayCookies, UnknownSessionCookieGetsTheChallenge) {
  Gateway gateway(config({{"schemes", {"basic"}}, {"sso_cookie", true}}));
  auto client = connect_echo_with_cookie(gateway, "tether_session=forged");
  EXPECT_EQ(client.response().result(), http::status::unauthorized);
}

TEST_F(GatewayCookies, SessionCookieIsIgnoredWithoutSsoCookie) {
  Gateway gateway(config({{"schemes", {"basic"}}}));
  auto client = connect_echo_with_cookie(gateway, log_in(gateway));
  EXPECT_EQ(client.response().result(), http::status::unauthorized);
}

TEST_F(GatewayCookies, SsoCookieAloneRefusesAnUpgradeWithoutOneWith403) {
  Gateway gateway(config({{"sso_cookie", true}}));
  EXPECT_EQ(connect_echo_with_cookie(gateway, "").response().result(), http::status::forbidden);
  EXPECT_FALSE(connect_echo_with_cookie(gateway, log_in(gateway)).handshake_error());
}

TEST_F(GatewayCookies, SetCookieOnUpgradeIsOnThe101) {
  Gateway gateway(
      config({{"set_cookie_on_upgrade", {"affinity=node-1; Path=/", "theme=dark; Max-Age=60"}}}));
  auto client = connect_echo_with_cookie(gateway, "");
  ASSERT_FALSE(client.handshake_error()) << client.handshake_error().message();
  EXPECT_THAT(set_cookies_of(client),
              ElementsAre("affinity=node-1; Path=/", "theme=dark; Max-Age=60"));
}

TEST_F(GatewayCookies, SetCookieOnChallengeIsOnThe401) {
  Gateway gateway(config({{"schemes", {"basic"}},
                          {"set_cookie_on_challenge", {"attempt=1; Path=/"}},
                          {"set_cookie_on_upgrade", {"affinity=node-1"}}}));
  auto client = connect_echo_with_cookie(gateway, "");
  EXPECT_EQ(client.response().result(), http::status::unauthorized);
  EXPECT_THAT(set_cookies_of(client), ElementsAre("attempt=1; Path=/"));
}

TEST_F(GatewayCookies, EchoCookiesAnswersTheCookieHeader) {
  Gateway gateway(config(json::object()));
  const auto response =
      http_request(gateway.ws_port(), "GET", "/echo-cookies", {{"Cookie", "a=1; b=two"}});
  EXPECT_EQ(response.status, 200U);
  EXPECT_EQ(response.body, "a=1; b=two\n");
}

TEST_F(GatewayCookies, EchoCookiesAnswersAnEmptyBodyWithoutCookies) {
  Gateway gateway(config(json::object()));
  EXPECT_EQ(http_request(gateway.ws_port(), "GET", "/echo-cookies").body, "");
}

}  // namespace
}  // namespace tether::gateway::test
