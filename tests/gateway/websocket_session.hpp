#pragma once

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <optional>
#include <string>

#include "gateway_context.hpp"
#include "service.hpp"

namespace tether::gateway {

using UpgradeRequest = boost::beast::http::request<boost::beast::http::string_body>;

// Completes the WebSocket handshake for an upgrade request already read from stream, answering
// with subprotocol when set, then serves the connection with service until it ends.
void start_websocket_session(boost::beast::tcp_stream stream, UpgradeRequest request,
                             std::optional<std::string> subprotocol, Service& service,
                             GatewayContext& context);
void start_websocket_session(boost::beast::ssl_stream<boost::beast::tcp_stream> stream,
                             UpgradeRequest request, std::optional<std::string> subprotocol,
                             Service& service, GatewayContext& context);

}  // namespace tether::gateway
