#pragma once
// The JSON document tether-bench prints: every measurement, the medians per client, and the
// ratios of the client under test to the baseline.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "options.hpp"
#include "workload.hpp"

namespace tether::bench {

/// One trial of one client.
struct Measurement {
  std::string transport;  ///< "ws" or "wss".
  std::size_t size = 0;   ///< Message size in bytes.
  std::string client;     ///< Driver::name().
  TrialResult result;
};

/// Builds the report. Each (transport, size, client) gets the median of its trials for every
/// figure; each (transport, size) gets subject/baseline ratios of those medians: above 1 is
/// better for the subject in throughput_ratio, below 1 is better in the CPU and latency ratios.
nlohmann::ordered_json make_report(const Options& options, const std::string& build_type,
                                   const std::vector<Measurement>& measurements,
                                   const std::string& subject, const std::string& baseline);

}  // namespace tether::bench
