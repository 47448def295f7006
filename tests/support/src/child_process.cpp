#include "tether_test/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>
#include <utility>

extern char** environ;

namespace tether::test {
namespace {

using Clock = std::chrono::steady_clock;

// posix_spawn's file actions, released however spawning ends.
class SpawnActions {
 public:
  SpawnActions() { posix_spawn_file_actions_init(&actions_); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&actions_); }
  SpawnActions(const SpawnActions&) = delete;
  SpawnActions& operator=(const SpawnActions&) = delete;
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

int exit_status_of(int wait_status) {
  return WIFSIGNALED(wait_status) ? 128 + WTERMSIG(wait_status) : WEXITSTATUS(wait_status);
}

int remaining_milliseconds(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

}  // namespace

ChildProcess::ChildProcess(const std::filesystem::path& program,
                           const std::vector<std::string>& arguments,
                           const std::filesystem::path& stderr_file) {
  int stdout_pipe[2];
  if (pipe2(stdout_pipe, O_CLOEXEC) != 0) {
    throw std::runtime_error(std::string("ChildProcess: pipe failed: ") + std::strerror(errno));
  }
  SpawnActions actions;
  posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(actions.get(), stdout_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(actions.get(), STDERR_FILENO, stderr_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);

  std::vector<std::string> argument_strings{program.string()};
  argument_strings.insert(argument_strings.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& argument : argument_strings) argv.push_back(argument.data());
  argv.push_back(nullptr);

  const int error =
      posix_spawn(&pid_, program.c_str(), actions.get(), nullptr, argv.data(), environ);
  close(stdout_pipe[1]);
  if (error != 0) {
    close(stdout_pipe[0]);
    throw std::runtime_error("ChildProcess: cannot start '" + program.string() +
                             "': " + std::strerror(error));
  }
  stdout_fd_ = stdout_pipe[0];
}

ChildProcess::~ChildProcess() {
  terminate();
  close(stdout_fd_);
}

std::optional<std::string> ChildProcess::read_stdout_line(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (const auto newline = stdout_buffer_.find('\n'); newline != std::string::npos) {
      std::string line = stdout_buffer_.substr(0, newline);
      stdout_buffer_.erase(0, newline + 1);
      return line;
    }
    pollfd readable{stdout_fd_, POLLIN, 0};
    const int ready = poll(&readable, 1, remaining_milliseconds(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return std::nullopt;
    char chunk[4096];
    const ssize_t count = read(stdout_fd_, chunk, sizeof chunk);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) {
      // End of output: the child closed it or exited. An unterminated last line still counts.
      if (stdout_buffer_.empty()) return std::nullopt;
      return std::exchange(stdout_buffer_, {});
    }
    stdout_buffer_.append(chunk, static_cast<std::size_t>(count));
  }
}

std::optional<int> ChildProcess::wait_for_exit(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!exit_status_) {
    int status = 0;
    const pid_t result = waitpid(pid_, &status, WNOHANG);
    if (result == pid_) {
      exit_status_ = exit_status_of(status);
    } else if (result < 0 && errno != EINTR) {
      exit_status_ = -1;  // not our child any more: nothing left to wait for
    } else if (Clock::now() >= deadline) {
      return std::nullopt;
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  return exit_status_;
}

int ChildProcess::terminate(std::chrono::milliseconds grace) {
  if (exit_status_) return *exit_status_;
  kill(pid_, SIGTERM);
  if (auto status = wait_for_exit(grace)) return *status;
  kill(pid_, SIGKILL);
  return *wait_for_exit(std::chrono::hours(1));
}

}  // namespace tether::test
