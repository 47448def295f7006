#pragma once
// How much of what the native transport sent websocketpp still holds, for the bound of
// ConnectOptions::max_queued_messages and max_queued_bytes. Free of websocketpp: the transport
// hands its calls in.

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

#include "tether/error.hpp"
#include "transport/send_queue_limit.hpp"

namespace tether::transport {

/// The messages handed to websocketpp that its write queue still holds, by payload size.
///
/// websocketpp's queue is its own (connection::send queues, a write takes every queued message
/// at once); connection::get_buffered_amount() says how many payload bytes it holds. That
/// amount is read without websocketpp's lock, so it is read only where it cannot change under
/// the reader: on the I/O thread (where websocketpp takes messages for its writes and sends its
/// own control frames), under this object's lock (inside which every other thread hands its
/// messages over). reconcile() does that, and forgets the oldest messages until the rest fit in
/// the amount read. The native transport reconciles before each send made on the I/O thread (a
/// callback: the bound is then exact) and schedules one after each send made elsewhere. Between
/// reconciles the backlog counts what websocketpp may already have written: it errs on the side
/// of refusing, never of growing, and a refused send schedules a reconcile, so that the next try
/// sees what was written meanwhile. A control frame (a pong) in
/// websocketpp's queue counts towards the amount too, and so may keep a message counted a little
/// longer. An empty message adds nothing to the amount and is forgotten at the next reconcile:
/// empty messages queued behind a stalled write escape the count.
///
/// A refused admit() is remembered until lift_refusal() finds room again (below both bounds),
/// so that the sender hears once that it may try again (TransportListener::on_transport_writable).
///
/// Thread-safety: admit() is safe from any thread; reconcile() and lift_refusal() only on the I/O
/// thread.
class SendBacklog {
 public:
  /// Whether a refused message waits for room, as lift_refusal() finds it.
  enum class Refusal {
    None,      ///< no admit() was refused since the last lift
    Lifted,    ///< one was, and there is room now: the sender may try again
    Standing,  ///< one was, and there is no room yet
  };

  explicit SendBacklog(SendQueueLimit limit) : limit_(limit) {}

  /// Hands a message of `size` payload bytes over through `hand_over` (connection::send) when it
  /// fits the limit, under the lock. Returns WouldBlock without calling it when it does not fit,
  /// else hand_over's error (the message is counted only when there is none).
  Error admit(std::size_t size, const std::function<Error()>& hand_over);

  /// On the I/O thread: reads websocketpp's buffered amount through `buffered_amount` and forgets
  /// the messages it no longer holds.
  void reconcile(const std::function<std::size_t()>& buffered_amount);

  /// On the I/O thread, after reconcile(): Lifted once per refusal, when the messages and bytes
  /// held are both below their bounds again; the refusal is forgotten then.
  Refusal lift_refusal();

 private:
  std::mutex mutex_;
  const SendQueueLimit limit_;
  std::deque<std::size_t> sizes_;  // oldest first
  std::size_t bytes_ = 0;
  bool refused_ = false;  // an admit() was refused since the last lift
};

}  // namespace tether::transport
