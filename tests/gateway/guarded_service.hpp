#pragma once

#include <memory>

#include "connection_guards.hpp"
#include "service.hpp"

namespace tether::gateway {

// Wraps a service with the gateway's live-session security (docs/gateway.md "Live-session
// security"), so that neither the service nor the transports deal with it: every connection gets
// a guard at its open and loses it at its close, a message its user may not send is refused
// (DENIED) instead of reaching the service, and REVALIDATION_RESULTs are counted. The service's
// own messages (/ticker's subscriptions) are the service's to read; it asks the guards through
// LiveAuthorization.
//
// Thread safety: use from the gateway's one thread only.
class GuardedService final : public Service {
 public:
  GuardedService(Service& service, ConnectionGuards& guards) : service_(service), guards_(guards) {}

  void on_open(const std::shared_ptr<Connection>& connection) override;
  void on_message(Connection& connection, WebSocketMessage message) override;
  void on_control(Connection& connection, const control::ControlMessage& message) override;
  void on_close(Connection& connection) override;

 private:
  Service& service_;
  ConnectionGuards& guards_;
};

}  // namespace tether::gateway
