#pragma once

#include <string_view>

namespace tether::cookies {

/// True when `domain` (lower case) is a public suffix ("com", "co.uk", "github.io") by the list
/// built into libpsl, under which any unlisted top-level label ("localhost", "corp") is one too.
/// The only file that sees libpsl, so the rest of the jar does not depend on it.
/// Thread-safety: safe from any thread (libpsl's built-in context is immutable).
bool is_public_suffix(std::string_view domain);

}  // namespace tether::cookies
