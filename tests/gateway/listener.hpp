#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>

namespace tether::gateway {

// Accepts TCP connections on 127.0.0.1:port (0: the OS chooses) and hands each socket, with
// TCP_NODELAY set, to on_accept. Binding happens in the constructor, which throws
// boost::system::system_error when the port cannot be bound. Accepting starts with start().
class Listener {
 public:
  using AcceptHandler = std::function<void(boost::asio::ip::tcp::socket)>;

  Listener(boost::asio::io_context& io, std::uint16_t port, AcceptHandler on_accept);

  void start();
  std::uint16_t port() const;

 private:
  void accept_next();

  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  AcceptHandler on_accept_;
};

}  // namespace tether::gateway
