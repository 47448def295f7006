// Both transports through real intermediaries, started by the tests on loopback from Debian's
// packages (docs/emulation.md sections 3 and 11): Squid and tinyproxy with the CONNECT policy
// Debian ships, and nginx balancing two gateways by an affinity cookie.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "event_recorder.hpp"
#include "log_capture.hpp"
#include "test_environment.hpp"
#include "tether/auth.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/nginx_balancer.hpp"
#include "tether_test/squid_proxy.hpp"
#include "tether_test/tinyproxy.hpp"
#include "transport_log.hpp"
#include "transport_test.hpp"

namespace tether::test {
namespace {

constexpr int numbered_messages = 1000;

/// Sends `numbered_messages` numbered text messages and checks that each comes back once, in
/// order.
void expect_numbered_echoes(Client& client, EventRecorder& recorder) {
  for (int i = 1; i <= numbered_messages; ++i) {
    ASSERT_FALSE(client.send_text("message " + std::to_string(i)));
  }
  ASSERT_TRUE(recorder.wait_for_messages(numbered_messages, 30s));
  const auto messages = recorder.messages();
  ASSERT_EQ(messages.size(), static_cast<std::size_t>(numbered_messages));
  for (int i = 1; i <= numbered_messages; ++i) {
    ASSERT_EQ(messages[i - 1].data, "message " + std::to_string(i));
  }
}

/// Connects a new client with `options`, checks that it opens over `expected`, echoes the
/// numbered messages and closes. Returns the transports the client reported, with their reasons.
std::vector<TransportChange> echo_numbered_through(const ConnectOptions& options,
                                                   TransportKind expected) {
  Client client;
  EventRecorder recorder(client);
  TransportLog transports(client);
  if (auto error = client.connect(options)) {
    ADD_FAILURE() << error.message;
    return {};
  }
  if (!recorder.wait_for_open_or_close(20s)) {
    ADD_FAILURE() << "did not open: " << recorder.describe_errors();
    return transports.changes();
  }
  EXPECT_EQ(client.transport(), expected);
  expect_numbered_echoes(client, recorder);
  EXPECT_FALSE(client.close());
  EXPECT_TRUE(recorder.wait_for_close());
  return transports.changes();
}

std::size_t count_containing(const std::vector<std::string>& lines, const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(lines.begin(), lines.end(),
                    [&](const std::string& line) { return line.find(text) != std::string::npos; }));
}

TEST(Squid, AutoReachesAWsGatewayOffPort443ThroughForwardProxiedEmulation) {
  Gateway gateway(gateway_config());
  SquidProxy squid;  // CONNECT to port 443 only, as Debian ships it
  auto options = trusting_options(gateway.ws_url("/echo"));
  options.proxy = squid.url();
  const auto changes = echo_numbered_through(options, TransportKind::Emulated);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[1].second.code, ErrorCode::ProxyFailed) << changes[1].second.message;

  const std::string gateway_origin = "http://127.0.0.1:" + std::to_string(gateway.ws_port());
  const auto requests = squid.requests();
  // The native attempt's tunnel, refused by Squid's rule; then only ordinary requests.
  EXPECT_EQ(count_containing(requests, "CONNECT"), 1u) << testing::PrintToString(requests);
  EXPECT_EQ(count_containing(requests, "TCP_DENIED/403 CONNECT"), 1u);
  EXPECT_EQ(count_containing(requests, "POST " + gateway_origin + "/echo/;e/create"), 1u)
      << testing::PrintToString(requests);
  EXPECT_GE(count_containing(requests, "POST " + gateway_origin + "/echo/;e/up"), 1u);
}

TEST(Squid, WssGoesNativeThroughATunnelToAnSslPort) {
  Gateway gateway(gateway_config());
  SquidProxy::Options policy;
  policy.connect_ports = {443, gateway.wss_port()};  // as an administrator allows a gateway
  SquidProxy squid(policy);
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.proxy = squid.url();
  echo_numbered_through(options, TransportKind::Native);
  // Squid logs a tunnel once it has closed.
  EXPECT_TRUE(squid.wait_for_request(
      "TCP_TUNNEL/200 CONNECT localhost:" + std::to_string(gateway.wss_port()), 10s))
      << testing::PrintToString(squid.requests());
}

