#include "cli_options.hpp"

#include <CLI/CLI.hpp>
#include <cstdint>
#include <map>
#include <sstream>

#include "outgoing_messages.hpp"
#include "tether/version.hpp"

namespace tether::cat {
namespace {

constexpr const char* description =
    "Connects to a WebSocket gateway, prints each message received on stdout (one per line) and "
    "sends each line of stdin as a text message.\n"
    "Once everything was sent (the --send texts and, when read, stdin up to end of file), "
    "tether-cat closes with 1000 after --linger ms without a message either way; with --count it "
    "closes right after the Nth message received instead. SIGINT and SIGTERM close with 1000 and "
    "exit 0.";

/// A usage error as tether-cat prints it, whoever found it.
std::string usage_error_text(std::string_view problem) {
  return "tether-cat: " + std::string(problem) + "\nRun 'tether-cat --help' for the options.\n";
}

std::string version_text() {
  return std::string{"tether-cat "} + TETHER_VERSION_STRING + " (libtether " + tether::version() +
         ")";
}

std::string_view trim_spaces(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

CLI::Validator header_validator() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        return parse_header(value) ? "" : "expected 'Name: value', got '" + value + "'";
      },
      "");
}

void add_credential_options(CLI::App& app, CatOptions& options) {
  auto& credentials = options.credentials;
  auto& rules = options.connect.auth;
  const auto secret_into = [](std::optional<tether::auth::Secret>& secret) {
    return [&secret](const std::string& value) { secret = tether::auth::Secret(value); };
  };

  auto* user =
      app.add_option_function<std::string>(
             "--user", [&credentials](const std::string& name) { credentials.user = name; },
             "User name for Basic and Digest challenges")
          ->type_name("NAME");
  app.add_option_function<std::string>(
         "--password", secret_into(credentials.password),
         "Password of --user; else TETHER_PASSWORD, else a prompt when stdin is a terminal")
      ->type_name("PW")
      ->needs(user);
  app.add_option_function<std::string>("--token", secret_into(credentials.token),
                                       "Bearer token for Bearer challenges")
      ->type_name("TOKEN");
  const std::map<std::string, AuthScheme> schemes{{"any", AuthScheme::Any},
                                                  {"basic", AuthScheme::Basic},
                                                  {"digest", AuthScheme::Digest},
                                                  {"bearer", AuthScheme::Bearer}};
  app.add_option("--auth", credentials.scheme,
                 "Answer only this scheme: basic, digest, bearer, or any (default) that the "
                 "credentials given allow")
      ->type_name("SCHEME")
      ->transform(CLI::CheckedTransformer(schemes, CLI::ignore_case).description(""));
  auto* proxy_user =
      app.add_option_function<std::string>(
             "--proxy-user",
             [&credentials](const std::string& name) { credentials.proxy_user = name; },
             "User name for the proxy's Basic and Digest challenges (407)")
          ->type_name("NAME");
  app.add_option_function<std::string>("--proxy-password", secret_into(credentials.proxy_password),
                                       "Password of --proxy-user (default: empty)")
      ->type_name("PW")
      ->needs(proxy_user);
  app.add_flag("--insecure-auth", rules.allow_insecure_auth,
               "Answer challenges from ws:// servers too, sending credentials in clear text");
  app.add_option("--max-auth-attempts", rules.max_attempts,
                 "Challenges answered per connection attempt before giving up (default 3)")
      ->type_name("N")
      ->check(CLI::PositiveNumber);
}

