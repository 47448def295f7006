// tether_set_log_callback: the library's few log lines, at or above a threshold, with no
// credentials in them. The sink is process-wide: every test restores a stderr one.
#include <gtest/gtest.h>

#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

#include "c_test_support.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/temp_dir.hpp"
#include "tether_test/users_file.hpp"

namespace tether::c_test {
namespace {

struct LogLines {
  std::mutex mutex;
  std::vector<std::pair<tether_log_level, std::string>> lines;

  std::vector<std::pair<tether_log_level, std::string>> copy() {
    std::lock_guard lock(mutex);
    return lines;
  }
  bool any_containing(const std::string& text) {
    for (const auto& [level, line] : copy()) {
      if (line.find(text) != std::string::npos) return true;
    }
    return false;
  }
};

void collect(tether_log_level level, const char* line, void* user) {
  auto* log = static_cast<LogLines*>(user);
  std::lock_guard lock(log->mutex);
  log->lines.emplace_back(level, line);
}

void write_to_stderr(tether_log_level, const char* line, void*) {
  std::fprintf(stderr, "tether: %s\n", line);
}

constexpr const char* verification_off = "verification is disabled";

class LogTest : public ::testing::Test {
 protected:
  ~LogTest() override { tether_set_log_callback(TETHER_LOG_WARNING, write_to_stderr, nullptr); }

  /// Connects to the echo service over wss with verification off, which logs a warning.
  void connect_unverified(const std::string& url) {
    auto options = trusting_options(url);
    tether_options_set_tls_verify_peer(options.get(), 0);
    Recorder recorder;
    ClientPtr client{tether_client_create()};
    recorder.record(client.get());
    ASSERT_EQ(tether_client_connect(client.get(), options.get()), TETHER_OK);
    ASSERT_TRUE(recorder.wait_for_state(TETHER_STATE_OPEN)) << recorder.describe_failures();
  }

  test::Gateway gateway_{gateway_config()};
  LogLines log_;
};

TEST_F(LogTest, AWarningReachesTheCallbackWithItsLevel) {
  ASSERT_EQ(tether_set_log_callback(TETHER_LOG_WARNING, collect, &log_), TETHER_OK);
  connect_unverified(gateway_.wss_url("/echo"));
  const auto lines = log_.copy();
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0].first, TETHER_LOG_WARNING);
  EXPECT_NE(lines[0].second.find(verification_off), std::string::npos) << lines[0].second;
}

TEST_F(LogTest, LinesBelowTheThresholdAreNotDelivered) {
  ASSERT_EQ(tether_set_log_callback(TETHER_LOG_ERROR, collect, &log_), TETHER_OK);
  connect_unverified(gateway_.wss_url("/echo"));
  EXPECT_FALSE(log_.any_containing(verification_off));
}

TEST_F(LogTest, ANullCallbackSilencesTheLibrary) {
  ASSERT_EQ(tether_set_log_callback(TETHER_LOG_DEBUG, collect, &log_), TETHER_OK);
  ASSERT_EQ(tether_set_log_callback(TETHER_LOG_DEBUG, nullptr, nullptr), TETHER_OK);
  connect_unverified(gateway_.wss_url("/echo"));
  EXPECT_TRUE(log_.copy().empty());
}

TEST_F(LogTest, AThresholdOutsideTheEnumIsRefused) {
  EXPECT_EQ(tether_set_log_callback(static_cast<tether_log_level>(7), collect, &log_),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_set_log_callback(static_cast<tether_log_level>(-1), collect, &log_),
            TETHER_INVALID_ARGUMENT);
}

constexpr const char* password = "correct-horse-battery";
constexpr const char* basic_credentials = "YWxpY2U6Y29ycmVjdC1ob3JzZS1iYXR0ZXJ5";  // alice:...

void answer_alice(tether_challenge* challenge, void*) {
  tether_challenge_answer_password(challenge, "alice", password);
}

/// Parameterised on the transport: the emulation's HTTP requests carry the same credentials.
class LogOverTransportTest : public LogTest,
                             public ::testing::WithParamInterface<tether_transport_policy> {};

TEST_P(LogOverTransportTest, CredentialsNeverAppearInTheLogEvenAtDebugLevel) {
  test::TempDir directory;
  const auto users_file = directory.path() / "users.json";
  test::write_users_file(users_file, {{"alice", password}});
  // A cookie the jar must reject makes the handshake log a debug line.
  const nlohmann::json protected_service = {
      {"schemes", {"basic"}}, {"set_cookie_on_challenge", {"x=1; Domain=other.test"}}};
  test::Gateway gateway{gateway_config(
      {{"auth", {{"users_file", users_file.string()}}},
       {"services", {{"/echo", protected_service}, {"/whoami", protected_service}}}})};
  ASSERT_EQ(tether_set_log_callback(TETHER_LOG_DEBUG, collect, &log_), TETHER_OK);

  JarPtr jar{tether_cookie_jar_create()};
  auto options = trusting_options(gateway.wss_url("/echo"), GetParam());
  tether_options_set_tls_verify_peer(options.get(), 0);
  tether_options_set_challenge_callback(options.get(), answer_alice, nullptr);
  tether_options_set_cookie_jar(options.get(), jar.get());
  Recorder recorder;
  ClientPtr client{tether_client_create()};
  recorder.record(client.get());
  ASSERT_EQ(tether_client_connect(client.get(), options.get()), TETHER_OK);
  ASSERT_TRUE(recorder.wait_for_state(TETHER_STATE_OPEN)) << recorder.describe_failures();

  auto request =
      trusting_request("https://localhost:" + std::to_string(gateway.wss_port()) + "/whoami");
  tether_http_request_set_tls_verify_peer(request.get(), 0);
  tether_http_request_set_challenge_callback(request.get(), answer_alice, nullptr);
  HttpClientPtr http{tether_http_client_create()};
  tether_http_response* response = nullptr;
  ASSERT_EQ(tether_http_client_perform(http.get(), request.get(), &response), TETHER_OK)
      << tether_http_client_errmsg(http.get());
  HttpResponsePtr owned{response};
  EXPECT_EQ(tether_http_response_status(response), 200);

  const auto lines = log_.copy();
  bool debug_seen = false;
  for (const auto& [level, line] : lines) {
    debug_seen = debug_seen || level == TETHER_LOG_DEBUG;
    EXPECT_EQ(line.find(password), std::string::npos) << line;
    EXPECT_EQ(line.find(basic_credentials), std::string::npos) << line;
  }
  EXPECT_TRUE(debug_seen) << "the rejected cookie should have logged a debug line";
  EXPECT_GE(lines.size(), 2u) << "both connections turned verification off";
}

INSTANTIATE_TEST_SUITE_P(Transports, LogOverTransportTest, ::testing::ValuesIn(each_transport),
                         [](const auto& parameter) { return transport_name(parameter.param); });

}  // namespace
}  // namespace tether::c_test
