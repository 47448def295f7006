#pragma once
// The key under which FallbackMemory remembers a gateway, from a connection's resolved route.

#include <optional>
#include <string>

#include "http/url.hpp"

namespace tether::transport {

/// "host:port" of the WebSocket URL (brackets around an IPv6 literal), and " via host:port" of
/// the proxy when one is used: never the path, the query or the proxy's credentials, so that a
/// saved memory holds no secret.
/// Thread-safety: safe from any thread.
std::string fallback_memory_key(const http::Url& url, const std::optional<http::Url>& proxy);

}  // namespace tether::transport
