#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "auth/authenticator.hpp"
#include "connection_guards.hpp"
#include "droppable_connections.hpp"
#include "emulation/create_admission.hpp"
#include "gateway_config.hpp"
#include "gateway_stats.hpp"
#include "service.hpp"
#include "upgrade_decision.hpp"

namespace tether::gateway {

class EmulatedSessions;
class ResumableSessions;

// What every session shares: the config, the counters, the authenticator, the services by path,
// what /_control reads and changes, and the connections' guards.
// Owned by GatewayServer; sessions use it only from their handlers, never from their destructors,
// because pending handlers (and so sessions) may outlive the server while the io_context shuts
// down.
struct GatewayContext {
  const GatewayConfig& config;
  GatewayStats& stats;
  Authenticator& authenticator;
  std::map<std::string, Service*, std::less<>> services;
  EmulatedSessions& emulated_sessions;
  // Sessions of the unresponsive_after_open fault: with no read pending nothing else keeps them
  // (and their sockets) alive, so the gateway holds them until it stops.
  std::vector<std::shared_ptr<void>> unresponsive_sessions;
  // /_control (docs/gateway.md): the secret of the ready line, the upgrade fault it sets, the
  // connections it drops.
  std::string control_secret;
  UpgradeFault upgrade_fault;
  DroppableConnections droppable_connections;
  // The caps on emulated creates: live sessions, creates per client address.
  CreateAdmission create_admission;
  // Live-session security: the guards of live connections, and the rights they copy, which
  // /_control's grant and revoke change.
  ConnectionGuards& connection_guards;
  // Resumable sessions (docs/gateway.md "Resume") and their tokens.
  ResumableSessions& resumable_sessions;
  // /_control's black_hole: while on, requests (but those to /_stats and /_control) are never
  // answered; what it stopped is held here, as nothing else keeps it, until end_black_hole drops
  // it.
  bool black_hole = false;
  std::vector<std::shared_ptr<Droppable>> black_holed;
};

}  // namespace tether::gateway
