#pragma once

#include <memory>

#include "connection.hpp"
#include "websocket_message.hpp"

namespace tether::gateway {

// What a path (/echo, /ticker) does with its connections. on_open is called once the handshake
// has succeeded and on_close once the connection has ended; a service that keeps a connection
// beyond one call holds it weakly, so that it never keeps a dead connection alive.
class Service {
 public:
  virtual ~Service() = default;
  virtual void on_open(const std::shared_ptr<Connection>& connection) = 0;
  virtual void on_message(Connection& connection, WebSocketMessage message) = 0;
  // A control message from the client (docs/control-channel.md section 5), of a known type;
  // the connection's transport has already checked it. Most services have nothing to do with one.
  virtual void on_control(Connection&, const control::ControlMessage&) {}
  virtual void on_close(Connection& connection) = 0;
};

}  // namespace tether::gateway
