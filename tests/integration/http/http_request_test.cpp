// Plain requests through tether::http: methods, headers, bodies, and the errors that mean there
// is no response.

#include <gtest/gtest.h>

#include "http_test_support.hpp"
#include "scripted_http_server.hpp"
#include "tether/version.hpp"
#include "tether_test/silent_listener.hpp"

namespace tether::test {
namespace {

using namespace std::chrono_literals;

std::string plain_url(const ScriptedHttpServer& server, const std::string& target) {
  return "http://127.0.0.1:" + std::to_string(server.port()) + target;
}

TEST(HttpRequest, A101ToAPlainRequestFailsAtOnceAsAProtocolError) {
  ScriptedHttpServer server([](const ReceivedRequest&) {
    return ScriptedResponse{101, {{"Upgrade", "websocket"}}, ""};
  });
  auto request = trusting_request(plain_url(server, "/echo/;e/create"));
  request.method = "POST";
  http::Response response;
  const Error error = http::request(request, response);
  EXPECT_EQ(error.code, ErrorCode::ProtocolError) << error.message;
  EXPECT_NE(error.message.find("101 Switching Protocols"), std::string::npos) << error.message;
}

TEST(HttpRequest, GetReturnsTheStatusEveryHeaderInOrderAndTheBody) {
  ScriptedHttpServer server([](const ReceivedRequest&) {
    return ScriptedResponse{200, {{"X-Step", "one"}, {"X-Other", "x"}, {"X-Step", "two"}}, "hello"};
  });
  http::Response response;
  const Error error =
      http::request(trusting_request(plain_url(server, "/greeting?lang=en")), response);

  ASSERT_FALSE(error) << error.message;
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "hello");
  EXPECT_EQ(response.header_values("x-step"), (std::vector<std::string>{"one", "two"}));
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "GET");
  EXPECT_EQ(server.requests()[0].target, "/greeting?lang=en");
}

TEST(HttpRequest, TetherUserAgentIsSentUnlessTheRequestGivesAnother) {
  ScriptedHttpServer server([](const ReceivedRequest&) { return ScriptedResponse{204, {}, ""}; });
  http::Response response;
  ASSERT_FALSE(http::request(trusting_request(plain_url(server, "/")), response));
  auto request = trusting_request(plain_url(server, "/"));
  request.user_agent = "Acme-Trader/7.1";
  ASSERT_FALSE(http::request(request, response));
  request.headers = {{"User-Agent", "Acme-Header/1"}};
  ASSERT_FALSE(http::request(request, response));
  request.user_agent = "Acme\r\nX-Injected: 1";
  EXPECT_EQ(http::request(request, response).code, ErrorCode::InvalidArgument);

  const auto received = server.requests();
  ASSERT_EQ(received.size(), 3u);
  EXPECT_EQ(received[0].header("User-Agent"), std::string("Tether/") + version());
  EXPECT_EQ(received[1].header("User-Agent"), "Acme-Trader/7.1");
  EXPECT_EQ(received[2].header("User-Agent"), "Acme-Header/1");
}

TEST(HttpRequest, PostSendsTheBodyAndTheHeadersGiven) {
  ScriptedHttpServer server([](const ReceivedRequest&) { return ScriptedResponse{201, {}, ""}; });
  auto request = trusting_request(plain_url(server, "/login"));
  request.method = "POST";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"X-Tenant", "blue"}};
  request.body = "user=alice&remember=1";
  http::Response response;

  ASSERT_FALSE(http::request(request, response));
  EXPECT_EQ(response.status, 201);
  const auto received = server.requests().at(0);
  EXPECT_EQ(received.method, "POST");
  EXPECT_EQ(received.body, "user=alice&remember=1");
  EXPECT_EQ(received.header("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(received.header("X-Tenant"), "blue");
  EXPECT_EQ(received.header("Expect"), std::nullopt);
}

TEST(HttpRequest, OtherMethodsAreSentAsGiven) {
  ScriptedHttpServer server([](const ReceivedRequest&) { return ScriptedResponse{204, {}, ""}; });
  auto request = trusting_request(plain_url(server, "/session"));
  request.method = "DELETE";
  http::Response response;

  ASSERT_FALSE(http::request(request, response));
  EXPECT_EQ(server.requests().at(0).method, "DELETE");
}

TEST(HttpRequest, AnErrorStatusIsAResponseNotAnError) {
  ScriptedHttpServer server([](const ReceivedRequest&) {
    return ScriptedResponse{503, {}, "down for maintenance"};
  });
  http::Response response;

  ASSERT_FALSE(http::request(trusting_request(plain_url(server, "/")), response));
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.body, "down for maintenance");
}

TEST(HttpRequest, RedirectsAreReturnedNotFollowed) {
  ScriptedHttpServer server([](const ReceivedRequest&) {
    return ScriptedResponse{302, {{"Location", "/elsewhere"}}, ""};
  });
  http::Response response;

  ASSERT_FALSE(http::request(trusting_request(plain_url(server, "/")), response));
  EXPECT_EQ(response.status, 302);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(HttpRequest, CredentialsInTheUrlAreRefusedWithoutBeingQuoted) {
  http::Response response;
  const Error error =
      http::request(trusting_request("https://alice:hunter2@127.0.0.1:1/"), response);

  EXPECT_EQ(error.code, ErrorCode::InvalidArgument);
  EXPECT_EQ(error.message.find("hunter2"), std::string::npos) << error.message;
}

TEST(HttpRequest, AWebSocketUrlIsInvalid) {
  http::Response response;
  EXPECT_EQ(http::request(trusting_request("wss://127.0.0.1:1/echo"), response).code,
            ErrorCode::InvalidArgument);
}

TEST(HttpRequest, ARefusedConnectionIsConnectFailedNamingTheUrl) {
  http::Response response;
  const Error error = http::request(trusting_request("http://127.0.0.1:1/login"), response);

  EXPECT_EQ(error.code, ErrorCode::ConnectFailed);
  EXPECT_NE(error.message.find("http://127.0.0.1:1/login"), std::string::npos) << error.message;
}

TEST(HttpRequest, AServerThatNeverAnswersTimesOut) {
  SilentListener silent;
  auto request = trusting_request("http://127.0.0.1:" + std::to_string(silent.port()) + "/");
  request.timeout = 300ms;
  http::Response response;

  EXPECT_EQ(http::request(request, response).code, ErrorCode::HandshakeTimeout);
}

}  // namespace
}  // namespace tether::test
