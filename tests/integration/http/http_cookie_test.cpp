// tether::http shares the application's cookie jar: what a response sets is stored in it, and
// what it holds is sent, by the jar's rules rather than libcurl's.

#include <gtest/gtest.h>

#include "http_test_support.hpp"
#include "scripted_http_server.hpp"
#include "tether/cookies.hpp"

namespace tether::test {
namespace {

TEST(HttpCookies, EverySetCookieIsStoredInTheJarAndSentOnTheNextRequest) {
  ScriptedHttpServer server(
      [](const ReceivedRequest& request) {
        if (request.target == "/login") {
          return ScriptedResponse{
              200,
              {{"Set-Cookie", "sid=abc; Secure; HttpOnly"}, {"Set-Cookie", "lang=en; Path=/"}},
              ""};
        }
        return ScriptedResponse{200, {}, ""};
      },
      shared_pki().server_cert, shared_pki().server_key);
  const std::string origin = "https://localhost:" + std::to_string(server.port());
  auto jar = std::make_shared<CookieJar>();
  auto login = trusting_request(origin + "/login");
  login.cookie_jar = jar;
  auto next = trusting_request(origin + "/whoami");
  next.cookie_jar = jar;
  http::Response response;

  ASSERT_FALSE(http::request(login, response));
  ASSERT_EQ(jar->cookies().size(), 2u);
  EXPECT_TRUE(jar->cookies()[0].http_only);
  ASSERT_FALSE(http::request(next, response));
  EXPECT_EQ(server.requests().at(1).header("Cookie"), "sid=abc; lang=en");
}

TEST(HttpCookies, ARequestWithoutAJarSendsAndKeepsNoCookies) {
  ScriptedHttpServer server(
      [](const ReceivedRequest&) {
        return ScriptedResponse{200, {{"Set-Cookie", "sid=abc"}}, ""};
      },
      shared_pki().server_cert, shared_pki().server_key);
  const auto request = trusting_request("https://localhost:" + std::to_string(server.port()) + "/");
  http::Response response;

  ASSERT_FALSE(http::request(request, response));
  ASSERT_FALSE(http::request(request, response));
  EXPECT_EQ(server.requests().at(1).header("Cookie"), std::nullopt);
}

TEST(HttpCookies, TheJarsRulesApplyNotLibcurls) {
  // RFC 6265 lets http:// set a Secure cookie (libcurl refuses it); it is then sent only over
  // https, which shows that the jar, not libcurl's engine, decided.
  ScriptedHttpServer plain([](const ReceivedRequest&) {
    return ScriptedResponse{200, {{"Set-Cookie", "sid=abc; Secure"}}, ""};
  });
  ScriptedHttpServer secure(
      [](const ReceivedRequest&) {
        return ScriptedResponse{200, {}, ""};
      },
      shared_pki().server_cert, shared_pki().server_key);
  auto jar = std::make_shared<CookieJar>();
  auto set = trusting_request("http://localhost:" + std::to_string(plain.port()) + "/");
  set.cookie_jar = jar;
  auto sent = trusting_request("https://localhost:" + std::to_string(secure.port()) + "/");
  sent.cookie_jar = jar;
  http::Response response;

  ASSERT_FALSE(http::request(set, response));
  ASSERT_FALSE(http::request(set, response));
  ASSERT_FALSE(http::request(sent, response));
  EXPECT_EQ(plain.requests().at(1).header("Cookie"), std::nullopt);
  EXPECT_EQ(secure.requests().at(0).header("Cookie"), "sid=abc");
}

}  // namespace
}  // namespace tether::test
