#include "http/proxy_environment.hpp"

#include <gtest/gtest.h>

#include <map>

namespace tether::http {
namespace {

EnvironmentLookup environment(std::map<std::string, std::string> variables) {
  return [variables = std::move(variables)](const char* name) -> std::optional<std::string> {
    auto found = variables.find(name);
    if (found == variables.end()) return std::nullopt;
    return found->second;
  };
}

Url url(std::string_view text) {
  Url result;
  EXPECT_FALSE(parse_url(text, UrlKind::WebSocket, result));
  return result;
}

TEST(ProxyEnvironment, SecureUrlsUseHttpsProxy) {
  const auto env =
      environment({{"https_proxy", "http://proxy:3128"}, {"http_proxy", "http://other:1"}});
  EXPECT_EQ(proxy_from_environment(url("wss://example.com/"), env), "http://proxy:3128");
}

TEST(ProxyEnvironment, UpperCaseHttpsProxyIsAccepted) {
  const auto env = environment({{"HTTPS_PROXY", "proxy:3128"}});
  EXPECT_EQ(proxy_from_environment(url("wss://example.com/"), env), "http://proxy:3128");
}

TEST(ProxyEnvironment, PlainUrlsUseLowerCaseHttpProxyOnly) {
  EXPECT_EQ(proxy_from_environment(url("ws://example.com/"),
                                   environment({{"http_proxy", "http://p:8080"}})),
            "http://p:8080");
  EXPECT_EQ(proxy_from_environment(url("ws://example.com/"),
                                   environment({{"HTTP_PROXY", "http://p:8080"}})),
            "");
}

TEST(ProxyEnvironment, NoProxyBypassesMatchingHosts) {
  const auto env = environment({{"https_proxy", "http://proxy:3128"},
                                {"no_proxy", "localhost, .internal.example,10.0.0.1:443"}});
  EXPECT_EQ(proxy_from_environment(url("wss://localhost/"), env), "");
  EXPECT_EQ(proxy_from_environment(url("wss://a.internal.example/"), env), "");
  EXPECT_EQ(proxy_from_environment(url("wss://internal.example/"), env), "");
  EXPECT_EQ(proxy_from_environment(url("wss://10.0.0.1/"), env), "");
  EXPECT_EQ(proxy_from_environment(url("wss://notinternal.example/"), env), "http://proxy:3128");
}

TEST(ProxyEnvironment, NoProxyStarBypassesEverything) {
  EXPECT_TRUE(no_proxy_matches("*", "anything.example"));
  EXPECT_TRUE(no_proxy_matches("[::1]", "::1"));
  EXPECT_FALSE(no_proxy_matches("example.com", "badexample.com"));
}

TEST(ProxyEnvironment, NothingSetMeansDirect) {
  EXPECT_EQ(proxy_from_environment(url("wss://example.com/"), environment({})), "");
}

}  // namespace
}  // namespace tether::http
