#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "auth/authenticator.hpp"
#include "auth/users_file.hpp"
#include "connection_guards.hpp"
#include "echo_service.hpp"
#include "emulation/emulated_sessions.hpp"
#include "gateway_config.hpp"
#include "gateway_context.hpp"
#include "gateway_stats.hpp"
#include "guarded_service.hpp"
#include "listener.hpp"
#include "resume/resumable_sessions.hpp"
#include "rights.hpp"
#include "ticker_service.hpp"

namespace tether::gateway {

// The whole gateway: services, counters, and the ws (and, with TLS, wss) listeners, all on io.
// The constructor reads the users file and binds the ports, and throws when it cannot (an unusable
// users file, a port in use, an unusable certificate). Destroy it before io: sessions still pending
// in io must not outlive io itself.
class GatewayServer {
 public:
  GatewayServer(boost::asio::io_context& io, GatewayConfig config);

  GatewayServer(const GatewayServer&) = delete;
  GatewayServer& operator=(const GatewayServer&) = delete;

  std::uint16_t ws_port() const { return ws_listener_.port(); }
  std::optional<std::uint16_t> wss_port() const;
  // What a /_control request must carry: random, fresh at every start, for the ready line.
  const std::string& control_secret() const { return context_.control_secret; }

 private:
  GatewayConfig config_;
  GatewayStats stats_;
  std::optional<UsersFile> users_;
  Authenticator authenticator_;
  Rights rights_;
  ConnectionGuards connection_guards_;  // before the services, which use it until destroyed
  EchoService echo_;
  TickerService ticker_;
  // What the transports see of each service: it wrapped in live-session security.
  GuardedService guarded_echo_;
  GuardedService guarded_ticker_;
  EmulatedSessions emulated_sessions_;
  ResumableSessions resumable_sessions_;
  GatewayContext context_;
  std::optional<boost::asio::ssl::context> tls_context_;
  Listener ws_listener_;
  std::optional<Listener> wss_listener_;
};

}  // namespace tether::gateway
