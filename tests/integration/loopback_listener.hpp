#pragma once
// The sockets of the raw servers that tests script byte for byte.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace tether::test {

/// A TCP socket listening on 127.0.0.1, on a port the OS chooses (returned in `port`), with
/// `receive_buffer` bytes of SO_RCVBUF when it is not 0 (the sockets it accepts inherit it). The
/// caller closes it. Throws std::runtime_error.
inline int listen_on_loopback(std::uint16_t& port, int backlog, int receive_buffer = 0) {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  if (receive_buffer != 0) {
    ::setsockopt(listener, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::listen(listener, backlog) != 0 ||
      ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (listener >= 0) ::close(listener);
    throw std::runtime_error("cannot listen on loopback");
  }
  port = ntohs(address.sin_port);
  return listener;
}

/// Reads from `connection` through the blank line that ends a request head, into `head`; false
/// when the connection ends or fails first.
inline bool read_request_head(int connection, std::string& head) {
  char buffer[4096];
  while (head.find("\r\n\r\n") == std::string::npos) {
    const ssize_t received = ::recv(connection, buffer, sizeof buffer, 0);
    if (received <= 0) return false;
    head.append(buffer, static_cast<std::size_t>(received));
  }
  return true;
}

}  // namespace tether::test
