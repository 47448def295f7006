#pragma once
// What the person or script running tether-cat says while it runs: lines on stdin, and SIGINT or
// SIGTERM to stop.

#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <thread>

#include "line_splitter.hpp"

namespace tether::cat {

/// Blocks SIGINT and SIGTERM in the calling thread and in every thread it starts afterwards, so
/// that they reach InputReader instead of killing the process. Call it first in main(), before
/// any thread (the SDK's I/O thread included) exists.
void block_stop_signals();

/// Watches stdin (when asked) and the stop signals on a thread of its own and reports them
/// through the handlers, which run on that thread.
///
/// Thread-safety: Distinct objects: safe. The destructor stops and joins the thread; no handler
/// runs after it returns.
class InputReader {
 public:
  struct Handlers {
    std::function<void(std::string line)> line_read;
    /// `error` is empty at end of file, or says why reading stdin failed.
    std::function<void(std::error_code error)> stdin_ended;
    std::function<void()> stop_requested;
  };

  /// Starts watching; stdin is read only when `read_stdin`. Needs block_stop_signals() first.
  /// Returns nothing and sets `error` when the signal or wake-up descriptors cannot be created.
  static std::unique_ptr<InputReader> start(bool read_stdin, Handlers handlers,
                                            std::error_code& error);
  ~InputReader();
  InputReader(const InputReader&) = delete;
  InputReader& operator=(const InputReader&) = delete;

 private:
  InputReader(bool read_stdin, Handlers handlers, int signal_fd, int wake_fd);
  void run();
  /// Reads what stdin has; returns false at end of file or on a read error, then set in `error`.
  bool read_stdin_chunk(std::error_code& error);

  Handlers handlers_;
  LineSplitter lines_;
  bool read_stdin_;
  int signal_fd_;
  int wake_fd_;
  std::thread thread_;
};

}  // namespace tether::cat