void add_cookie_options(CLI::App& app, CookieOptions& cookies) {
  app.add_option("--cookie-jar", cookies.jar_file,
                 "Cookie file (curl's format) loaded before connecting and saved after, session "
                 "cookies included")
      ->type_name("FILE");
  app.add_option("--cookie", cookies.cookies, "Send this cookie to the URL's host (repeatable)")
      ->type_name("'NAME=VALUE'")
      ->allow_extra_args(false);
  auto* login = app.add_option("--login", cookies.login_url,
                               "Before connecting, POST --login-data to this http(s) URL, with the "
                               "same TLS options, credentials and cookies")
                    ->type_name("URL");
  app.add_option("--login-data", cookies.login_data,
                 "The form sent to --login, e.g. 'user=alice&password=secret'")
      ->type_name("'K=V&...'")
      ->needs(login);
}

void add_reconnect_options(CLI::App& app, tether::ReconnectPolicy& reconnect) {
  using Milliseconds = std::int64_t;
  const auto milliseconds_into = [](std::chrono::milliseconds& field) {
    return [&field](const Milliseconds& value) { field = std::chrono::milliseconds{value}; };
  };
  auto* enabled = app.add_flag("--reconnect", reconnect.enabled,
                               "Bring a dropped connection back by itself, resuming the session "
                               "where the gateway supports it; stdin lines wait meanwhile");
  app.add_option_function<Milliseconds>("--reconnect-initial-delay",
                                        milliseconds_into(reconnect.initial_delay),
                                        "Backoff before the first attempt: a random delay up to "
                                        "MS, doubling each attempt (default 500)")
      ->type_name("MS")
      ->check(CLI::PositiveNumber)
      ->needs(enabled);
  app.add_option_function<Milliseconds>("--reconnect-max-delay",
                                        milliseconds_into(reconnect.max_delay),
                                        "The most the backoff grows to (default 30000)")
      ->type_name("MS")
      ->check(CLI::PositiveNumber)
      ->needs(enabled);
  app.add_option("--reconnect-max-attempts", reconnect.max_attempts,
                 "Give up after N failed attempts; 0 (default) for no limit")
      ->type_name("N")
      ->check(CLI::NonNegativeNumber)
      ->needs(enabled);
  app.add_option_function<Milliseconds>("--reconnect-max-duration",
                                        milliseconds_into(reconnect.max_duration),
                                        "Give up MS after the drop; 0 for no limit (default "
                                        "300000)")
      ->type_name("MS")
      ->check(CLI::NonNegativeNumber)
      ->needs(enabled);
}

void add_fallback_options(CLI::App& app, CatOptions& options) {
  using Milliseconds = std::int64_t;
  const auto milliseconds_into = [](std::chrono::milliseconds& field) {
    return [&field](const Milliseconds& value) { field = std::chrono::milliseconds{value}; };
  };
  auto& fallback = options.connect.fallback;
  app.add_option_function<Milliseconds>("--race-delay", milliseconds_into(fallback.race_delay),
                                        "auto: start the HTTP emulation beside a WebSocket "
                                        "upgrade unanswered this long; 0: no race (default 300)")
      ->type_name("MS")
      ->check(CLI::NonNegativeNumber);
  app.add_option_function<Milliseconds>("--probe-timeout",
                                        milliseconds_into(fallback.probe_timeout),
                                        "auto: an open WebSocket must answer a ping this soon, "
                                        "else fall back; 0: no probe (default 2000)")
      ->type_name("MS")
      ->check(CLI::NonNegativeNumber);
  app.add_option_function<Milliseconds>("--remember-for", milliseconds_into(fallback.remember_for),
                                        "auto: go straight to the HTTP emulation this long after "
                                        "a fallback to the same gateway; 0: never (default "
                                        "600000)")
      ->type_name("MS")
      ->check(CLI::NonNegativeNumber);
  app.add_flag_callback(
      "--no-upgrade", [&fallback] { fallback.upgrade = false; },
      "auto: stay on the HTTP emulation once there, rather than move a resumable connection to "
      "the WebSocket when a background probe gets through");
  app.add_option("--fallback-memory", options.fallback_memory_file,
                 "Remember fallbacks in FILE across runs (loaded before connecting, saved after)")
      ->type_name("FILE");
}

