#include "http_endpoints.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "control_endpoint.hpp"
#include "form_fields.hpp"
#include "http_text.hpp"
#include "revalidation_endpoint.hpp"

namespace tether::gateway {
namespace {

namespace http = boost::beast::http;

std::string field(const std::map<std::string, std::string>& fields, const std::string& name) {
  const auto found = fields.find(name);
  return found == fields.end() ? std::string() : found->second;
}

HttpAnswer method_not_allowed(std::string_view allowed) {
  return {405,
          "use " + std::string(allowed) + "\n",
          "text/plain",
          {{http::field::allow, std::string(allowed)}}};
}

// OAuth 2.0's password grant, reduced to what tests need (RFC 6749 sections 4.3 and 5).
HttpAnswer issue_token(const HttpRequest& request, Authenticator& authenticator) {
  if (request.method() != http::verb::post) return method_not_allowed("POST");
  const auto fields = parse_form_fields(request.body());
  const auto token =
      authenticator.issue_token(field(fields, "username"), field(fields, "password"));
  if (!token) {
    return {400, R"({"error":"invalid_grant"})", "application/json", {}};
  }
  // expires_in is in whole seconds; rounding up keeps a short test lifetime from reading as 0.
  const auto lifetime = authenticator.token_lifetime().count();
  const nlohmann::ordered_json body = {
      {"access_token", *token}, {"token_type", "Bearer"}, {"expires_in", (lifetime + 999) / 1000}};
  return {200, body.dump(), "application/json", {{http::field::cache_control, "no-store"}}};
}

HttpAnswer log_in(const HttpRequest& request, Authenticator& authenticator) {
  if (request.method() != http::verb::post) return method_not_allowed("POST");
  const auto fields = parse_form_fields(request.body());
  const auto user = field(fields, "username");
  const auto session = authenticator.open_session(user, field(fields, "password"));
  if (!session) return {403, "wrong user name or password\n", "text/plain", {}};
  return {200,
          "logged in as " + user + "\n",
          "text/plain",
          {{http::field::set_cookie, std::string(Authenticator::session_cookie_name) + "=" +
                                         *session + "; Secure; HttpOnly; Path=/"}}};
}

HttpAnswer who_am_i(const HttpRequest& request, GatewayContext& context) {
  if (request.method() != http::verb::get) return method_not_allowed("GET");
  auto result =
      context.authenticator.authenticate(request, service_config(context.config, "/whoami"));
  if (auto* refusal = std::get_if<HttpAnswer>(&result)) return std::move(*refusal);
  return {200, std::get<Authentication>(result).user, "text/plain", {}};
}

HttpAnswer echo_cookies(const HttpRequest& request) {
  std::string body;
  const auto [first, last] = request.equal_range(http::field::cookie);
  for (auto cookie = first; cookie != last; ++cookie) {
    body += std::string(cookie->value()) + "\n";
  }
  return {200, std::move(body), "text/plain", {}};
}

}  // namespace

HttpAnswer answer_http_request(const HttpRequest& request, GatewayContext& context) {
  const auto path = path_of(request.target());
  if (path == "/_stats") return {200, context.stats.to_json().dump(), "application/json", {}};
  if (path == "/_control") return answer_control_request(request, context);
  if (path == "/token") return issue_token(request, context.authenticator);
  if (path == "/login") return log_in(request, context.authenticator);
  if (path == "/whoami") return who_am_i(request, context);
  if (path == "/echo-cookies") return echo_cookies(request);
  if (const auto target = parse_revalidation_target(path)) {
    if (context.services.count(target->service_path) != 0) {
      return answer_revalidation_request(request, *target, context);
    }
  }
  if (context.services.count(path) != 0) {
    // RFC 9110 section 15.5.22: a 426 names the protocols to upgrade to.
    return {426,
            "this path needs a WebSocket upgrade\n",
            "text/plain",
            {{http::field::upgrade, "websocket"}, {http::field::connection, "Upgrade"}}};
  }
  return {404, "no service at this path\n", "text/plain", {}};
}

}  // namespace tether::gateway
