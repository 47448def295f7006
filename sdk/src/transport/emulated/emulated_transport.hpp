#pragma once
// The emulated transport (docs/emulation.md): a WebSocket connection carried by HTTP/1.1
// requests, for networks whose proxies or firewalls break the native upgrade. Its requests go
// through curl/curl_multi on the IoContext's thread, so its events arrive where the native
// transport's do. This header is free of libcurl.

#include <memory>

#include "tether/io_context.hpp"
#include "transport/transport.hpp"

namespace tether::transport {

/// An emulated transport for a ws or wss URL (http or https on the wire), running on `io`.
std::shared_ptr<Transport> make_emulated_transport(IoContext& io);

}  // namespace tether::transport
