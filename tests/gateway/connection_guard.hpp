#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "connection.hpp"
#include "gateway_config.hpp"
#include "gateway_stats.hpp"
#include "rights.hpp"

namespace tether::gateway {

// The gateway's watch over one live connection (docs/gateway.md "Live-session security"): the
// rights it works with and, when it has the control channel, its revalidations
// (docs/control-channel.md section 5.1): when to ask (the service's schedule, the expiry of the
// bearer token it was accepted with, /_control), the URL it names, the grace deadline that closes
// it with 4401, and what a success changes. Made by ConnectionGuards with make_shared; its timers'
// handlers hold it weakly, so that a guard forgotten at the connection's close does nothing more.
//
// Thread safety: use from the gateway's one thread only.
class ConnectionGuard : public std::enable_shared_from_this<ConnectionGuard> {
 public:
  using Clock = std::chrono::steady_clock;

  // revalidation_token empty: the connection has no control channel and is never asked.
  ConnectionGuard(boost::asio::io_context& io, const std::shared_ptr<Connection>& connection,
                  ServiceRights rights, const ServiceConfig& service, GatewayStats& stats,
                  std::string revalidation_token);

  // Arms the schedule and the bearer token's expiry; does nothing without a revalidation token.
  void start_revalidations();

  const ConnectionIdentity& identity() const { return identity_; }
  const ServiceRights& rights() const { return rights_; }
  const std::string& revalidation_token() const { return revalidation_token_; }
  std::shared_ptr<Connection> connection() const { return connection_.lock(); }

  // Sends REVALIDATE {a new request id, the grace, the URL} and starts the grace deadline, unless
  // a request is pending: its deadline stands, so that asking again never extends it. Returns
  // whether a REVALIDATE was sent.
  bool ask_to_revalidate();

  // The revalidation URL was answered 204 for credentials that expire at expiry (never, for a
  // password): the deadline is lifted, the next scheduled request and the expiry re-armed, and
  // the rights replaced by current, with AUTHORIZATION_CHANGED when they differ.
  void revalidated(std::optional<Clock::time_point> expiry, const ServiceRights& current);

 private:
  void schedule_next();
  void wait_for_expiry();
  void on_deadline();
  // Runs action on this guard when timer expires, unless cancelled or the guard is gone.
  void when_expired(boost::asio::steady_timer& timer, void (ConnectionGuard::*action)());
  void ask_from_timer() { ask_to_revalidate(); }

  std::weak_ptr<Connection> connection_;
  ConnectionIdentity identity_;  // a copy: the expiry moves on with each revalidation
  ServiceRights rights_;
  const ServiceConfig& service_;
  GatewayStats& stats_;
  const std::string revalidation_token_;
  boost::asio::steady_timer schedule_timer_;
  boost::asio::steady_timer expiry_timer_;
  boost::asio::steady_timer deadline_timer_;
  std::uint32_t last_request_id_ = 0;
  bool pending_ = false;  // a REVALIDATE is waiting for its success
};

}  // namespace tether::gateway
