#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace tether::test {

// A TCP server on 127.0.0.1 (a port the OS chooses) that accepts connections and never sends a
// byte nor closes them, for tests of connect, TLS handshake and WebSocket handshake timeouts. It
// serves from a thread of its own; the destructor closes every connection and joins the thread.
//
// Thread safety: port() and accepted() may be called from any thread.
class SilentListener {
 public:
  SilentListener();
  ~SilentListener();

  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;

  std::uint16_t port() const;
  std::size_t accepted() const;  // connections accepted so far

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace tether::test