TEST(Squid, ARefusedTunnelIsReportedAsTheProxysWithItsStatusAndHost) {
  Gateway gateway(gateway_config());
  SquidProxy squid;
  auto options = trusting_options(gateway.ws_url("/echo"), TransportPolicy::Native);
  options.proxy = squid.url();
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options));
  ASSERT_FALSE(recorder.wait_for_open_or_close(20s));
  ASSERT_TRUE(recorder.wait_for_close());
  const auto errors = recorder.errors();
  ASSERT_EQ(errors.size(), 1u) << recorder.describe_errors();
  EXPECT_EQ(errors[0].code, ErrorCode::ProxyFailed) << errors[0].message;
  EXPECT_EQ(errors[0].http_status, 403);
  EXPECT_NE(errors[0].message.find("the proxy http://127.0.0.1:" + std::to_string(squid.port())),
            std::string::npos)
      << errors[0].message;
  EXPECT_NE(errors[0].message.find("the proxy's rules"), std::string::npos) << errors[0].message;
  EXPECT_EQ(errors[0].message.find("Origin"), std::string::npos) << errors[0].message;
}

TEST(Squid, WssFallsNotBackWhenTheProxyRefusesItsTunnel) {
  Gateway gateway(gateway_config());
  SquidProxy squid;  // the gateway's wss port is not an SSL port
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.proxy = squid.url();
  Client client;
  EventRecorder recorder(client);
  TransportLog transports(client);
  ASSERT_FALSE(client.connect(options));
  ASSERT_FALSE(recorder.wait_for_open_or_close(20s));
  ASSERT_TRUE(recorder.wait_for_close());
  EXPECT_EQ(transports.changes().size(), 1u) << "https:// would need the same tunnel";
  ASSERT_FALSE(recorder.errors().empty());
  EXPECT_EQ(recorder.errors()[0].code, ErrorCode::ProxyFailed);
}

/// Proxy credentials, answered by the challenge handler with for_proxy set.
class SquidAuthentication : public ::testing::TestWithParam<TransportPolicy> {};

TEST_P(SquidAuthentication, BasicProxyCredentialsAreAnswered) {
  Gateway gateway(gateway_config());
  SquidProxy::Options policy;
  policy.connect_ports = {443, gateway.ws_port()};  // so that the native transport gets through
  policy.authentication = SquidProxy::Authentication::basic;
  SquidProxy squid(policy);
  auto options = trusting_options(gateway.ws_url("/echo"), GetParam());
  options.proxy = squid.url();
  options.challenge_handler = std::make_shared<auth::BasicHandler>(
      [](const auth::CredentialRequest& request, auth::CredentialReply reply) {
        EXPECT_TRUE(request.for_proxy);
        reply.complete({"bob", "proxy-secret"});
      });
  echo_numbered_through(options, transport_of(GetParam()));
  EXPECT_GE(count_containing(squid.requests(), "TCP_DENIED/407"), 1u)
      << testing::PrintToString(squid.requests());
}

INSTANTIATE_TEST_SUITE_P(Transports, SquidAuthentication, ::testing::ValuesIn(each_transport),
                         TransportName());

/// A Digest handler for Squid's proxy credentials that gives `password` and counts how often it
/// was asked.
std::shared_ptr<auth::DigestHandler> proxy_digest(std::string password,
                                                  std::shared_ptr<std::atomic<int>> asked) {
  return std::make_shared<auth::DigestHandler>(
      [password = std::move(password), asked](const auth::CredentialRequest& request,
                                              auth::CredentialReply reply) {
        EXPECT_TRUE(request.for_proxy);
        ++*asked;
        reply.complete({"bob", password});
      });
}

/// Squid asking for Digest credentials through Debian's digest_file_auth.
SquidProxy::Options digest_policy(std::vector<std::uint16_t> connect_ports = {443}) {
  SquidProxy::Options policy;
  policy.connect_ports = std::move(connect_ports);
  policy.authentication = SquidProxy::Authentication::digest;
  return policy;
}

