#pragma once
// When a client acknowledges the gateway's messages on a session with resume on
// (docs/control-channel.md section 5.5): once 64 messages or 1 MiB have come since the last ACK,
// and at the latest 250 ms after the first one not acknowledged.

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace tether::session {

/// Counts the gateway's application messages received on the session, and says when to send
/// ACK. The session sends it and arms the timer.
///
/// Thread-safety: a value type; the session uses it on the I/O thread only.
class AckSchedule {
 public:
  static constexpr std::size_t messages_per_ack = 64;
  static constexpr std::size_t bytes_per_ack = std::size_t{1} << 20;
  static constexpr std::chrono::milliseconds max_delay{250};

  /// A new session, or the same session resumed with `received` messages taken so far.
  void start(std::uint64_t received) {
    received_ = acknowledged_ = received;
    bytes_since_ack_ = 0;
  }

  /// A message of `bytes` came: true when an ACK is due at once.
  bool on_message(std::size_t bytes) {
    ++received_;
    bytes_since_ack_ += bytes;
    return received_ - acknowledged_ >= messages_per_ack || bytes_since_ack_ >= bytes_per_ack;
  }

  /// This message is the first not acknowledged: the caller arms the max_delay timer.
  bool first_unacknowledged() const { return received_ - acknowledged_ == 1; }
  /// Some messages are not acknowledged yet.
  bool pending() const { return received_ != acknowledged_; }

  /// The count the ACK carries; from now on it counts as acknowledged.
  std::uint64_t take() {
    acknowledged_ = received_;
    bytes_since_ack_ = 0;
    return received_;
  }

  std::uint64_t received() const { return received_; }

 private:
  std::uint64_t received_ = 0;
  std::uint64_t acknowledged_ = 0;
  std::size_t bytes_since_ack_ = 0;
};

}  // namespace tether::session
