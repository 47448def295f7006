#pragma once
// websocketpp's message manager (its con_msg_manager concept) for the native transport: keeps the
// payload buffers of messages websocketpp has finished with and hands them out again. websocketpp's
// own manager allocates every message afresh, and with 64 KiB messages glibc then gives the heap
// back to the system and takes it again for every message (a page fault per 4 KiB touched).
// Free of websocketpp: `Message` is websocketpp::message_buffer::message<MessageRecycler>.

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace tether::transport {

/// One connection's messages (websocketpp makes one manager per connection). A message whose
/// last owner lets go comes back here, and its payload buffer serves a later message, as long as
/// the kept buffers stay within kept_bytes_limit and kept_messages_limit: a connection keeps at
/// most that much after a burst, and an idle connection that never carried a message keeps
/// nothing.
///
/// Thread-safety: safe from any thread (the application's send and websocketpp's reads on the I/O
/// thread both ask for messages; a message comes back on whichever thread drops it last).
template <class Message>
class MessageRecycler : public std::enable_shared_from_this<MessageRecycler<Message>> {
 public:
  // websocketpp's concept names these types.
  using ptr = std::shared_ptr<MessageRecycler>;
  using weak_ptr = std::weak_ptr<MessageRecycler>;
  using message_ptr = std::shared_ptr<Message>;

  /// What the kept messages may hold together, in bytes of payload capacity: sixteen 64 KiB
  /// messages, enough for a stream of them with many in flight.
  static constexpr std::size_t kept_bytes_limit = std::size_t{1024} * 1024;
  /// How many messages may be kept, however small.
  static constexpr std::size_t kept_messages_limit = 64;

  /// An empty message with nothing set, as websocketpp's own manager gives (for control frames
  /// whose size it does not know yet): not recycled.
  message_ptr get_message() { return std::make_shared<Message>(this->shared_from_this()); }

  /// An empty message of opcode `opcode` with room for `size` payload bytes, on a kept buffer
  /// when there is one. `Opcode` is websocketpp::frame::opcode::value.
  template <class Opcode>
  message_ptr get_message(Opcode opcode, std::size_t size) {
    std::unique_ptr<Message> message = take_kept();
    if (message) {  // back to what a new message holds, but for its payload's capacity
      message->set_opcode(opcode);
      message->set_prepared(false);
      message->set_fin(true);
      message->set_terminal(false);
      message->set_compressed(false);
      message->set_header(std::string());
      message->get_raw_payload().clear();
      message->get_raw_payload().reserve(size);
    } else {
      message = std::make_unique<Message>(this->shared_from_this(), opcode, size);
    }
    return message_ptr(message.release(), Return{this->weak_from_this()});
  }

  /// The capacity of the payload buffers kept now (for tests).
  std::size_t kept_bytes() const {
    std::lock_guard lock(mutex_);
    return kept_bytes_;
  }

 private:
  /// The deleter of the messages get_message(opcode, size) gives: back to the recycler while it
  /// lives and has room, else deleted.
  struct Return {
    weak_ptr recycler;
    void operator()(Message* message) const {
      std::unique_ptr<Message> owned(message);
      if (auto alive = recycler.lock()) alive->keep(std::move(owned));
    }
  };

  std::unique_ptr<Message> take_kept() {
    std::lock_guard lock(mutex_);
    if (kept_.empty()) return nullptr;
    std::unique_ptr<Message> message = std::move(kept_.back());
    kept_.pop_back();
    kept_bytes_ -= message->get_payload().capacity();
    return message;
  }

  /// Keeps `message` if there is room; else it is deleted with the parameter, after the lock.
  void keep(std::unique_ptr<Message> message) {
    const std::size_t capacity = message->get_payload().capacity();
    std::lock_guard lock(mutex_);
    if (kept_.size() == kept_messages_limit || kept_bytes_ + capacity > kept_bytes_limit) return;
    kept_bytes_ += capacity;
    kept_.push_back(std::move(message));
  }

  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Message>> kept_;  // most recently returned last
  std::size_t kept_bytes_ = 0;
};

}  // namespace tether::transport
