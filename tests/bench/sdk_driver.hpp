#pragma once
// The client under test: tether::Client, used as its documentation says a user would.

#include <memory>

#include "driver.hpp"
#include "tether/options.hpp"

namespace tether::bench {

/// A driver for tether::Client with default options apart from the test CA and `policy`
/// (Native for ws and wss, Emulated for emulated-http and emulated-https: the emulation takes
/// http:// or https:// from the ws:// or wss:// URL). Each driver has an IoContext (one I/O
/// thread) of its own, as the baselines have.
std::unique_ptr<Driver> make_sdk_driver(TransportPolicy policy);

}  // namespace tether::bench
