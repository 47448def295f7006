#pragma once
// A TCP port on 127.0.0.1 that takes connections (the kernel completes them) and never answers:
// a revalidation request to it stays in progress until the test ends it.

#include <cstdint>

namespace tether::testing {

/// Listens on a port the OS chooses and never accepts: connections wait in the backlog.
///
/// Thread-safety: every member is safe from any thread.
class SilentListener {
 public:
  SilentListener();
  ~SilentListener();
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  /// Whether a connection is waiting to be accepted (taking it out of the backlog).
  bool has_connection();

 private:
  int socket_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace tether::testing
