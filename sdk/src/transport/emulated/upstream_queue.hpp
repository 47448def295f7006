#pragma once
// The client's frames on their way upstream (docs/emulation.md sections 5 and 7).

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>

#include "tether/error.hpp"
#include "tether/message.hpp"
#include "transport/emulated/frame_codec.hpp"
#include "transport/send_queue_limit.hpp"

namespace tether::transport::emulated {

/// Frames waiting for an upstream request, in the order of the calls that queued them: a
/// message gets its sequence number, and an application message its number
/// (docs/control-channel.md section 4), under the lock that orders the queue, so messages sent
/// from several threads keep one order on the wire. Nothing is queued after the CLOSE.
///
/// A push tells its caller whether it must arrange a drain: true for the first frame queued
/// since the last take_batch(), so that one drain is owed at a time.
///
/// The messages queued (not the batch taken for the request in flight) are bounded by a
/// SendQueueLimit; other frames are not counted: a CLOSE is sent once, PINGs at the heartbeat's
/// pace, control messages when the gateway asks for them. A refused message is remembered until
/// lift_refusal() finds room again, so that the sender hears once that it may try again
/// (TransportListener::on_transport_writable).
///
/// Thread-safety: every member is safe from any thread.
class UpstreamQueue {
 public:
  /// The bound on queued messages; until it is set, nothing is bounded.
  void set_limit(SendQueueLimit limit);

  /// Queues a TEXT or BINARY message; InvalidState once the CLOSE is queued, WouldBlock (queueing
  /// nothing) when the limit is reached. `number`, when not null, receives the message's number:
  /// 1 for the first message queued, then 2, 3...; a refused message takes none.
  Error push_message(MessageKind kind, std::string_view payload, bool& drain,
                     std::uint64_t* number = nullptr);
  /// Queues a CONTROL frame carrying `body`, an encoded control message; InvalidState once the
  /// CLOSE is queued.
  Error push_control_message(std::string_view body, bool& drain);
  /// Queues the CLOSE; false when one is already queued.
  bool push_close(std::uint16_t code, std::string_view reason, bool& drain);
  /// Queues a PING or PONG (unsequenced); dropped once the CLOSE is queued.
  void push_unsequenced(FrameType type, std::string_view payload, bool& drain);

  /// The oldest queued frames, back to back: at least one, and no more than `limit` bytes
  /// unless the first alone is larger. Empty when nothing is queued.
  std::string take_batch(std::size_t limit);

  bool close_queued() const;

  /// True once per refusal of push_message, when the messages and bytes queued are both below
  /// their bounds again (after a take_batch); the refusal is forgotten then.
  bool lift_refusal();

 private:
  /// Writes the next sequence number into `frame`, built by append_frame with sequence 0, and
  /// queues it.
  void push_sequenced_locked(std::string frame, bool& drain);
  void push_locked(std::string frame, bool& drain);
  std::string take_front_locked();

  mutable std::mutex mutex_;
  std::deque<std::string> frames_;
  SendQueueLimit limit_{SIZE_MAX, SIZE_MAX};
  std::size_t queued_messages_ = 0;
  std::size_t queued_bytes_ = 0;  // payloads of the TEXT and BINARY frames in frames_
  std::uint64_t last_sequence_ = 0;
  std::uint64_t last_message_number_ = 0;  // TEXT and BINARY only
  bool close_queued_ = false;
  bool drain_owed_ = false;
  bool refused_ = false;  // push_message refused a message since the last lift
};

}  // namespace tether::transport::emulated
