#include "session/revalidation_exchange.hpp"

#include <asio/post.hpp>
#include <string_view>
#include <utility>

#include "core/io_context_impl.hpp"
#include "core/log.hpp"
#include "session/handshake_attempt.hpp"
#include "tether/cookies.hpp"

namespace tether::session {
namespace {

using control::RevalidationOutcome;

/// The connection's origin over HTTP (section 5.1): ws becomes http, wss https; same host and
/// port.
http::Url http_origin(const http::Url& websocket) {
  http::Url origin;
  origin.scheme = websocket.is_secure() ? "https" : "http";
  origin.host = websocket.host;
  origin.port = websocket.port;
  return origin;
}

/// "scheme://host:port", for messages.
std::string origin_text(const http::Url& url) { return url.scheme + "://" + url.authority(); }

bool same_origin(const http::Url& a, const http::Url& b) {
  return a.scheme == b.scheme && a.host == b.host && a.port == b.port;
}

}  // namespace

std::shared_ptr<RevalidationExchange> RevalidationExchange::start(
    std::shared_ptr<IoContext> io, const HandshakeAttempt& attempt,
    const control::Revalidate& request, Finished finished) {
  auto exchange =
      std::make_shared<RevalidationExchange>(std::move(io), attempt, request, std::move(finished));
  // From the event loop, so that `finished` never runs inside this call.
  asio::post(io_context_impl(*exchange->io_).io,
             [weak = std::weak_ptr<RevalidationExchange>(exchange)] {
               if (auto self = weak.lock()) self->begin();
             });
  return exchange;
}

RevalidationExchange::RevalidationExchange(std::shared_ptr<IoContext> io,
                                           const HandshakeAttempt& attempt,
                                           const control::Revalidate& request, Finished finished)
    : io_(std::move(io)),
      request_id_(request.request_id),
      requested_url_(request.url),
      deadline_(request.deadline_ms),
      origin_(http_origin(attempt.url())),
      tls_(attempt.request().tls),
      proxy_(attempt.request().proxy),
      cookie_jar_(attempt.options().cookie_jar),
      user_agent_(attempt.options().user_agent),
      connect_timeout_(attempt.options().connect_timeout),
      engine_(attempt.engine()),
      finished_(std::move(finished)),
      transfers_(std::make_unique<http::CurlMulti>(*io_)) {
  url_refusal_ = resolve_url();
}

void RevalidationExchange::cancel() {
  done_ = true;
  transfers_.reset();  // stops the transfer; none of its callbacks runs
}

void RevalidationExchange::begin() {
  if (done_) return;
  if (url_refusal_) {
    finish({RevalidationOutcome::UrlRefused, 0, url_refusal_});
    return;
  }
  send_request();
}

/// Resolves the gateway's URL against the connection's origin, and refuses it when it is on
/// another one: nothing, and no credential above all, goes anywhere else.
Error RevalidationExchange::resolve_url() {
  std::string text = requested_url_;
  if (text.front() == '/') text = origin_text(origin_) + text;  // path-absolute: the codec checked
  if (http::parse_url(text, http::UrlKind::Http, url_)) {
    url_text_ = http::redact_url(requested_url_);
    return {ErrorCode::InvalidArgument,
            "the gateway's revalidation URL " + url_text_ + " is not a URL; nothing was sent"};
  }
  url_text_ = url_.for_messages();
  if (!same_origin(url_, origin_)) {
    return {ErrorCode::InvalidArgument,
            "the gateway asked to revalidate at " + url_text_ + ", on the origin " +
                origin_text(url_) + ", not on the connection's origin " + origin_text(origin_) +
                "; nothing was sent there (docs/control-channel.md section 5.1)"};
  }
  if (!url_.user_info.empty()) {
    return {ErrorCode::InvalidArgument, "the gateway's revalidation URL " + url_text_ +
                                            " carries credentials, which are never sent from a "
                                            "URL; nothing was sent"};
  }
  return {};
}

void RevalidationExchange::send_request() {
  http::CurlExchange exchange;
  exchange.url = url_;
  exchange.tls = tls_;
  exchange.connect_timeout = connect_timeout_;
  exchange.timeout = deadline_;  // past the gateway's deadline the answer is useless
  exchange.user_agent = user_agent_;
  auto authorization = authorization_
                           ? std::move(authorization_)
                           : engine_->preemptive_authorization(url_, false, "GET", url_.target);
  authorization_.reset();
  if (proxy_) {
    auto proxy_authorization =
        proxy_authorization_
            ? std::move(proxy_authorization_)
            : engine_->preemptive_authorization(*proxy_, true, "CONNECT", url_.authority());
    proxy_authorization_.reset();
    // Credentials in the proxy's URL are sent (as Basic) unless the engine has an answer, as
    // on the connection.
    exchange.proxy = http::curl_proxy(*proxy_, !proxy_authorization);
    if (proxy_authorization) {
      exchange.proxy_header_lines.push_back(
          http::header_line(proxy_authorization->name, proxy_authorization->value.value()));
    }
  }
  if (cookie_jar_) {
    const std::string cookies = cookie_jar_->cookie_header(url_.to_string());
    if (!cookies.empty()) exchange.header_lines.push_back(http::header_line("Cookie", cookies));
  }
  if (authorization) {
    exchange.header_lines.push_back(
        http::header_line(authorization->name, authorization->value.value()));
  }
  http::CurlMulti::Callbacks callbacks;
  callbacks.done = [weak = weak_from_this()](const Error& error, const http::CurlOutcome& outcome) {
    if (auto self = weak.lock()) self->on_response(error, outcome);
  };
  transfers_->start(std::move(exchange), std::move(callbacks));
}

void RevalidationExchange::on_response(const Error& error, const http::CurlOutcome& outcome) {
  if (done_) return;
  if (outcome.proxy_refusal && outcome.proxy_refusal->status == 407) {
    answer_challenge(*outcome.proxy_refusal, true);
    return;
  }
  if (error) {
    finish({RevalidationOutcome::Failed, error.http_status, error});
    return;
  }
  const http::Response& response = outcome.response;
  store_cookies(response);
  const int status = response.status;
  if (status == 401) {
    answer_challenge(response, false);
    return;
  }
  if (status >= 200 && status <= 299) {
    finish({RevalidationOutcome::Succeeded, status, {}});
    return;
  }
  if (status == 403 || status == 407) {
    finish({RevalidationOutcome::Refused,
            status,
            {ErrorCode::AuthFailed,
             "the gateway refused the revalidation at " + url_text_ + " (HTTP " +
                 std::to_string(status) + ")",
             status}});
    return;
  }
  finish({RevalidationOutcome::Failed,
          status,
          {ErrorCode::AuthFailed,
           "the revalidation URL " + url_text_ + " answered HTTP " + std::to_string(status) +
               ", not 2xx",
           status}});
}

/// A 401, or the proxy's 407 to the CONNECT (libcurl always tunnels): the connect()'s challenge
/// engine answers it, then the request is
/// made again with the answer.
void RevalidationExchange::answer_challenge(const http::Response& response, bool for_proxy) {
  auth::ChallengedResponse challenged;
  challenged.url = for_proxy ? *proxy_ : url_;
  challenged.for_proxy = for_proxy;
  challenged.http_status = response.status;
  challenged.challenge_headers =
      response.header_values(for_proxy ? "Proxy-Authenticate" : "WWW-Authenticate");
  challenged.attempt = for_proxy ? ++proxy_challenges_ : ++server_challenges_;
  challenged.method = for_proxy ? "CONNECT" : "GET";
  challenged.request_target = for_proxy ? url_.authority() : url_.target;
  engine_->answer(challenged, [weak = weak_from_this(), io = io_, for_proxy,
                               status = response.status](
                                  Error error, std::optional<auth::AuthorizationHeader> header,
                                  auth::ChallengeEngine::GaveUp gave_up) {
    // The handler's reply may complete on any thread.
    asio::post(io_context_impl(*io).io, [weak, error = std::move(error), header = std::move(header),
                                         gave_up, for_proxy, status]() mutable {
      if (auto self = weak.lock()) {
        self->on_challenge_answered(error, std::move(header), gave_up, for_proxy, status);
      }
    });
  });
}

void RevalidationExchange::on_challenge_answered(const Error& error,
                                                 std::optional<auth::AuthorizationHeader> header,
                                                 auth::ChallengeEngine::GaveUp gave_up,
                                                 bool for_proxy, int status) {
  if (done_) return;
  if (error || !header) {
    const bool none_given = gave_up == auth::ChallengeEngine::GaveUp::NoCredentials;
    finish({none_given ? RevalidationOutcome::NoCredentials : RevalidationOutcome::Refused, status,
            error ? error
                  : Error{ErrorCode::AuthFailed,
                          "the revalidation's challenge at " + url_text_ + " was not answered",
                          status}});
    return;
  }
  (for_proxy ? proxy_authorization_ : authorization_) = std::move(*header);
  send_request();
}

/// Every Set-Cookie of the revalidation's answers, refused or not: an SSO cookie the gateway
/// refreshes comes this way. A cookie the jar refuses is ignored, as RFC 6265 section 5.3 requires.
void RevalidationExchange::store_cookies(const http::Response& response) const {
  if (!cookie_jar_) return;
  if (auto error = cookie_jar_->set_from_response_headers(url_.to_string(),
                                                          response.header_values("Set-Cookie"))) {
    detail::log(LogLevel::Debug, error.message);
  }
}

void RevalidationExchange::finish(const RevalidationEnd& end) {
  if (done_) return;
  done_ = true;
  auto finished = std::move(finished_);
  finished(end);
}

}  // namespace tether::session
