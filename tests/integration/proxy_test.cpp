// HTTP CONNECT proxies: from the options, from the environment, and their refusals.
#include <gtest/gtest.h>
#include <stdlib.h>

#include "event_recorder.hpp"
#include "test_environment.hpp"
#include "tether/auth.hpp"
#include "tether_test/connect_proxy.hpp"
#include "tether_test/gateway.hpp"

namespace tether::test {
namespace {

/// Sets an environment variable for the life of the object.
class ScopedEnvironment {
 public:
  ScopedEnvironment(const char* name, const std::string& value) : name_(name) {
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnvironment() { ::unsetenv(name_); }
  ScopedEnvironment(const ScopedEnvironment&) = delete;
  ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

 private:
  const char* name_;
};

/// Opens, echoes one message, and closes; returns the errors seen.
std::vector<Error> echo_once(const ConnectOptions& options) {
  Client client;
  EventRecorder recorder(client);
  if (auto error = client.connect(options)) return {error};
  if (recorder.wait_for_open_or_close()) {
    EXPECT_FALSE(client.send_text("through the proxy"));
    EXPECT_TRUE(recorder.wait_for_messages(1));
    static_cast<void>(client.close());  // fails when already closed; the errors say why
  }
  recorder.wait_for_close();
  return recorder.errors();
}

// The WebSocket's own tunnel: under TransportPolicy::Auto, a TLS handshake slower than
// race_delay (the aarch64 build's, under qemu) also tunnels the emulated create beside it.
TEST(Proxy, WssIsTunnelledThroughTheConfiguredProxy) {
  Gateway gateway(gateway_config());
  ConnectProxy proxy;
  auto options = trusting_options(gateway.wss_url("/echo"), TransportPolicy::Native);
  options.proxy = proxy.url();
  EXPECT_TRUE(echo_once(options).empty());
  EXPECT_EQ(proxy.tunnels_opened(), 1u);
  EXPECT_EQ(proxy.connect_targets(),
            (std::vector<std::string>{"localhost:" + std::to_string(gateway.wss_port())}));
}

TEST(Proxy, WsIsTunnelledToo) {
  Gateway gateway(gateway_config());
  ConnectProxy proxy;
  auto options = trusting_options(gateway.ws_url("/echo"));
  options.proxy = proxy.url();
  EXPECT_TRUE(echo_once(options).empty());
  EXPECT_EQ(proxy.tunnels_opened(), 1u);
}

TEST(Proxy, HttpsProxyFromTheEnvironmentIsUsedForWss) {
  Gateway gateway(gateway_config());
  ConnectProxy proxy;
  ScopedEnvironment https_proxy("https_proxy", proxy.url());
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.use_proxy_environment = true;
  EXPECT_TRUE(echo_once(options).empty());
  EXPECT_EQ(proxy.tunnels_opened(), 1u);
}

TEST(Proxy, NoProxyFromTheEnvironmentBypassesIt) {
  Gateway gateway(gateway_config());
  ConnectProxy proxy;
  ScopedEnvironment https_proxy("https_proxy", proxy.url());
  ScopedEnvironment no_proxy("no_proxy", "localhost");
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.use_proxy_environment = true;
  EXPECT_TRUE(echo_once(options).empty());
  EXPECT_EQ(proxy.tunnels_opened(), 0u);
}

TEST(Proxy, ProxyChallengeWithoutAHandlerIsAProxyAuthFailure) {
  Gateway gateway(gateway_config());
  ConnectProxy proxy({"alice", "secret"});
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.proxy = proxy.url();
  const auto errors = echo_once(options);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, ErrorCode::AuthFailed) << errors[0].message;
  EXPECT_EQ(errors[0].http_status, 407);
  EXPECT_NE(errors[0].message.find("proxy"), std::string::npos) << errors[0].message;
}

TEST(Proxy, ProxyChallengeIsAnsweredThroughTheHandlerChain) {
  Gateway gateway(gateway_config());
  ConnectProxy proxy({"alice", "secret"});
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.proxy = proxy.url();
  bool asked_for_proxy = false;
  options.challenge_handler = std::make_shared<auth::BasicHandler>(
      [&asked_for_proxy](const auth::CredentialRequest& request, auth::CredentialReply reply) {
        asked_for_proxy = request.for_proxy;
        reply.complete({std::string("alice"), std::string("secret")});
      });
  EXPECT_TRUE(echo_once(options).empty());
  EXPECT_TRUE(asked_for_proxy);
  // The native transport reads the 407's challenge on its own CONNECT: one challenge, answered.
  EXPECT_EQ(proxy.challenges_sent(), 1u);
  EXPECT_EQ(proxy.tunnels_opened(), 1u);
}

TEST(Proxy, ReconnectThroughTheProxyAuthenticatesPreemptively) {
  Gateway gateway(gateway_config());
  ConnectProxy proxy({"alice", "secret"});
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.proxy = proxy.url();
  options.challenge_handler = std::make_shared<auth::BasicHandler>(
      [](const auth::CredentialRequest&, auth::CredentialReply reply) {
        reply.complete({std::string("alice"), std::string("secret")});
      });
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_state(State::Open));
  ASSERT_FALSE(client.close());
  ASSERT_TRUE(recorder.wait_for_close());
  const auto challenges_before = proxy.challenges_sent();
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_state(State::Open, 10s, 2));
  EXPECT_EQ(proxy.challenges_sent(), challenges_before);
  EXPECT_EQ(proxy.tunnels_opened(), 2u);
}

