#pragma once
// The JSON document tether-bench prints: what every mode's report begins with, and the echo
// mode's report (every measurement, the medians per client and transport, and their ratios).

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "options.hpp"
#include "workload.hpp"

namespace tether::bench {

/// Who a measurement is of: a client ("sdk", "websocketpp", "beast") over a transport.
struct Contestant {
  std::string transport;
  std::string client;
};

/// One trial of one contestant.
struct Measurement {
  Contestant contestant;
  std::size_t size = 0;  ///< Message size in bytes.
  TrialResult result;
};

/// A ratio the echo report gives for every size: the subject's medians over the baseline's.
struct Comparison {
  Contestant subject;
  Contestant baseline;
};

/// `value` rounded to `decimals` places, for figures that should not print 17 digits.
double rounded(double value, int decimals);

/// The fields every report begins with: the bench, the mode, the build type, the machine and
/// `settings`.
nlohmann::ordered_json report_header(Mode mode, const std::string& build_type,
                                     nlohmann::ordered_json settings);

/// The echo mode's report. Each (transport, size, client) gets the median of its trials for
/// every figure, in the order they were first measured; each comparison gets, for each size,
/// subject/baseline ratios of those medians: above 1 is better for the subject in
/// throughput_ratio, below 1 is better in the CPU and latency ratios.
nlohmann::ordered_json make_echo_report(const Options& options, const std::string& build_type,
                                        const std::vector<Measurement>& measurements,
                                        const std::vector<Comparison>& comparisons);

}  // namespace tether::bench
