#pragma once

#include <string_view>

#include "tether/log.hpp"

namespace tether::detail {

/// Sends one line to the application's sink. Never pass credentials.
void log(LogLevel level, std::string_view line);

}  // namespace tether::detail
