#pragma once

#include "gateway_config.hpp"
#include "service.hpp"

namespace tether::gateway {

// /echo: sends every message back with the same type, in order, and every control message too
// (docs/control-channel.md: whatever the client sends, a REVALIDATION_RESULT say, comes back in
// its place among the messages, so that tests see both directions of the control channel). With
// the close_after_messages fault it closes the connection with the configured code after that
// many echoes.
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
