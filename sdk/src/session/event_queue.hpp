#pragma once
// The events of one session, queued in the order they happened and delivered to the
// application's handlers in that order.

#include <atomic>
#include <deque>
#include <mutex>
#include <variant>

#include "session/state_machine.hpp"
#include "tether/client.hpp"

namespace tether::session {

/// The application's handlers, as Client's setters gave them.
struct Handlers {
  Client::StateHandler state;
  Client::MessageHandler message;
  Client::ErrorHandler error;
  Client::CloseHandler close;
  Client::TransportHandler transport;
  Client::PongHandler pong;
  Client::RevalidationHandler revalidation;
  Client::ReconnectingHandler reconnecting;
  Client::ReconnectedHandler reconnected;
  Client::WritableHandler writable;
};

/// The queue has room again after a WouldBlock.
struct Writable {};

/// The transport the attempts of a connect() now use, and the failure that made Auto fall back
/// (code None for the first).
struct TransportChange {
  TransportKind kind;
  Error reason;
};

/// Transitions, transport changes, errors, revalidations and closes, queued by whichever thread
/// made them happen (under the session's lock, so that the queue's order is the order of the
/// transitions) and delivered one at a time on the I/O thread. A handler may call back into the
/// session (close(), connect()) or destroy the Client: deliver() is re-entrant, and the caller
/// keeps the session alive.
///
/// Thread-safety: push() and has_events() are safe from any thread; every other member, and
/// the handlers, only on the I/O thread.
class EventQueue {
 public:
  using Event = std::variant<Transition, TransportChange, Error, Revalidation, ReconnectAttempt,
                             Reconnected, Writable, CloseInfo>;

  void push(Event event);
  /// A cheap check without the lock, for the message path.
  bool has_events() const noexcept { return has_events_.load(std::memory_order_acquire); }

  /// Delivers the queued events in order. A re-entrant call (from a handler) leaves the new
  /// events to the loop already running.
  void deliver();
  /// Delivers a message. Deliver the events queued before it first.
  void deliver_message(const Message& message);
  /// Delivers a pong. Deliver the events queued before it first.
  void deliver_pong(const Pong& pong);

  /// For ~Client: drops the queued events and delivers nothing from now on.
  void detach();

  Handlers handlers;  // I/O thread only

 private:
  void deliver_one(Event& event);

  std::mutex mutex_;
  std::deque<Event> events_;  // guarded by mutex_
  std::atomic<bool> has_events_{false};
  bool delivering_ = false;  // I/O thread only
  bool detached_ = false;    // I/O thread only
};

}  // namespace tether::session
