#include "tether_test/misbehaving_server.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <string>

namespace tether::test {
namespace {

using boost::asio::ip::tcp;

const std::string upgrade =
    "GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

TEST(MisbehavingServer, AnswersTheRequestHeadWithTheScriptedBytesAndWaitsForTheClient) {
  std::string seen_head;
  MisbehavingServer server([&seen_head](const std::string& head) {
    seen_head = head;
    return std::string("HTTP/1.1 200 OK\r\nX-Odd: yes\r\n\r\n");
  });
  boost::asio::io_context io;
  tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address_v4("127.0.0.1"), server.port()});
  boost::asio::write(socket, boost::asio::buffer(upgrade));
  std::string answer(31, '\0');
  boost::asio::read(socket, boost::asio::buffer(answer));
  EXPECT_EQ(answer, "HTTP/1.1 200 OK\r\nX-Odd: yes\r\n\r\n");
  EXPECT_EQ(seen_head, upgrade);
  EXPECT_EQ(server.requests_answered(), 1u);
}

TEST(MisbehavingServer, SwitchingProtocolsHeadCarriesTheAcceptOfTheRequestsKey) {
  // RFC 6455 section 1.3's example key and accept value.
  EXPECT_EQ(switching_protocols_head(upgrade),
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n");
}

TEST(MisbehavingServer, ServerFrameIsUnmaskedWithFinSet) {
  EXPECT_EQ(server_frame(0x8, std::string("\x03\xe7", 2)), std::string("\x88\x02\x03\xe7", 4));
}

}  // namespace
}  // namespace tether::test
