#pragma once
// Runs work on an IoContext's thread from a test's thread, for the SDK's parts whose members
// belong to the I/O thread (a Transport, a CurlMulti).

#include <asio/post.hpp>
#include <future>
#include <utility>

#include "core/io_context_impl.hpp"
#include "tether/io_context.hpp"

namespace tether::test {

/// Runs `task` on `io`'s thread and returns what it returned, once it has.
template <class Task>
auto on_io_thread(IoContext& io, Task task) {
  std::packaged_task<decltype(task())()> packaged(std::move(task));
  auto result = packaged.get_future();
  asio::post(io_context_impl(io).io, [&packaged] { packaged(); });
  return result.get();
}

}  // namespace tether::test
