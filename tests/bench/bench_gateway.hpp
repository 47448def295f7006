#pragma once
// The bundled gateway as every mode of the bench runs it: a child process with a throw-away PKI,
// serving ws and wss on loopback.

#include <nlohmann/json.hpp>
#include <string>

#include "driver.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/pki.hpp"
#include "tether_test/temp_dir.hpp"
#include "transport.hpp"

namespace tether::bench {

/// A running tether-gateway with ws and wss listeners; its process stops with this object.
/// Thread-safety: distinct objects: safe. Shared objects: safe for the const members.
class BenchGateway {
 public:
  /// Starts the gateway with `config` (docs/gateway.md) merged over the listeners and TLS.
  /// Throws tether::test::GatewayStartError.
  explicit BenchGateway(const nlohmann::json& config = nlohmann::json::object());

  /// The /echo endpoint over `transport`: the ws:// URL for ws and emulated-http, the wss:// one
  /// for wss and emulated-https (the emulation takes http:// or https:// from it), with the test
  /// CA to trust.
  Endpoint echo_endpoint(const Transport& transport) const;

  const test::Gateway& process() const { return gateway_; }

 private:
  test::TempDir directory_;
  test::Pki pki_;
  test::Gateway gateway_;
};

}  // namespace tether::bench
