#include "core/log.hpp"

#include <iostream>
#include <mutex>

namespace tether {
namespace {

struct LogConfig {
  std::mutex mutex;
  LogSink sink = [](LogLevel, std::string_view line) { std::cerr << "tether: " << line << '\n'; };
  LogLevel threshold = LogLevel::Warning;
};

LogConfig& log_config() {
  static LogConfig config;
  return config;
}

}  // namespace

void set_log_sink(LogSink sink, LogLevel threshold) {
  auto& config = log_config();
  std::lock_guard lock(config.mutex);
  config.sink = std::move(sink);
  config.threshold = threshold;
}

namespace detail {

void log(LogLevel level, std::string_view line) {
  auto& config = log_config();
  // Held while the sink runs, so that lines from several threads never interleave.
  std::lock_guard lock(config.mutex);
  if (config.sink && level >= config.threshold) config.sink(level, line);
}

}  // namespace detail
}  // namespace tether
