#pragma once
// The baseline: a plain websocketpp client with no SDK around it, set up as a careful user of
// websocketpp would (TCP_NODELAY, certificate and host name verification against the test CA).
// Kept in its own translation unit because websocketpp takes long to compile.

#include <memory>

#include "driver.hpp"

namespace tether::bench {

/// A driver for plain websocketpp over ws:// or wss://, chosen by the URL given to connect().
/// It runs its own I/O thread, as a tether::Client on its own IoContext does.
std::unique_ptr<Driver> make_websocketpp_driver();

}  // namespace tether::bench
