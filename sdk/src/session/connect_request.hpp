#pragma once
// connect()'s options, checked and resolved on the caller's thread, so that an option that cannot
// work is returned by connect() instead of being reported later; and the one check of the
// handshake's outcome that depends on them alone.

#include <string>

#include "tether/error.hpp"
#include "tether/options.hpp"
#include "transport/transport.hpp"

namespace tether::session {

/// Checks `options` (subprotocols and header names are HTTP tokens, header values have no line
/// break, timeouts are positive) and resolves its route (the URL, the TLS verification, the
/// proxy) into `request`, which then holds the options. InvalidArgument or a Tls* code otherwise.
/// Thread-safety: safe from any thread.
Error prepare_connect_request(ConnectOptions options, transport::TransportRequest& request);

/// SubprotocolMismatch when the server at `url` selected a subprotocol `options` did not offer,
/// or none although one is required.
/// Thread-safety: safe from any thread.
Error check_selected_subprotocol(const ConnectOptions& options, const std::string& url,
                                 const std::string& selected);

}  // namespace tether::session
