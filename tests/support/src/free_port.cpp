#include "free_port.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace tether::test {

using boost::asio::ip::tcp;

std::uint16_t unused_loopback_port() {
  boost::asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(boost::asio::ip::make_address_v4("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

bool loopback_port_accepts(std::uint16_t port) {
  boost::asio::io_context io;
  tcp::socket socket(io);
  boost::system::error_code error;
  socket.connect({boost::asio::ip::make_address_v4("127.0.0.1"), port}, error);
  return !error;
}

}  // namespace tether::test
