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
#include "tether/error.hpp"
#include "transport/transport.hpp"
#include "transport/transport_factory.hpp"

namespace tether::session {

/// The session as the race's emulated leg reports to it: the events of a transport, once the leg
/// carries the connection, and before that the two outcomes the session decides on. Called on the
/// I/O thread.
class RaceReferee : public transport::TransportListener {
 public:
  /// The emulated leg opened while the native attempt was still pending (or probing).
  virtual void on_race_leg_open(const transport::OpenInfo& info) = 0;
  /// The emulated leg failed, was challenged, or ran out of time while the native attempt was
  /// still pending; `response` is the create's refusal, if any. The leg's transport has ended.
  virtual void on_race_leg_failed(const Error& error,
                                  const transport::HandshakeResponse& response) = 0;

 protected:
  ~RaceReferee() = default;
};

/// The emulated transport started beside the native one, and the listener that says where its
/// events come from. While it races, it runs its own connect and handshake deadlines and reports
/// to the referee's on_race_leg_*; once it carries the connection (carry_on()) it forwards every
/// event as the transport's; once it lost (discard()) it lets its create finish, closes at once
/// the session that create made on the gateway, and reports nothing.
///
/// Thread-safety: I/O thread only. Held by a shared_ptr (the transport holds it weakly); while it
/// races or is discarded, its pending deadline holds it too.
class RaceLeg final : public transport::TransportListener,
                      public std::enable_shared_from_this<RaceLeg> {
 public:
  RaceLeg(asio::io_context& io, std::shared_ptr<transport::Transport> transport,
          std::weak_ptr<RaceReferee> referee, const HandshakeAttempt& attempt);

  /// Starts the create with `request`.
  void start(transport::TransportRequest request);
  const std::shared_ptr<transport::Transport>& transport() const noexcept { return transport_; }
  /// Its TCP connection is up: the create request is out.
  bool connected() const noexcept { return connected_; }
  /// From now on it carries the connection: its deadlines stop (the session arms its own) and
  /// every event goes to the referee as a transport's.
  void carry_on();
  /// It lost: a create still in flight finishes, and the session it made is closed at once on
  /// the gateway; nothing is reported. Its deadlines still bound it.
  void discard();
  /// Ends it now, without a closing handshake (the client is going away).
  void abort();

  // transport::TransportListener, from the emulated transport.
  void on_transport_connected() override;
  void on_transport_open(const transport::OpenInfo& info) override;
  void on_transport_message(const Message& message) override;
  void on_transport_pong(std::string_view payload) override;
  void on_transport_control(const control::ControlMessage& message) override;
  void on_transport_failed(const Error& error,
                           const transport::HandshakeResponse& response) override;
  void on_transport_closed(const CloseInfo& close) override;
  void on_transport_cookies(const std::vector<std::string>& set_cookies) override;
  void on_transport_writable() override;

 private:
  enum class Role { Racing, Carrying, Discarded, Ended };

  void arm(std::chrono::milliseconds after, Error error);
  void expired(const Error& error);

  asio::steady_timer deadline_;
  const std::shared_ptr<transport::Transport> transport_;
  const std::weak_ptr<RaceReferee> referee_;
  const std::chrono::milliseconds handshake_timeout_;
  const Error handshake_late_;  // names the create request
  Role role_ = Role::Racing;
  bool connected_ = false;
};

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
             std::weak_ptr<RaceReferee> referee);
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
  std::shared_ptr<RaceLeg> racing_;
  std::shared_ptr<RaceLeg> carrier_;
};

}  // namespace tether::session
