#pragma once

#include <boost/beast/core/flat_buffer.hpp>
#include <memory>

namespace tether::gateway {

// One whole WebSocket message. The payload is shared so that a broadcast is built once for every
// receiver, and an echo hands back the very buffer it was read into, without a copy.
struct WebSocketMessage {
  std::shared_ptr<const boost::beast::flat_buffer> payload;
  bool is_text = false;
};

}  // namespace tether::gateway
