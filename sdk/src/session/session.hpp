#pragma once
// The session: the state machine of one Client, driving its parts (docs/architecture.md, "The
// session").

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "session/ack_schedule.hpp"
#include "session/backoff.hpp"
#include "session/event_queue.hpp"
#include "session/handshake_attempt.hpp"
#include "session/heartbeat.hpp"
#include "session/open_probe.hpp"
#include "session/resume_stream.hpp"
#include "session/revalidation_exchange.hpp"
#include "session/state_machine.hpp"
#include "session/timeout.hpp"
#include "session/transport_leg.hpp"
#include "session/transport_race.hpp"
#include "session/transport_upgrade.hpp"
#include "tether/client.hpp"
#include "transport/transport.hpp"
#include "transport/transport_factory.hpp"

namespace tether {
class CookieJar;
}

namespace tether::auth {
class ProtectionSpaceCache;
}

namespace tether::session {

/// What a Client is: the state machine, which takes each event (a call, a transport's event, a
/// timer, a control message) through the transition it implies and hands the work to its parts:
/// the HandshakeAttempt of the current connect(), the connect and handshake Timeouts, the
/// Heartbeat, the RevalidationExchange the gateway asked for, the EventQueue, the transports its
/// TransportFactory makes, under TransportPolicy::Auto the TransportRace between them and the
/// OpenProbe of a native open, and, with reconnect on, the ResumeStream of outgoing messages, the
/// AckSchedule of incoming ones, the Backoff between attempts (docs/reconnect.md) and the
/// TransportUpgrade that moves an emulated connection to the native transport.
///
/// Threading: transitions, timers and transport events run on the I/O thread, except the two
/// transitions a caller starts (connect → Connecting, close → Closing), which are made under
/// `mutex_` on the caller's thread. Every event is queued under `mutex_` in the order it happened
/// and delivered on the I/O thread, so callbacks always see transitions in order.
///
/// Thread-safety: the public members are safe from any thread. Always held by a shared_ptr.
class Session : public LegReferee, public std::enable_shared_from_this<Session> {
 public:
  Session(std::shared_ptr<IoContext> io, std::shared_ptr<transport::TransportFactory> transports);
  virtual ~Session() = default;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Runs `change` on the handlers, on the I/O thread.
  void update_handlers(std::function<void(Handlers&)> change);
  Error connect(ConnectOptions options);
  Error send(MessageKind kind, std::string_view payload, std::uint64_t* number);
  Error close(std::uint16_t code, std::string_view reason);
  Error ping(std::string_view payload);
  /// For ~Client: waits until the session has let its transport go; afterwards no handler runs.
  /// The handlers themselves are destroyed with this object, since ~Client may run inside one.
  void shut_down();

  State state() const noexcept { return machine_.state(); }
  TransportKind transport_kind() const;
  std::string subprotocol() const;
  std::optional<TlsInfo> tls_info() const;

  // TransportListener, I/O thread only.
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
  // LegReferee, I/O thread only: the race's emulated leg, or the upgrade's native one.
  void on_leg_open(const TransportLeg& leg, const transport::OpenInfo& info) override;
  void on_leg_failed(const TransportLeg& leg, const Error& error,
                     const transport::HandshakeResponse& response) override;

 private:
  template <class Function>
  void run_on_io_thread(Function function);

