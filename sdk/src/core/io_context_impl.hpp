#pragma once
// The SDK's view of an IoContext: the Asio context and the one thread that runs it. Only the SDK's
// own layers include this header; it keeps Asio out of the public surface.

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <thread>

#include "tether/io_context.hpp"

namespace tether {

struct IoContext::Impl {
  asio::io_context io{1};
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  std::thread thread;
  std::thread::id thread_id;
};

}  // namespace tether
