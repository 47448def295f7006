#include "session/connect_request.hpp"

#include <algorithm>
#include <string_view>

#include "core/user_agent.hpp"
#include "http/ascii.hpp"
#include "http/header_field.hpp"
#include "http/token.hpp"
#include "route/route.hpp"

namespace tether::session {
namespace {

Error check_options(const ConnectOptions& options) {
  for (const auto& protocol : options.subprotocols) {
    if (!http::is_token(protocol)) {
      return {ErrorCode::InvalidArgument,
              "subprotocol '" + protocol + "' is not an HTTP token (RFC 6455 section 4.1)"};
    }
  }
  if (auto error = http::check_header_fields(options.headers)) return error;
  if (http::breaks_header_line(options.user_agent)) {
    return {ErrorCode::InvalidArgument, "ConnectOptions::user_agent contains a line break"};
  }
  if (options.connect_timeout.count() <= 0 || options.handshake_timeout.count() <= 0 ||
      options.pong_timeout.count() <= 0 || options.ping_interval.count() < 0) {
    return {ErrorCode::InvalidArgument,
            "timeouts must be positive (ping_interval may be zero to turn heartbeats off)"};
  }
  if (options.fallback.remember_for.count() < 0) {
    return {ErrorCode::InvalidArgument,
            "FallbackOptions::remember_for must not be negative (zero: never remembered)"};
  }
  if (options.max_queued_messages == 0 || options.max_queued_bytes == 0) {
    return {ErrorCode::InvalidArgument,
            "ConnectOptions::max_queued_messages and max_queued_bytes must be greater than zero"};
  }
  return {};
}

/// One User-Agent for every request of the connection: a User-Agent among the headers becomes
/// the option, and without either the SDK's own.
void settle_user_agent(ConnectOptions& options) {
  auto& headers = options.headers;
  const auto given = std::find_if(headers.begin(), headers.end(), [](const auto& header) {
    return http::ascii_iequals(header.first, "User-Agent");
  });
  if (given != headers.end()) {
    options.user_agent = given->second;
    headers.erase(given);
  }
  if (options.user_agent.empty()) options.user_agent = default_user_agent();
}

}  // namespace

Error prepare_connect_request(ConnectOptions options, transport::TransportRequest& request) {
  if (auto error = check_options(options)) return error;
  settle_user_agent(options);
  route::Route route;
  if (auto error = route::resolve_route(options.url, http::UrlKind::WebSocket, options.tls,
                                        options.proxy, options.use_proxy_environment, route)) {
    return error;
  }
  request.url = std::move(route.url);
  request.tls = std::move(route.tls);
  request.proxy = std::move(route.proxy);
  request.options = std::move(options);
  return {};
}

Error check_selected_subprotocol(const ConnectOptions& options, const std::string& url,
                                 const std::string& selected) {
  const auto& offered = options.subprotocols;
  if (!selected.empty() && std::find(offered.begin(), offered.end(), selected) == offered.end()) {
    return {ErrorCode::SubprotocolMismatch, "the server at " + url + " selected subprotocol '" +
                                                selected + "', which this client did not offer"};
  }
  if (selected.empty() && options.subprotocol_required && !offered.empty()) {
    return {ErrorCode::SubprotocolMismatch,
            "the server at " + url + " accepted none of the offered subprotocols"};
  }
  return {};
}

}  // namespace tether::session
