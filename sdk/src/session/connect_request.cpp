#include "session/connect_request.hpp"

#include <algorithm>
#include <string_view>

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
  for (const auto& [name, value] : options.headers) {
    if (!http::is_token(name) || value.find_first_of("\r\n") != std::string::npos) {
      return {ErrorCode::InvalidArgument, "header '" + name + "' is not a valid HTTP header"};
    }
  }
  if (options.connect_timeout.count() <= 0 || options.handshake_timeout.count() <= 0 ||
      options.pong_timeout.count() <= 0 || options.ping_interval.count() < 0) {
    return {ErrorCode::InvalidArgument,
            "timeouts must be positive (ping_interval may be zero to turn heartbeats off)"};
  }
  if (options.max_queued_messages == 0 || options.max_queued_bytes == 0) {
    return {ErrorCode::InvalidArgument,
            "ConnectOptions::max_queued_messages and max_queued_bytes must be greater than zero"};
  }
  return {};
}

}  // namespace

Error prepare_connect_request(ConnectOptions options, transport::TransportRequest& request) {
  if (auto error = check_options(options)) return error;
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
