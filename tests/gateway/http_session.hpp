#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "gateway_context.hpp"

namespace tether::gateway {

// Serves one accepted TCP connection: reads HTTP requests, answers GET /_stats, 404 and refusals
// itself, and hands accepted upgrades to a WebSocket session.
void start_http_session(boost::asio::ip::tcp::socket socket, GatewayContext& context);

// The same over TLS: the TLS handshake comes first, with tls_context's certificate and policy.
// tls_context must outlive the session's handlers.
void start_https_session(boost::asio::ip::tcp::socket socket,
                         boost::asio::ssl::context& tls_context, GatewayContext& context);

}  // namespace tether::gateway
