#include "input_reader.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <utility>

namespace tether::cat {
namespace {

sigset_t stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

}  // namespace

void block_stop_signals() {
  const sigset_t signals = stop_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

std::unique_ptr<InputReader> InputReader::start(bool read_stdin, Handlers handlers,
                                                std::error_code& error) {
  const sigset_t signals = stop_signals();
  const int signal_fd = signalfd(-1, &signals, SFD_CLOEXEC);
  if (signal_fd < 0) {
    error = std::error_code{errno, std::system_category()};
    return nullptr;
  }
  const int wake_fd = eventfd(0, EFD_CLOEXEC);
  if (wake_fd < 0) {
    error = std::error_code{errno, std::system_category()};
    close(signal_fd);
    return nullptr;
  }
  error.clear();
  return std::unique_ptr<InputReader>{
      new InputReader{read_stdin, std::move(handlers), signal_fd, wake_fd}};
}

InputReader::InputReader(bool read_stdin, Handlers handlers, int signal_fd, int wake_fd)
    : handlers_(std::move(handlers)),
      read_stdin_(read_stdin),
      signal_fd_(signal_fd),
      wake_fd_(wake_fd),
      thread_([this] { run(); }) {}

InputReader::~InputReader() {
  const std::uint64_t wake = 1;
  // An eventfd write of 8 bytes cannot be partial; the thread sees it on its next poll.
  [[maybe_unused]] const auto written = write(wake_fd_, &wake, sizeof wake);
  thread_.join();
  close(wake_fd_);
  close(signal_fd_);
}

void InputReader::run() {
  // poll() skips negative descriptors: stdin drops out once it has ended or when it is not read.
  std::array<pollfd, 3> watched{{{wake_fd_, POLLIN, 0},
                                 {signal_fd_, POLLIN, 0},
                                 {read_stdin_ ? STDIN_FILENO : -1, POLLIN, 0}}};
  auto& [wake_event, signal_event, stdin_event] = watched;
  for (;;) {
    if (poll(watched.data(), watched.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (wake_event.revents != 0) return;
    if (signal_event.revents != 0) {
      signalfd_siginfo info{};
      if (read(signal_fd_, &info, sizeof info) == sizeof info) handlers_.stop_requested();
    }
    // POLLHUP, POLLERR and POLLNVAL also end up in read(), which then reports the end.
    std::error_code read_error;
    if (stdin_event.revents != 0 && !read_stdin_chunk(read_error)) {
      stdin_event.fd = -1;
      if (auto last_line = lines_.finish()) handlers_.line_read(std::move(*last_line));
      handlers_.stdin_ended(read_error);
    }
  }
}

bool InputReader::read_stdin_chunk(std::error_code& error) {
  std::array<char, 65536> buffer;
  const auto size = read(STDIN_FILENO, buffer.data(), buffer.size());
  if (size < 0) {
    if (errno == EINTR || errno == EAGAIN) return true;
    error = std::error_code{errno, std::system_category()};
    return false;
  }
  if (size == 0) return false;
  for (auto& line : lines_.feed({buffer.data(), static_cast<std::size_t>(size)})) {
    handlers_.line_read(std::move(line));
  }
  return true;
}

}  // namespace tether::cat
