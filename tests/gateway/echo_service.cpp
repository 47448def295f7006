#include "echo_service.hpp"

#include <utility>

namespace tether::gateway {

void EchoService::on_message(Connection& connection, WebSocketMessage message) {
  connection.send(std::move(message));
  if (faults_.close_after_messages != 0 &&
      connection.messages_received() == faults_.close_after_messages) {
    connection.close(faults_.close_code);
  }
}

}  // namespace tether::gateway
