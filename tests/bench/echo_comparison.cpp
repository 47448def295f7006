#include "echo_comparison.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

#include "beast_driver.hpp"
#include "beast_emulation_driver.hpp"
#include "bench_gateway.hpp"
#include "report.hpp"
#include "sdk_driver.hpp"
#include "transport.hpp"
#include "websocketpp_driver.hpp"
#include "workload.hpp"

namespace tether::bench {
namespace {

struct Entrant {
  Contestant contestant;
  DriverFactory make_driver;
};

// Over a native transport, the SDK and both baselines; over an emulated one, the SDK and a plain
// Beast client of the emulation.
std::vector<Entrant> entrants_over(const Transport& transport) {
  if (transport.emulated) {
    return {{{transport.name, "sdk"}, [] { return make_sdk_driver(TransportPolicy::Emulated); }},
            {{transport.name, "beast"}, make_beast_emulation_driver}};
  }
  return {{{transport.name, "sdk"}, [] { return make_sdk_driver(TransportPolicy::Native); }},
          {{transport.name, "websocketpp"}, make_websocketpp_driver},
          {{transport.name, "beast"}, make_beast_driver}};
}

// The SDK against each baseline over a native transport; the SDK's emulation, and the Beast
// client's, against the SDK's native transport over the same wire, when the run measures that one
// too.
std::vector<Comparison> comparisons_for(const std::vector<std::string>& transports) {
  std::vector<Comparison> comparisons;
  for (const std::string& name : transports) {
    const Transport transport = transport_named(name);
    if (!transport.emulated) {
      comparisons.push_back({{name, "sdk"}, {name, "websocketpp"}});
      comparisons.push_back({{name, "sdk"}, {name, "beast"}});
    } else if (std::count(transports.begin(), transports.end(), transport.native_name()) != 0) {
      comparisons.push_back({{name, "sdk"}, {transport.native_name(), "sdk"}});
      comparisons.push_back({{name, "beast"}, {transport.native_name(), "sdk"}});
    }
  }
  return comparisons;
}

void print_progress(const Measurement& measurement, std::size_t repetition,
                    std::size_t repetitions) {
  const TrialResult& result = measurement.result;
  std::fprintf(stderr,
               "%-14s %6zu B %-11s %zu/%zu: %9.0f msg/s %7.2f us CPU/msg  p50 %8.1f us  p99 "
               "%8.1f us\n",
               measurement.contestant.transport.c_str(), measurement.size,
               measurement.contestant.client.c_str(), repetition + 1, repetitions,
               result.throughput_messages_per_second, result.cpu_us_per_message, result.p50_us,
               result.p99_us);
}

}  // namespace

nlohmann::ordered_json run_echo_comparison(const Options& options, const std::string& build_type) {
  const std::size_t largest = *std::max_element(options.sizes.begin(), options.sizes.end());
  const std::size_t max_message_size = std::max<std::size_t>(largest, 1 << 20);
  // An emulated session holds the echoes its client has not acknowledged yet; with
  // options.in_flight large messages outstanding on a busy machine that can pass the gateway's
  // default cap (twice max_message_size), which would end the session with 1008 mid-measurement.
  const std::size_t max_unacknowledged_bytes =
      std::max(2 * max_message_size, 2 * options.in_flight * largest);
  const BenchGateway gateway(
      nlohmann::json{{"max_message_size", max_message_size},
                     {"emulation", {{"max_unacknowledged_bytes", max_unacknowledged_bytes}}}});

  TrialSettings settings;
  settings.in_flight = options.in_flight;
  settings.warmup = options.warmup;
  settings.throughput = options.phase;
  settings.latency = options.phase;

  std::vector<Measurement> measurements;
  // Everything over one wire (plain, then TLS) takes turns, so that each ratio compares trials
  // that alternated: A B C D, then B C D A, ..., and drift in the machine's speed falls on all
  // alike.
  for (const bool tls : {false, true}) {
    std::vector<Entrant> entrants;
    for (const std::string& name : options.transports) {
      const Transport transport = transport_named(name);
      if (transport.tls != tls) continue;
      for (Entrant& entrant : entrants_over(transport)) entrants.push_back(std::move(entrant));
    }
    for (const std::size_t size : options.sizes) {
      settings.message_size = size;
      for (std::size_t repetition = 0; repetition < options.repetitions; ++repetition) {
        for (std::size_t turn = 0; turn < entrants.size(); ++turn) {
          const Entrant& entrant = entrants[(repetition + turn) % entrants.size()];
          const auto driver = entrant.make_driver();
          const Endpoint endpoint =
              gateway.echo_endpoint(transport_named(entrant.contestant.transport));
          Measurement measurement{entrant.contestant, size, run_trial(*driver, endpoint, settings)};
          print_progress(measurement, repetition, options.repetitions);
          measurements.push_back(std::move(measurement));
        }
      }
    }
  }
  return make_echo_report(options, build_type, measurements, comparisons_for(options.transports));
}

}  // namespace tether::bench
