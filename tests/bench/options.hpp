#pragma once
// tether-bench's command line.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "workload.hpp"

namespace tether::bench {

struct Options {
  std::vector<std::size_t> sizes{32, 1024, 65536};
  std::vector<std::string> transports{"ws", "wss"};
  /// Measurements per client for each (transport, size), alternating the clients.
  std::size_t repetitions = 5;
  std::size_t in_flight = 64;
  Limits warmup{2000, std::chrono::duration<double>(0.2)};
  /// The limits of each timed phase, throughput and latency alike.
  Limits phase{0, std::chrono::duration<double>(1.0)};
  bool quick = false;
};

/// The usage text for --help.
std::string usage();

/// Parses argv. Returns nothing when the program should exit without measuring (--help, which
/// prints the usage to stdout), and throws std::invalid_argument naming the offending argument.
std::optional<Options> parse_options(int argc, const char* const* argv);

}  // namespace tether::bench
