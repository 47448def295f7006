// HTTP CONNECT proxies: from the options, from the environment, and their refusals.
#include <gtest/gtest.h>
#include <stdlib.h>

#include "event_recorder.hpp"
#include "test_environment.hpp"
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
    client.close();
  }
  recorder.wait_for_close();
  return recorder.errors();
}

TEST(Proxy, WssIsTunnelledThroughTheConfiguredProxy) {
  Gateway gateway(gateway_config());
  ConnectProxy proxy;
  auto options = trusting_options(gateway.wss_url("/echo"));
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

TEST(Proxy, ProxyThatDemandsCredentialsIsAProxyError) {
  Gateway gateway(gateway_config());
  ConnectProxy proxy({"alice", "secret"});
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.proxy = proxy.url();
  const auto errors = echo_once(options);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, ErrorCode::ProxyFailed) << errors[0].message;
  EXPECT_EQ(proxy.challenges_sent(), 1u);
}

TEST(Proxy, CredentialsInTheProxyUrlAreSentAsBasic) {
  Gateway gateway(gateway_config());
  ConnectProxy proxy({"alice", "s3cr@t"});
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.proxy = "http://alice:s3cr%40t@127.0.0.1:" + std::to_string(proxy.port());
  EXPECT_TRUE(echo_once(options).empty());
  EXPECT_EQ(proxy.tunnels_opened(), 1u);
}

}  // namespace
}  // namespace tether::test
