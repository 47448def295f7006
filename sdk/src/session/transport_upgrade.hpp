#pragma once
// The upgrade in place (docs/emulation.md section 11): a connection that TransportPolicy::Auto
// left on the emulated transport (the memory sent it there, or the race or the fallback did)
// moves to the native WebSocket once a background probe found that it gets through, by a
// planned resume of its session (docs/control-channel.md section 5.5) over a native handshake
// beside it.

#include <asio/io_context.hpp>
#include <cstdint>
#include <memory>

#include "control/control_negotiation.hpp"
#include "session/handshake_attempt.hpp"
#include "session/transport_leg.hpp"
#include "transport/transport.hpp"
#include "transport/transport_factory.hpp"

namespace tether::session {

/// The native handshake that offers to resume the open emulated connection's session, while it
/// runs, and the leg that carries the connection once it opened resumed. The session decides
/// when to start it, what its open means, and how the streams go over; this class owns the leg.
///
/// Thread-safety: I/O thread only.
class TransportUpgrade {
 public:
  explicit TransportUpgrade(asio::io_context& io) : io_(io) {}

  /// Starts the native handshake of `attempt`'s route (TLS, proxy, Origin, headers, the answers
  /// the connection settled, the cookies) offering `offer`; it reports to `referee`'s on_leg_*.
  void start(transport::TransportFactory& transports, const HandshakeAttempt& attempt,
             control::ResumeOffer offer, std::weak_ptr<LegReferee> referee);
  /// Whether the handshake runs: the gateway may be moving the session to it.
  bool running() const noexcept { return static_cast<bool>(resuming_); }
  /// Whether `leg` is the handshake that runs.
  bool runs(const TransportLeg& leg) const noexcept { return resuming_.get() == &leg; }
  /// How many of the gateway's messages the running handshake's offer said were received.
  std::uint64_t offered_received() const noexcept { return offered_received_; }
  /// The handshake opened resumed: its transport carries the connection from now on, and its
  /// events reach the referee as a transport's.
  std::shared_ptr<transport::Transport> carry_on();
  /// The running handshake is not wanted (the connection closes, or the gateway did not resume
  /// the session over it): it finishes, even before its connected event (its request may be out
  /// already), and the session it made or resumed on the gateway is closed once it opens.
  void cancel();
  /// Drops the running handshake, if any, without a closing handshake (a session it resumed
  /// waits for the next resume on the gateway), and lets the carrier go: the connection dropped,
  /// or ended, or the client is going away.
  void abort();

 private:
  asio::io_context& io_;
  std::shared_ptr<TransportLeg> resuming_;
  std::shared_ptr<TransportLeg> carrier_;
  std::uint64_t offered_received_ = 0;
};

}  // namespace tether::session
