#pragma once
// The factory of the real transports (websocketpp's and the HTTP emulation's), which Client
// gives its session. It lives in the session layer because it is the one place that knows both
// transports; the session itself knows only transport/transport_factory.hpp.

#include <memory>

#include "tether/io_context.hpp"
#include "transport/transport_factory.hpp"

namespace tether::session {

/// A factory whose transports run on `io`, which must outlive it.
std::shared_ptr<transport::TransportFactory> make_real_transport_factory(IoContext& io);

}  // namespace tether::session
