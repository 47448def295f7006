#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "control/control_message.hpp"
#include "rights.hpp"
#include "websocket_message.hpp"

namespace tether::gateway {

// Who opened a connection, and on which service: what authorization and revalidation
// (docs/control-channel.md) decide from.
struct ConnectionIdentity {
  std::string service_path;  // "/echo"
  std::string user;          // whom the credentials named; empty when the service asks none
  // When those credentials stop being accepted (a bearer token's expiry), if ever.
  std::optional<std::chrono::steady_clock::time_point> credentials_expiry;
  bool over_tls = false;  // opened on the wss listener
  // The user's rights on the service when the handshake (the upgrade, the emulated create) was
  // accepted: a connection works with those until its next revalidation, even when the service
  // sees it open later (an emulated session joins its service at its first request).
  std::optional<ServiceRights> rights;
};

// An open WebSocket connection as a service sees it, whatever carries it: ws, wss, or an emulated
// session (docs/emulation.md).
// Sends are queued in order; after close() further sends are dropped.
//
// Thread safety: use from the gateway's one thread only.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual void send(WebSocketMessage message) = 0;
  virtual void close(std::uint16_t close_code) = 0;
  // The application messages received so far; during Service::on_message, the number of the
  // message being handled (docs/control-channel.md section 4).
  virtual std::uint64_t messages_received() const = 0;
  virtual const ConnectionIdentity& identity() const = 0;
  // Whether the client offered the control channel and the handshake accepted it.
  virtual bool has_control_channel() const = 0;
  // Sends a control message in its place among the messages sent; dropped without the control
  // channel or after close().
  virtual void send_control(const control::ControlMessage& message) = 0;
  // Once the connection has ended: whether it ended with a closing handshake, a close (a close
  // frame, a CLOSE) sent or received, rather than a drop (the network failed, a downstream was
  // lost, /_control dropped it). Only a drop leaves a resumable session waiting for its resume
  // (docs/control-channel.md section 5.5).
  virtual bool closed_cleanly() const = 0;
};

}  // namespace tether::gateway
