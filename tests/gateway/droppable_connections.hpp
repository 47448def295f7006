#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace tether::gateway {

// A connection that /_control's drop_connections may close at once, as a failing network would:
// no close frame, no CLOSE, no chunked terminator.
//
// Thread safety: use from the gateway's one thread only.
class Droppable {
 public:
  virtual ~Droppable() = default;
  // Closes the connection now; its service sees it close. Returns false, doing nothing, when it
  // had already closed.
  virtual bool drop() = 0;
};

// The droppable connections of the gateway, held weakly so that a list entry never keeps a
// connection alive: each adds itself once it is open (a WebSocket accepted, an upgrade hung, an
// emulated session created) and is forgotten once destroyed.
//
// Thread safety: use from the gateway's one thread only.
class DroppableConnections {
 public:
  void add(std::weak_ptr<Droppable> connection);

  // Drops every connection still open and returns how many there were.
  std::size_t drop_all();

 private:
  std::vector<std::weak_ptr<Droppable>> connections_;
  std::size_t live_after_last_prune_ = 0;
};

}  // namespace tether::gateway
