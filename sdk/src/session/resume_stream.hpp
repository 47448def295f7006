#pragma once
// The application's outgoing messages of a client with reconnect on (docs/reconnect.md): one
// numbered stream across the client's connections, kept until the gateway acknowledges them when
// the connection negotiated resume (docs/control-channel.md section 5.5), queued while no
// connection is up, and bounded by ConnectOptions::max_queued_messages and max_queued_bytes.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "tether/error.hpp"
#include "tether/message.hpp"
#include "transport/send_queue_limit.hpp"
#include "transport/transport.hpp"

namespace tether::session {

/// What a connection's open settled about the messages sent before it.
struct StreamResumption {
  bool resumed = false;
  /// Sent on the previous session and never acknowledged, when it did not resume: they may be
  /// lost, and are not sent again. 0 and 0 when none.
  std::uint64_t first_unconfirmed = 0;
  std::uint64_t last_unconfirmed = 0;
};

/// Numbers the messages in the order of the send() calls, hands them to the connection that is
/// up, and keeps those the gateway may still ask for. Numbers are the stream's (the application's
/// Client::send_text() numbers); the gateway numbers the messages of its session from 1, which
/// is the stream's number minus the session's base.
///
/// Thread-safety: send() from any thread; every other member on the I/O thread. Every member
/// takes the stream's lock, and calls into the transport under it, so that messages reach the
/// transport in the order of their numbers.
class ResumeStream {
 public:
  explicit ResumeStream(transport::SendQueueLimit limit = {}) : limit_(limit) {}

  /// A new connect(): forgets everything and starts numbering from 1.
  void reset(transport::SendQueueLimit limit);

  /// Queues a message: straight to the connection when one is up and nothing waits before it,
  /// else behind the others for the next connection. WouldBlock, queueing nothing, when the
  /// bound is reached (the stream or the transport's); `number` receives its number otherwise.
  Error send(MessageKind kind, std::string_view payload, std::uint64_t* number);

  /// A connection opened. `resume_on`: its gateway acknowledges, so the messages are kept until
  /// it does. `peer_received`: the session resumed and the gateway had received that many of
  /// its messages. Hands the connection what is due (a resumed session's replay, then what was
  /// queued). ProtocolError when the gateway claims more messages than were sent.
  Error attach(std::shared_ptr<transport::Transport> transport, bool resume_on,
               std::optional<std::uint64_t> peer_received, StreamResumption& resumption);
  /// The connection dropped or closed: messages queue until the next attach().
  void detach();
  /// The transport has room again after a WouldBlock: hands it what waits.
  void flush();
  /// The gateway's ACK: it has received `received` messages of its session. ProtocolError when
  /// that is more than were sent, or fewer than an earlier ACK said.
  Error acknowledge(std::uint64_t received);
  /// True once when a send() was refused and there is room now; the caller reports on_writable.
  bool take_writable();

  /// The stream's number of the gateway session's message `gateway_number`.
  std::uint64_t stream_number(std::uint64_t gateway_number) const;

 private:
  struct Kept {
    std::uint64_t number;
    MessageKind kind;
    std::string payload;
  };

  // Under mutex_.
  void hand_over_locked();
  void pop_front_locked();
  bool has_room_locked() const;

  mutable std::mutex mutex_;
  transport::SendQueueLimit limit_;
  // From the first message the gateway may still need (not acknowledged) or that waits, to the
  // last numbered. The first `handed_` went to the current transport.
  std::deque<Kept> kept_;
  std::size_t kept_bytes_ = 0;
  std::size_t handed_ = 0;
  std::uint64_t last_number_ = 0;   // the last number given
  std::uint64_t last_handed_ = 0;   // the last number handed to any connection
  std::uint64_t acked_ = 0;         // the last number the gateway acknowledged
  std::uint64_t session_base_ = 0;  // stream number = gateway number + session_base_
  std::shared_ptr<transport::Transport> transport_;  // null while no connection is up
  bool resume_on_ = false;
  bool refused_ = false;  // a send() got WouldBlock since the last take_writable()
};

}  // namespace tether::session
