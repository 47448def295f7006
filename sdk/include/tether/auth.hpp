#pragma once
// Answering HTTP authentication challenges (RFC 7235) on the WebSocket handshake and on the
// CONNECT proxy: the challenges a server offers, the handlers that answer them, and the options
// that bound the exchange. docs/authentication.md explains how the pieces fit.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tether/error.hpp"

namespace tether::auth {

/// One challenge of a WWW-Authenticate or Proxy-Authenticate header (RFC 7235 section 2.1).
///
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: safe to read.
struct Challenge {
  /// The scheme as the server spelled it, e.g. "Digest"; compare it with scheme_is(). Without the
  /// "Application " prefix, which is recorded in application_prefix.
  std::string scheme;
  /// True when the server wrote "Application <scheme>", as Kaazing gateways do for challenges
  /// that a program rather than a browser must answer. Handlers match on the inner scheme.
  bool application_prefix = false;
  /// The auth-params in the order sent: names in lower case, values without quotes and escapes.
  std::vector<std::pair<std::string, std::string>> params;
  /// The token68 form (e.g. "Negotiate YII..."), empty when the challenge has auth-params.
  std::string token68;

  /// Case-insensitive comparison of the scheme (RFC 7235 section 2.1).
  bool scheme_is(std::string_view name) const noexcept;
  /// The value of the auth-param `name` (case-insensitive), or nullopt when absent.
  std::optional<std::string_view> param(std::string_view name) const noexcept;
  /// The realm parameter, empty when absent.
  std::string realm() const;
};

/// What a handler needs to know about the request that was challenged.
///
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: safe to read.
struct ChallengeRequest {
  /// The URL that was requested: the WebSocket URL, or the proxy's URL for a proxy challenge.
  std::string location;
  /// True for a 407 from a CONNECT proxy (answered with Proxy-Authorization).
  bool for_proxy = false;
  /// 401 or 407.
  int http_status = 401;
  /// The realm of the challenge being considered, empty when it has none.
  std::string realm;
  /// 1 for the first challenge of a connection attempt, 2 after the first answer was refused...
  int attempt = 1;
  /// The method and request-target of the challenged request ("GET" and "/echo", or "CONNECT"
  /// and "host:443" for a proxy), which Digest signs.
  std::string method = "GET";
  std::string request_target = "/";
  /// Every challenge the server offered, in the order sent.
  std::vector<Challenge> challenges;
};

/// A string holding a credential (a password, a token, an Authorization value). Its bytes are
/// wiped (OPENSSL_cleanse) when it is destroyed, assigned over, or moved from, so copies do not
/// linger in freed memory. Converts implicitly from strings so that `{"alice", "secret"}` works.
///
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: safe to read.
class Secret {
 public:
  Secret() = default;
  // Implicit on purpose, so that Credentials{"alice", "secret"} reads naturally.
  Secret(std::string value) noexcept;
  Secret(const char* value);
  Secret(const Secret& other);
  Secret(Secret&& other) noexcept;
  Secret& operator=(const Secret& other);
  Secret& operator=(Secret&& other) noexcept;
  ~Secret();

  const std::string& value() const noexcept { return value_; }
  bool empty() const noexcept { return value_.empty(); }

 private:
  std::string value_;
};

/// A user name and password from a CredentialProvider. Both are wiped when destroyed.
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: safe to read.
struct Credentials {
  Secret user_name;
  Secret password;
};

/// The one-shot answer to an asynchronous question: a handler's Authorization value, a
/// provider's credentials or token. Whoever holds it completes it exactly once, with
/// complete() or decline(), from any thread and at any later time (after a login dialog, say).
/// A Reply destroyed without being completed declines, so a forgotten reply never leaves a
/// connection hanging. Completing twice is ignored.
///
/// Move-only. The completion runs on the thread that completes (or destroys) the reply.
/// Thread-safety: distinct objects: safe. Shared objects: unsafe (hand it over by moving).
template <typename Answer>
class Reply {
 public:
  /// Receives the answer, or nullopt and a reason (for the error message) when declined.
  using Completion = std::function<void(std::optional<Answer> answer, std::string reason)>;

  explicit Reply(Completion completion) : completion_(std::move(completion)) {}
  Reply(Reply&& other) noexcept : completion_(std::exchange(other.completion_, nullptr)) {}
  Reply& operator=(Reply&& other) noexcept {
    if (this != &other) {
      decline("the reply was replaced before it was completed");
      completion_ = std::exchange(other.completion_, nullptr);
    }
    return *this;
  }
  Reply(const Reply&) = delete;
  Reply& operator=(const Reply&) = delete;
  ~Reply() { decline("the reply was dropped without an answer"); }

  void complete(Answer answer) {
    if (auto completion = std::exchange(completion_, nullptr)) completion(std::move(answer), {});
  }
  /// `reason` appears in the AuthFailed message: say why, never include credentials.
  void decline(std::string reason = "declined") {
    if (auto completion = std::exchange(completion_, nullptr)) {
      completion(std::nullopt, std::move(reason));
    }
  }
  /// True until complete() or decline() has been called.
  bool pending() const noexcept { return static_cast<bool>(completion_); }

