#pragma once

#include "gateway_config.hpp"
#include "service.hpp"

namespace tether::gateway {

// /echo: sends every message back with the same type, in order, and every control message back
// in its place among them (so that tests see the control channel work both ways). With the
// close_after_messages fault it closes the connection with the configured code after that many
// echoes.
class EchoService final : public Service {
 public:
  explicit EchoService(const FaultConfig& faults) : faults_(faults) {}

  void on_open(const std::shared_ptr<Connection>&) override {}
  void on_message(Connection& connection, WebSocketMessage message) override;
  void on_control(Connection& connection, const control::ControlMessage& message) override {
    connection.send_control(message);
  }
  void on_close(Connection&) override {}

 private:
  const FaultConfig& faults_;
};

}  // namespace tether::gateway
