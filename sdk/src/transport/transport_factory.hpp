#pragma once
// Where the session gets each attempt's transport. The session is given a factory rather than
// knowing the transports, so that it can be tested against a scripted one, without sockets.

#include <memory>

#include "http/url.hpp"
#include "tether/state.hpp"
#include "transport/transport.hpp"

namespace tether::transport {

/// Makes one Transport per connection attempt.
///
/// Thread-safety: create() is called on the session's I/O thread only.
class TransportFactory {
 public:
  virtual ~TransportFactory() = default;
  /// A new transport of `kind` (Native or Emulated) for the WebSocket URL `url`.
  virtual std::shared_ptr<Transport> create(TransportKind kind, const http::Url& url) = 0;
};

/// The real transports on `io`: native (websocketpp) and emulated (libcurl). `io` must outlive
/// the factory.
}  // namespace tether::transport
