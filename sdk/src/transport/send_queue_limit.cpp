#include "transport/send_queue_limit.hpp"

#include <algorithm>
#include <string>

namespace tether::transport {

Error check_send_room(const SendQueueLimit& limit, std::size_t messages, std::size_t bytes,
                      std::size_t size) {
  // Sent again later, the message goes out; a WouldBlock says so, and how full the queue is.
  constexpr const char* retry = ": nothing was queued; send it again once the queue has drained";
  if (messages >= limit.max_messages) {
    return {ErrorCode::WouldBlock, "the send queue holds " + std::to_string(messages) +
                                       " messages, ConnectOptions::max_queued_messages" + retry};
  }
  if (messages != 0 && size > limit.max_bytes - std::min(bytes, limit.max_bytes)) {
    return {ErrorCode::WouldBlock, "the send queue holds " + std::to_string(bytes) + " bytes; " +
                                       std::to_string(size) +
                                       " more would pass ConnectOptions::max_queued_bytes (" +
                                       std::to_string(limit.max_bytes) + ")" + retry};
  }
  return {};
}

}  // namespace tether::transport
