#include "tether_test/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>

extern char** environ;

namespace tether::test {
namespace {

using Clock = std::chrono::steady_clock;

// Everything the child needs between fork and exec, prepared before the fork: in a threaded
// process the child may only make async-signal-safe calls until it execs.
struct LaunchPlan {
  const char* program;
  char** argv;
  const char* stderr_file;
  int stdout_fd;      // the write end of the stdout pipe
  int exec_error_fd;  // close-on-exec: the child writes errno here when exec fails
  pid_t parent;
};

[[noreturn]] void become_child(const LaunchPlan& plan) {
  // Die with the test process. The signal is armed after the fork: when the parent died in
  // between, the child has been reparented already and must not run on.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != plan.parent) _exit(127);
  const int null_fd = open("/dev/null", O_RDONLY);
  const int stderr_fd = open(plan.stderr_file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (null_fd >= 0 && stderr_fd >= 0 && dup2(null_fd, STDIN_FILENO) >= 0 &&
      dup2(plan.stdout_fd, STDOUT_FILENO) >= 0 && dup2(stderr_fd, STDERR_FILENO) >= 0) {
    execve(plan.program, plan.argv, environ);
  }
  const int error = errno;
  [[maybe_unused]] const ssize_t written = write(plan.exec_error_fd, &error, sizeof error);
  _exit(127);
}

// PR_SET_PDEATHSIG fires when the parent *thread* ends, not the parent process. So every child is
// forked by this one thread, which runs as long as the test process: a child dies with the test,
// and never because the test thread that started it ended first.
class Launcher {
 public:
  // Never destroyed: its thread must outlive every child, up to the end of the process.
  static Launcher& instance() {
    static auto* launcher = new Launcher;
    return *launcher;
  }

  // The child's pid, or -1 with errno set when fork failed.
  pid_t launch(const LaunchPlan& plan) {
    const std::lock_guard one_launch_at_a_time(launch_mutex_);
    std::unique_lock lock(mutex_);
    plan_ = &plan;
    changed_.notify_all();
    changed_.wait(lock, [this] { return plan_ == nullptr; });
    errno = fork_errno_;
    return pid_;
  }

 private:
  Launcher() {
    std::thread([this] { run(); }).detach();
  }

  [[noreturn]] void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      changed_.wait(lock, [this] { return plan_ != nullptr; });
      pid_ = fork();
      if (pid_ == 0) become_child(*plan_);
      fork_errno_ = errno;
      plan_ = nullptr;
      changed_.notify_all();
    }
  }

  std::mutex launch_mutex_;
  std::mutex mutex_;
  std::condition_variable changed_;
  const LaunchPlan* plan_ = nullptr;
  pid_t pid_ = -1;
  int fork_errno_ = 0;
};

class Pipe {
 public:
  Pipe() {
    if (pipe2(fds_, O_CLOEXEC) != 0) {
      throw std::runtime_error(std::string("ChildProcess: pipe failed: ") + std::strerror(errno));
    }
  }
  ~Pipe() {
    close_read();
    close_write();
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;

  int read_end() const { return fds_[0]; }
  int write_end() const { return fds_[1]; }
  int release_read_end() { return std::exchange(fds_[0], -1); }
  void close_write() {
    if (fds_[1] >= 0) close(std::exchange(fds_[1], -1));
  }

 private:
  void close_read() {
    if (fds_[0] >= 0) close(std::exchange(fds_[0], -1));
  }
  int fds_[2];
};

// errno from a child whose exec failed, or 0 once the child has exec'd (the pipe closed on exec).
int exec_error(int exec_error_fd) {
  int error = 0;
  ssize_t count = 0;
  do {
    count = read(exec_error_fd, &error, sizeof error);
  } while (count < 0 && errno == EINTR);
  return count == sizeof error ? error : 0;
}

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
  std::vector<std::string> argument_strings{program.string()};
  argument_strings.insert(argument_strings.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& argument : argument_strings) argv.push_back(argument.data());
  argv.push_back(nullptr);

  Pipe stdout_pipe;
  Pipe exec_error_pipe;
  const LaunchPlan plan{program.c_str(),
                        argv.data(),
                        stderr_file.c_str(),
                        stdout_pipe.write_end(),
                        exec_error_pipe.write_end(),
                        getpid()};
  pid_ = Launcher::instance().launch(plan);
  if (pid_ < 0) {
    throw std::runtime_error("ChildProcess: cannot start '" + program.string() +
                             "': fork failed: " + std::strerror(errno));
  }
  stdout_pipe.close_write();
  exec_error_pipe.close_write();
  if (const int error = exec_error(exec_error_pipe.read_end()); error != 0) {
    wait_for_exit(std::chrono::hours(1));
    throw std::runtime_error("ChildProcess: cannot start '" + program.string() +
                             "': " + std::strerror(error));
  }
  stdout_fd_ = stdout_pipe.release_read_end();
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
