// Client calls that must fail at once, before any network I/O.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <mutex>

#include "tether/client.hpp"
#include "tether/log.hpp"

namespace tether {
namespace {

ConnectOptions options_for(std::string url) {
  ConnectOptions options;
  options.url = std::move(url);
  options.use_proxy_environment = false;
  return options;
}

TEST(ClientOptions, NewClientIsIdleWithoutTransport) {
  Client client;
  EXPECT_EQ(client.state(), State::Idle);
  EXPECT_EQ(client.transport(), TransportKind::None);
  EXPECT_EQ(client.subprotocol(), "");
}

TEST(ClientOptions, MalformedUrlIsRejectedAndNothingChanges) {
  Client client;
  const Error error = client.connect(options_for("http://example.com/"));
  EXPECT_EQ(error.code, ErrorCode::InvalidArgument);
  EXPECT_EQ(client.state(), State::Idle);
}

TEST(ClientOptions, MissingCaFileIsATlsConfigurationError) {
  Client client;
  auto options = options_for("wss://localhost:1/");
  options.tls.ca_file = "/nonexistent/ca.pem";
  const Error error = client.connect(options);
  EXPECT_EQ(error.code, ErrorCode::TlsConfiguration);
  EXPECT_NE(error.message.find("/nonexistent/ca.pem"), std::string::npos) << error.message;
}

TEST(ClientOptions, CertificateWithoutKeyIsRejected) {
  Client client;
  auto options = options_for("wss://localhost:1/");
  options.tls.certificate_file = "client.pem";
  EXPECT_EQ(client.connect(options).code, ErrorCode::InvalidArgument);
}

TEST(ClientOptions, MalformedPinIsRejected) {
  Client client;
  auto options = options_for("wss://localhost:1/");
  options.tls.pinned_public_keys = {"sha256//nope"};
  EXPECT_EQ(client.connect(options).code, ErrorCode::InvalidArgument);
}

TEST(ClientOptions, SubprotocolMustBeAToken) {
  Client client;
  auto options = options_for("ws://localhost:1/");
  options.subprotocols = {"chat v1"};
  EXPECT_EQ(client.connect(options).code, ErrorCode::InvalidArgument);
}

TEST(ClientOptions, HeaderWithLineBreakIsRejected) {
  Client client;
  auto options = options_for("ws://localhost:1/");
  options.headers = {{"X-Test", "a\r\nInjected: yes"}};
  EXPECT_EQ(client.connect(options).code, ErrorCode::InvalidArgument);
}

TEST(ClientOptions, UserAgentWithLineBreakIsRejected) {
  Client client;
  auto options = options_for("ws://localhost:1/");
  options.user_agent = "Acme\r\nX-Injected: 1";
  EXPECT_EQ(client.connect(options).code, ErrorCode::InvalidArgument);
  options.user_agent.clear();
  options.headers = {{"User-Agent", "Acme\nX-Injected: 1"}};
  EXPECT_EQ(client.connect(options).code, ErrorCode::InvalidArgument);
}

TEST(ClientOptions, NonPositiveTimeoutIsRejected) {
  Client client;
  auto options = options_for("ws://localhost:1/");
  options.connect_timeout = std::chrono::milliseconds(0);
  EXPECT_EQ(client.connect(options).code, ErrorCode::InvalidArgument);
}

TEST(ClientOptions, ZeroSendQueueBoundIsRejected) {
  Client client;
  auto options = options_for("ws://localhost:1/");
  options.max_queued_messages = 0;
  const auto error = client.connect(options);
  EXPECT_EQ(error.code, ErrorCode::InvalidArgument);
  EXPECT_NE(error.message.find("max_queued_messages"), std::string::npos) << error.message;
  options.max_queued_messages = 1;
  options.max_queued_bytes = 0;
  EXPECT_EQ(client.connect(options).code, ErrorCode::InvalidArgument);
}

TEST(ClientOptions, MalformedProxyIsRejected) {
  Client client;
  auto options = options_for("ws://localhost:1/");
  options.proxy = "socks5://proxy:1080";
  EXPECT_EQ(client.connect(options).code, ErrorCode::InvalidArgument);
}

TEST(ClientOptions, SendAndCloseNeedAConnection) {
  Client client;
  EXPECT_EQ(client.send_text("x").code, ErrorCode::InvalidState);
  EXPECT_EQ(client.send_binary("x").code, ErrorCode::InvalidState);
  EXPECT_EQ(client.close().code, ErrorCode::InvalidState);
}

TEST(ClientOptions, ReservedCloseCodesAreRejected) {
  Client client;
  EXPECT_EQ(client.close(1005).code, ErrorCode::InvalidArgument);
  EXPECT_EQ(client.close(1000, std::string(124, 'x')).code, ErrorCode::InvalidArgument);
}

TEST(ClientOptions, DisablingVerificationLogsAWarning) {
  std::mutex mutex;
  std::vector<std::string> lines;
  set_log_sink(
      [&](LogLevel level, std::string_view line) {
        std::lock_guard lock(mutex);
        if (level == LogLevel::Warning) lines.emplace_back(line);
      },
      LogLevel::Warning);
  {
    Client client;
    // Wait for the refused attempt to end: the shared I/O thread must not still be failing it
    // while the process exits and static objects (error categories) are being destroyed.
    std::promise<void> closed;
    client.on_closed([&](const CloseInfo&) { closed.set_value(); });
    auto options = options_for("wss://127.0.0.1:1/");
    options.tls.verify_peer = false;
    EXPECT_FALSE(client.connect(options));
    EXPECT_EQ(closed.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
  }
  set_log_sink([](LogLevel, std::string_view) {});
  std::lock_guard lock(mutex);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("verification is disabled"), std::string::npos) << lines[0];
}

}  // namespace
}  // namespace tether
