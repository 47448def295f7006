#pragma once
// The two workloads, written once for every client: echo throughput with a fixed number of
// messages in flight, and round-trip latency with one message in flight.

#include <chrono>
#include <cstddef>

#include "driver.hpp"

namespace tether::bench {

/// When a phase stops: after `messages` messages or `seconds`, whichever comes first. Zero means
/// no limit of that kind; at least one of them must be set.
struct Limits {
  std::size_t messages = 0;
  std::chrono::duration<double> seconds{0};
};

/// How one measurement (one fresh connection) runs.
struct TrialSettings {
  std::size_t message_size = 0;
  std::size_t in_flight = 64;  ///< Messages outstanding during the throughput phase.
  Limits warmup;               ///< An untimed throughput phase first, to fill caches and pools.
  Limits throughput;
  Limits latency;
};

/// What one measurement found.
struct TrialResult {
  double throughput_messages_per_second = 0;
  std::size_t throughput_messages = 0;  ///< Echoes received during the timed throughput phase.
  /// CPU time (user + system, every thread of this process, so the client's and nothing of the
  /// gateway's) per echo during the throughput phase: the client's cost per message, which
  /// holds still when the machine is busy and wall-clock throughput does not.
  double cpu_us_per_message = 0;
  double p50_us = 0;  ///< Median round trip with one message in flight.
  double p99_us = 0;
  std::size_t latency_samples = 0;
  /// CPU time, as above, per round trip with one message in flight: what one message costs the
  /// client when nothing shares its requests or its wake-ups.
  double cpu_us_per_round_trip = 0;
};

/// Connects `driver` to `endpoint`, runs the warm-up, the throughput phase and the latency phase
/// on that one connection, and closes it. Every echo is checked for its size. Throws
/// std::runtime_error when the connection fails, an echo is wrong, or no echo arrives for 10 s.
TrialResult run_trial(Driver& driver, const Endpoint& endpoint, const TrialSettings& settings);

}  // namespace tether::bench
