#pragma once
// What a refusing HTTP status usually means, for the messages of both transports.

#include <string>

namespace tether::transport {

/// A clause to append to a message about a refused handshake ("; the server wants
/// credentials"), or empty when the status needs no explanation.
/// Thread-safety: safe from any thread.
std::string status_hint(int status);

}  // namespace tether::transport
