#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace tether::test {

// A middlebox that breaks WebSocket, as some firewalls and transparent proxies do: a server on
// 127.0.0.1 (a port the OS chooses) that relays each connection byte for byte to
// 127.0.0.1:upstream_port, except that a connection whose first request asks for a WebSocket
// upgrade ("Upgrade: websocket") never reaches upstream: the blocker writes `answer` (raw bytes,
// e.g. "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n") and closes it, or closes it at once when
// `answer` is empty. Other requests (the emulated transport's) pass. Put it in front of a
// gateway's ws port; it does not speak TLS. It serves from a thread of its own; the destructor
// closes every connection and joins the thread.
//
// Thread safety: the const members may be called from any thread.
class UpgradeBlocker {
 public:
  UpgradeBlocker(std::uint16_t upstream_port, std::string answer);
  ~UpgradeBlocker();

  UpgradeBlocker(const UpgradeBlocker&) = delete;
  UpgradeBlocker& operator=(const UpgradeBlocker&) = delete;

  std::uint16_t port() const;
  // "ws://127.0.0.1:PORT" + path.
  std::string ws_url(const std::string& path) const;
  std::size_t upgrades_blocked() const;
  std::size_t connections_relayed() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace tether::test
