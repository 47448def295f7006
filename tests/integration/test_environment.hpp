#pragma once
// What most integration tests share: one PKI for the whole run, and gateway configurations.

#include <nlohmann/json.hpp>

#include "tether/options.hpp"
#include "tether_test/pki.hpp"

namespace tether::test {

/// The run's PKI, generated on first use into a directory removed at exit.
const Pki& shared_pki();

/// A gateway configuration with ws and wss (the PKI's localhost certificate), plus `extra`
/// merged over it.
nlohmann::json gateway_config(const nlohmann::json& extra = nlohmann::json::object());

/// Options for `url` that trust the test CA and ignore any proxy in the environment.
ConnectOptions trusting_options(const std::string& url);

}  // namespace tether::test
