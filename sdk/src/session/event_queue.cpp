#include "session/event_queue.hpp"

#include <type_traits>

namespace tether::session {

void EventQueue::push(Event event) {
  std::lock_guard lock(mutex_);
  events_.push_back(std::move(event));
  has_events_.store(true, std::memory_order_release);
}

void EventQueue::deliver() {
  if (delivering_ || detached_) return;
  delivering_ = true;
  for (;;) {
    Event event;
    {
      std::lock_guard lock(mutex_);
      if (events_.empty()) {
        has_events_.store(false, std::memory_order_release);
        break;
      }
      event = std::move(events_.front());
      events_.pop_front();
    }
    if (detached_) break;
    deliver_one(event);
  }
  delivering_ = false;
}

void EventQueue::deliver_message(const Message& message) {
  if (handlers.message && !detached_) handlers.message(message);
}

void EventQueue::deliver_pong(const Pong& pong) {
  if (handlers.pong && !detached_) handlers.pong(pong);
}

void EventQueue::detach() {
  detached_ = true;
  std::lock_guard lock(mutex_);
  events_.clear();
}

void EventQueue::deliver_one(Event& event) {
  std::visit(
      [this](auto& value) {
        using Type = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<Type, Transition>) {
          if (handlers.state) handlers.state(value.from, value.to);
        } else if constexpr (std::is_same_v<Type, TransportChange>) {
          if (handlers.transport) handlers.transport(value.kind, value.reason);
        } else if constexpr (std::is_same_v<Type, Error>) {
          if (handlers.error) handlers.error(value);
        } else if constexpr (std::is_same_v<Type, Revalidation>) {
          if (handlers.revalidation) handlers.revalidation(value);
        } else if constexpr (std::is_same_v<Type, ReconnectAttempt>) {
          if (handlers.reconnecting) handlers.reconnecting(value);
        } else if constexpr (std::is_same_v<Type, Reconnected>) {
          if (handlers.reconnected) handlers.reconnected(value);
        } else if constexpr (std::is_same_v<Type, Writable>) {
          if (handlers.writable) handlers.writable();
        } else {
          if (handlers.close) handlers.close(value);
        }
      },
      event);
}

}  // namespace tether::session
