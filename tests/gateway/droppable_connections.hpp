#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace tether::gateway {

// A connection that /_control's faults reach (docs/gateway.md): drop_connections closes it at
// once, as a failing network would (no close frame, no CLOSE, no chunked terminator);
// close_connections closes it cleanly; black_hole stops it without closing it.
//
// Thread safety: use from the gateway's one thread only.
class Droppable {
 public:
  virtual ~Droppable() = default;
  // Closes the connection now; its service sees it close. Returns false, doing nothing, when it
  // had already closed.
  virtual bool drop() = 0;
  // Starts the closing handshake with close_code, as the service's close() would. Returns false,
  // doing nothing, when it had already closed or is no WebSocket yet (a hung upgrade).
  virtual bool close_cleanly(std::uint16_t close_code) = 0;
  // Stops reading and writing for good, without closing anything: the peer sees silence (no
  // message, no pong, no heartbeat) on a connection still open. Only drop() ends it then. The
  // connection holds itself in `held` until dropped, as nothing else may. Returns false, doing
  // nothing, when it had already closed.
  virtual bool black_hole(std::vector<std::shared_ptr<Droppable>>& held) = 0;
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
  // Starts the closing handshake of every connection still open and returns how many.
  std::size_t close_all(std::uint16_t close_code);
  // Black-holes every connection still open (Droppable::black_hole) and returns how many.
  std::size_t black_hole_all(std::vector<std::shared_ptr<Droppable>>& held);

 private:
  std::vector<std::weak_ptr<Droppable>> connections_;
  std::size_t live_after_last_prune_ = 0;
};

}  // namespace tether::gateway
