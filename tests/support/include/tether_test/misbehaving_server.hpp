#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace tether::test {

// A server that breaks HTTP or WebSocket on purpose, for tests of what the client then reports:
// on 127.0.0.1 (a port the OS chooses), it reads each connection's first request head and
// writes answer(head), raw bytes, back; then it reads and drops whatever the client sends and
// closes only when the client does (or at destruction), so that the client alone decides when
// to give up. It serves from a thread of its own; the destructor closes every connection and
// joins the thread. Plain TCP only.
//
// Thread safety: the const members may be called from any thread; `answer` is called on the
// server's thread.
class MisbehavingServer {
 public:
  using Answer = std::function<std::string(const std::string& request_head)>;

  explicit MisbehavingServer(Answer answer);
  ~MisbehavingServer();

  MisbehavingServer(const MisbehavingServer&) = delete;
  MisbehavingServer& operator=(const MisbehavingServer&) = delete;

  std::uint16_t port() const;
  // "ws://127.0.0.1:PORT" + path.
  std::string ws_url(const std::string& path) const;
  std::size_t requests_answered() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The start of a valid 101 answer to a WebSocket upgrade `request_head` (its
// Sec-WebSocket-Accept computed from the request's key), without the blank line that ends it, so
// that a test can add headers: end it with "\r\n".
std::string switching_protocols_head(const std::string& request_head);

// An unmasked server frame: FIN set, `opcode`, and `payload` (under 126 bytes).
std::string server_frame(unsigned opcode, const std::string& payload);

}  // namespace tether::test
