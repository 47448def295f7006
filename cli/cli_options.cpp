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
  app.add_option_function<Milliseconds>(
         "--ping-interval",
         [&connect](const Milliseconds& interval) {
           connect.ping_interval = std::chrono::milliseconds{interval};
         },
         "Send a ping this often; 0 (default) sends none")
      ->type_name("MS")
      ->check(CLI::NonNegativeNumber);

  app.add_flag("--events", options.print_events,
               "Write one JSON object per state change, error and close on stderr");
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
  app.failure_message([](const CLI::App*, const CLI::Error& error) {
    return std::string{"tether-cat: "} + error.what() +
           "\nRun 'tether-cat --help' for the options.\n";
  });
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

  for (const auto& header : headers) options.connect.headers.push_back(*parse_header(header));
  if (options.sends.empty()) options.sends.push_back(stdin_marker);
  parsed.options = std::move(options);
  return parsed;
}

}  // namespace tether::cat