/// Credentials that --auth cannot use are a mistake worth stopping for, not something to ignore.
std::string check_credentials(const CredentialOptions& credentials) {
  switch (credentials.scheme) {
    case AuthScheme::Basic:
    case AuthScheme::Digest:
      return credentials.user ? "" : "--auth basic and --auth digest need --user";
    case AuthScheme::Bearer:
      return credentials.token ? "" : "--auth bearer needs --token";
    case AuthScheme::Any:
      return "";
  }
  return "";
}

void add_options(CLI::App& app, CatOptions& options, std::vector<std::string>& headers) {
  auto& connect = options.connect;
  auto& tls = connect.tls;
  using Milliseconds = std::int64_t;

  app.add_option("url", connect.url, "ws:// or wss:// URL of the gateway")
      ->type_name("URL")
      ->required();

  app.add_option("--send", options.sends,
                 "Send TEXT once open (repeatable, in order). '-' stands for the lines of stdin, "
                 "which are read only when no --send is given or one is '-'")
      ->type_name("TEXT")
      ->allow_extra_args(false);
  app.add_option_function<std::size_t>(
         "--count", [&options](const std::size_t& count) { options.count = count; },
         "Close with 1000 and exit 0 after N messages received")
      ->type_name("N")
      ->check(CLI::PositiveNumber);
  app.add_option_function<Milliseconds>(
         "--linger",
         [&options](const Milliseconds& linger) {
           options.linger = std::chrono::milliseconds{linger};
         },
         "Once everything was sent, close after MS without a message (default 1000)")
      ->type_name("MS")
      ->check(CLI::NonNegativeNumber);
  const std::map<std::string, BinaryFormat> binary_formats{
      {"base64", BinaryFormat::Base64}, {"hex", BinaryFormat::Hex}, {"raw", BinaryFormat::Raw}};
  app.add_option("--binary-as", options.binary_format,
                 "How binary messages are printed: base64 (default), hex or raw")
      ->type_name("FORMAT")
      ->transform(CLI::CheckedTransformer(binary_formats, CLI::ignore_case).description(""));

  app.add_option("--ca-file", tls.ca_file, "PEM file of CA certificates to trust")
      ->type_name("FILE");
  app.add_option("--ca-path", tls.ca_path, "Directory of hashed CA certificates to trust")
      ->type_name("DIR");
  app.add_option("--cert", tls.certificate_file, "PEM client certificate")->type_name("FILE");
  app.add_option("--key", tls.private_key_file, "PEM private key of --cert")->type_name("FILE");
  app.add_option("--pin", tls.pinned_public_keys,
                 "Accept only a chain with this public key: base64 SHA-256 of the SPKI, "
                 "optionally prefixed 'sha256//' (repeatable)")
      ->type_name("SHA256")
      ->allow_extra_args(false);
  app.add_flag_callback(
      "--insecure", [&tls] { tls.verify_peer = false; },
      "Do not verify the server's certificate chain and host name (pins still apply)");

  app.add_option("--origin", connect.origin, "Origin header to send")->type_name("ORIGIN");
  app.add_option("--protocol", connect.subprotocols,
                 "Offer this subprotocol (repeatable, in order of preference)")
      ->type_name("P")
      ->allow_extra_args(false);
  app.add_flag("--require-protocol", connect.subprotocol_required,
               "Fail unless the server selects one of the offered subprotocols");
  app.add_option("--header", headers, "Extra handshake header (repeatable)")
      ->type_name("'NAME: VALUE'")
      ->allow_extra_args(false)
      ->check(header_validator());
  app.add_option("--proxy", connect.proxy, "HTTP CONNECT proxy, http://host:port")
      ->type_name("URL");
  app.add_flag_callback(
      "--no-proxy-env", [&connect] { connect.use_proxy_environment = false; },
      "Ignore https_proxy, http_proxy and no_proxy");
  const std::map<std::string, tether::TransportPolicy> transports{
      {"auto", tether::TransportPolicy::Auto},
      {"native", tether::TransportPolicy::Native},
      {"emulated", tether::TransportPolicy::Emulated}};
  app.add_option("--transport", connect.transport,
                 "auto (default): WebSocket, else the HTTP emulation of WebSocket when a proxy or "
                 "firewall breaks the handshake; native or emulated: that one only")
      ->type_name("MODE")
      ->transform(CLI::CheckedTransformer(transports, CLI::ignore_case).description(""));

  app.add_option_function<Milliseconds>(
         "--timeout",
         [&connect](const Milliseconds& timeout) {
           connect.connect_timeout = std::chrono::milliseconds{timeout};
           connect.handshake_timeout = std::chrono::milliseconds{timeout};
         },
         "Limit for the TCP connection and, separately, for the TLS and WebSocket handshake "
         "(default 10000)")
      ->type_name("MS")
      ->check(CLI::PositiveNumber);
  app.add_option("--max-message-size", connect.max_message_size,
                 "Largest message accepted, in bytes (default 16 MiB)")
      ->type_name("N")
      ->check(CLI::PositiveNumber);
  app.add_option("--max-queued-messages", connect.max_queued_messages,
                 "Messages queued for sending (with --reconnect: until the gateway acknowledges "
                 "them) before a stdin line waits for room (default 65536)")
      ->type_name("N")
      ->check(CLI::PositiveNumber);
  app.add_option_function<Milliseconds>(
         "--ping-interval",
         [&connect](const Milliseconds& interval) {
           connect.ping_interval = std::chrono::milliseconds{interval};
         },
         "Send a ping this often; 0 (default) sends none")
      ->type_name("MS")
      ->check(CLI::NonNegativeNumber);

  add_reconnect_options(app, connect.reconnect);
  add_fallback_options(app, options);
  add_credential_options(app, options);
  add_cookie_options(app, options.cookies);

  app.add_flag("--events", options.print_events,
               "Write one JSON object per state change, error, revalidation, reconnect and close "
               "on stderr");
  app.add_flag("--quiet", options.quiet, "Print no error lines (--events still applies)");
  app.set_version_flag("--version", version_text());
}

}  // namespace

