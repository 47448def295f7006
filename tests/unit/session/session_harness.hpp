#pragma once
// A session over a FakeNetwork on its own I/O thread, and a recorder of what it reports.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "fake_transport.hpp"
#include "session/session.hpp"
#include "tether/io_context.hpp"

namespace tether::testing {

/// What the session delivered to its handlers, in order. Transitions read "Idle -> Connecting".
///
/// Thread-safety: every member is safe from any thread.
class SessionRecorder {
 public:
  void install(session::Session& session);

  std::vector<std::string> transitions() const;
  std::vector<Error> errors() const;
  std::vector<CloseInfo> closes() const;
  std::vector<Revalidation> revalidations() const;
  std::vector<ReconnectAttempt> reconnect_attempts() const;
  std::vector<Reconnected> reconnections() const;
  std::size_t writables() const;
  /// Each transport on_transport_changed reported, in order (not in the timeline).
  std::vector<TransportKind> transports() const;
  /// Every event in the order delivered: "state Open -> Revalidating", "error NotAuthorized",
  /// "revalidation Started", "message hello", "closed 1000".
  std::vector<std::string> timeline() const;

  /// Waits (five seconds at most) until the session has reported a transition to `state`.
  bool wait_for_state(State state);
  /// Waits (five seconds at most) until the session has reported `count` transitions.
  bool wait_for_transitions(std::size_t count);
  /// Waits (five seconds at most) until on_closed has been called.
  bool wait_for_close();
  /// Waits (five seconds at most) until on_revalidation has been called `count` times.
  bool wait_for_revalidations(std::size_t count);
  /// Waits (five seconds at most) until on_error has been called `count` times.
  bool wait_for_errors(std::size_t count);
  /// Waits (five seconds at most) until on_reconnecting has been called `count` times.
  bool wait_for_reconnect_attempts(std::size_t count);
  /// Waits (five seconds at most) until on_reconnected has been called `count` times.
  bool wait_for_reconnections(std::size_t count);
  /// Waits (five seconds at most) until on_writable has been called `count` times.
  bool wait_for_writables(std::size_t count);
  /// Waits (five seconds at most) until on_transport_changed has been called `count` times.
  bool wait_for_transports(std::size_t count);

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> transitions_;
  std::vector<State> reached_;
  std::vector<Error> errors_;
  std::vector<CloseInfo> closes_;
  std::vector<Revalidation> revalidations_;
  std::vector<TransportKind> transports_;
  std::vector<ReconnectAttempt> reconnect_attempts_;
  std::vector<Reconnected> reconnections_;
  std::size_t writables_ = 0;
  std::vector<std::string> timeline_;
};

/// A session under test. Destroying the harness shuts the session down as ~Client does.
struct SessionHarness {
  SessionHarness();
  ~SessionHarness();
  SessionHarness(const SessionHarness&) = delete;
  SessionHarness& operator=(const SessionHarness&) = delete;

  /// connect() with `options`; a failure fails the test.
  void connect(const ConnectOptions& options);
  /// Connects over the native transport and opens: the first transport, open.
  std::shared_ptr<FakeTransport> open(const ConnectOptions& options);
  /// open(), with the control channel taken by the gateway.
  std::shared_ptr<FakeTransport> open_with_control_channel(const ConnectOptions& options);
  /// Opens with the control channel as if to ws://127.0.0.1:<port>/echo, and plays the
  /// gateway's REVALIDATE 1 of "/revalidate", whose request goes to that port; returns once the
  /// revalidation has started.
  std::shared_ptr<FakeTransport> open_revalidating(std::uint16_t port);
  /// The n-th transport the session started (0 for the first); the test fails without it.
  std::shared_ptr<FakeTransport> transport(std::size_t index);
  /// Connects, and opens the first transport with `opening`.
  std::shared_ptr<FakeTransport> open_with(const ConnectOptions& options,
                                           const std::function<void(FakeTransport&)>& opening);

  std::shared_ptr<IoContext> io = std::make_shared<IoContext>();
  std::shared_ptr<FakeNetwork> network = std::make_shared<FakeNetwork>(*io);
  SessionRecorder recorder;  // outlives the session's handlers
  std::shared_ptr<session::Session> session = std::make_shared<session::Session>(io, network);
};

/// ws://gateway.test/echo over the native transport alone, no proxy.
ConnectOptions native_options();

/// native_options() for ws://127.0.0.1:<port>/echo, whose revalidation URL "/revalidate" is
/// http://127.0.0.1:<port>/revalidate.
ConnectOptions loopback_options(std::uint16_t port);

/// Waits (five seconds at most) until `condition` holds, for what the session does in a task of
/// its own after the event the test played.
bool eventually(const std::function<bool()>& condition);

/// `options` with reconnect on and no delay between attempts, so that tests need not wait.
ConnectOptions reconnecting(ConnectOptions options);

/// A connection loss, as a transport reports it.
CloseInfo connection_lost();

}  // namespace tether::testing
