// Errors that say what happened (docs/security.md, "Refusals and error messages"): the code that
// names the failure, and messages and log lines that never quote a token from the URL's query.
#include <gtest/gtest.h>

#include <chrono>

#include "echo_attempt.hpp"
#include "event_recorder.hpp"
#include "log_capture.hpp"
#include "test_environment.hpp"
#include "tether/auth.hpp"
#include "tether_test/connect_proxy.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/misbehaving_server.hpp"
#include "tether_test/silent_listener.hpp"
#include "tether_test/temp_dir.hpp"
#include "tether_test/users_file.hpp"
#include "transport_test.hpp"

namespace tether::test {
namespace {

/// A loopback port nothing listens on: one the OS gave a listener that is closed again.
std::string closed_port() {
  std::uint16_t port = 0;
  { port = SilentListener{}.port(); }
  return std::to_string(port);
}

TEST(ClosedPort, WssToAClosedPortIsAConnectFailureNotATlsOne) {
  const EchoAttempt outcome = attempt_echo(
      trusting_options("wss://127.0.0.1:" + closed_port() + "/echo", TransportPolicy::Native));
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::ConnectFailed) << outcome.errors[0].message;
  EXPECT_NE(outcome.errors[0].message.find("connection refused"), std::string::npos)
      << outcome.errors[0].message;
}

TEST(ClosedPort, WssToAClosedPortUnderAutoIsAConnectFailureWithoutFallback) {
  LogCapture log;
  const EchoAttempt outcome =
      attempt_echo(trusting_options("wss://127.0.0.1:" + closed_port() + "/echo"));
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::ConnectFailed) << outcome.errors[0].message;
  EXPECT_TRUE(log.lines_containing("trying the HTTP emulation").empty());
}

class ClosedPortThroughAProxy : public TransportTest {};

TEST_P(ClosedPortThroughAProxy, IsTheProxysRefusalNotATlsFailure) {
  ConnectProxy proxy;
  auto options = options_for("wss://127.0.0.1:" + closed_port() + "/echo");
  options.proxy = proxy.url();
  const EchoAttempt outcome = attempt_echo(options);
  ASSERT_EQ(outcome.errors.size(), 1u);
  const Error& error = outcome.errors[0];
  EXPECT_FALSE(error.is_tls()) << error.message;
  EXPECT_EQ(error.code, ErrorCode::ProxyFailed) << error.message;
  EXPECT_EQ(error.http_status, 502) << error.message;
}

INSTANTIATE_TEST_SUITE_P(Transport, ClosedPortThroughAProxy, ::testing::ValuesIn(each_transport),
                         TransportName());

constexpr std::string_view query_token = "s3cret-query-token";

std::string with_query_token(const std::string& url) {
  return url + "?access_token=" + std::string(query_token);
}

/// Checks that no error and no log line quotes the token, and that at least one error shows
/// where the query was (so that the test fails when the URL is not quoted at all).
void expect_redacted(const std::vector<Error>& errors, const LogCapture& log) {
  ASSERT_FALSE(errors.empty());
  bool shown_redacted = false;
  for (const auto& error : errors) {
    EXPECT_EQ(error.message.find(query_token), std::string::npos) << error.message;
    shown_redacted |= error.message.find("?[redacted]") != std::string::npos;
  }
  EXPECT_TRUE(shown_redacted) << describe(errors);
  for (const auto& line : log.lines()) {
    EXPECT_EQ(line.find(query_token), std::string::npos) << line;
  }
}

TEST(Redaction, TheFallbackLogLineShowsTheUrlWithoutItsQuery) {
  Gateway gateway(gateway_config({{"faults", {{"refuse_upgrade_status", 403}}}}));
  LogCapture log(LogLevel::Debug);
  const EchoAttempt outcome =
      attempt_echo(trusting_options(with_query_token(gateway.ws_url("/echo"))));
  EXPECT_TRUE(outcome.echoed) << describe(outcome.errors);
  const auto lines = log.lines_containing("trying the HTTP emulation");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("/echo?[redacted]"), std::string::npos) << lines[0];
  for (const auto& line : log.lines()) {
    EXPECT_EQ(line.find(query_token), std::string::npos) << line;
  }
}

class RedactionOverEachTransport : public TransportTest {};

TEST_P(RedactionOverEachTransport, ARefusedHandshakeNamesTheUrlWithoutItsQuery) {
  Gateway gateway(gateway_config({{"allowed_origins", {"https://good.example"}}}));
  LogCapture log(LogLevel::Debug);
  auto options = options_for(with_query_token(gateway.wss_url("/echo")));
  options.origin = "https://evil.example";
  expect_redacted(attempt_echo(options).errors, log);
}

