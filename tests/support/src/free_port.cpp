#include "free_port.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <random>
#include <stdexcept>

namespace tether::test {

using boost::asio::ip::tcp;

namespace {

// Below Linux's ephemeral range (32768-60999 by default), from which the kernel gives port 0 to
// the gateways and every outgoing connection: a port drawn here is not one of theirs, and two
// tests starting servers at once draw the same one rarely, where two binds to port 0 in a row
// may well be given the same.
constexpr std::uint16_t first_port = 20000;
constexpr std::uint16_t last_port = 32767;
constexpr int draws = 100;

}  // namespace

std::uint16_t unused_loopback_port() {
  static thread_local std::mt19937 random{std::random_device{}()};
  std::uniform_int_distribution<int> ports(first_port, last_port);
  boost::asio::io_context io;
  for (int draw = 0; draw < draws; ++draw) {
    const auto port = static_cast<std::uint16_t>(ports(random));
    tcp::acceptor acceptor(io);
    boost::system::error_code error;
    acceptor.open(tcp::v4(), error);
    if (!error) acceptor.bind({boost::asio::ip::make_address_v4("127.0.0.1"), port}, error);
    if (!error) return port;
  }
  throw std::runtime_error("no free loopback port in " + std::to_string(first_port) + "-" +
                           std::to_string(last_port) + " after " + std::to_string(draws) +
                           " draws");
}

bool loopback_port_accepts(std::uint16_t port) {
  boost::asio::io_context io;
  tcp::socket socket(io);
  boost::system::error_code error;
  socket.connect({boost::asio::ip::make_address_v4("127.0.0.1"), port}, error);
  return !error;
}

}  // namespace tether::test
