// tether_set_log_callback: the C face of tether::set_log_sink, the process-wide log.
#include "tether/log.hpp"

#include <string>
#include <string_view>

#include "api.hpp"

static_assert(TETHER_LOG_DEBUG == static_cast<int>(tether::LogLevel::Debug));
static_assert(TETHER_LOG_INFO == static_cast<int>(tether::LogLevel::Info));
static_assert(TETHER_LOG_WARNING == static_cast<int>(tether::LogLevel::Warning));
static_assert(TETHER_LOG_ERROR == static_cast<int>(tether::LogLevel::Error));

extern "C" {

tether_code tether_set_log_callback(tether_log_level threshold, tether_log_callback callback,
                                    void* user) {
  const int threshold_value = tether::c_api::enum_argument(threshold);
  if (threshold_value < TETHER_LOG_DEBUG || threshold_value > TETHER_LOG_ERROR) {
    return TETHER_INVALID_ARGUMENT;
  }
  return tether::c_api::guarded(nullptr, __func__, [&] {
    tether::LogSink sink;  // empty: the SDK logs nothing
    if (callback != nullptr) {
      sink = [callback, user](tether::LogLevel level, std::string_view line) {
        try {
          const std::string text(line);  // the callback wants a NUL-terminated string
          callback(static_cast<tether_log_level>(level), text.c_str(), user);
        } catch (...) {
          // Out of memory for the copy: the line is lost; the code that logged carries on.
        }
      };
    }
    tether::set_log_sink(std::move(sink), static_cast<tether::LogLevel>(threshold_value));
    return tether::c_api::success();
  });
}

}  // extern "C"
