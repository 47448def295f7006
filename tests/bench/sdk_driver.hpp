#pragma once
// The client under test: tether::Client, used as its documentation says a user would.

#include <memory>

#include "driver.hpp"

namespace tether::bench {

/// A driver for tether::Client with default options apart from the test CA. Each driver has an
/// IoContext (one I/O thread) of its own, as the websocketpp baseline has.
std::unique_ptr<Driver> make_sdk_driver();

}  // namespace tether::bench
