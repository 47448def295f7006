#pragma once
// The transports the bench knows by name: the native WebSocket over TCP or TLS, and the SDK's
// HTTP emulation of it over http or https (docs/emulation.md).

#include <string>
#include <vector>

namespace tether::bench {

/// One transport, as named on the command line and in the report.
struct Transport {
  std::string name;       ///< "ws", "wss", "emulated-http" or "emulated-https".
  bool tls = false;       ///< wss and emulated-https.
  bool emulated = false;  ///< Only tether::Client speaks the emulation.
  /// The native transport over the same wire (ws for emulated-http, wss for emulated-https): the
  /// baseline of the emulated one's ratios.
  std::string native_name() const { return tls ? "wss" : "ws"; }
};

/// The transport named `name`. Throws std::invalid_argument naming the ones it knows.
Transport transport_named(const std::string& name);

/// Every transport's name, in the order the report lists them.
const std::vector<std::string>& transport_names();

}  // namespace tether::bench
