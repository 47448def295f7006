#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <functional>

namespace tether::test {

// Listens on 127.0.0.1 on a port the OS chooses (bound by the constructor, which throws
// boost::system::system_error on failure) and passes every accepted socket to on_accept on io's
// thread, until io stops.
class LoopbackAcceptor {
 public:
  using AcceptHandler = std::function<void(boost::asio::ip::tcp::socket)>;

  LoopbackAcceptor(boost::asio::io_context& io, AcceptHandler on_accept);

  std::uint16_t port() const { return port_; }

 private:
  void accept_next();

  boost::asio::ip::tcp::acceptor acceptor_;
  AcceptHandler on_accept_;
  std::uint16_t port_;
};

}  // namespace tether::test