/// No log line at any level carries the proxy's password or a Proxy-Authorization value.
void expect_no_credentials_in(const LogCapture& log, const std::string& password) {
  for (const auto& line : log.lines()) {
    EXPECT_EQ(line.find(password), std::string::npos) << line;
    EXPECT_EQ(line.find("username="), std::string::npos) << line;
    EXPECT_EQ(line.find("response="), std::string::npos) << line;
  }
}

/// wss:// through Squid's tunnel, over either transport: the CONNECT (the native transport's,
/// or those of the emulated https:// requests) answers the Digest challenge for its
/// authority-form target.
class SquidDigestTunnel : public ::testing::TestWithParam<TransportPolicy> {};

TEST_P(SquidDigestTunnel, TheConnectAnswersItForItsAuthority) {
  Gateway gateway(gateway_config());
  SquidProxy squid(digest_policy({443, gateway.wss_port()}));
  auto options = trusting_options(gateway.wss_url("/echo"), GetParam());
  options.proxy = squid.url();
  auto asked = std::make_shared<std::atomic<int>>(0);
  options.challenge_handler = proxy_digest("proxy-secret", asked);
  LogCapture log(LogLevel::Debug);
  echo_numbered_through(options, transport_of(GetParam()));
  EXPECT_EQ(asked->load(), 1);
  const std::string tunnel = "CONNECT localhost:" + std::to_string(gateway.wss_port());
  // Squid logs a tunnel once it has closed.
  ASSERT_TRUE(squid.wait_for_request("TCP_TUNNEL/200 " + tunnel, 10s))
      << testing::PrintToString(squid.requests());
  // The first CONNECT, without credentials, was challenged; those answered went through.
  EXPECT_EQ(count_containing(squid.requests(), "TCP_DENIED/407 " + tunnel), 1u)
      << testing::PrintToString(squid.requests());
  expect_no_credentials_in(log, "proxy-secret");
}

INSTANTIATE_TEST_SUITE_P(Transports, SquidDigestTunnel, ::testing::ValuesIn(each_transport),
                         TransportName());

TEST(SquidDigest, TheEmulatedTransportSignsEachForwardProxiedRequestAndAnswersStaleNonces) {
  constexpr int round_trips = 40;
  Gateway gateway(gateway_config());
  auto policy = digest_policy();
  policy.digest_nonce_max_count = 5;  // so that the round trips outlive several nonces
  SquidProxy squid(policy);
  auto options = trusting_options(gateway.ws_url("/echo"), TransportPolicy::Emulated);
  options.proxy = squid.url();
  auto asked = std::make_shared<std::atomic<int>>(0);
  options.challenge_handler = proxy_digest("proxy-secret", asked);
  LogCapture log(LogLevel::Debug);
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_open_or_close(20s)) << recorder.describe_errors();
  // One message at a time: an upstream request each, each signed anew.
  for (int i = 1; i <= round_trips; ++i) {
    ASSERT_FALSE(client.send_text("round trip " + std::to_string(i)));
    ASSERT_TRUE(recorder.wait_for_messages(static_cast<std::size_t>(i)))
        << recorder.describe_errors();
    ASSERT_EQ(recorder.messages().back().data, "round trip " + std::to_string(i));
  }
  ASSERT_FALSE(client.close());
  ASSERT_TRUE(recorder.wait_for_close());
  EXPECT_TRUE(recorder.errors().empty()) << recorder.describe_errors();
  // Asked once: each stale nonce was answered from what the handler keeps.
  EXPECT_EQ(asked->load(), 1);

  const auto requests = squid.requests();
  const std::string origin = "http://127.0.0.1:" + std::to_string(gateway.ws_port()) + "/echo/;e/";
  EXPECT_EQ(count_containing(requests, "CONNECT"), 0u) << testing::PrintToString(requests);
  EXPECT_EQ(count_containing(requests, "TCP_DENIED/407 POST " + origin + "create"), 1u)
      << testing::PrintToString(requests);
  EXPECT_EQ(count_containing(requests, "/201 POST " + origin + "create"), 1u);
  // Squid logs each exchange once it is over, the last ones maybe after the echo came. Each
  // echo came back in the reply to its upstream request (docs/emulation.md section 7).
  EXPECT_TRUE(squid.wait_for_request("/200 POST " + origin + "up", 10s,
                                     static_cast<std::size_t>(round_trips)))
      << testing::PrintToString(squid.requests());
  // Later requests met stale nonces (5 uses each), answered again without a failure.
  const auto later_challenges = count_containing(requests, "TCP_DENIED/407 POST " + origin + "up") +
                                count_containing(requests, "TCP_DENIED/407 GET " + origin + "down");
  EXPECT_GE(later_challenges, 1u) << testing::PrintToString(requests);
  expect_no_credentials_in(log, "proxy-secret");
}

