#pragma once
// What most tests share, whatever API they drive (the C++ SDK, the C API): one PKI for the whole
// run, and gateway configurations that serve its localhost certificate.

#include <nlohmann/json.hpp>

#include "tether_test/pki.hpp"

namespace tether::test {

// The run's PKI, generated on first use into a directory removed at exit.
//
// Thread safety: safe from any thread (a function-local static).
const Pki& shared_pki();

// A gateway configuration with ws and wss (shared_pki()'s localhost certificate), plus `extra`
// merged over it (RFC 7396 merge patch), e.g. gateway_config({{"subprotocols", {"v2"}}}).
//
// Thread safety: safe from any thread.
nlohmann::json gateway_config(const nlohmann::json& extra = nlohmann::json::object());

}  // namespace tether::test
