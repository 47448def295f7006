#pragma once
// A transport started beside the one that carries (or tries to carry) the connection
// (docs/emulation.md section 11): the race's emulated create beside an unanswered upgrade, and
// the upgrade's native handshake beside an open emulated connection. It either carries the
// connection on or ends without a trace.

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "tether/error.hpp"
#include "transport/transport.hpp"

namespace tether::session {

class TransportLeg;

/// The session as a leg reports to it: the events of a transport, once the leg carries the
/// connection, and before that the two outcomes the session decides on. Called on the I/O thread.
class LegReferee : public transport::TransportListener {
 public:
  /// `leg` opened while it was still beside the connection.
  virtual void on_leg_open(const TransportLeg& leg, const transport::OpenInfo& info) = 0;
  /// `leg` failed, was challenged, or ran out of time while it was still beside the connection;
  /// `response` is its handshake's refusal, if any. The leg's transport has ended.
  virtual void on_leg_failed(const TransportLeg& leg, const Error& error,
                             const transport::HandshakeResponse& response) = 0;

 protected:
  ~LegReferee() = default;
};

/// The transport started beside the connection, and the listener that says where its events come
/// from. While beside, it runs its own connect and handshake deadlines and reports to the
/// referee's on_leg_*; once it carries the connection (carry_on()) it forwards every event as the
/// transport's; once discarded (discard()) it lets its handshake finish, closes at once the
/// session that handshake made or took on the gateway, and reports nothing.
///
/// Thread-safety: I/O thread only. Held by a shared_ptr (the transport holds it weakly); while it
/// is beside the connection or discarded, its pending deadline holds it too.
class TransportLeg final : public transport::TransportListener,
                           public std::enable_shared_from_this<TransportLeg> {
 public:
  /// `exchange` names the leg's handshake request in its timeout errors ("the emulated
  /// connection's create request for ...").
  TransportLeg(asio::io_context& io, std::shared_ptr<transport::Transport> transport,
               std::weak_ptr<LegReferee> referee, std::chrono::milliseconds handshake_timeout,
               std::string exchange);

  /// Starts the handshake of `request`.
  void start(transport::TransportRequest request);
  const std::shared_ptr<transport::Transport>& transport() const noexcept { return transport_; }
  /// Its TCP connection is up: the handshake request is out.
  bool connected() const noexcept { return connected_; }
  /// From now on it carries the connection: its deadlines stop (the session arms its own) and
  /// every event goes to the referee as a transport's.
  void carry_on();
  /// Not wanted: a handshake still in flight finishes, and the session it made or took on the
  /// gateway is closed at once (at once too when it has just opened); nothing is reported. Its
  /// deadlines still bound it.
  void discard();
  /// As discard(), but a handshake whose connected event has not come is let finish too: a
  /// transport may have sent its request before the event reaches the leg.
  void discard_after_handshake();
  /// Ends it now, without a closing handshake (the client is going away).
  void abort();

  // transport::TransportListener, from the leg's transport.
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
  enum class Role { Beside, Carrying, Discarded, Ended };

  void arm(std::chrono::milliseconds after, Error error);
  void expired(const Error& error);
  /// Ends an opened leg with a closing handshake, which ends its session on the gateway.
  void close_opened();

  asio::steady_timer deadline_;
  const std::shared_ptr<transport::Transport> transport_;
  const std::weak_ptr<LegReferee> referee_;
  const std::chrono::milliseconds handshake_timeout_;
  const std::string exchange_;
  Role role_ = Role::Beside;
  bool connected_ = false;
  bool opened_ = false;
};

}  // namespace tether::session