std::optional<std::pair<std::string, std::string>> parse_header(std::string_view line) {
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const auto name = line.substr(0, colon);
  if (name.empty() || name.find_first_of(" \t") != std::string_view::npos) return std::nullopt;
  return std::pair{std::string{name}, std::string{trim_spaces(line.substr(colon + 1))}};
}

ParsedCommandLine parse_command_line(const std::vector<std::string>& arguments) {
  CatOptions options;
  std::vector<std::string> headers;
  CLI::App app{description, "tether-cat"};
  app.footer(exit_codes_help());
  app.failure_message(
      [](const CLI::App*, const CLI::Error& error) { return usage_error_text(error.what()); });
  add_options(app, options, headers);

  // CLI11 wants argv, program name first, and reports everything through exceptions.
  std::vector<const char*> argv{"tether-cat"};
  for (const auto& argument : arguments) argv.push_back(argument.c_str());
  ParsedCommandLine parsed;
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& error) {
    std::ostringstream out;
    std::ostringstream err;
    const bool failed = app.exit(error, out, err) != 0;
    parsed.exit_code = failed ? ExitCode::UsageError : ExitCode::Ok;
    parsed.standard_output = out.str();
    parsed.standard_error = err.str();
    return parsed;
  }

  if (const auto problem = check_credentials(options.credentials); !problem.empty()) {
    parsed.exit_code = ExitCode::UsageError;
    parsed.standard_error = usage_error_text(problem);
    return parsed;
  }
  for (const auto& header : headers) options.connect.headers.push_back(*parse_header(header));
  if (options.sends.empty()) options.sends.push_back(stdin_marker);
  parsed.options = std::move(options);
  return parsed;
}

}  // namespace tether::cat
