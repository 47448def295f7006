#pragma once
// The bound on what a transport holds on its way out (ConnectOptions::max_queued_messages and
// max_queued_bytes), shared by both transports so that send() refuses the same way over either.

#include <cstddef>

#include "tether/error.hpp"
#include "tether/options.hpp"

namespace tether::transport {

/// How many messages, and how many payload bytes, a transport may hold before the network takes
/// them.
/// Thread-safety: a value type.
struct SendQueueLimit {
  std::size_t max_messages = 0;
  std::size_t max_bytes = 0;

  static SendQueueLimit from(const ConnectOptions& options) {
    return {options.max_queued_messages, options.max_queued_bytes};
  }
};

/// WouldBlock, naming the option reached, when a message of `size` payload bytes does not fit
/// beside `messages` messages of `bytes` bytes already held; no error when it does. A message
/// larger than max_bytes fits a queue that holds nothing, so that every message can be sent.
/// Thread-safety: safe from any thread.
Error check_send_room(const SendQueueLimit& limit, std::size_t messages, std::size_t bytes,
                      std::size_t size);

}  // namespace tether::transport
