#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <string>

namespace tether::test {

// Relays bytes both ways between client and upstream until both directions have ended, passing
// each end-of-stream on as a shutdown of the other side, then closes both. already_received, the
// bytes read from client beyond the CONNECT request, goes upstream first. Runs on the sockets'
// io_context; nothing to keep alive.
void start_tunnel(boost::asio::ip::tcp::socket client, boost::asio::ip::tcp::socket upstream,
                  std::string already_received);

}  // namespace tether::test
