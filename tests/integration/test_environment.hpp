#pragma once
// What most integration tests share: the run's PKI and gateway configurations
// (tether_test/shared_environment.hpp), and options that trust that PKI.

#include "tether/options.hpp"
#include "tether_test/shared_environment.hpp"

namespace tether::test {

/// Options for `url` that trust the test CA and ignore any proxy in the environment.
ConnectOptions trusting_options(const std::string& url);

/// trusting_options() for the HTTP emulation alone (TransportPolicy::Emulated).
ConnectOptions emulated_options(const std::string& url);

}  // namespace tether::test
