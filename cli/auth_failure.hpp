#pragma once
// tether-cat's account of an authentication failure, in its own terms: the SDK's messages name
// the SDK's options (AuthOptions::allow_insecure_auth, ConnectOptions::challenge_handler,
// AuthOptions::max_attempts), where a user of the command needs its flags (--insecure-auth,
// --user/--token, --max-auth-attempts). tether-cat recognises the situation from the typed error
// and from what its own credential providers were asked, never from the SDK's words.

#include <mutex>
#include <string>

#include "cli_options.hpp"
#include "tether/error.hpp"

namespace tether::cat {

/// What tether-cat's credential and token providers were asked during one run, per side.
///
/// Thread-safety: note() runs on the SDK's I/O thread, the rest on the main thread: all members
/// are safe from any thread.
class ChallengesSeen {
 public:
  /// What the providers of one side (the server's or the proxy's) were last asked.
  struct Side {
    int last_attempt = 0;  ///< 0: never asked.
    std::string realm;
  };

  /// A provider was asked for credentials (or a token) for `attempt` of `realm`.
  void note(bool for_proxy, int attempt, const std::string& realm);
  Side side(bool for_proxy) const;

 private:
  mutable std::mutex mutex_;
  Side server_;
  Side proxy_;
};

/// `error` as tether-cat reports it: an AuthFailed (HTTP 407 for the proxy, anything else for
/// the server) explained with tether-cat's flags when the situation is one it recognises (no
/// credentials given for that side; credentials for a ws:// server without --insecure-auth;
/// credentials that were sent and refused); any other error unchanged. The code and the HTTP
/// status are kept, so the exit status does not change.
/// Thread-safety: safe from any thread.
tether::Error in_tether_cat_terms(const tether::Error& error, const CatOptions& options,
                                  const ChallengesSeen& seen);

}  // namespace tether::cat
