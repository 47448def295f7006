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

namespace tether::transport::emulated {

/// Frames waiting for an upstream request, in the order of the calls that queued them: a
/// message gets its sequence number under the lock that orders the queue, so messages sent
/// from several threads keep one order on the wire. Nothing is queued after the CLOSE.
///
/// A push tells its caller whether it must arrange a drain: true for the first frame queued
/// since the last take_batch(), so that one drain is owed at a time.
///
/// Thread-safety: every member is safe from any thread.
class UpstreamQueue {
 public:
  /// Queues a TEXT or BINARY message; InvalidState once the CLOSE is queued.
  Error push_message(MessageKind kind, std::string_view payload, bool& drain);
  /// Queues the CLOSE; false when one is already queued.
  bool push_close(std::uint16_t code, std::string_view reason, bool& drain);
  /// Queues a PING or PONG (unsequenced); dropped once the CLOSE is queued.
  void push_control(FrameType type, std::string_view payload, bool& drain);

  /// The oldest queued frames, back to back: at least one, and no more than `limit` bytes
  /// unless the first alone is larger. Empty when nothing is queued.
  std::string take_batch(std::size_t limit);

  bool close_queued() const;

 private:
  void push_locked(std::string frame, bool& drain);

  mutable std::mutex mutex_;
  std::deque<std::string> frames_;
  std::uint64_t last_sequence_ = 0;
  bool close_queued_ = false;
  bool drain_owed_ = false;
};

}  // namespace tether::transport::emulated