TEST(Proxy, WrongProxyPasswordsStopAtTheAttemptLimit) {
  Gateway gateway(gateway_config());
  ConnectProxy proxy({"alice", "secret"});
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.proxy = proxy.url();
  options.auth.max_attempts = 2;
  options.challenge_handler = std::make_shared<auth::BasicHandler>(
      [tries = std::make_shared<int>(0)](const auth::CredentialRequest&,
                                         auth::CredentialReply reply) {
        reply.complete({std::string("alice"), "wrong " + std::to_string(++*tries)});
      });
  const auto errors = echo_once(options);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, ErrorCode::AuthFailed) << errors[0].message;
  EXPECT_EQ(errors[0].http_status, 407);
  EXPECT_EQ(proxy.tunnels_opened(), 0u);
  EXPECT_EQ(proxy.credentials_refused(), 2u);
}

TEST(Proxy, AWrongProxyPasswordIsSentOnce) {
  Gateway gateway(gateway_config());
  ConnectProxy proxy({"alice", "secret"});
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.proxy = proxy.url();
  auto asked = std::make_shared<int>(0);
  options.challenge_handler = std::make_shared<auth::BasicHandler>(
      [asked](const auth::CredentialRequest&, auth::CredentialReply reply) {
        ++*asked;
        reply.complete({std::string("alice"), std::string("wrong")});
      });
  const auto errors = echo_once(options);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, ErrorCode::AuthFailed) << errors[0].message;
  EXPECT_EQ(errors[0].http_status, 407);
  // The provider is asked again after the refusal, and gives the same password: it is not sent.
  EXPECT_EQ(*asked, 2);
  EXPECT_EQ(proxy.credentials_refused(), 1u);
}

TEST(Proxy, RefusedTunnelReportsTheProxysStatus) {
  ConnectProxy proxy;
  auto options = trusting_options("wss://192.0.2.1:443/echo");  // not loopback: the proxy says 403
  options.proxy = proxy.url();
  const auto errors = echo_once(options);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, ErrorCode::ProxyFailed) << errors[0].message;
  EXPECT_EQ(errors[0].http_status, 403);
}

TEST(Proxy, CredentialsInTheProxyUrlAreSentAsBasic) {
  Gateway gateway(gateway_config());
  ConnectProxy proxy({"alice", "s3cr@t"});
  auto options = trusting_options(gateway.wss_url("/echo"), TransportPolicy::Native);  // as above
  options.proxy = "http://alice:s3cr%40t@127.0.0.1:" + std::to_string(proxy.port());
  EXPECT_TRUE(echo_once(options).empty());
  EXPECT_EQ(proxy.tunnels_opened(), 1u);
}

}  // namespace
}  // namespace tether::test
