#pragma once

#include <string>

#include "tether/options.hpp"

namespace tether::tls {

/// What decides the TLS context that `options` give, as one string: the options, and the
/// identity of every file they name (or of the system store they fall back to) as it is now:
/// device, inode, size and times. Two connects with equal keys can share one context; a CA file
/// replaced or rewritten in between gives another key, so the next connect reads it again.
std::string context_key(const TlsOptions& options);

}  // namespace tether::tls
