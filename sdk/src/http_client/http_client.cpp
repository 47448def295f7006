// tether::http::Client: one request as the SDK's rules shape it (the proxy choice, the cookie
// jar, the challenge-response exchange) around the exchanges that libcurl makes.

#include <future>
#include <optional>
#include <utility>

#include "auth/challenge_engine.hpp"
#include "auth/protection_space_cache.hpp"
#include "core/user_agent.hpp"
#include "curl/curl_http_client.hpp"
#include "http/header_field.hpp"
#include "route/route.hpp"
#include "tether/http.hpp"

namespace tether::http {
namespace {

using auth::AuthorizationHeader;

using route::Route;

Error check_header_values(const Request& request) {
  if (breaks_header_line(request.user_agent)) {
    return {ErrorCode::InvalidArgument, "Request::user_agent contains a line break"};
  }
  return check_header_fields(request.headers);
}

Error plan_route(const Request& request, Route& route) {
  if (auto error = route::resolve_route(request.url, UrlKind::Http, request.tls, request.proxy,
                                        request.use_proxy_environment, route)) {
    return error;
  }
  if (!route.url.user_info.empty()) {
    return {ErrorCode::InvalidArgument,
            "the URL " + route.url.for_messages() +
                " carries credentials, which are never sent from a URL; answer the server's "
                "challenge with Request::challenge_handler"};
  }
  return {};
}

CurlExchange make_exchange(const Request& request, const Route& route,
                           const std::optional<AuthorizationHeader>& authorization,
                           const std::optional<AuthorizationHeader>& proxy_authorization) {
  CurlExchange exchange;
  exchange.url = route.url;
  exchange.method = request.method;
  exchange.body = request.body;
  // The proxy URL's credentials included.
  if (route.proxy) exchange.proxy = curl_proxy(*route.proxy, true);
  exchange.tls = route.tls;
  exchange.connect_timeout = request.connect_timeout;
  exchange.timeout = request.timeout;
  exchange.user_agent = request.user_agent.empty() ? default_user_agent() : request.user_agent;
  if (request.cookie_jar) {
    const std::string cookies = request.cookie_jar->cookie_header(route.url.to_string());
    if (!cookies.empty()) exchange.header_lines.push_back(header_line("Cookie", cookies));
  }
  if (authorization) {
    exchange.header_lines.push_back(header_line(authorization->name, authorization->value.value()));
  }
  for (const auto& [name, value] : request.headers) {
    exchange.header_lines.push_back(header_line(name, value));
  }
  if (proxy_authorization) {
    exchange.proxy_header_lines.push_back(
        header_line(proxy_authorization->name, proxy_authorization->value.value()));
  }
  return exchange;
}

void store_cookies(const Request& request, const Url& url, const Response& response) {
  if (!request.cookie_jar) return;
  // A rejected cookie is what RFC 6265 asks for, not a failure of the request.
  static_cast<void>(request.cookie_jar->set_from_response_headers(
      url.to_string(), response.header_values("Set-Cookie")));
}

/// Asks the engine and waits: the handler may answer later, from another thread.
Error answer_challenge(auth::ChallengeEngine& engine, const auth::ChallengedResponse& challenged,
                       std::optional<AuthorizationHeader>& authorization) {
  std::promise<std::pair<Error, std::optional<AuthorizationHeader>>> answered;
  auto answer = answered.get_future();
  engine.answer(challenged, [&answered](Error error, std::optional<AuthorizationHeader> header,
                                        auth::ChallengeEngine::GaveUp) {
    answered.set_value({std::move(error), std::move(header)});
  });
  auto [error, header] = answer.get();
  if (error) return error;
  authorization = std::move(header);
  return {};
}

auth::ChallengedResponse challenged(const Url& url, bool for_proxy, const Response& response,
                                    int attempt, const std::string& method,
                                    const std::string& request_target) {
  auth::ChallengedResponse result;
  result.url = url;
  result.for_proxy = for_proxy;
  result.http_status = response.status;
  result.challenge_headers =
      response.header_values(for_proxy ? "Proxy-Authenticate" : "WWW-Authenticate");
  result.attempt = attempt;
  result.method = method;
  result.request_target = request_target;
  return result;
}

}  // namespace

struct Client::Impl {
  /// The answers of every request so far, per protection space.
  std::shared_ptr<auth::ProtectionSpaceCache> answers =
      std::make_shared<auth::ProtectionSpaceCache>();
};

Client::Client() : impl_(std::make_unique<Impl>()) {}
Client::~Client() = default;

Error Client::request(const Request& request, Response& response) {
  response = {};
  Route route;
  if (auto error = check_header_values(request)) return error;
  if (auto error = plan_route(request, route)) return error;
  const bool through_proxy = route.proxy.has_value();
  const std::string tunnel_target = route.url.authority();

  auth::ChallengeEngine engine(request.challenge_handler, request.auth, impl_->answers);
  auto authorization =
      engine.preemptive_authorization(route.url, false, request.method, route.url.target);
  std::optional<AuthorizationHeader> proxy_authorization;
  if (through_proxy) {
    proxy_authorization =
        engine.preemptive_authorization(*route.proxy, true, "CONNECT", tunnel_target);
  }

  CurlHttpClient curl;
  int server_attempt = 0;
  int proxy_attempt = 0;
  while (true) {
    CurlOutcome outcome;
    Error error =
        curl.perform(make_exchange(request, route, authorization, proxy_authorization), outcome);
    if (outcome.proxy_refusal && outcome.proxy_refusal->status == 407 &&
        request.challenge_handler) {
      const auto proxy_challenge = challenged(*route.proxy, true, *outcome.proxy_refusal,
                                              ++proxy_attempt, "CONNECT", tunnel_target);
      if (auto failure = answer_challenge(engine, proxy_challenge, proxy_authorization)) {
        return failure;
      }
      continue;
    }
    if (error) return error;
    store_cookies(request, route.url, outcome.response);
    if (outcome.response.status == 401 && request.challenge_handler) {
      const auto server_challenge = challenged(route.url, false, outcome.response, ++server_attempt,
                                               request.method, route.url.target);
      if (auto failure = answer_challenge(engine, server_challenge, authorization)) return failure;
      continue;
    }
    response = std::move(outcome.response);
    return {};
  }
}

Error request(const Request& request, Response& response) {
  return Client().request(request, response);
}

}  // namespace tether::http
