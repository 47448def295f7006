#pragma once
// Pings that keep an open connection honest: a peer that stops answering is found out within
// ping_interval + pong_timeout, even when no message flows.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "session/timeout.hpp"
#include "tether/error.hpp"

namespace tether::session {

/// Sends a ping every interval and reports PeerUnresponsive when a ping is not answered within the
/// pong timeout. The deadline runs from the oldest unanswered ping: later pings do not push it
/// back.
///
/// Thread-safety: I/O thread only.
class Heartbeat {
 public:
  /// Sends one ping; false when none could be sent (the connection is no longer open), which
  /// ends the heartbeat.
  using SendPing = std::function<bool()>;
  /// The pong did not come in time.
  using PongLate = std::function<void(const Error& error)>;

  explicit Heartbeat(asio::io_context& io) : ping_timer_(io), pong_timer_(io) {}

  /// Starts pinging every `interval` (zero: never). The functions run only while `owner` lives;
  /// `peer` names the server in the error.
  void start(std::weak_ptr<void> owner, std::chrono::milliseconds interval,
             std::chrono::milliseconds pong_timeout, std::string peer, SendPing send_ping,
             PongLate pong_late);
  /// A pong came: the deadline is off.
  void on_pong();
  void stop();

 private:
  void schedule_ping();
  void ping();

  Timeout ping_timer_;
  Timeout pong_timer_;
  std::weak_ptr<void> owner_;
  std::chrono::milliseconds interval_{0};
  std::chrono::milliseconds pong_timeout_{0};
  std::string peer_;
  SendPing send_ping_;
  PongLate pong_late_;
  bool awaiting_pong_ = false;  // a ping is unanswered
};

}  // namespace tether::session
