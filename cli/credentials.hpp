#pragma once
// Answering challenges with the credentials of tether-cat's command line (--user, --password,
// --token, --auth, --proxy-user, --proxy-password).

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "auth_failure.hpp"
#include "cli_options.hpp"
#include "tether/auth.hpp"

namespace tether::cat {

/// Reads an environment variable: getenv in tether-cat, a table in tests.
using EnvironmentLookup = std::function<std::optional<std::string>(const char* name)>;
/// Asks the user for a password without echoing it; nullopt when nobody can be asked.
using PasswordPrompt = std::function<std::optional<std::string>(const std::string& prompt)>;

/// Fills credentials.password when --user came without --password: from TETHER_PASSWORD, else
/// from the prompt. Returns why it cannot (no password anywhere), empty on success.
std::string complete_password(CredentialOptions& credentials, const EnvironmentLookup& environment,
                              const PasswordPrompt& prompt);

/// The handler for ConnectOptions::challenge_handler: the server's challenges are answered with
/// --user/--password (Digest, then Basic) and --token (Bearer), as far as --auth allows; the
/// proxy's (ChallengeRequest::for_proxy) with --proxy-user/--proxy-password (Digest, then
/// Basic). Null when no credentials were given. Every question to its providers is noted in
/// `seen`, for in_tether_cat_terms().
///
/// Thread-safety: the handler is safe to share between threads, as the SDK requires.
std::shared_ptr<auth::ChallengeHandler> make_challenge_handler(
    const CredentialOptions& credentials, const std::shared_ptr<ChallengesSeen>& seen);

}  // namespace tether::cat