 private:
  Completion completion_;
};

/// A handler's answer: the value of the Authorization (or Proxy-Authorization) header.
using ChallengeReply = Reply<Secret>;
/// A provider's answer: a user name and password.
using CredentialReply = Reply<Credentials>;
/// A token provider's answer: the bearer token.
using TokenReply = Reply<Secret>;

/// What a CredentialProvider may show the user to ask for a user name and password.
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: safe to read.
struct CredentialRequest {
  std::string location;  ///< The challenged URL (the proxy's for a proxy).
  std::string realm;
  std::string scheme;  ///< "Basic" or "Digest".
  int attempt = 1;     ///< Greater than 1: the previous credentials were refused.
  bool for_proxy = false;
};

/// Asks the application for a user name and password, e.g. with a login dialog. Answer through
/// the reply, now or later, from any thread; decline to give up (the connection then fails
/// with AuthFailed). Called on the client's I/O thread: never block in it.
/// One provider may serve several handlers (Basic and Digest, server and proxy).
/// Thread-safety: a provider serving clients on several I/O threads may be called concurrently.
using CredentialProvider = std::function<void(const CredentialRequest& request, CredentialReply)>;

/// What a TokenProvider knows about the token it is asked for.
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: safe to read.
struct TokenRequest {
  std::string location;
  std::string realm;
  std::string scope;  ///< The challenge's scope parameter, if any.
  /// The challenge's error parameter, e.g. "invalid_token" when the token sent was refused
  /// (expired, revoked): the provider should then refresh rather than return the same token.
  std::string error;
  std::string error_description;
  int attempt = 1;
  bool for_proxy = false;
  /// True when a token was sent and refused (attempt > 1 or error set): refresh it.
  bool previous_token_refused = false;
};

/// Supplies bearer tokens (RFC 6750). Same calling rules as CredentialProvider.
using TokenProvider = std::function<void(const TokenRequest& request, TokenReply reply)>;

/// Answers challenges of one or several schemes. The SDK calls can_handle() then respond() on
/// the client's I/O thread; the request and challenge are valid only during the call, so copy
/// what an asynchronous answer needs.
///
/// Thread-safety: one handler may serve several clients on several I/O threads at once, so an
/// implementation must be safe to call concurrently. The shipped handlers are.
class ChallengeHandler {
 public:
  virtual ~ChallengeHandler() = default;

  /// Whether respond() can answer this challenge. Must not block or ask the user.
  virtual bool can_handle(const ChallengeRequest& request, const Challenge& challenge) const = 0;

  /// Answers through `reply`, now or later, from any thread.
  virtual void respond(const ChallengeRequest& request, const Challenge& challenge,
                       ChallengeReply reply) = 0;

  /// Answers again without asking anybody, for a later request to the same protection space
  /// that should carry credentials pre-emptively (a reconnect). `previous` is the last accepted
  /// answer to `challenge`. The default resends it, right for Basic and Bearer; Digest computes
  /// the next nonce count. Return nullopt when a pre-emptive answer is impossible.
  virtual std::optional<Secret> reauthorize(const ChallengeRequest& request,
                                            const Challenge& challenge, const Secret& previous);
};

/// "Basic" (RFC 7617): `base64(user ":" password)`, the strings sent as given, which must be
/// UTF-8. Answers challenges without charset or with charset="UTF-8". Asks the provider on every
/// challenge, since a challenge after an answer means the answer was wrong.
///
/// Thread-safety: safe to share between clients and threads.
class BasicHandler final : public ChallengeHandler {
 public:
  explicit BasicHandler(CredentialProvider provider);
  bool can_handle(const ChallengeRequest& request, const Challenge& challenge) const override;
  void respond(const ChallengeRequest& request, const Challenge& challenge,
               ChallengeReply reply) override;

 private:
  CredentialProvider provider_;
};

/// "Digest" (RFC 7616): MD5, SHA-256, SHA-512-256 and their -sess forms; qop="auth" or no qop
/// (RFC 2069 servers); nonce counts and random client nonces; opaque; userhash; user names
/// outside ASCII sent as username* (RFC 8187). Challenges that offer only qop="auth-int" are
/// not handled.
///
/// A challenge with stale=true (the server only expired its nonce) is answered again with the
/// credentials of the previous answer in the same protection space, without asking the provider.
/// A challenge without it, after an answer of the same connection attempt, means the credentials
/// were refused: the provider is asked again, and if it gives the same user name and password the
/// reply is declined (the attempt fails with AuthFailed) rather than sending them a second time.
/// For that and for reauthorize() the handler keeps the user name and H(user:realm:password) per
/// protection space (origin and realm) until it is destroyed; never the password itself.
///
/// Thread-safety: safe to share between clients and threads.
class DigestHandler final : public ChallengeHandler {
 public:
  explicit DigestHandler(CredentialProvider provider);
  ~DigestHandler() override;
  bool can_handle(const ChallengeRequest& request, const Challenge& challenge) const override;
  void respond(const ChallengeRequest& request, const Challenge& challenge,
               ChallengeReply reply) override;
  std::optional<Secret> reauthorize(const ChallengeRequest& request, const Challenge& challenge,
                                    const Secret& previous) override;

