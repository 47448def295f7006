// tether-bench: the SDK against plain websocketpp and Beast clients, its emulation against its
// native transport and a plain Beast client of the emulation, idle connections at scale and the
// time a fallback takes, each as figures taken in one run against the bundled gateway.
// docs/benchmarks.md says how to run it and how to read what it prints.

#include <exception>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "echo_comparison.hpp"
#include "fallback_timing.hpp"
#include "idle_connections.hpp"
#include "options.hpp"

namespace tether::bench {
namespace {

// The build type of this binary (and so of the SDK built with it), from CMake.
const std::string build_type = TETHER_BENCH_BUILD_TYPE;

nlohmann::ordered_json run(const Options& options) {
  switch (options.mode) {
    case Mode::Echo:
      return run_echo_comparison(options, build_type);
    case Mode::Connections:
      return run_idle_connections(options, build_type);
    case Mode::Fallback:
      break;
  }
  return run_fallback_timing(options, build_type);
}

}  // namespace
}  // namespace tether::bench

int main(int argc, char** argv) {
  using namespace tether::bench;
  std::optional<Options> options;
  try {
    options = parse_options(argc, argv);
  } catch (const std::invalid_argument& error) {
    std::cerr << "tether-bench: " << error.what() << '\n';
    return 2;
  }
  if (!options) return 0;
  if (build_type != "Release" && !options->quick) {
    std::cerr << "tether-bench: this is a " << (build_type.empty() ? "no-build-type" : build_type)
              << " build; only figures from a Release build mean anything\n";
  }
  try {
    std::cout << run(*options).dump(2) << '\n';
  } catch (const std::exception& error) {
    std::cerr << "tether-bench: " << error.what() << '\n';
    return 1;
  }
  return 0;
}
