#pragma once
// Happy eyeballs between the transports (docs/emulation.md section 11): under
// TransportPolicy::Auto, when the WebSocket upgrade has not been answered FallbackOptions::
// race_delay after its TCP connection came up, the emulated create starts beside it; the first to
// open carries the connection, and the other ends without a trace on either side.

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "session/handshake_attempt.hpp"
#include "session/timeout.hpp"
#include "session/transport_leg.hpp"
#include "tether/error.hpp"
#include "transport/transport.hpp"
#include "transport/transport_factory.hpp"

namespace tether::session {

/// The race of one attempt: the delay before the emulated leg starts, the leg while it races, and
/// the leg that carries the connection once the emulation won.
///
/// Thread-safety: I/O thread only.
class TransportRace {
 public:
  explicit TransportRace(asio::io_context& io) : io_(io), delay_(io) {}

  /// The native attempt's TCP connection is up: under TransportPolicy::Auto, with a race_delay
  /// that is not zero, `start` runs after it (while `owner` lives) unless cancelled first.
  void arm(const HandshakeAttempt& attempt, std::weak_ptr<void> owner, std::function<void()> start);
  /// Starts the emulated leg of `attempt`, with the answers its native handshake settled.
  void start(transport::TransportFactory& transports, const HandshakeAttempt& attempt,
             std::weak_ptr<LegReferee> referee);
  /// Whether an emulated leg races now.
  bool running() const noexcept { return static_cast<bool>(racing_); }
  /// The racing leg carries the connection on: its transport (null when none races), whose
  /// events reach the referee from now on as a transport's.
  std::shared_ptr<transport::Transport> carry_on();
  /// Whether the leg that carries on has its TCP connection.
  bool carrier_connected() const noexcept { return carrier_ && carrier_->connected(); }
  /// The native attempt was answered or ended: no race starts (a leg already racing goes on).
  void cancel_start() { delay_.cancel(); }
  /// The native transport won (or the session gave up): no race starts, and a racing leg is
  /// discarded without a trace.
  void cancel();
  /// cancel(), and the session let the transport the carrier forwards for go.
  void reset();
  /// Ends everything at once (the client is going away).
  void abort();

 private:
  asio::io_context& io_;
  Timeout delay_;
  std::shared_ptr<TransportLeg> racing_;
  std::shared_ptr<TransportLeg> carrier_;
};

}  // namespace tether::session
