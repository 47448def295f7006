#pragma once
// A one-shot deadline on the I/O thread, for the session's timers.

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>

namespace tether::session {

/// Runs a function once its time has come, unless cancelled first. The function runs only while
/// `owner` lives, so a part of a shared object (the session) may arm it with a function that uses
/// the object: the timer's handler may outlive the part, the function never does.
///
/// Thread-safety: I/O thread only.
class Timeout {
 public:
  explicit Timeout(asio::io_context& io) : timer_(io) {}

  /// Runs `expired` after `after`; arming again replaces the previous deadline.
  void arm(std::weak_ptr<void> owner, std::chrono::milliseconds after,
           std::function<void()> expired);
  void cancel() { timer_.cancel(); }

 private:
  asio::steady_timer timer_;
};

}  // namespace tether::session
