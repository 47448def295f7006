#include "gateway_server.hpp"

#include <utility>

#include "http_session.hpp"
#include "server_tls_context.hpp"

namespace tether::gateway {

GatewayServer::GatewayServer(boost::asio::io_context& io, GatewayConfig config)
    : config_(std::move(config)),
      echo_(config_.faults),
      ticker_(io, config_.ticker_interval),
      context_{config_, stats_, {{"/echo", &echo_}, {"/ticker", &ticker_}}, {}},
      ws_listener_(io, config_.ws_port, [this](boost::asio::ip::tcp::socket socket) {
        start_http_session(std::move(socket), context_);
      }) {
  if (config_.tls) {
    tls_context_.emplace(make_server_tls_context(*config_.tls));
    wss_listener_.emplace(io, config_.wss_port, [this](boost::asio::ip::tcp::socket socket) {
      start_https_session(std::move(socket), *tls_context_, context_);
    });
    wss_listener_->start();
  }
  ws_listener_.start();
}

std::optional<std::uint16_t> GatewayServer::wss_port() const {
  if (!wss_listener_) return std::nullopt;
  return wss_listener_->port();
}

}  // namespace tether::gateway
