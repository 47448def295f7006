#pragma once

#include <memory>

namespace tether {

/// The thread that runs clients' I/O and calls their callbacks. One I/O thread serves many
/// connections (1,000 and more). By default every client of the process shares
/// IoContext::shared(); an application that wants to spread connections over cores creates more
/// contexts and hands each client one.
///
/// Thread-safety: all members are safe from any thread. Destroying the last reference from the
/// context's own thread (from a callback) is allowed: the thread is then detached and ends by
/// itself.
class IoContext {
 public:
  /// Starts the I/O thread.
  IoContext();
  /// Stops the thread after the work in progress; pending operations are abandoned.
  ~IoContext();
  IoContext(const IoContext&) = delete;
  IoContext& operator=(const IoContext&) = delete;

  /// The process-wide context, created on first use and kept for the life of the process.
  static std::shared_ptr<IoContext> shared();

  /// True when called from this context's I/O thread (that is, from a callback).
  bool running_in_this_thread() const noexcept;

 private:
  struct Impl;
  // The SDK's own layers reach the Asio context through it (core/io_context_impl.hpp).
  friend Impl& io_context_impl(IoContext& io) noexcept;

  std::shared_ptr<Impl> impl_;  // shared with the I/O thread, which may outlive this object
};

}  // namespace tether
