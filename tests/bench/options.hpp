#pragma once
// tether-bench's command line.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "workload.hpp"

namespace tether::bench {

/// What a run measures (docs/benchmarks.md has a section on each).
enum class Mode {
  Echo,         ///< Echo throughput and round trips: the SDK against the baselines.
  Connections,  ///< --connections N: N idle connections on one I/O thread.
  Fallback,     ///< --fallback: time to Open when the native transport is blocked.
};

struct Options {
  Mode mode = Mode::Echo;
  std::vector<std::size_t> sizes{32, 1024, 65536};
  /// Transport names (transport.hpp); after parsing, the mode's default when none were given.
  std::vector<std::string> transports;
  /// Echo: measurements per client for each (transport, size), alternating the clients.
  /// Fallback: measurements per scenario.
  std::size_t repetitions = 5;
  std::size_t in_flight = 64;
  Limits warmup{2000, std::chrono::duration<double>(0.2)};
  /// The limits of each timed phase, throughput and latency alike.
  Limits phase{0, std::chrono::duration<double>(1.0)};
  /// Connections: how many idle connections per transport.
  std::size_t connections = 0;
  /// Connections: how long the open connections sit idle while their CPU is measured.
  std::chrono::duration<double> idle{5.0};
  /// Connections: ConnectOptions::ping_interval of every connection (heartbeats on).
  std::chrono::milliseconds ping_interval{1000};
  /// Fallback: ConnectOptions::handshake_timeout, which a hung upgrade costs unless the race
  /// starts the emulation sooner.
  std::chrono::milliseconds handshake_timeout{2000};
  bool quick = false;
};

/// The name of a mode in the report: "echo", "connections" or "fallback".
const char* to_string(Mode mode);

/// The usage text for --help.
std::string usage();

/// Parses argv. Returns nothing when the program should exit without measuring (--help, which
/// prints the usage to stdout), and throws std::invalid_argument naming the offending argument.
std::optional<Options> parse_options(int argc, const char* const* argv);

}  // namespace tether::bench
