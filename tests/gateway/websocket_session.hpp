#pragma once

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "gateway_context.hpp"
#include "http_answer.hpp"
#include "service.hpp"
#include "upgrade_decision.hpp"

namespace tether::gateway {

using UpgradeRequest = HttpRequest;

// Completes the WebSocket handshake for an upgrade request already read from stream, answering
// with acceptance's subprotocol and cookies, then serves the connection with service until it
// ends.
void start_websocket_session(boost::beast::tcp_stream stream, UpgradeRequest request,
                             UpgradeAcceptance acceptance, Service& service,
                             GatewayContext& context);
void start_websocket_session(boost::beast::ssl_stream<boost::beast::tcp_stream> stream,
                             UpgradeRequest request, UpgradeAcceptance acceptance, Service& service,
                             GatewayContext& context);

}  // namespace tether::gateway
