#pragma once
// The connections mode (--connections N, issue 15 section 3): N idle tether::Client connections
// on one IoContext thread, per transport, against the gateway: the client's memory per
// connection, the time to open them all, the CPU they spend idle with heartbeats on, and whether
// they all closed cleanly.

#include <nlohmann/json.hpp>
#include <string>

#include "options.hpp"

namespace tether::bench {

/// Raises the descriptor limit, runs the measurement for each transport of `options` against a
/// gateway of its own and returns the report. Connections that fail to open are counted, with
/// the first failure's message, rather than ending the run: how far a transport goes is a
/// figure. Throws std::runtime_error when the gateway cannot start or /proc cannot be read.
nlohmann::ordered_json run_idle_connections(const Options& options, const std::string& build_type);

}  // namespace tether::bench
