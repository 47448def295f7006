#pragma once
// The SDK's log lines, as the application's sink receives them, for tests of what is logged.

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "tether/log.hpp"

namespace tether::test {

/// Collects the SDK's log lines at `threshold` and above while it lives (one at a time: the sink
/// is global).
///
/// Thread-safety: the const members are safe from any thread.
class LogCapture {
 public:
  explicit LogCapture(LogLevel threshold = LogLevel::Info);
  ~LogCapture();
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  std::vector<std::string> lines() const;
  std::vector<std::string> lines_containing(std::string_view text) const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

}  // namespace tether::test
