#pragma once
// The fallback mode (--fallback, issue 12 section 4): how long connect() takes to reach Open
// under TransportPolicy::Auto when the gateway refuses, hangs or silences the native WebSocket,
// beside an emulated-only open and a healthy native one, and again with the failure remembered.

#include <nlohmann/json.hpp>
#include <string>

#include "options.hpp"

namespace tether::bench {

/// Runs every scenario `options.repetitions` times over each transport of `options` (the native
/// URL's, ws or wss) against gateways with the faults, and returns the report. A connection that
/// does not open, or whose echo does not come back, is counted, not fatal: that a scenario fails
/// today is a figure. Throws std::runtime_error when a gateway cannot start.
nlohmann::ordered_json run_fallback_timing(const Options& options, const std::string& build_type);

}  // namespace tether::bench
