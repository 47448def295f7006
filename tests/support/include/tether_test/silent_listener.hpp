#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace tether::test {

// A TCP server on 127.0.0.1 (a port the OS chooses) that accepts connections and never sends a
// byte nor closes them, for tests of connect, TLS handshake and WebSocket handshake timeouts. It
// serves from a thread of its own; the destructor closes every connection and joins the thread.
//
// Thread safety: port(), accepted() and wait_for_accepted() may be called from any thread.
class SilentListener {
 public:
  SilentListener();
  ~SilentListener();

  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;

  std::uint16_t port() const;
  std::size_t accepted() const;  // connections accepted so far
  // Waits up to timeout until count connections were accepted; returns whether they were.
  bool wait_for_accepted(std::size_t count, std::chrono::milliseconds timeout) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace tether::test
