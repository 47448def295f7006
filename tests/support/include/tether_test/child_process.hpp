#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace tether::test {

// A program run as a child process: standard input is /dev/null, standard output is a pipe read
// line by line with read_stdout_line, standard error goes to stderr_file (a file, so that a
// chatty child never blocks on a full pipe, and a failing test can show what it said).
// The destructor terminates the child if it is still running, and the child is killed (SIGKILL)
// when the test process dies, however it dies (a crash, a sanitizer's halt, a timeout's SIGKILL):
// no test leaves a process behind. Throws std::runtime_error when the program cannot be started.
//
// Thread safety: distinct objects: safe. Shared objects: unsafe.
class ChildProcess {
 public:
  ChildProcess(const std::filesystem::path& program, const std::vector<std::string>& arguments,
               const std::filesystem::path& stderr_file);
  ~ChildProcess();

  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The next line of standard output without its newline (at the end of the output, the last
  // line even without one); nullopt when no line is complete within timeout, or when the output
  // has ended and everything has been read.
  std::optional<std::string> read_stdout_line(std::chrono::milliseconds timeout);

  // The exit status once the child has exited (128 + N when killed by signal N); nullopt when it
  // is still running after timeout.
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);

  // SIGTERM, then SIGKILL when the child has not exited within grace; returns the exit status.
  int terminate(std::chrono::milliseconds grace = std::chrono::seconds(5));

  // The child's process id, valid until its exit status has been read.
  pid_t process_id() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string stdout_buffer_;
  std::optional<int> exit_status_;
};

}  // namespace tether::test
