#pragma once
// The SDK's view of an IoContext: the Asio context and the one thread that runs it. Only the SDK's
// own layers include this header; it keeps Asio out of the public surface.

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <memory>
#include <thread>

#include "tether/io_context.hpp"

namespace tether {

struct IoContext::Impl {
  asio::io_context io{1};
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  std::thread thread;
  std::thread::id thread_id;
  /// The http::CurlMulti objects that the context's emulated connections over http:// share
  /// (CurlMulti::shared_for_plain_http); typed void because the core layer knows nothing of
  /// libcurl. The I/O thread's.
  std::shared_ptr<void> plain_http_multis;
};

/// The Asio context and thread behind `io`.
/// Thread-safety: safe from any thread; the Asio context is thread-safe, the rest is the I/O
/// thread's.
inline IoContext::Impl& io_context_impl(IoContext& io) noexcept { return *io.impl_; }

/// Stops the shared IoContext's thread and waits for it, if the shared context exists and this is
/// not its thread; does nothing the second time. Registered with std::atexit by
/// core::prepare_exit (core/exit_actions.hpp), so that the never-destroyed shared thread does not
/// run handlers while static objects are being destroyed.
///
/// Thread-safety: call at exit only.
void stop_shared_io_context() noexcept;

}  // namespace tether
