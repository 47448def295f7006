#pragma once
// Where the SDK's few log lines go. Errors are reported as tether::Error values, never only as
// log lines; the log carries warnings such as "TLS verification is disabled". Credentials are
// never logged.

#include <functional>
#include <string_view>

namespace tether {

enum class LogLevel { Debug, Info, Warning, Error };

/// Receives every log line at or above the threshold. The default sink writes warnings and errors
/// to stderr. Pass an empty function to silence the SDK.
using LogSink = std::function<void(LogLevel level, std::string_view line)>;

/// Replaces the process-wide sink. Thread-safety: safe from any thread; the sink itself may be
/// called from any thread, one line at a time.
void set_log_sink(LogSink sink, LogLevel threshold = LogLevel::Warning);

}  // namespace tether
