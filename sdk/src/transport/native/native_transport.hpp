#pragma once
// RFC 6455 over TCP or TLS. This header is free of websocketpp: only native_transport.cpp
// includes it, so that it compiles once.

#include <memory>

#include "tether/io_context.hpp"
#include "transport/transport.hpp"

namespace tether::transport {

/// A native WebSocket transport for `url`'s scheme (ws or wss), running on `io`.
std::shared_ptr<Transport> make_native_transport(IoContext& io, bool secure);

/// Constructs the static error categories of Asio and websocketpp, then registers
/// stop_shared_io_context with std::atexit, once: every transport calls it before its first
/// connection, so that the shared I/O thread is stopped before those objects are destroyed.
/// Defined in native_transport.cpp, the one translation unit that knows websocketpp.
///
/// Thread-safety: safe from any thread.
void stop_shared_io_before_exit();

}  // namespace tether::transport