/// A wrong proxy password, over either transport: the proxy's challenge is answered once, and
/// the second refusal ends the attempt.
class SquidDigestRefusal : public ::testing::TestWithParam<TransportPolicy> {};

TEST_P(SquidDigestRefusal, AWrongPasswordEndsAsAuthFailedNamingTheProxy) {
  Gateway gateway(gateway_config());
  SquidProxy squid(digest_policy({443, gateway.ws_port()}));
  auto options = trusting_options(gateway.ws_url("/echo"), GetParam());
  options.proxy = squid.url();
  auto asked = std::make_shared<std::atomic<int>>(0);
  options.challenge_handler = proxy_digest("not-the-password", asked);
  LogCapture log(LogLevel::Debug);
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options));
  ASSERT_FALSE(recorder.wait_for_open_or_close(20s));
  ASSERT_TRUE(recorder.wait_for_close());
  const auto errors = recorder.errors();
  ASSERT_EQ(errors.size(), 1u) << recorder.describe_errors();
  EXPECT_EQ(errors[0].code, ErrorCode::AuthFailed) << errors[0].message;
  EXPECT_EQ(errors[0].http_status, 407);
  EXPECT_NE(errors[0].message.find("proxy authentication for http://127.0.0.1:" +
                                   std::to_string(squid.port())),
            std::string::npos)
      << errors[0].message;
  EXPECT_NE(errors[0].message.find("tether-squid"), std::string::npos) << errors[0].message;
  EXPECT_EQ(asked->load(), 2);  // asked again after the refusal, and not sent twice
  // Squid logs an exchange once it is over, maybe after the client has gone.
  EXPECT_TRUE(squid.wait_for_request("TCP_DENIED/407", 10s, 2))
      << testing::PrintToString(squid.requests());
  EXPECT_EQ(count_containing(squid.requests(), "TCP_DENIED/407"), 2u)
      << testing::PrintToString(squid.requests());
  expect_no_credentials_in(log, "not-the-password");
}

INSTANTIATE_TEST_SUITE_P(Transports, SquidDigestRefusal, ::testing::ValuesIn(each_transport),
                         TransportName());

// ---- Squid as a reverse proxy ----

TEST(SquidReverseProxy, AutoEndsOnEmulatedWhenSquidDoesNotPassTheUpgrade) {
  Gateway gateway(gateway_config());
  SquidProxy::Options accelerator;
  accelerator.reverse_proxy_for = gateway.ws_port();
  SquidProxy squid(accelerator);
  Client client;
  EventRecorder recorder(client);
  TransportLog transports(client);
  ASSERT_FALSE(client.connect(trusting_options(squid.ws_url("/echo"))));
  ASSERT_TRUE(recorder.wait_for_open_or_close(20s)) << recorder.describe_errors();
  ASSERT_EQ(client.transport(), TransportKind::Emulated);
  const std::string binary("\0\x01\xfe\xff binary", 12);
  ASSERT_FALSE(client.send_text("text through Squid"));
  ASSERT_FALSE(client.send_binary(binary));
  ASSERT_TRUE(recorder.wait_for_messages(2, 10s));
  const auto messages = recorder.messages();
  EXPECT_EQ(messages[0].kind, MessageKind::Text);
  EXPECT_EQ(messages[0].data, "text through Squid");
  EXPECT_EQ(messages[1].kind, MessageKind::Binary);
  EXPECT_EQ(messages[1].data, binary);
  ASSERT_FALSE(client.close());
  ASSERT_TRUE(recorder.wait_for_close());
  EXPECT_TRUE(recorder.errors().empty()) << recorder.describe_errors();

  const auto changes = transports.changes();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[1].second.code, ErrorCode::HandshakeRejected) << changes[1].second.message;
  EXPECT_EQ(changes[1].second.http_status, 426) << changes[1].second.message;
  const auto requests = squid.requests();
  EXPECT_EQ(count_containing(requests, "/" + std::to_string(426) + " GET "), 1u)
      << testing::PrintToString(requests);
  EXPECT_EQ(gateway.stats().at("emulated_sessions_created"), 1);
}

