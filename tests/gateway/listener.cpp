#include "listener.hpp"

#include <chrono>
#include <iostream>
#include <utility>

namespace tether::gateway {

namespace net = boost::asio;
using net::ip::tcp;

Listener::Listener(net::io_context& io, std::uint16_t port, AcceptHandler on_accept)
    : acceptor_(io), retry_timer_(io), on_accept_(std::move(on_accept)) {
  const tcp::endpoint endpoint(net::ip::make_address_v4("127.0.0.1"), port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(net::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  // A deep backlog, for tests that open a thousand connections at once.
  acceptor_.listen(net::socket_base::max_listen_connections);
}

void Listener::start() { accept_next(); }

std::uint16_t Listener::port() const { return acceptor_.local_endpoint().port(); }

void Listener::accept_next() {
  acceptor_.async_accept([this](boost::system::error_code error, tcp::socket socket) {
    if (error == net::error::operation_aborted) return;
    if (error) {
      // Typically out of file descriptors: wait for some to be released rather than spin.
      std::cerr << "tether-gateway: accept failed: " << error.message() << '\n';
      retry_timer_.expires_after(std::chrono::milliseconds(50));
      retry_timer_.async_wait([this](boost::system::error_code timer_error) {
        if (!timer_error) accept_next();
      });
      return;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    on_accept_(std::move(socket));
    accept_next();
  });
}

}  // namespace tether::gateway
