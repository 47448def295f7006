#pragma once
// The echo mode: every client over every transport through the same workload, alternating, and
// the ratios that say how the SDK compares with the baselines and its emulation with its native
// transport.

#include <nlohmann/json.hpp>
#include <string>

#include "options.hpp"

namespace tether::bench {

/// Runs the echo measurements `options` ask for against a fresh gateway and returns the report
/// (report.hpp). Throws std::runtime_error when a connection fails or an echo is wrong or late.
nlohmann::ordered_json run_echo_comparison(const Options& options, const std::string& build_type);

}  // namespace tether::bench
