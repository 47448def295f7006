#pragma once
// tether-cat's command line: turns the arguments into the options of one session.

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "binary_format.hpp"
#include "exit_codes.hpp"
#include "tether/auth.hpp"
#include "tether/options.hpp"

namespace tether::cat {

class ChallengesSeen;

/// Which challenges --user and --token answer (--auth).
enum class AuthScheme { Any, Basic, Digest, Bearer };

/// The credentials given on the command line. The challenge handler is built from them once the
/// password is known (credentials.hpp): it may still come from TETHER_PASSWORD or a prompt.
struct CredentialOptions {
  std::optional<std::string> user;
  std::optional<tether::auth::Secret> password;
  std::optional<tether::auth::Secret> token;
  AuthScheme scheme = AuthScheme::Any;
  std::optional<std::string> proxy_user;
  std::optional<tether::auth::Secret> proxy_password;
};

/// The cookie options: a jar file kept across runs, cookies to send, and a login form to post
/// before connecting (connection_setup.hpp).
struct CookieOptions {
  /// Loaded before connecting and saved afterwards, session cookies included.
  std::string jar_file;
  /// "name=value" cookies for the URL's host.
  std::vector<std::string> cookies;
  /// POSTed before connecting, with login_data as an application/x-www-form-urlencoded body.
  std::string login_url;
  std::string login_data;
};

/// Everything one run of tether-cat needs: the SDK's connect options, what to send, when to stop
/// and how to print.
struct CatOptions {
  /// Also holds --insecure-auth and --max-auth-attempts (connect.auth). The challenge handler
  /// and the cookie jar are set by prepare_connection() from `credentials` and `cookies`.
  tether::ConnectOptions connect;
  /// What the challenge handler's providers were asked, set by prepare_connection() with the
  /// handler: it explains an authentication failure in tether-cat's terms (auth_failure.hpp).
  std::shared_ptr<ChallengesSeen> challenges_seen;
  CredentialOptions credentials;
  CookieOptions cookies;
  /// --fallback-memory: the gateways whose native transport failed lately, loaded before
  /// connecting into options.connect.fallback.memory and saved afterwards.
  std::string fallback_memory_file;
  /// Sent in order once open; "-" (stdin_marker) stands for the lines of stdin at that point.
  /// Without any --send this is {"-"}: stdin is read.
  std::vector<std::string> sends;
  /// Close with 1000 after this many received messages. When set, the linger does not apply.
  std::optional<std::size_t> count;
  /// Once everything was sent, close with 1000 after this long without a message either way.
  std::chrono::milliseconds linger{1000};
  BinaryFormat binary_format = BinaryFormat::Base64;
  /// Write one JSON object per event on stderr.
  bool print_events = false;
  /// Print no human error lines and silence the SDK's log.
  bool quiet = false;
};

/// The verdict on a command line: options for a session, or an exit (--help, --version, a usage
/// error) with the text to print first.
struct ParsedCommandLine {
  std::optional<CatOptions> options;
  ExitCode exit_code = ExitCode::Ok;
  std::string standard_output;
  std::string standard_error;
};

/// Parses the arguments that follow the program name. Never throws for bad input: a usage error
/// comes back as exit_code UsageError with its explanation in standard_error.
ParsedCommandLine parse_command_line(const std::vector<std::string>& arguments);

/// "Name: value" as a header; nothing when there is no ':' or the name is empty or has spaces.
/// Spaces around the value are dropped.
std::optional<std::pair<std::string, std::string>> parse_header(std::string_view line);

}  // namespace tether::cat
