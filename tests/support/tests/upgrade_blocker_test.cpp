#include "tether_test/upgrade_blocker.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <string>

#include "tether_test/gateway.hpp"

namespace tether::test {
namespace {

using boost::asio::ip::tcp;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// Writes `request` to the blocker and returns everything it answers until it closes.
std::string send_to(const UpgradeBlocker& blocker, const std::string& request) {
  boost::asio::io_context io;
  tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address_v4("127.0.0.1"), blocker.port()});
  boost::asio::write(socket, boost::asio::buffer(request));
  std::string answer;
  boost::system::error_code ignored;
  boost::asio::read(socket, boost::asio::dynamic_buffer(answer), ignored);
  return answer;
}

const std::string upgrade =
    "GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

TEST(UpgradeBlocker, AnswersAnUpgradeItselfWithTheGivenBytes) {
  Gateway gateway;
  UpgradeBlocker blocker(gateway.ws_port(), "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(send_to(blocker, upgrade), "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(blocker.upgrades_blocked(), 1u);
  EXPECT_EQ(blocker.connections_relayed(), 0u);
}

TEST(UpgradeBlocker, ClosesAnUpgradeWithoutAWordWhenTheAnswerIsEmpty) {
  Gateway gateway;
  UpgradeBlocker blocker(gateway.ws_port(), "");
  EXPECT_EQ(send_to(blocker, upgrade), "");
  EXPECT_EQ(blocker.upgrades_blocked(), 1u);
}

TEST(UpgradeBlocker, RelaysOtherRequestsToTheUpstream) {
  Gateway gateway;
  UpgradeBlocker blocker(gateway.ws_port(), "HTTP/1.1 403 Forbidden\r\n\r\n");
  const std::string answer =
      send_to(blocker, "GET /_stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_THAT(answer, StartsWith("HTTP/1.1 200"));
  EXPECT_THAT(answer, HasSubstr("open_connections"));
  EXPECT_EQ(blocker.connections_relayed(), 1u);
  EXPECT_EQ(blocker.upgrades_blocked(), 0u);
}

}  // namespace
}  // namespace tether::test
