#pragma once
// What a refusing HTTP status usually means, for the messages of both transports.

#include <string>

namespace tether::transport {

/// A clause to append to a message about a refused handshake ("; the server wants
/// credentials"), or empty when the status needs no explanation. `marked_by_gateway`: the
/// response carries the gateway's Tether-Refusal mark (docs/emulation.md section 3), so that a
/// 403 is the gateway's own and not, perhaps, a proxy's or a firewall's.
/// Thread-safety: safe from any thread.
std::string status_hint(int status, bool marked_by_gateway);

/// The same for a proxy's refusal of a CONNECT tunnel, which is the proxy's own answer: its
/// rules, or its wish for credentials, never the gateway's.
/// Thread-safety: safe from any thread.
std::string proxy_status_hint(int status);

}  // namespace tether::transport
