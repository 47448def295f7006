#include "terminal_prompt.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

namespace tether::cat {

std::optional<std::string> prompt_on_terminal(const std::string& prompt) {
  if (::isatty(STDIN_FILENO) != 1) return std::nullopt;
  const int terminal = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (terminal < 0) return std::nullopt;
  termios saved{};
  const bool echo_off = ::tcgetattr(terminal, &saved) == 0;
  if (echo_off) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(terminal, TCSAFLUSH, &quiet);
  }
  [[maybe_unused]] const auto written = ::write(terminal, prompt.data(), prompt.size());
  std::string line;
  char byte = 0;
  bool answered = false;
  while (::read(terminal, &byte, 1) == 1) {
    if (byte == '\n') {
      answered = true;
      break;
    }
    line += byte;
  }
  if (echo_off) ::tcsetattr(terminal, TCSAFLUSH, &saved);
  [[maybe_unused]] const auto newline = ::write(terminal, "\n", 1);
  ::close(terminal);
  if (!answered) return std::nullopt;
  return line;
}

}  // namespace tether::cat
