#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tether/client.hpp"

namespace tether::test {

/// Records what a Client reports about coming back by itself (on_reconnecting, on_reconnected,
/// on_transport_changed, on_writable), each with the moment it was reported, for tests to wait
/// on and to hold against the reconnect policy. It installs only those handlers, so it records
/// beside an EventRecorder on the same client; like it, it may be destroyed before the client.
///
/// Thread-safety: the recording side runs on the client's I/O thread, the waiting side on the
/// test's threads; every member is safe from any thread.
class ReconnectRecorder {
 public:
  using Clock = std::chrono::steady_clock;

  struct TimedAttempt {
    Clock::time_point at;
    ReconnectAttempt attempt;
  };
  struct TimedReconnected {
    Clock::time_point at;
    Reconnected reconnected;
  };
  struct TimedTransportChange {
    Clock::time_point at;
    TransportKind transport;
    Error reason;
  };

  explicit ReconnectRecorder(Client& client);

  /// Each waits up to `timeout` until at least `count` such events were reported, and returns
  /// whether they were.
  bool wait_for_attempts(std::size_t count, std::chrono::milliseconds timeout);
  bool wait_for_reconnected(std::size_t count, std::chrono::milliseconds timeout);
  bool wait_for_writable(std::size_t count, std::chrono::milliseconds timeout);

  std::vector<TimedAttempt> attempts() const;
  std::vector<TimedReconnected> reconnections() const;
  std::vector<TimedTransportChange> transport_changes() const;
  std::size_t writable_count() const;

  /// Every attempt and reconnection reported so far, one a line, with its time relative to the
  /// first, for the message of a failed expectation.
  std::string describe() const;

 private:
  struct Record {
    mutable std::mutex mutex;
    std::condition_variable changed;
    std::vector<TimedAttempt> attempts;
    std::vector<TimedReconnected> reconnections;
    std::vector<TimedTransportChange> transport_changes;
    std::size_t writable = 0;
  };

  bool wait(std::chrono::milliseconds timeout, const std::function<bool()>& condition);

  std::shared_ptr<Record> record_ = std::make_shared<Record>();
};

/// Sends `text`, waiting for on_writable (reported to `reconnects`) each time the bounded queue
/// answers WouldBlock. Returns the send's error: none once it was queued, another failure at
/// once, or the last WouldBlock when on_writable did not come within `timeout`.
Error send_when_room(Client& client, ReconnectRecorder& reconnects, const std::string& text,
                     std::chrono::milliseconds timeout);

}  // namespace tether::test
