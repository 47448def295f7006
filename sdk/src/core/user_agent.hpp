#pragma once
// The User-Agent of every request the SDK makes, unless the options give another: some WAF rules
// block requests without one.

#include <string>

#include "tether/version.hpp"

namespace tether {

/// "Tether/<version>". Thread-safety: safe from any thread.
inline std::string default_user_agent() { return std::string("Tether/") + version(); }

}  // namespace tether
