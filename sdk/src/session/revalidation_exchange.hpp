#pragma once
// One revalidation the gateway asked for (docs/control-channel.md section 5.1): the GET of its
// URL on the connection's origin, with the connection's TLS settings, proxy, cookie jar and
// challenge engine, made on the I/O thread beside the connection and never blocking it.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "auth/authorization_header.hpp"
#include "auth/challenge_engine.hpp"
#include "control/control_message.hpp"
#include "curl/curl_multi.hpp"
#include "http/url.hpp"
#include "tether/error.hpp"
#include "tether/http.hpp"
#include "tether/io_context.hpp"

namespace tether {
class CookieJar;
}

namespace tether::tls {
class ClientTlsContext;
}

namespace tether::session {

class HandshakeAttempt;

/// How a revalidation ended: what REVALIDATION_RESULT tells the gateway (section 5.2) and
/// Client::on_revalidation tells the application.
struct RevalidationEnd {
  control::RevalidationOutcome outcome = control::RevalidationOutcome::Failed;
  int http_status = 0;  ///< The final answer's status, 0 when none came.
  Error error;          ///< Why it failed; code None after a success.
};

/// The revalidation request and the challenges it meets: a URL on another origin is refused
/// without any request; otherwise GET, with the credentials the protection space cache allows
/// pre-emptively, answering each 401 (or the proxy's 407) through the connect()'s challenge
/// engine, within AuthOptions::max_attempts and, for credentials over plain http, only with
/// AuthOptions::allow_insecure_auth, as on the handshake. Every Set-Cookie of every answer goes
/// to the jar.
///
/// Thread-safety: I/O thread only; the challenge handler may answer on any thread (its answer is
/// posted to the I/O thread). Always held by a shared_ptr.
class RevalidationExchange : public std::enable_shared_from_this<RevalidationExchange> {
 public:
  /// Called once on the I/O thread, never from inside start(), unless cancel() came first.
  using Finished = std::function<void(const RevalidationEnd& end)>;

  /// Starts the revalidation `request` of the connection that `attempt` opened.
  static std::shared_ptr<RevalidationExchange> start(std::shared_ptr<IoContext> io,
                                                     const HandshakeAttempt& attempt,
                                                     const control::Revalidate& request,
                                                     Finished finished);

  /// For start() (make_shared): does not start anything.
  RevalidationExchange(std::shared_ptr<IoContext> io, const HandshakeAttempt& attempt,
                       const control::Revalidate& request, Finished finished);

  std::uint32_t request_id() const noexcept { return request_id_; }
  /// The revalidation URL as messages show it (no query): resolved against the connection's
  /// origin, or as the gateway gave it when it could not be.
  const std::string& url_text() const noexcept { return url_text_; }

  /// Stops the request; `finished` is not called. For a revalidation superseded by the next, or
  /// a connection that ends.
  void cancel();

 private:
  void begin();
  Error resolve_url();
  void send_request();
  void on_response(const Error& error, const http::CurlOutcome& outcome);
  void answer_challenge(const http::Response& response, bool for_proxy);
  void on_challenge_answered(const Error& error, std::optional<auth::AuthorizationHeader> header,
                             auth::ChallengeEngine::GaveUp gave_up, bool for_proxy, int status);
  void store_cookies(const http::Response& response) const;
  void finish(const RevalidationEnd& end);

  const std::shared_ptr<IoContext> io_;
  const std::uint32_t request_id_;
  const std::string requested_url_;  // as the gateway sent it
  const std::chrono::milliseconds deadline_;
  const http::Url origin_;  // http(s)://host:port of the connection
  const std::shared_ptr<tls::ClientTlsContext> tls_;
  const std::optional<http::Url> proxy_;
  const std::shared_ptr<CookieJar> cookie_jar_;
  const std::string user_agent_;
  const std::chrono::milliseconds connect_timeout_;
  const std::shared_ptr<auth::ChallengeEngine> engine_;
  Finished finished_;

  http::Url url_;
  std::string url_text_;
  Error url_refusal_;  // why url_ is not requested, if it is not
  std::optional<auth::AuthorizationHeader> authorization_;        // for the next request
  std::optional<auth::AuthorizationHeader> proxy_authorization_;  // likewise, for the proxy
  int server_challenges_ = 0;
  int proxy_challenges_ = 0;
  std::unique_ptr<http::CurlMulti> transfers_;
  bool done_ = false;  // cancelled or finished
};

}  // namespace tether::session
