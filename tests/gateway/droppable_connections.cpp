#include "droppable_connections.hpp"

#include <algorithm>
#include <utility>

namespace tether::gateway {

void DroppableConnections::add(std::weak_ptr<Droppable> connection) {
  // Entries of ended connections are pruned whenever the list has doubled since the last prune,
  // so that a long run of short connections costs amortised constant time and bounded memory.
  if (connections_.size() >= 2 * live_after_last_prune_ + 16) {
    connections_.erase(std::remove_if(connections_.begin(), connections_.end(),
                                      [](const auto& entry) { return entry.expired(); }),
                       connections_.end());
    live_after_last_prune_ = connections_.size();
  }
  connections_.push_back(std::move(connection));
}

std::size_t DroppableConnections::drop_all() {
  // Dropping runs services' on_close, which may open or end other connections: work on a copy.
  const auto connections = std::exchange(connections_, {});
  live_after_last_prune_ = 0;
  std::size_t dropped = 0;
  for (const auto& entry : connections) {
    const auto connection = entry.lock();
    if (connection && connection->drop()) ++dropped;
  }
  return dropped;
}

std::size_t DroppableConnections::close_all(std::uint16_t close_code) {
  // Closing runs no service code at once, but a copy keeps this safe if it ever does.
  const auto connections = connections_;
  std::size_t closed = 0;
  for (const auto& entry : connections) {
    const auto connection = entry.lock();
    if (connection && connection->close_cleanly(close_code)) ++closed;
  }
  return closed;
}

std::size_t DroppableConnections::black_hole_all(std::vector<std::shared_ptr<Droppable>>& held) {
  std::size_t stopped = 0;
  for (const auto& entry : connections_) {
    const auto connection = entry.lock();
    if (connection && connection->black_hole(held)) ++stopped;
  }
  return stopped;
}

}  // namespace tether::gateway
