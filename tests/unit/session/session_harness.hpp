#pragma once
// A session over a FakeNetwork on its own I/O thread, and a recorder of what it reports.

#include <condition_variable>
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

  /// Waits (five seconds at most) until the session has reported a transition to `state`.
  bool wait_for_state(State state);
  /// Waits (five seconds at most) until the session has reported `count` transitions.
  bool wait_for_transitions(std::size_t count);
  /// Waits (five seconds at most) until on_closed has been called.
  bool wait_for_close();

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> transitions_;
  std::vector<State> reached_;
  std::vector<Error> errors_;
  std::vector<CloseInfo> closes_;
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
  std::shared_ptr<FakeTransport> open(ConnectOptions options);
  /// The n-th transport the session started (0 for the first); the test fails without it.
  std::shared_ptr<FakeTransport> transport(std::size_t index);

  std::shared_ptr<IoContext> io = std::make_shared<IoContext>();
  std::shared_ptr<FakeNetwork> network = std::make_shared<FakeNetwork>(*io);
  SessionRecorder recorder;  // outlives the session's handlers
  std::shared_ptr<session::Session> session = std::make_shared<session::Session>(io, network);
};

/// ws://gateway.test/echo over the native transport alone, no proxy.
ConnectOptions native_options();

}  // namespace tether::testing
