#pragma once

#include <cstdint>

#include "websocket_message.hpp"

namespace tether::gateway {

// An open WebSocket connection as a service sees it, whatever carries it: ws, wss, or an emulated
// session (docs/emulation.md).
// Sends are queued in order; after close() further sends are dropped.
//
// Thread safety: use from the gateway's one thread only.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual void send(WebSocketMessage message) = 0;
  virtual void close(std::uint16_t close_code) = 0;
  virtual std::uint64_t messages_received() const = 0;
};

}  // namespace tether::gateway