  // I/O thread only.
  void start(transport::TransportRequest request);
  void launch_handshake();
  void fail_attempt(const Error& error, const transport::HandshakeResponse& response);
  void fall_back(const Error& native_error);
  void start_race();
  void on_race_leg_open(const transport::OpenInfo& info);
  void on_race_leg_failed(const Error& error, const transport::HandshakeResponse& response);
  // The upgrade in place (docs/emulation.md section 11).
  void start_upgrade();
  void on_upgrade_open(const transport::OpenInfo& info);
  void on_upgrade_failed(const Error& error, const transport::HandshakeResponse& response);
  /// The upgrade ended without moving the connection: what it held back goes on.
  void after_upgrade();
  /// After fall_back(): the race's emulated leg, if one runs, becomes the attempt's transport.
  bool carry_on_with_race_leg();
  void arm_connect_timeout(const http::Url& url);
  void arm_handshake_timeout();
  void probe_passed();
  /// The attempt's transport opened (and passed its probe): Open, or Reconnecting ends.
  void enter_open(const transport::OpenInfo& info);
  void start_heartbeat();
  void authenticate(const transport::HandshakeResponse& response);
  void on_challenge_answered(const Error& error, std::optional<auth::AuthorizationHeader> header,
                             bool for_proxy);
  void finish_attempt(const Error& error);
  /// A connection attempt is in flight: Connecting, or an attempt made while Reconnecting.
  bool attempting() const;
  /// The current connect() has reconnect on (I/O thread: send() reads reconnect_enabled_).
  bool reconnects() const;
  void abort_transport();
  void open_first(const transport::OpenInfo& info);
  // Reconnect (docs/reconnect.md).
  void start_reconnecting(const Error& reason);
  void schedule_reconnect(const Error& reason);
  void launch_reconnect();
  void reconnect_attempt_failed(const Error& error);
  void finish_reconnect(const transport::OpenInfo& info);
  void send_ack();
  void report_writable();
  void on_control(const control::Revalidate& request);
  void on_control(const control::RevalidationResult& result);
  void on_control(const control::Denied& denied);
  void on_control(const control::AuthorizationChanged& changed);
  void on_control(const control::ResumeToken& token);
  void on_control(const control::Ack& ack);
  void on_revalidation_finished(const RevalidationEnd& end);
  /// Under mutex_: the connection ends during a revalidation, which fails with `reason`.
  void end_revalidation_locked(const Error& reason);
  void arm(Timeout& timeout, std::chrono::milliseconds after, Error error);
  bool send_ping(std::string_view payload);
  void cancel_timers();
  void deliver_events();
  void report_transport(Error reason);

  /// Under mutex_.
  void transition_locked(State to);

  const std::shared_ptr<IoContext> io_;
  const std::shared_ptr<transport::TransportFactory> transports_;
  // Answers remembered per protection space for the client's lifetime, shared by each
  // connect()'s HandshakeAttempt.
  const std::shared_ptr<auth::ProtectionSpaceCache> answers_;
  // The cookies of a client without an application jar, for the client's lifetime, in memory.
  const std::shared_ptr<CookieJar> own_cookies_;
  EventQueue events_;
  Timeout connect_timeout_;                  // I/O thread only
  Timeout handshake_timeout_;                // I/O thread only
  Heartbeat heartbeat_;                      // I/O thread only
  Timeout reconnect_timer_;                  // I/O thread only
  Timeout ack_timer_;                        // I/O thread only
  TransportRace race_;                       // I/O thread only: of the current attempt
  OpenProbe probe_;                          // I/O thread only: of the current attempt
  TransportUpgrade upgrade_;                 // I/O thread only: of the open connection
  std::optional<HandshakeAttempt> attempt_;  // I/O thread only: of the current connect()
  // The revalidation in progress, while Revalidating. I/O thread only.
  std::shared_ptr<RevalidationExchange> revalidation_;
  // When the latest ping went out, for Pong::elapsed. I/O thread only.
  std::chrono::steady_clock::time_point last_ping_sent_;

  // Reconnect, with ConnectOptions::reconnect on. I/O thread only unless said.
  ResumeStream stream_;  // its own lock: send() uses it from any thread
  AckSchedule acks_;
  std::optional<Backoff> backoff_;  // of the current connect()
  bool resume_on_ = false;          // the connection up negotiated resume
  bool reconnect_attempt_running_ = false;
  unsigned reconnect_attempts_ = 0;  // since the drop
  std::chrono::steady_clock::time_point dropped_at_;
  // The gateway's latest RESUME_TOKEN, and when it expires once the connection dropped.
  std::string resume_token_;
  std::chrono::milliseconds resume_window_{0};
  std::chrono::steady_clock::time_point resume_token_expiry_;
  // While the upgrade's handshake runs, the end of the emulated connection, which the gateway
  // may have ended for the resume: the upgrade's outcome says what it means, or close()'s task
  // when close() came before the outcome (the state is Closing until the task runs).
  std::optional<CloseInfo> held_close_;
  // After close() during the upgrade: the close the application sees, however the emulated
  // connection ends.
  std::optional<CloseInfo> closed_over_upgrade_;
  // After the upgrade: the gateway's first messages on the native transport that the emulated
  // one had delivered already, after the resume offer's count.
  std::uint64_t replayed_to_skip_ = 0;

  mutable std::mutex mutex_;
  StateMachine machine_;                             // changed under mutex_
  std::shared_ptr<transport::Transport> transport_;  // guarded by mutex_
  TransportKind kind_ = TransportKind::None;         // guarded by mutex_: of the last attempt
  std::string subprotocol_;                          // guarded by mutex_
  std::optional<TlsInfo> tls_;                       // guarded by mutex_: of the last open
  bool reconnect_enabled_ = false;                   // guarded by mutex_: of the last connect()
};

}  // namespace tether::session
