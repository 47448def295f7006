#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <thread>

namespace tether::test {

// An io_context with a thread of its own that runs it until stop(), for test servers that must
// keep serving while the test thread blocks. Objects using io() must be destroyed after stop()
// and before the IoThread; handlers still pending at stop() are destroyed without running.
class IoThread {
 public:
  IoThread();
  ~IoThread();

  IoThread(const IoThread&) = delete;
  IoThread& operator=(const IoThread&) = delete;

  boost::asio::io_context& io() { return io_; }

  // Stops the io_context and joins the thread. Safe to call more than once.
  void stop();

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

}  // namespace tether::test
