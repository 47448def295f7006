#pragma once
// The challenge-response exchange as the session drives it: from a 401 or 407 to the header of
// the replayed request, or to AuthFailed. The session knows only this class; the handlers, the
// ranking and the protection spaces stay behind it.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/authorization_header.hpp"
#include "http/url.hpp"
#include "tether/auth.hpp"
#include "tether/error.hpp"

namespace tether::auth {

class ProtectionSpaceCache;

/// A response that asked for authentication, as the session received it.
struct ChallengedResponse {
  /// The URL requested: the WebSocket URL, or the proxy's URL when for_proxy.
  http::Url url;
  bool for_proxy = false;
  int http_status = 401;
  /// Every WWW-Authenticate (or Proxy-Authenticate) value, joined or not.
  std::vector<std::string> challenge_headers;
  /// 1 for the first challenge of this connection attempt, then 2, 3...
  int attempt = 1;
  /// The challenged request: "GET" and an empty target (meaning url.target) for the WebSocket
  /// upgrade; "CONNECT" and "host:port" for a proxy.
  std::string method = "GET";
  std::string request_target;
};

/// Thread-safety: all members are safe from any thread. The handler is called on the calling
/// thread; completions run on whatever thread completes the handler's reply (the I/O thread
/// for an immediate answer, an application thread after a login dialog), so the session must
/// post them to its own thread. A completion may run after the engine is destroyed.
class ChallengeEngine {
 public:
  /// Why an exchange gave up, for a caller that tells the two apart (a revalidation's outcome,
  /// docs/control-channel.md section 5.2).
  enum class GaveUp {
    No,       ///< It did not: an answer was given.
    Refused,  ///< Credentials were given and refused: the attempts are spent, the same answer
              ///< came again, or the challenge cannot be read.
    /// None were given: no handler, none for the schemes offered, none over clear text, or the
    /// handler (a token provider, a prompt) declined.
    NoCredentials,
  };

  /// `header` is set when `error` is not: replay the request with it. `error` is AuthFailed,
  /// with the response's HTTP status and the realm in its message, when the exchange gives up;
  /// `gave_up` then says why.
  using Completion =
      std::function<void(Error error, std::optional<AuthorizationHeader> header, GaveUp gave_up)>;

  /// `handler` may be null: every challenge then fails with AuthFailed saying so.
  ChallengeEngine(std::shared_ptr<ChallengeHandler> handler, AuthOptions options);
  /// An engine that remembers answers in `answers`, which outlives it and is shared with other
  /// engines: the HTTP helper makes one engine per request, each with that request's handler
  /// and options, over the answers of every earlier request.
  ChallengeEngine(std::shared_ptr<ChallengeHandler> handler, AuthOptions options,
                  std::shared_ptr<ProtectionSpaceCache> answers);
  ~ChallengeEngine();
  ChallengeEngine(const ChallengeEngine&) = delete;
  ChallengeEngine& operator=(const ChallengeEngine&) = delete;

  /// Chooses the strongest challenge the handler answers and asks it, within the rules: at most
  /// AuthOptions::max_attempts answers per connection attempt, and no credentials for a plain
  /// ws:// server unless allow_insecure_auth. `done` is called exactly once. An answer is
  /// remembered for its protection space.
  void answer(const ChallengedResponse& response, Completion done);

  /// The header a new request to `url` should carry at once because an earlier answer covers its
  /// protection space: the same value for Basic and Bearer, the next nonce count for Digest.
  /// `method` and `request_target` as in ChallengedResponse.
  std::optional<AuthorizationHeader> preemptive_authorization(const http::Url& url,
                                                              bool for_proxy = false,
                                                              std::string_view method = "GET",
                                                              std::string_view request_target = {});

 private:
  bool allowed_over(const http::Url& url, bool for_proxy) const noexcept;

  std::shared_ptr<ChallengeHandler> handler_;
  AuthOptions options_;
  std::shared_ptr<ProtectionSpaceCache> cache_;  // shared with completions still pending
};

}  // namespace tether::auth
