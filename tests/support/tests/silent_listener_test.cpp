#include "tether_test/silent_listener.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <thread>

namespace tether::test {
namespace {

using boost::asio::ip::tcp;

TEST(SilentListener, AcceptsConnectionsAndNeverSendsAByte) {
  SilentListener listener;
  boost::asio::io_context io;
  tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address_v4("127.0.0.1"), listener.port()});

  // Nothing may arrive within a generous wait; the connection stays open all the while.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  socket.non_blocking(true);
  char byte = 0;
  boost::system::error_code error;
  socket.read_some(boost::asio::buffer(&byte, 1), error);
  EXPECT_EQ(error, boost::asio::error::would_block);
  EXPECT_EQ(listener.accepted(), 1U);
}

TEST(SilentListener, DestructorClosesItsConnections) {
  boost::asio::io_context io;
  tcp::socket socket(io);
  {
    SilentListener listener;
    socket.connect({boost::asio::ip::make_address_v4("127.0.0.1"), listener.port()});
    ASSERT_TRUE(listener.wait_for_accepted(1, std::chrono::seconds(5)));
  }
  char byte = 0;
  boost::system::error_code error;
  socket.read_some(boost::asio::buffer(&byte, 1), error);
  EXPECT_EQ(error, boost::asio::error::eof);
}

}  // namespace
}  // namespace tether::test