// ---- tinyproxy ----

/// Through tinyproxy: the native transport in a tunnel to a port its ConnectPort rules allow, the
/// emulated one as forward-proxied requests.
class TinyProxyTransports : public ::testing::TestWithParam<TransportPolicy> {};

TEST_P(TinyProxyTransports, EchoThroughTinyproxy) {
  Gateway gateway(gateway_config());
  TinyProxy::Options policy;
  policy.connect_ports = {443, gateway.ws_port()};
  TinyProxy proxy(policy);
  auto options = trusting_options(gateway.ws_url("/echo"), GetParam());
  options.proxy = proxy.url();
  echo_numbered_through(options, transport_of(GetParam()));
  const auto requests = proxy.requests();
  const std::string gateway_address = "127.0.0.1:" + std::to_string(gateway.ws_port());
  if (GetParam() == TransportPolicy::Native) {
    EXPECT_EQ(count_containing(requests, "CONNECT " + gateway_address), 1u)
        << testing::PrintToString(requests);
  } else {
    EXPECT_EQ(count_containing(requests, "CONNECT"), 0u) << testing::PrintToString(requests);
    EXPECT_EQ(count_containing(requests, "POST http://" + gateway_address + "/echo/;e/create"), 1u)
        << testing::PrintToString(requests);
  }
}

INSTANTIATE_TEST_SUITE_P(Transports, TinyProxyTransports, ::testing::ValuesIn(each_transport),
                         TransportName());

TEST(TinyProxy, AutoFallsBackWhenItsRulesRefuseTheTunnel) {
  Gateway gateway(gateway_config());
  TinyProxy proxy;  // CONNECT to port 443 only
  auto options = trusting_options(gateway.ws_url("/echo"));
  options.proxy = proxy.url();
  echo_numbered_through(options, TransportKind::Emulated);
}

// ---- nginx ----

/// Two gateways behind nginx, each setting its own affinity cookie, as a cluster does.
class BalancedGateways : public ::testing::Test {
 protected:
  static nlohmann::json config_setting(const std::string& affinity) {
    return gateway_config(
        {{"services",
          {{"/echo", {{"set_cookie_on_upgrade", {"affinity=" + affinity + "; Path=/"}}}}}}});
  }

  /// The emulated sessions each gateway created so far.
  std::pair<int, int> sessions_created() const {
    return {first_.stats().at("emulated_sessions_created").get<int>(),
            second_.stats().at("emulated_sessions_created").get<int>()};
  }

  Gateway first_{config_setting("node-1")};
  Gateway second_{config_setting("node-2")};
  NginxBalancer balancer_{"affinity",
                          {{first_.ws_port(), "node-1"}, {second_.ws_port(), "node-2"}}};
};

TEST_F(BalancedGateways, AnEmulatedSessionWithoutAnApplicationJarStaysOnItsGateway) {
  auto options = emulated_options(balancer_.ws_url("/echo"));
  ASSERT_EQ(options.cookie_jar, nullptr);  // the client's own jar carries the affinity
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_open_or_close(20s)) << recorder.describe_errors();
  expect_numbered_echoes(client, recorder);
  ASSERT_FALSE(client.close());
  ASSERT_TRUE(recorder.wait_for_close());
  EXPECT_TRUE(recorder.errors().empty()) << recorder.describe_errors();
  const auto [first, second] = sessions_created();
  EXPECT_EQ(first + second, 1);

  // The same client connects again: its cookie takes it to the same gateway.
  EventRecorder again(client);
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(again.wait_for_open_or_close(20s)) << again.describe_errors();
  ASSERT_FALSE(client.send_text("again"));
  ASSERT_TRUE(again.wait_for_messages(1));
  ASSERT_FALSE(client.close());
  ASSERT_TRUE(again.wait_for_close());
  EXPECT_EQ(sessions_created(), std::make_pair(first * 2, second * 2))
      << testing::PrintToString(balancer_.requests());
}

}  // namespace
}  // namespace tether::test
