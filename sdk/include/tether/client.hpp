#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "tether/error.hpp"
#include "tether/io_context.hpp"
#include "tether/message.hpp"
#include "tether/options.hpp"
#include "tether/state.hpp"
#include "tether/tls_info.hpp"

namespace tether {

/// A WebSocket connection to a gateway, with one state machine (tether/state.hpp) that reports
/// every transition.
///
/// ```
/// tether::Client client;
/// client.on_message([](const tether::Message& m) { std::cout << m.data << '\n'; });
/// tether::ConnectOptions options;
/// options.url = "wss://gateway.example.com/echo";
/// if (auto error = client.connect(options)) std::cerr << error.message << '\n';
/// ```
///
/// Callbacks run on the client's IoContext thread, one at a time and in the order the events
/// happened. From a callback you may call any member, including connect(), send_*(), close(), and
/// destroy the client.
///
/// Thread-safety: every member function is safe to call from any thread. Distinct objects: safe.
class Client {
 public:
  using StateHandler = std::function<void(State from, State to)>;
  using MessageHandler = std::function<void(const Message& message)>;
  using ErrorHandler = std::function<void(const Error& error)>;
  using CloseHandler = std::function<void(const CloseInfo& close)>;
  using TransportHandler = std::function<void(TransportKind transport, const Error& reason)>;
  using PongHandler = std::function<void(const Pong& pong)>;
  using RevalidationHandler = std::function<void(const Revalidation& revalidation)>;
  using ReconnectingHandler = std::function<void(const ReconnectAttempt& attempt)>;
  using ReconnectedHandler = std::function<void(const Reconnected& reconnected)>;
  using WritableHandler = std::function<void()>;

  /// A client whose I/O runs on `io` (the process-wide context by default).
  explicit Client(std::shared_ptr<IoContext> io = IoContext::shared());
  /// Closes the connection (code 1001, going away) without waiting for the closing handshake.
  /// Once the destructor returns no callback of this client runs any more, unless the destructor
  /// is called from one of this client's own callbacks, which then finishes normally.
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  /// Each setter replaces its handler. Set them before connect(): an event already being
  /// delivered when a handler is replaced goes to the old one.
  void on_state_changed(StateHandler handler);
  void on_message(MessageHandler handler);
  /// Failures: connect failures, TLS, handshake refusals, timeouts, protocol errors. A failure
  /// that ends the connection is followed by on_closed carrying the same Error. A drop that the
  /// reconnect policy mends is not one: on_reconnecting reports it.
  void on_error(ErrorHandler handler);
  /// Called once when a connection that connect() started has ended, whatever the cause.
  void on_closed(CloseHandler handler);
  /// Called when a connection attempt starts on a transport: once per connect() and per
  /// reconnect attempt with the one the policy starts with (Native for Auto, or Emulated when
  /// the FallbackMemory remembers the gateway: code None, and a message saying so), and once
  /// more with Emulated when Auto falls back, `reason` then being the native failure that made
  /// it fall back (code None otherwise). Once more, with Native and code None, when the upgrade
  /// in place moves an open emulated connection to the native transport (FallbackOptions::
  /// upgrade): no state change comes with it.
  void on_transport_changed(TransportHandler handler);
  /// Called for every pong the peer sends: answers to ping() and to the heartbeat's pings
  /// (ConnectOptions::ping_interval), and unsolicited ones.
  void on_pong(PongHandler handler);
  /// Called when the gateway asks the client to revalidate its credentials on a live connection
  /// (phase Started, with the state Revalidating) and when that ends (Succeeded or Failed, with
  /// the state back to Open). Only over a connection that negotiated the control channel
  /// (docs/control-channel.md); the challenge handler answers the revalidation's challenges.
  void on_revalidation(RevalidationHandler handler);
  /// With ConnectOptions::reconnect on: called when a dropped connection goes Reconnecting and
  /// after each attempt that failed, with the next attempt's number and delay.
  void on_reconnecting(ReconnectingHandler handler);
  /// Called when a reconnect succeeded (the state is Open again): whether the session resumed,
  /// and which messages may be lost when it did not.
  void on_reconnected(ReconnectedHandler handler);
  /// Called once after send_text() or send_binary() returned WouldBlock, when the queue has room
  /// again (its first message was taken by the network or, with resume, acknowledged).
  void on_writable(WritableHandler handler);

  /// Starts connecting and returns at once. Options that cannot work (a malformed URL, a CA file
  /// that does not load) and calls in a state other than Idle or Closed return an Error and
  /// change nothing; everything that happens later is reported through the callbacks.
  Error connect(ConnectOptions options);

  /// Queues a message. Returns InvalidState unless the state is Open, Revalidating or
  /// Reconnecting, and WouldBlock, queueing nothing, while ConnectOptions::max_queued_messages or
  /// max_queued_bytes are reached (on_writable tells when to send again). Messages are sent in
  /// the order of the calls that queued them, whatever thread made them. While Reconnecting they
  /// wait for the connection to come back.
  ///
  /// `number`, when given, receives the message's number: 1 for the first message queued since
  /// connect() opened the connection, then 2, 3..., going on across reconnects
  /// (docs/control-channel.md section 4). A NotAuthorized error names a refused message by it
  /// (Error::message_id), and Reconnected the messages a new session may have lost.
  Error send_text(std::string_view text, std::uint64_t* number = nullptr);
  Error send_binary(std::string_view bytes, std::uint64_t* number = nullptr);

  /// Sends a ping carrying `payload` (at most 125 bytes, RFC 6455 section 5.5); on_pong reports
  /// the answer. Returns InvalidArgument for a longer payload and InvalidState unless the state
  /// is Open. Pings go out on the I/O thread: one that races the connection's end is not sent.
  Error ping(std::string_view payload = {});

  /// Starts the closing handshake with `code` (RFC 6455 section 7.4) and `reason` (at most 123
  /// bytes). While connecting, abandons the attempt. on_closed follows.
  Error close(std::uint16_t code = 1000, std::string_view reason = {});

  /// The current state; it may change as soon as it is read.
  State state() const noexcept;
  /// The transport of the current connection (None unless Connecting..Closing): Emulated from
  /// the moment TransportPolicy::Auto falls back to the HTTP emulation.
  TransportKind transport() const noexcept;
  /// The subprotocol the server selected, empty when none.
  std::string subprotocol() const;
  /// The TLS session of the connection that opened last, over wss (native) or https (emulated):
  /// set when the state becomes Open, kept after it closes, cleared by the next connect()'s
  /// handshake; nullopt over ws and http. Safe from any thread, like every member.
  std::optional<TlsInfo> tls_info() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace tether
