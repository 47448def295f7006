#pragma once

#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "connection_guard.hpp"
#include "control/control_message.hpp"
#include "gateway_config.hpp"
#include "gateway_stats.hpp"
#include "live_authorization.hpp"
#include "rights.hpp"

namespace tether::gateway {

// The guards of every live connection of /echo and /ticker (docs/gateway.md "Live-session
// security"), filed by connection and by revalidation token: what GuardedService, the
// revalidation endpoint and /_control work with.
//
// Thread safety: use from the gateway's one thread only.
class ConnectionGuards final : public LiveAuthorization {
 public:
  ConnectionGuards(boost::asio::io_context& io, const GatewayConfig& config, GatewayStats& stats,
                   Rights& rights);

  // The connection opened: its guard copies its user's rights and, when the connection has the
  // control channel, gets a revalidation token and starts its revalidations.
  void open(const std::shared_ptr<Connection>& connection);
  // The connection ended: its guard, token and timers are forgotten.
  void close(const Connection& connection);

  // Whether message number message_number may reach the service; when the connection may not
  // send, it is refused as refuse_receive describes, for the operation send.
  bool admit_message(Connection& connection, std::uint64_t message_number);

  bool may_receive(const Connection& connection, std::string_view topic) const override;
  void refuse_receive(Connection& connection, std::uint64_t message_number,
                      std::string_view topic) override;

  // A REVALIDATION_RESULT: advisory (docs/control-channel.md section 5.2), only counted.
  void count_result(const control::RevalidationResult& result);

  // Asks every connection with the control channel, or only user's, to revalidate; returns how
  // many were sent a REVALIDATE (a connection with one pending is not asked again).
  std::size_t revalidate(const std::optional<std::string>& user);

  // The guard whose revalidation URL is service_path + "/;r/" + token, or null. The token is
  // looked up by its secret_key and confirmed in constant time.
  std::shared_ptr<ConnectionGuard> find(std::string_view service_path,
                                        std::string_view token) const;

  Rights& rights() { return rights_; }

 private:
  void refuse(Connection& connection, control::Denied denied);
  const ConnectionGuard* guard_of(const Connection& connection) const;

  boost::asio::io_context& io_;
  const GatewayConfig& config_;
  GatewayStats& stats_;
  Rights& rights_;
  std::map<const Connection*, std::shared_ptr<ConnectionGuard>> guards_;
  std::map<std::string, std::weak_ptr<ConnectionGuard>, std::less<>> by_token_key_;
};

}  // namespace tether::gateway
