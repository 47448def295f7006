#pragma once
// The second baseline: a plain Boost.Beast client, set up as a careful Beast user would
// (TCP_NODELAY, certificate and host name verification against the test CA) and otherwise with
// Beast's defaults. Beast masks word-wise and writes from one buffer; websocketpp does neither
// (shared/research/websocket-client-performance.md), so this is the bar for large messages.
// Kept in its own translation unit because Beast takes long to compile.

#include <memory>

#include "driver.hpp"

namespace tether::bench {

/// A driver for a plain Beast client over ws:// or wss://, chosen by the URL given to connect().
/// It runs its own I/O thread, as a tether::Client on its own IoContext does.
std::unique_ptr<Driver> make_beast_driver();

}  // namespace tether::bench
