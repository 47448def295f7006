// tether::http goes through an HTTP CONNECT proxy as the WebSocket does, answers its 407 through
// the handlers, and never lets libcurl read the proxy environment on its own.

#include <gtest/gtest.h>
#include <stdlib.h>

#include "http_test_support.hpp"
#include "scripted_http_server.hpp"
#include "tether_test/connect_proxy.hpp"

namespace tether::test {
namespace {

ScriptedResponse ok(const ReceivedRequest&) { return {200, {}, "through"}; }

std::string https_url(const ScriptedHttpServer& server) {
  return "https://localhost:" + std::to_string(server.port()) + "/";
}

TEST(HttpProxy, ARequestGoesThroughTheProxysTunnel) {
  ScriptedHttpServer server(ok, shared_pki().server_cert, shared_pki().server_key);
  ConnectProxy proxy;
  auto request = trusting_request(https_url(server));
  request.proxy = proxy.url();
  http::Response response;

  const Error error = http::request(request, response);
  ASSERT_FALSE(error) << error.message;
  EXPECT_EQ(response.body, "through");
  EXPECT_EQ(proxy.connect_targets(),
            (std::vector<std::string>{"localhost:" + std::to_string(server.port())}));
}

TEST(HttpProxy, AProxyChallengeIsAnsweredThroughTheHandler) {
  ScriptedHttpServer server(ok, shared_pki().server_cert, shared_pki().server_key);
  ConnectProxy proxy({"proxy-user", "proxy-secret"});
  auto request = trusting_request(https_url(server));
  request.proxy = proxy.url();
  bool asked_for_the_proxy = false;
  request.challenge_handler = std::make_shared<auth::BasicHandler>(
      [&](const auth::CredentialRequest& question, auth::CredentialReply reply) {
        asked_for_the_proxy = question.for_proxy;
        reply.complete({"proxy-user", "proxy-secret"});
      });
  http::Response response;

  const Error error = http::request(request, response);
  ASSERT_FALSE(error) << error.message;
  EXPECT_TRUE(asked_for_the_proxy);
  EXPECT_EQ(proxy.challenges_sent(), 1u);
  EXPECT_EQ(proxy.tunnels_opened(), 1u);
}

TEST(HttpProxy, AProxyChallengeWithoutAHandlerIsProxyFailedWith407) {
  ScriptedHttpServer server(ok, shared_pki().server_cert, shared_pki().server_key);
  ConnectProxy proxy({"proxy-user", "proxy-secret"});
  auto request = trusting_request(https_url(server));
  request.proxy = proxy.url();
  http::Response response;

  const Error error = http::request(request, response);
  EXPECT_EQ(error.code, ErrorCode::ProxyFailed);
  EXPECT_EQ(error.http_status, 407);
}

TEST(HttpProxy, ProxyCredentialsInItsUrlAreSentButNeverQuoted) {
  ScriptedHttpServer server(ok, shared_pki().server_cert, shared_pki().server_key);
  ConnectProxy proxy({"proxy-user", "proxy-secret"});
  auto request = trusting_request(https_url(server));
  request.proxy = "http://proxy-user:proxy-secret@127.0.0.1:" + std::to_string(proxy.port());
  http::Response response;

  const Error error = http::request(request, response);
  EXPECT_FALSE(error) << error.message;
  EXPECT_EQ(proxy.tunnels_opened(), 1u);
}

TEST(HttpProxy, TheEnvironmentIsIgnoredWhenAskedEvenByLibcurl) {
  ScriptedHttpServer server(ok, shared_pki().server_cert, shared_pki().server_key);
  ::setenv("https_proxy", "http://127.0.0.1:1", 1);
  ::setenv("HTTPS_PROXY", "http://127.0.0.1:1", 1);
  auto request = trusting_request(https_url(server));
  request.use_proxy_environment = false;
  http::Response response;

  const Error error = http::request(request, response);
  ::unsetenv("https_proxy");
  ::unsetenv("HTTPS_PROXY");
  EXPECT_FALSE(error) << error.message;
}

TEST(HttpProxy, TheEnvironmentsProxyIsUsedByDefault) {
  ScriptedHttpServer server(ok, shared_pki().server_cert, shared_pki().server_key);
  ConnectProxy proxy;
  ::setenv("https_proxy", proxy.url().c_str(), 1);
  auto request = trusting_request(https_url(server));
  request.use_proxy_environment = true;
  http::Response response;

  const Error error = http::request(request, response);
  ::unsetenv("https_proxy");
  EXPECT_FALSE(error) << error.message;
  EXPECT_EQ(proxy.tunnels_opened(), 1u);
}

}  // namespace
}  // namespace tether::test
