#pragma once
// The emulated transports' baseline: the emulation protocol (docs/emulation.md) spoken by a plain
// Boost.Beast HTTP client, so that one run shows what the protocol and the gateway cost apart
// from the SDK's own request path (libcurl's request building and parsing, the SDK's work per
// request). It speaks what the bench needs and no more: one session with frames in upstream
// replies (section 7), a downstream loop for the frames the replies leave, binary messages,
// acknowledgements, PONGs, and the closing handshake. Kept in its own translation unit because
// Beast takes long to compile.

#include <memory>

#include "driver.hpp"

namespace tether::bench {

/// A driver for a plain Beast client of the emulation over http:// or https://, chosen by the
/// ws:// or wss:// URL given to connect() (the URL the SDK is given). It runs its own I/O thread,
/// as a tether::Client on its own IoContext does.
std::unique_ptr<Driver> make_beast_emulation_driver();

}  // namespace tether::bench
