#pragma once
// Hands events from other threads (the SDK's I/O thread, the input thread) to the main thread.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

namespace tether::cat {

/// A first-in first-out queue whose consumer can wait with a deadline.
///
/// Thread-safety: push() is safe from any thread; one thread pops.
template <typename Event>
class EventQueue {
 public:
  using Deadline = std::optional<std::chrono::steady_clock::time_point>;

  void push(Event event) {
    {
      std::lock_guard lock{mutex_};
      events_.push_back(std::move(event));
    }
    ready_.notify_one();
  }

  /// The oldest event, waiting for one until `deadline` (forever when there is none); nothing
  /// when the deadline passed first.
  std::optional<Event> pop(Deadline deadline) {
    std::unique_lock lock{mutex_};
    const auto has_event = [this] { return !events_.empty(); };
    if (deadline) {
      if (!ready_.wait_until(lock, *deadline, has_event)) return std::nullopt;
    } else {
      ready_.wait(lock, has_event);
    }
    Event event = std::move(events_.front());
    events_.pop_front();
    return event;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Event> events_;
};

}  // namespace tether::cat
