// tether-bench: the SDK's overhead over plain websocketpp, as ratios taken in one run against the
// bundled gateway. docs/benchmarks.md says how to run it and how to read what it prints.

#include <algorithm>
#include <cstdio>
#include <exception>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "options.hpp"
#include "report.hpp"
#include "sdk_driver.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/pki.hpp"
#include "tether_test/temp_dir.hpp"
#include "websocketpp_driver.hpp"
#include "workload.hpp"

namespace tether::bench {
namespace {

struct ClientUnderTest {
  std::string name;
  DriverFactory make_driver;
};

// The build type of this binary (and so of the SDK built with it), from CMake.
const std::string build_type = TETHER_BENCH_BUILD_TYPE;

void print_progress(const Measurement& measurement, std::size_t repetition,
                    std::size_t repetitions) {
  const TrialResult& result = measurement.result;
  std::fprintf(
      stderr,
      "%-3s %6zu B %-11s %zu/%zu: %9.0f msg/s %7.2f us CPU/msg  p50 %8.1f us  p99 %8.1f us\n",
      measurement.transport.c_str(), measurement.size, measurement.client.c_str(), repetition + 1,
      repetitions, result.throughput_messages_per_second, result.cpu_us_per_message, result.p50_us,
      result.p99_us);
}

nlohmann::ordered_json run(const Options& options) {
  const test::TempDir directory;
  const test::Pki pki = test::Pki::generate(directory.path());
  const std::size_t largest = *std::max_element(options.sizes.begin(), options.sizes.end());
  const test::Gateway gateway(
      {{"ws_port", 0},
       {"wss_port", 0},
       {"tls",
        {{"certificate", pki.server_cert.string()}, {"private_key", pki.server_key.string()}}},
       {"max_message_size", std::max<std::size_t>(largest, 1 << 20)}});

  // The subject first, the baseline second; trials alternate between them so that drift in the
  // machine's speed falls on both alike.
  const std::vector<ClientUnderTest> clients{{"sdk", make_sdk_driver},
                                             {"websocketpp", make_websocketpp_driver}};
  std::vector<Measurement> measurements;
  for (const std::string& transport : options.transports) {
    const Endpoint endpoint{transport == "wss" ? gateway.wss_url("/echo") : gateway.ws_url("/echo"),
                            pki.ca_cert.string()};
    for (const std::size_t size : options.sizes) {
      TrialSettings settings;
      settings.message_size = size;
      settings.in_flight = options.in_flight;
      settings.warmup = options.warmup;
      settings.throughput = options.phase;
      settings.latency = options.phase;
      for (std::size_t repetition = 0; repetition < options.repetitions; ++repetition) {
        // A B, then B A, then A B...: neither client always runs on a machine the other warmed.
        for (std::size_t turn = 0; turn < clients.size(); ++turn) {
          const ClientUnderTest& client = clients[(repetition + turn) % clients.size()];
          const auto driver = client.make_driver();
          Measurement measurement{transport, size, client.name,
                                  run_trial(*driver, endpoint, settings)};
          print_progress(measurement, repetition, options.repetitions);
          measurements.push_back(std::move(measurement));
        }
      }
    }
  }
  return make_report(options, build_type, measurements, clients[0].name, clients[1].name);
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
