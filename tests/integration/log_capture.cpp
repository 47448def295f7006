#include "log_capture.hpp"

namespace tether::test {

LogCapture::LogCapture(LogLevel threshold) {
  set_log_sink(
      [this](LogLevel, std::string_view line) {
        const std::lock_guard lock(mutex_);
        lines_.emplace_back(line);
      },
      threshold);
}

LogCapture::~LogCapture() { set_log_sink({}); }

std::vector<std::string> LogCapture::lines() const {
  const std::lock_guard lock(mutex_);
  return lines_;
}

std::vector<std::string> LogCapture::lines_containing(std::string_view text) const {
  std::vector<std::string> found;
  for (auto& line : lines()) {
    if (line.find(text) != std::string::npos) found.push_back(std::move(line));
  }
  return found;
}

}  // namespace tether::test
