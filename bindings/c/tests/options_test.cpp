// tether_options_*: every setter stores a copy of its value in the C++ ConnectOptions, refuses
// NULL and out-of-range values with a message, and leaves the options unchanged when it refuses.
#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "c_test_support.hpp"
#include "options_handle.hpp"
#include "tether/cookies.hpp"

namespace tether::c_test {
namespace {

class OptionsTest : public ::testing::Test {
 protected:
  const ConnectOptions& cpp() const { return options_->connect_options; }
  std::string errmsg() const { return tether_options_errmsg(options_.get()); }

  OptionsPtr options_{tether_options_create()};
};

TEST_F(OptionsTest, TheDefaultsAreTheCppDefaults) {
  const ConnectOptions defaults;
  EXPECT_EQ(cpp().connect_timeout, defaults.connect_timeout);
  EXPECT_EQ(cpp().max_message_size, defaults.max_message_size);
  EXPECT_EQ(cpp().max_queued_messages, defaults.max_queued_messages);
  EXPECT_EQ(cpp().max_queued_bytes, defaults.max_queued_bytes);
  EXPECT_TRUE(cpp().tls.verify_peer);
  EXPECT_EQ(cpp().challenge_handler, nullptr);
  EXPECT_FALSE(cpp().reconnect.enabled);
  EXPECT_EQ(cpp().reconnect.initial_delay, defaults.reconnect.initial_delay);
  EXPECT_EQ(cpp().reconnect.max_delay, defaults.reconnect.max_delay);
  EXPECT_EQ(cpp().reconnect.max_attempts, defaults.reconnect.max_attempts);
  EXPECT_EQ(cpp().reconnect.max_duration, defaults.reconnect.max_duration);
  EXPECT_EQ(errmsg(), "");
}

TEST_F(OptionsTest, StringSettersStoreCopies) {
  std::string url = "wss://example.com/echo";
  ASSERT_EQ(tether_options_set_url(options_.get(), url.c_str()), TETHER_OK);
  url.assign(url.size(), 'x');  // the caller's buffer is theirs again
  EXPECT_EQ(cpp().url, "wss://example.com/echo");

  EXPECT_EQ(tether_options_set_origin(options_.get(), "https://app.example.com"), TETHER_OK);
  EXPECT_EQ(tether_options_add_subprotocol(options_.get(), "v2"), TETHER_OK);
  EXPECT_EQ(tether_options_add_subprotocol(options_.get(), "v1"), TETHER_OK);
  EXPECT_EQ(tether_options_add_header(options_.get(), "X-Tenant", "blue"), TETHER_OK);
  EXPECT_EQ(tether_options_set_proxy(options_.get(), "http://proxy:3128"), TETHER_OK);
  EXPECT_EQ(cpp().origin, "https://app.example.com");
  EXPECT_EQ(cpp().subprotocols, (std::vector<std::string>{"v2", "v1"}));
  ASSERT_EQ(cpp().headers.size(), 1u);
  EXPECT_EQ(cpp().headers[0].first, "X-Tenant");
  EXPECT_EQ(cpp().headers[0].second, "blue");
  EXPECT_EQ(cpp().proxy, "http://proxy:3128");
}

TEST_F(OptionsTest, TlsSettersFillTheTlsOptions) {
  EXPECT_EQ(tether_options_set_tls_verify_peer(options_.get(), 0), TETHER_OK);
  EXPECT_EQ(tether_options_set_tls_ca_file(options_.get(), "/ca.pem"), TETHER_OK);
  EXPECT_EQ(tether_options_set_tls_ca_path(options_.get(), "/certs"), TETHER_OK);
  EXPECT_EQ(tether_options_set_tls_client_certificate(options_.get(), "/c.pem", "/c.key"),
            TETHER_OK);
  EXPECT_EQ(tether_options_add_tls_pinned_public_key(options_.get(), "sha256//AAAA"), TETHER_OK);
  EXPECT_FALSE(cpp().tls.verify_peer);
  EXPECT_EQ(cpp().tls.ca_file, "/ca.pem");
  EXPECT_EQ(cpp().tls.ca_path, "/certs");
  EXPECT_EQ(cpp().tls.certificate_file, "/c.pem");
  EXPECT_EQ(cpp().tls.private_key_file, "/c.key");
  EXPECT_EQ(cpp().tls.pinned_public_keys, (std::vector<std::string>{"sha256//AAAA"}));
}

TEST_F(OptionsTest, NumericSettersFillTheirFields) {
  EXPECT_EQ(tether_options_set_connect_timeout_ms(options_.get(), 1500), TETHER_OK);
  EXPECT_EQ(tether_options_set_handshake_timeout_ms(options_.get(), 2500), TETHER_OK);
  EXPECT_EQ(tether_options_set_max_message_size(options_.get(), 4096), TETHER_OK);
  EXPECT_EQ(tether_options_set_max_queued_messages(options_.get(), 12), TETHER_OK);
  EXPECT_EQ(tether_options_set_max_queued_bytes(options_.get(), 3000), TETHER_OK);
  EXPECT_EQ(tether_options_set_ping_interval_ms(options_.get(), 0), TETHER_OK);
  EXPECT_EQ(tether_options_set_pong_timeout_ms(options_.get(), 700), TETHER_OK);
  EXPECT_EQ(tether_options_set_auth_max_attempts(options_.get(), 5), TETHER_OK);
  EXPECT_EQ(tether_options_set_allow_insecure_auth(options_.get(), 1), TETHER_OK);
  EXPECT_EQ(tether_options_set_subprotocol_required(options_.get(), 1), TETHER_OK);
  EXPECT_EQ(tether_options_set_use_proxy_environment(options_.get(), 0), TETHER_OK);
  EXPECT_EQ(cpp().connect_timeout, 1500ms);
  EXPECT_EQ(cpp().handshake_timeout, 2500ms);
  EXPECT_EQ(cpp().max_message_size, 4096u);
  EXPECT_EQ(cpp().max_queued_messages, 12u);
  EXPECT_EQ(cpp().max_queued_bytes, 3000u);
  EXPECT_EQ(cpp().ping_interval, 0ms);
  EXPECT_EQ(cpp().pong_timeout, 700ms);
  EXPECT_EQ(cpp().auth.max_attempts, 5);
  EXPECT_TRUE(cpp().auth.allow_insecure_auth);
  EXPECT_TRUE(cpp().subprotocol_required);
  EXPECT_FALSE(cpp().use_proxy_environment);
}

TEST_F(OptionsTest, TheReconnectSettersFillTheReconnectPolicy) {
  EXPECT_EQ(tether_options_set_reconnect(options_.get(), 1), TETHER_OK);
  EXPECT_EQ(tether_options_set_reconnect_initial_delay_ms(options_.get(), 250), TETHER_OK);
  EXPECT_EQ(tether_options_set_reconnect_max_delay_ms(options_.get(), 8000), TETHER_OK);
  EXPECT_EQ(tether_options_set_reconnect_max_attempts(options_.get(), 7), TETHER_OK);
  EXPECT_EQ(tether_options_set_reconnect_max_duration_ms(options_.get(), 60000), TETHER_OK);
  EXPECT_TRUE(cpp().reconnect.enabled);
  EXPECT_EQ(cpp().reconnect.initial_delay, 250ms);
  EXPECT_EQ(cpp().reconnect.max_delay, 8000ms);
  EXPECT_EQ(cpp().reconnect.max_attempts, 7u);
  EXPECT_EQ(cpp().reconnect.max_duration, 60000ms);
  // Zero is "no limit" for the attempts and the duration.
  EXPECT_EQ(tether_options_set_reconnect_max_attempts(options_.get(), 0), TETHER_OK);
  EXPECT_EQ(tether_options_set_reconnect_max_duration_ms(options_.get(), 0), TETHER_OK);
  EXPECT_EQ(cpp().reconnect.max_attempts, 0u);
  EXPECT_EQ(cpp().reconnect.max_duration, 0ms);
  EXPECT_EQ(tether_options_set_reconnect(options_.get(), 0), TETHER_OK);
  EXPECT_FALSE(cpp().reconnect.enabled);
}

TEST_F(OptionsTest, FallbackSettingsReachTheConnectOptions) {
  EXPECT_EQ(tether_options_set_fallback_race_delay_ms(options_.get(), 150), TETHER_OK);
  EXPECT_EQ(tether_options_set_fallback_probe_timeout_ms(options_.get(), 900), TETHER_OK);
  EXPECT_EQ(tether_options_set_fallback_remember_for_ms(options_.get(), 60000), TETHER_OK);
  EXPECT_EQ(cpp().fallback.race_delay, 150ms);
  EXPECT_EQ(cpp().fallback.probe_timeout, 900ms);
  EXPECT_EQ(cpp().fallback.remember_for, 60000ms);
  // Zero turns each off.
  EXPECT_EQ(tether_options_set_fallback_race_delay_ms(options_.get(), 0), TETHER_OK);
  EXPECT_EQ(tether_options_set_fallback_probe_timeout_ms(options_.get(), 0), TETHER_OK);
  EXPECT_EQ(tether_options_set_fallback_remember_for_ms(options_.get(), 0), TETHER_OK);
  EXPECT_EQ(cpp().fallback.race_delay, 0ms);
  EXPECT_EQ(cpp().fallback.probe_timeout, 0ms);
  EXPECT_EQ(cpp().fallback.remember_for, 0ms);
  EXPECT_EQ(tether_options_set_fallback_race_delay_ms(options_.get(), -1), TETHER_INVALID_ARGUMENT);
  EXPECT_NE(errmsg().find("zero or more"), std::string::npos) << errmsg();
  EXPECT_EQ(tether_options_set_fallback_probe_timeout_ms(options_.get(), -1),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_fallback_remember_for_ms(options_.get(), -1),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(cpp().fallback.remember_for, 0ms);
  EXPECT_TRUE(cpp().fallback.upgrade) << "on by default";
  EXPECT_EQ(tether_options_set_fallback_upgrade(options_.get(), 0), TETHER_OK);
  EXPECT_FALSE(cpp().fallback.upgrade);
  EXPECT_EQ(tether_options_set_fallback_upgrade(options_.get(), 1), TETHER_OK);
  EXPECT_TRUE(cpp().fallback.upgrade);
}

TEST_F(OptionsTest, AFallbackMemoryIsSharedByReferenceAndNullGivesTheProcessOne) {
  FallbackMemoryPtr memory{tether_fallback_memory_create()};
  ASSERT_EQ(tether_options_set_fallback_memory(options_.get(), memory.get()), TETHER_OK);
  const auto* given = cpp().fallback.memory.get();
  ASSERT_NE(given, nullptr);
  memory.reset();  // the options keep it
  EXPECT_EQ(cpp().fallback.memory.get(), given);
  ASSERT_EQ(tether_options_set_fallback_memory(options_.get(), nullptr), TETHER_OK);
  EXPECT_EQ(cpp().fallback.memory, nullptr);
}

TEST_F(OptionsTest, OutOfRangeReconnectSettingsAreRefusedAndChangeNothing) {
  EXPECT_EQ(tether_options_set_reconnect_initial_delay_ms(options_.get(), 0),
            TETHER_INVALID_ARGUMENT);
  EXPECT_NE(errmsg().find("greater than zero"), std::string::npos) << errmsg();
  EXPECT_EQ(tether_options_set_reconnect_max_delay_ms(options_.get(), -1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_reconnect_max_attempts(options_.get(), -1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(
      errmsg(),
      "tether_options_set_reconnect_max_attempts: -1 attempts must be zero (no limit) or more");
  EXPECT_EQ(tether_options_set_reconnect_max_duration_ms(options_.get(), -1),
            TETHER_INVALID_ARGUMENT);
  const ReconnectPolicy defaults;
  EXPECT_EQ(cpp().reconnect.initial_delay, defaults.initial_delay);
  EXPECT_EQ(cpp().reconnect.max_delay, defaults.max_delay);
  EXPECT_EQ(cpp().reconnect.max_attempts, defaults.max_attempts);
  EXPECT_EQ(cpp().reconnect.max_duration, defaults.max_duration);
}

TEST_F(OptionsTest, OutOfRangeValuesAreRefusedWithAMessageAndChangeNothing) {
  EXPECT_EQ(tether_options_set_connect_timeout_ms(options_.get(), 0), TETHER_INVALID_ARGUMENT);
  EXPECT_NE(errmsg().find("greater than zero"), std::string::npos) << errmsg();
  EXPECT_EQ(tether_options_set_handshake_timeout_ms(options_.get(), -5), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_pong_timeout_ms(options_.get(), 0), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_ping_interval_ms(options_.get(), -1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_max_message_size(options_.get(), 0), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_max_queued_messages(options_.get(), 0), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(errmsg(), "tether_options_set_max_queued_messages: the size must be greater than zero");
  EXPECT_EQ(tether_options_set_max_queued_bytes(options_.get(), 0), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_auth_max_attempts(options_.get(), 0), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_add_tls_pinned_public_key(options_.get(), ""), TETHER_INVALID_ARGUMENT);
  const ConnectOptions defaults;
  EXPECT_EQ(cpp().connect_timeout, defaults.connect_timeout);
  EXPECT_EQ(cpp().max_message_size, defaults.max_message_size);
  EXPECT_EQ(cpp().max_queued_messages, defaults.max_queued_messages);
  EXPECT_EQ(cpp().max_queued_bytes, defaults.max_queued_bytes);
  EXPECT_EQ(cpp().auth.max_attempts, defaults.auth.max_attempts);
  EXPECT_TRUE(cpp().tls.pinned_public_keys.empty());
}

TEST_F(OptionsTest, NullStringsAreRefusedWithTheArgumentNamed) {
  EXPECT_EQ(tether_options_set_url(options_.get(), nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(errmsg(), "url is NULL");
  EXPECT_EQ(tether_options_add_header(options_.get(), "X-A", nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(errmsg(), "value is NULL");
  EXPECT_EQ(tether_options_set_origin(options_.get(), nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_add_subprotocol(options_.get(), nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_tls_ca_file(options_.get(), nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_tls_ca_path(options_.get(), nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_tls_client_certificate(options_.get(), "/c.pem", nullptr),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_add_tls_pinned_public_key(options_.get(), nullptr),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_proxy(options_.get(), nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_TRUE(cpp().tls.certificate_file.empty());
  // A success clears the calling thread's message.
  EXPECT_EQ(tether_options_set_url(options_.get(), "ws://x/"), TETHER_OK);
  EXPECT_EQ(errmsg(), "");
}

TEST_F(OptionsTest, ANullHandleIsRefusedByEverySetterAndNeverCrashes) {
  tether_options* none = nullptr;
  EXPECT_EQ(tether_options_set_url(none, "ws://x/"), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_origin(none, ""), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_add_subprotocol(none, "a"), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_subprotocol_required(none, 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_add_header(none, "a", "b"), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_tls_verify_peer(none, 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_tls_ca_file(none, ""), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_tls_ca_path(none, ""), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_tls_client_certificate(none, "", ""), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_add_tls_pinned_public_key(none, "x"), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_proxy(none, ""), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_use_proxy_environment(none, 0), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_connect_timeout_ms(none, 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_handshake_timeout_ms(none, 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_max_message_size(none, 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_max_queued_messages(none, 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_max_queued_bytes(none, 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_ping_interval_ms(none, 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_pong_timeout_ms(none, 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_challenge_callback(none, nullptr, nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_auth_max_attempts(none, 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_allow_insecure_auth(none, 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_cookie_jar(none, nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_reconnect(none, 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_reconnect_initial_delay_ms(none, 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_reconnect_max_delay_ms(none, 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_reconnect_max_attempts(none, 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_reconnect_max_duration_ms(none, 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_fallback_race_delay_ms(none, 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_fallback_probe_timeout_ms(none, 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_fallback_remember_for_ms(none, 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_fallback_upgrade(none, 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_options_set_fallback_memory(none, nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_STREQ(tether_options_errmsg(none), "the tether_options is NULL");
  tether_options_free(none);
}

void ignore_challenge(tether_challenge* challenge, void*) { tether_challenge_cancel(challenge); }

TEST_F(OptionsTest, AChallengeCallbackInstallsAHandlerAndNullRemovesIt) {
  ASSERT_EQ(tether_options_set_challenge_callback(options_.get(), ignore_challenge, nullptr),
            TETHER_OK);
  EXPECT_NE(cpp().challenge_handler, nullptr);
  ASSERT_EQ(tether_options_set_challenge_callback(options_.get(), nullptr, nullptr), TETHER_OK);
  EXPECT_EQ(cpp().challenge_handler, nullptr);
}

TEST_F(OptionsTest, TheJarOutlivesTheApplicationsHandleWhileTheOptionsUseIt) {
  JarPtr jar{tether_cookie_jar_create()};
  ASSERT_EQ(tether_cookie_jar_add_from_string(jar.get(), "sid=abc", "wss://gw.example.com/"),
            TETHER_OK);
  ASSERT_EQ(tether_options_set_cookie_jar(options_.get(), jar.get()), TETHER_OK);
  jar.reset();
  ASSERT_NE(cpp().cookie_jar, nullptr);
  EXPECT_EQ(cpp().cookie_jar->cookie_header("wss://gw.example.com/echo"), "sid=abc");
  ASSERT_EQ(tether_options_set_cookie_jar(options_.get(), nullptr), TETHER_OK);
  EXPECT_EQ(cpp().cookie_jar, nullptr);
}

TEST_F(OptionsTest, TheTransportPolicyIsAutoUnlessSetAndRefusesOtherValues) {
  EXPECT_EQ(cpp().transport, TransportPolicy::Auto);
  ASSERT_EQ(tether_options_set_transport(options_.get(), TETHER_TRANSPORT_POLICY_EMULATED),
            TETHER_OK);
  EXPECT_EQ(cpp().transport, TransportPolicy::Emulated);
  ASSERT_EQ(tether_options_set_transport(options_.get(), TETHER_TRANSPORT_POLICY_NATIVE),
            TETHER_OK);
  EXPECT_EQ(cpp().transport, TransportPolicy::Native);
  EXPECT_EQ(tether_options_set_transport(options_.get(), static_cast<tether_transport_policy>(3)),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(errmsg(), "tether_options_set_transport: 3 is not a tether_transport_policy");
  EXPECT_EQ(tether_options_set_transport(options_.get(), static_cast<tether_transport_policy>(-1)),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(cpp().transport, TransportPolicy::Native);
  EXPECT_EQ(tether_options_set_transport(nullptr, TETHER_TRANSPORT_POLICY_AUTO),
            TETHER_INVALID_ARGUMENT);
}

TEST_F(OptionsTest, ErrorMessagesArePerThread) {
  ASSERT_EQ(tether_options_set_url(options_.get(), nullptr), TETHER_INVALID_ARGUMENT);
  std::string other_thread_message = "unset";
  std::thread([&] { other_thread_message = tether_options_errmsg(options_.get()); }).join();
  EXPECT_EQ(other_thread_message, "");
  EXPECT_EQ(errmsg(), "url is NULL");
}

}  // namespace
}  // namespace tether::c_test
