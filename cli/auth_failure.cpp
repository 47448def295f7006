#include "auth_failure.hpp"

namespace tether::cat {
namespace {

bool is_plain_websocket(const std::string& url) {
  return url.size() >= 5 && (url[0] == 'w' || url[0] == 'W') && (url[1] == 's' || url[1] == 'S') &&
         url.compare(2, 3, "://") == 0;
}

/// The flags that gave the server's credentials: "--user", "--token" or "--user/--token".
std::string server_credential_flags(const CredentialOptions& credentials) {
  if (credentials.user && credentials.token) return "--user/--token";
  return credentials.user ? "--user" : "--token";
}

/// Whether the credentials of a side were sent and refused: a provider asked again after an
/// answer, or asked for the last attempt allowed (after which the SDK gives up unasked).
bool was_refused(const ChallengesSeen::Side& side, int max_attempts) {
  return side.last_attempt > 1 || (side.last_attempt > 0 && side.last_attempt >= max_attempts);
}

std::string refused(const std::string& who, const std::string& flags, int http_status,
                    const ChallengesSeen::Side& side, int max_attempts) {
  std::string text = "the " + who + " refused the credentials of " + flags + " (HTTP " +
                     std::to_string(http_status);
  if (!side.realm.empty()) text += ", realm \"" + side.realm + "\"";
  text += ")";
  if (side.last_attempt >= max_attempts) {
    text += "; gave up after " + std::to_string(max_attempts) +
            " attempts (--max-auth-attempts sets how many)";
  }
  return text;
}

}  // namespace

void ChallengesSeen::note(bool for_proxy, int attempt, const std::string& realm) {
  const std::lock_guard lock(mutex_);
  (for_proxy ? proxy_ : server_) = {attempt, realm};
}

ChallengesSeen::Side ChallengesSeen::side(bool for_proxy) const {
  const std::lock_guard lock(mutex_);
  return for_proxy ? proxy_ : server_;
}

tether::Error in_tether_cat_terms(const tether::Error& error, const CatOptions& options,
                                  const ChallengesSeen& seen) {
  if (error.code != tether::ErrorCode::AuthFailed) return error;
  const auto& credentials = options.credentials;
  const int max_attempts = options.connect.auth.max_attempts;
  const std::string status = std::to_string(error.http_status);
  tether::Error explained = error;
  if (error.http_status == 407) {
    const auto side = seen.side(true);
    if (!credentials.proxy_user) {
      explained.message =
          "the proxy wants credentials (HTTP 407): give --proxy-user and "
          "--proxy-password, or check those in the proxy's URL";
    } else if (was_refused(side, max_attempts)) {
      explained.message = refused("proxy", "--proxy-user", 407, side, max_attempts);
    }
    return explained;
  }
  const auto side = seen.side(false);
  if (!credentials.user && !credentials.token) {
    explained.message = "the server wants credentials (HTTP " + status +
                        "): give --user (and --password) or --token";
  } else if (is_plain_websocket(options.connect.url) && !options.connect.auth.allow_insecure_auth) {
    explained.message = "refusing to send the credentials of " +
                        server_credential_flags(credentials) +
                        " in clear text over ws://: use wss://, or add --insecure-auth to send "
                        "them anyway";
  } else if (was_refused(side, max_attempts)) {
    explained.message = refused("server", server_credential_flags(credentials), error.http_status,
                                side, max_attempts);
  }
  return explained;
}

}  // namespace tether::cat