TEST_P(RedactionOverEachTransport, AnAuthenticationFailureNamesTheUrlWithoutItsQuery) {
  TempDir directory;
  const auto users = directory.path() / "users.json";
  write_users_file(users, {{"alice", "secret"}});
  Gateway gateway(gateway_config({{"auth", {{"users_file", users.string()}}},
                                  {"services", {{"/echo", {{"schemes", {"basic"}}}}}}}));
  LogCapture log(LogLevel::Debug);
  auto options = options_for(with_query_token(gateway.wss_url("/echo")));
  const EchoAttempt outcome = attempt_echo(options);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::AuthFailed);
  expect_redacted(outcome.errors, log);
}

INSTANTIATE_TEST_SUITE_P(Transport, RedactionOverEachTransport, ::testing::ValuesIn(each_transport),
                         TransportName());

TEST(Redaction, AHandshakeTimeoutNamesTheUrlWithoutItsQuery) {
  SilentListener listener;
  LogCapture log(LogLevel::Debug);
  auto options = trusting_options(
      with_query_token("ws://127.0.0.1:" + std::to_string(listener.port()) + "/echo"),
      TransportPolicy::Native);
  options.handshake_timeout = 300ms;
  const EchoAttempt outcome = attempt_echo(options);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::HandshakeTimeout);
  expect_redacted(outcome.errors, log);
}

TEST(Redaction, AnInvalidUrlIsQuotedWithoutItsQuery) {
  Client client;
  const Error error =
      client.connect(trusting_options("wss://bad host/?access_token=" + std::string(query_token)));
  EXPECT_EQ(error.code, ErrorCode::InvalidArgument);
  EXPECT_EQ(error.message.find(query_token), std::string::npos) << error.message;
}

bool asks_for_upgrade(const std::string& request_head) {
  return request_head.find("Sec-WebSocket-Key") != std::string::npos;
}

TEST(BrokenServer, AWrongAcceptKeyIsNamed) {
  MisbehavingServer server([](const std::string&) {
    return std::string(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Accept: bm90IHRoZSByaWdodCBrZXk=\r\n\r\n");
  });
  const EchoAttempt outcome =
      attempt_echo(trusting_options(server.ws_url("/echo"), TransportPolicy::Native));
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::ProtocolError);
  EXPECT_NE(outcome.errors[0].message.find("Sec-WebSocket-Accept does not match"),
            std::string::npos)
      << outcome.errors[0].message;
}

/// Answers every request, the upgrade (101) and the emulation's create (200) alike, with a
/// header line of 200 KB.
std::string oversized_answer(const std::string& request_head) {
  const std::string padding = "X-Padding: " + std::string(200 * 1024, 'a') + "\r\n\r\n";
  if (asks_for_upgrade(request_head)) return switching_protocols_head(request_head) + padding;
  return "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n" + padding;
}

class OversizedHeader : public ::testing::TestWithParam<TransportPolicy> {};

TEST_P(OversizedHeader, IsNamedAsSuch) {
  MisbehavingServer server(oversized_answer);
  const EchoAttempt outcome = attempt_echo(trusting_options(server.ws_url("/echo"), GetParam()));
  ASSERT_EQ(outcome.errors.size(), 1u);
  const Error& error = outcome.errors[0];
  EXPECT_EQ(error.code, ErrorCode::ProtocolError) << error.message;
  EXPECT_NE(error.message.find("header is larger than"), std::string::npos) << error.message;
  EXPECT_EQ(error.message.find("Out of memory"), std::string::npos) << error.message;
  EXPECT_EQ(error.message.find("Generic error"), std::string::npos) << error.message;
  // Under Auto the emulation met the same header: the fallback was tried and failed alike.
  if (GetParam() == TransportPolicy::Auto) {
    EXPECT_NE(error.message.find("has a header larger than"), std::string::npos) << error.message;
  }
}

INSTANTIATE_TEST_SUITE_P(Policy, OversizedHeader,
                         ::testing::Values(TransportPolicy::Native, TransportPolicy::Auto),
                         [](const ::testing::TestParamInfo<TransportPolicy>& policy) {
                           return policy.param == TransportPolicy::Auto ? std::string("Auto")
                                                                        : std::string("Native");
                         });

TEST(BrokenServer, ACloseCodeOf999IsAnImmediateProtocolError) {
  MisbehavingServer server([](const std::string& request_head) {
    // Close code 999 is outside every range RFC 6455 section 7.4 allows; the server then keeps
    // the connection open, as a broken one does.
    return switching_protocols_head(request_head) + "\r\n" +
           server_frame(0x8, std::string("\x03\xe7", 2));
  });
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(trusting_options(server.ws_url("/echo"), TransportPolicy::Native)));
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(recorder.wait_for_close(10s));
  const auto took = std::chrono::steady_clock::now() - start;
  const CloseInfo close = recorder.close_info();
  EXPECT_EQ(close.error.code, ErrorCode::ProtocolError) << close.error.message;
  EXPECT_NE(close.error.message.find("999"), std::string::npos) << close.error.message;
  // Not after websocketpp's 5 s closing handshake timeout.
  EXPECT_LT(took, 2s);
}

}  // namespace
}  // namespace tether::test
