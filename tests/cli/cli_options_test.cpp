#include "cli_options.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace tether::cat {
namespace {

using namespace std::chrono_literals;

constexpr const char* url = "wss://localhost:8443/echo";

CatOptions parse_valid(const std::vector<std::string>& arguments) {
  const auto parsed = parse_command_line(arguments);
  EXPECT_TRUE(parsed.options) << parsed.standard_error;
  return parsed.options.value_or(CatOptions{});
}

ParsedCommandLine parse_invalid(const std::vector<std::string>& arguments) {
  auto parsed = parse_command_line(arguments);
  EXPECT_FALSE(parsed.options);
  EXPECT_EQ(parsed.exit_code, ExitCode::UsageError);
  return parsed;
}

TEST(CliOptions, TheUrlIsTheOnlyRequiredArgument) {
  const auto options = parse_valid({url});
  EXPECT_EQ(options.connect.url, url);
}

TEST(CliOptions, DefaultsKeepTheSdkDefaultsAndReadStdin) {
  const auto options = parse_valid({url});
  const tether::ConnectOptions sdk_defaults;
  EXPECT_TRUE(options.connect.tls.verify_peer);
  EXPECT_TRUE(options.connect.use_proxy_environment);
  EXPECT_EQ(options.connect.connect_timeout, sdk_defaults.connect_timeout);
  EXPECT_EQ(options.connect.handshake_timeout, sdk_defaults.handshake_timeout);
  EXPECT_EQ(options.connect.max_message_size, sdk_defaults.max_message_size);
  EXPECT_EQ(options.connect.ping_interval, sdk_defaults.ping_interval);
  EXPECT_EQ(options.connect.transport, sdk_defaults.transport);
  EXPECT_EQ(options.sends, std::vector<std::string>{"-"});
  EXPECT_FALSE(options.count);
  EXPECT_EQ(options.linger, 1000ms);
  EXPECT_EQ(options.binary_format, BinaryFormat::Base64);
  EXPECT_FALSE(options.print_events);
  EXPECT_FALSE(options.quiet);
}

TEST(CliOptions, MissingUrlIsAUsageError) {
  const auto parsed = parse_invalid({});
  EXPECT_NE(parsed.standard_error.find("tether-cat: "), std::string::npos);
}

TEST(CliOptions, UnknownOptionIsAUsageError) {
  const auto parsed = parse_invalid({"--no-such-option", url});
  EXPECT_NE(parsed.standard_error.find("--no-such-option"), std::string::npos);
}

TEST(CliOptions, TlsOptionsFillTlsOptions) {
  const auto options =
      parse_valid({"--ca-file", "ca.pem", "--ca-path", "cas", "--cert", "client.pem", "--key",
                   "client.key", "--pin", "sha256//AAAA", "--pin", "BBBB", url});
  EXPECT_EQ(options.connect.tls.ca_file, "ca.pem");
  EXPECT_EQ(options.connect.tls.ca_path, "cas");
  EXPECT_EQ(options.connect.tls.certificate_file, "client.pem");
  EXPECT_EQ(options.connect.tls.private_key_file, "client.key");
  EXPECT_EQ(options.connect.tls.pinned_public_keys,
            (std::vector<std::string>{"sha256//AAAA", "BBBB"}));
  EXPECT_TRUE(options.connect.tls.verify_peer);
}

TEST(CliOptions, InsecureTurnsOffPeerVerification) {
  EXPECT_FALSE(parse_valid({"--insecure", url}).connect.tls.verify_peer);
}

TEST(CliOptions, HandshakeOptionsFillConnectOptions) {
  const auto options = parse_valid({"--origin", "https://app.example", "--protocol", "chat.v2",
                                    "--protocol", "chat.v1", "--require-protocol", url});
  EXPECT_EQ(options.connect.origin, "https://app.example");
  EXPECT_EQ(options.connect.subprotocols, (std::vector<std::string>{"chat.v2", "chat.v1"}));
  EXPECT_TRUE(options.connect.subprotocol_required);
}

TEST(CliOptions, HeadersAreSplitAtTheFirstColonAndTrimmed) {
  const auto options =
      parse_valid({"--header", "X-Tenant: blue", "--header", "X-Time:12:30 ", url});
  const std::vector<std::pair<std::string, std::string>> expected{{"X-Tenant", "blue"},
                                                                  {"X-Time", "12:30"}};
  EXPECT_EQ(options.connect.headers, expected);
}

TEST(CliOptions, MalformedHeaderIsAUsageError) {
  parse_invalid({"--header", "no colon here", url});
  parse_invalid({"--header", ": empty name", url});
  parse_invalid({"--header", "Two Words: value", url});
}

TEST(CliOptions, ProxyOptionsFillConnectOptions) {
  const auto options = parse_valid({"--proxy", "http://proxy:3128", "--no-proxy-env", url});
  EXPECT_EQ(options.connect.proxy, "http://proxy:3128");
  EXPECT_FALSE(options.connect.use_proxy_environment);
}

TEST(CliOptions, TimeoutSetsBothConnectAndHandshakeTimeouts) {
  const auto options = parse_valid({"--timeout", "2500", url});
  EXPECT_EQ(options.connect.connect_timeout, 2500ms);
  EXPECT_EQ(options.connect.handshake_timeout, 2500ms);
}

TEST(CliOptions, NonPositiveTimeoutIsAUsageError) {
  parse_invalid({"--timeout", "0", url});
  parse_invalid({"--timeout", "soon", url});
}

TEST(CliOptions, SizeAndPingOptionsFillConnectOptions) {
  const auto options = parse_valid({"--max-message-size", "1024", "--ping-interval", "500", url});
  EXPECT_EQ(options.connect.max_message_size, 1024u);
  EXPECT_EQ(options.connect.ping_interval, 500ms);
}

TEST(CliOptions, ReconnectIsOffUnlessAsked) {
  EXPECT_FALSE(parse_valid({url}).connect.reconnect.enabled);
  EXPECT_TRUE(parse_valid({"--reconnect", url}).connect.reconnect.enabled);
}

TEST(CliOptions, ReconnectOptionsFillTheReconnectPolicy) {
  const auto options =
      parse_valid({"--reconnect", "--reconnect-initial-delay", "200", "--reconnect-max-delay",
                   "5000", "--reconnect-max-attempts", "4", "--reconnect-max-duration", "0", url});
  const auto& reconnect = options.connect.reconnect;
  EXPECT_EQ(reconnect.initial_delay, 200ms);
  EXPECT_EQ(reconnect.max_delay, 5000ms);
  EXPECT_EQ(reconnect.max_attempts, 4u);
  EXPECT_EQ(reconnect.max_duration, 0ms);
}

TEST(CliOptions, AReconnectSettingWithoutReconnectIsAUsageError) {
  const auto parsed = parse_invalid({"--reconnect-max-attempts", "3", url});
  EXPECT_NE(parsed.standard_error.find("--reconnect"), std::string::npos) << parsed.standard_error;
}

TEST(CliOptions, AZeroReconnectDelayIsAUsageError) {
  parse_invalid({"--reconnect", "--reconnect-initial-delay", "0", url});
  parse_invalid({"--reconnect", "--reconnect-max-delay", "0", url});
}

TEST(CliOptions, TransportIsAutoUnlessNamed) {
  EXPECT_EQ(parse_valid({url}).connect.transport, tether::TransportPolicy::Auto);
  EXPECT_EQ(parse_valid({"--transport", "auto", url}).connect.transport,
            tether::TransportPolicy::Auto);
  EXPECT_EQ(parse_valid({"--transport", "native", url}).connect.transport,
            tether::TransportPolicy::Native);
  EXPECT_EQ(parse_valid({"--transport", "emulated", url}).connect.transport,
            tether::TransportPolicy::Emulated);
}

TEST(CliOptions, TransportNamesAreCaseInsensitive) {
  EXPECT_EQ(parse_valid({"--transport", "Emulated", url}).connect.transport,
            tether::TransportPolicy::Emulated);
}

TEST(CliOptions, AnUnknownTransportIsAUsageError) {
  const auto parsed = parse_invalid({"--transport", "polling", url});
  EXPECT_NE(parsed.standard_error.find("--transport"), std::string::npos) << parsed.standard_error;
  parse_invalid({"--transport", url});
  parse_invalid({"--transport", "native", "--transport", "emulated", url});
}

TEST(CliOptions, SendsKeepTheirOrderAndStopStdinBeingRead) {
  const auto options = parse_valid({"--send", "one", "--send", "two", url});
  EXPECT_EQ(options.sends, (std::vector<std::string>{"one", "two"}));
}

TEST(CliOptions, ADashSendStandsForStdin) {
  const auto options = parse_valid({"--send", "first", "--send", "-", url});
  EXPECT_EQ(options.sends, (std::vector<std::string>{"first", "-"}));
}

TEST(CliOptions, CountAndLingerDecideWhenToClose) {
  const auto options = parse_valid({"--count", "3", "--linger", "0", url});
  EXPECT_EQ(options.count, 3u);
  EXPECT_EQ(options.linger, 0ms);
}

TEST(CliOptions, ZeroCountIsAUsageError) { parse_invalid({"--count", "0", url}); }

TEST(CliOptions, BinaryAsChoosesTheBinaryFormat) {
  EXPECT_EQ(parse_valid({"--binary-as", "hex", url}).binary_format, BinaryFormat::Hex);
  EXPECT_EQ(parse_valid({"--binary-as", "raw", url}).binary_format, BinaryFormat::Raw);
  EXPECT_EQ(parse_valid({"--binary-as", "base64", url}).binary_format, BinaryFormat::Base64);
  parse_invalid({"--binary-as", "octal", url});
}

TEST(CliOptions, OutputFlagsAreRecorded) {
  const auto options = parse_valid({"--events", "--quiet", url});
  EXPECT_TRUE(options.print_events);
  EXPECT_TRUE(options.quiet);
}

TEST(CliOptions, RepeatingASingleValueOptionIsAUsageError) {
  parse_invalid({"--origin", "a", "--origin", "b", url});
}

TEST(CliOptions, CredentialOptionsFillCredentialOptions) {
  const auto options =
      parse_valid({"--user", "alice", "--password", "secret", "--token", "t0k3n", "--auth",
                   "digest", "--proxy-user", "pat", "--proxy-password", "proxy-secret", url});
  const auto& credentials = options.credentials;
  EXPECT_EQ(credentials.user, "alice");
  EXPECT_EQ(credentials.password->value(), "secret");
  EXPECT_EQ(credentials.token->value(), "t0k3n");
  EXPECT_EQ(credentials.scheme, AuthScheme::Digest);
  EXPECT_EQ(credentials.proxy_user, "pat");
  EXPECT_EQ(credentials.proxy_password->value(), "proxy-secret");
}

TEST(CliOptions, WithoutCredentialOptionsThereAreNoCredentials) {
  const auto options = parse_valid({url});
  EXPECT_FALSE(options.credentials.user);
  EXPECT_FALSE(options.credentials.password);
  EXPECT_FALSE(options.credentials.token);
  EXPECT_EQ(options.credentials.scheme, AuthScheme::Any);
  EXPECT_FALSE(options.connect.challenge_handler);
  EXPECT_FALSE(options.connect.cookie_jar);
}

TEST(CliOptions, AuthSchemeNamesAreCaseInsensitive) {
  EXPECT_EQ(parse_valid({"--auth", "BASIC", "--user", "a", url}).credentials.scheme,
            AuthScheme::Basic);
  EXPECT_EQ(parse_valid({"--auth", "bearer", "--token", "t", url}).credentials.scheme,
            AuthScheme::Bearer);
  EXPECT_EQ(parse_valid({"--auth", "any", url}).credentials.scheme, AuthScheme::Any);
  parse_invalid({"--auth", "ntlm", url});
}

TEST(CliOptions, ASchemeWithoutItsCredentialsIsAUsageError) {
  parse_invalid({"--auth", "basic", url});
  parse_invalid({"--auth", "digest", "--token", "t", url});
  parse_invalid({"--auth", "bearer", "--user", "alice", url});
}

TEST(CliOptions, APasswordWithoutItsUserIsAUsageError) {
  parse_invalid({"--password", "secret", url});
  parse_invalid({"--proxy-password", "secret", url});
}

TEST(CliOptions, AUsageErrorNeverQuotesThePassword) {
  const auto parsed = parse_invalid({"--password", "hunter2", url});
  EXPECT_EQ(parsed.standard_error.find("hunter2"), std::string::npos) << parsed.standard_error;
}

TEST(CliOptions, InsecureAuthAndMaxAuthAttemptsFillAuthOptions) {
  const auto options = parse_valid({"--insecure-auth", "--max-auth-attempts", "5", url});
  EXPECT_TRUE(options.connect.auth.allow_insecure_auth);
  EXPECT_EQ(options.connect.auth.max_attempts, 5);
  const auto defaults = parse_valid({url});
  EXPECT_FALSE(defaults.connect.auth.allow_insecure_auth);
  EXPECT_EQ(defaults.connect.auth.max_attempts, tether::auth::AuthOptions{}.max_attempts);
  parse_invalid({"--max-auth-attempts", "0", url});
}

TEST(CliOptions, CookieOptionsFillCookieOptions) {
  const auto options =
      parse_valid({"--cookie-jar", "jar.txt", "--cookie", "a=1", "--cookie", "b=2", "--login",
                   "https://sso.example/login", "--login-data", "user=alice&password=x", url});
  EXPECT_EQ(options.cookies.jar_file, "jar.txt");
  EXPECT_EQ(options.cookies.cookies, (std::vector<std::string>{"a=1", "b=2"}));
  EXPECT_EQ(options.cookies.login_url, "https://sso.example/login");
  EXPECT_EQ(options.cookies.login_data, "user=alice&password=x");
}

TEST(CliOptions, FallbackOptionsFillFallbackOptions) {
  const auto options =
      parse_valid({"--race-delay", "0", "--probe-timeout", "750", "--remember-for", "60000",
                   "--no-upgrade", "--fallback-memory", "fallback.txt", url});
  EXPECT_EQ(options.connect.fallback.race_delay, std::chrono::milliseconds(0));
  EXPECT_EQ(options.connect.fallback.probe_timeout, std::chrono::milliseconds(750));
  EXPECT_EQ(options.connect.fallback.remember_for, std::chrono::milliseconds(60000));
  EXPECT_EQ(options.fallback_memory_file, "fallback.txt");
  EXPECT_FALSE(options.connect.fallback.upgrade);
  const auto defaults = parse_valid({url});
  EXPECT_TRUE(defaults.connect.fallback.upgrade);
  EXPECT_EQ(defaults.connect.fallback.remember_for, tether::FallbackOptions{}.remember_for);
  EXPECT_EQ(defaults.fallback_memory_file, "");
  parse_invalid({"--remember-for", "-1", url});
  parse_invalid({"--race-delay", "-5", url});
}

TEST(CliOptions, LoginDataWithoutLoginIsAUsageError) {
  parse_invalid({"--login-data", "user=alice", url});
}

TEST(CliOptions, HelpExitsZeroWithUsageAndExitCodes) {
  const auto parsed = parse_command_line({"--help"});
  EXPECT_FALSE(parsed.options);
  EXPECT_EQ(parsed.exit_code, ExitCode::Ok);
  EXPECT_NE(parsed.standard_output.find("--ca-file"), std::string::npos);
  EXPECT_NE(parsed.standard_output.find("Exit status"), std::string::npos);
}

TEST(CliOptions, VersionExitsZeroWithTheVersion) {
  const auto parsed = parse_command_line({"--version"});
  EXPECT_FALSE(parsed.options);
  EXPECT_EQ(parsed.exit_code, ExitCode::Ok);
  EXPECT_EQ(parsed.standard_output.rfind("tether-cat ", 0), 0u);
}

}  // namespace
}  // namespace tether::cat