  struct State;  ///< The cached realm keys and nonce counts.

 private:
  CredentialProvider provider_;
  std::shared_ptr<State> state_;  // shared with replies still waiting for the provider
};

/// "Bearer" (RFC 6750): asks the token provider on every challenge, telling it when the previous
/// token was refused so that it refreshes instead of repeating itself.
///
/// Thread-safety: safe to share between clients and threads.
class BearerHandler final : public ChallengeHandler {
 public:
  explicit BearerHandler(TokenProvider provider);
  bool can_handle(const ChallengeRequest& request, const Challenge& challenge) const override;
  void respond(const ChallengeRequest& request, const Challenge& challenge,
               ChallengeReply reply) override;

 private:
  TokenProvider provider_;
};

/// Tries handlers in order: the first whose can_handle() is true answers.
///
/// Thread-safety: immutable after construction; safe to share between clients and threads.
class ChallengeHandlerChain final : public ChallengeHandler {
 public:
  explicit ChallengeHandlerChain(std::vector<std::shared_ptr<ChallengeHandler>> handlers);
  bool can_handle(const ChallengeRequest& request, const Challenge& challenge) const override;
  void respond(const ChallengeRequest& request, const Challenge& challenge,
               ChallengeReply reply) override;
  std::optional<Secret> reauthorize(const ChallengeRequest& request, const Challenge& challenge,
                                    const Secret& previous) override;

 private:
  std::vector<std::shared_ptr<ChallengeHandler>> handlers_;
};

/// Chooses a handler by the challenged location and realm, like Kaazing's
/// DispatchChallengeHandler. A pattern is `[scheme://]host[:port][/path]`:
/// - scheme: ws and http are equivalent, as are wss and https; absent or `*` matches any;
/// - host: `*` matches any host; a `*` label matches exactly one label (`*.example.com`);
/// - port: absent means the scheme's default port when a scheme is given, else any;
/// - path: a prefix ending at a `/` boundary, where `*` matches any run of characters.
/// Matching registrations are tried most specific first (more literal host labels, then an
/// explicit port, an explicit scheme, a longer literal path, a realm; ties in the order added),
/// and the first whose handler can_handle() the challenge answers it. A specific handler that
/// does not speak the offered scheme thus falls back to a more general one.
///
/// Thread-safety: safe to share between clients and threads; add() may run concurrently with
/// challenges being answered.
class DispatchHandler final : public ChallengeHandler {
 public:
  DispatchHandler();
  ~DispatchHandler() override;

  /// Registers `handler` for challenges from locations matching `location_pattern` and, when
  /// `realm` is not empty, with exactly that realm. A malformed pattern gives InvalidArgument.
  Error add(std::string_view location_pattern, std::shared_ptr<ChallengeHandler> handler,
            std::string realm = {});

  bool can_handle(const ChallengeRequest& request, const Challenge& challenge) const override;
  void respond(const ChallengeRequest& request, const Challenge& challenge,
               ChallengeReply reply) override;
  std::optional<Secret> reauthorize(const ChallengeRequest& request, const Challenge& challenge,
                                    const Secret& previous) override;

  struct Registrations;  ///< The patterns and their handlers, behind a lock.

 private:
  std::unique_ptr<Registrations> registrations_;
};

/// Orders offered challenges: the highest rank the handler chain can answer is chosen; a
/// negative rank means never answer that challenge. Ties keep the server's order.
/// Thread-safety: called on the I/O thread; options shared by clients on several I/O threads call
/// it concurrently.
using ChallengeRanking = std::function<int(const Challenge& challenge)>;

/// The default ranking, strongest first: Digest SHA-512-256 (5) > Digest SHA-256 (4) > Digest
/// MD5 (3) > Bearer (2) > Basic (1) > any other scheme (0). The -sess forms rank as their hash.
/// Thread-safety: safe from any thread.
int default_challenge_rank(const Challenge& challenge) noexcept;

/// The rules of the challenge-response exchange, part of ConnectOptions.
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: safe to read.
struct AuthOptions {
  /// Challenges answered per connection attempt; the next one fails with AuthFailed. Whatever
  /// the limit, an answer is never sent again to the protection space that has just refused it
  /// (the same Basic or Bearer value, the same Digest credentials without stale=true): the
  /// attempt fails with AuthFailed at once, so that a wrong password costs one request, not one
  /// per attempt (account lockouts and fail2ban count them).
  int max_attempts = 3;
  /// Answer challenges from ws:// servers, sending credentials in clear text. Development only.
  /// Proxy challenges are exempt: a CONNECT proxy is only ever reached over plain HTTP.
  bool allow_insecure_auth = false;
  /// Empty: default_challenge_rank.
  ChallengeRanking rank_challenge;
};

}  // namespace tether::auth
