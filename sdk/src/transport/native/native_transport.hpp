#pragma once
// RFC 6455 over TCP or TLS. This header is free of websocketpp: only native_transport.cpp
// includes it, so that it compiles once.

#include <memory>

#include "tether/io_context.hpp"
#include "transport/transport.hpp"

namespace tether::transport {

/// A native WebSocket transport for `url`'s scheme (ws or wss), running on `io`.
std::shared_ptr<Transport> make_native_transport(IoContext& io, bool secure);

}  // namespace tether::transport
