#include "guarded_service.hpp"

#include <utility>
#include <variant>

namespace tether::gateway {

void GuardedService::on_open(const std::shared_ptr<Connection>& connection) {
  guards_.open(connection);
  service_.on_open(connection);
}

void GuardedService::on_message(Connection& connection, WebSocketMessage message) {
  if (!guards_.admit_message(connection, connection.messages_received())) return;
  service_.on_message(connection, std::move(message));
}

void GuardedService::on_control(Connection& connection, const control::ControlMessage& message) {
  if (const auto* result = std::get_if<control::RevalidationResult>(&message)) {
    guards_.count_result(*result);
  }
  service_.on_control(connection, message);
}

void GuardedService::on_close(Connection& connection) {
  service_.on_close(connection);
  guards_.close(connection);
}

}  // namespace tether::gateway
