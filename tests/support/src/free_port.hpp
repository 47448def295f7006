#pragma once

#include <cstdint>

namespace tether::test {

// A port on 127.0.0.1 that was free a moment ago: drawn at random below the kernel's ephemeral
// range, bound and released. For servers that cannot report the port they chose; another process
// may take it in between, so the caller retries when its server fails to bind. Throws
// std::runtime_error when 100 draws find none free.
std::uint16_t unused_loopback_port();

// Whether a TCP connection to 127.0.0.1:port is accepted now.
bool loopback_port_accepts(std::uint16_t port);

}  // namespace tether::test
