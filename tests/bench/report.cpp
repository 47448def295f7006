#include "report.hpp"

#include <cmath>
#include <fstream>
#include <map>
#include <thread>
#include <tuple>
#include <utility>

#include "statistics.hpp"

namespace tether::bench {
namespace {

// The processor's model name, so a reader can tell runs on different machines apart.
std::string processor_name() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) {
      const std::size_t colon = line.find(':');
      if (colon != std::string::npos && colon + 2 <= line.size()) return line.substr(colon + 2);
    }
  }
  return "unknown";
}

struct Medians {
  double throughput = 0;
  double cpu_us_per_message = 0;
  double p50_us = 0;
  double p99_us = 0;
  double cpu_us_per_round_trip = 0;
};

Medians medians_of(const std::vector<const TrialResult*>& trials) {
  std::vector<double> throughput, cpu, p50, p99, cpu_per_round_trip;
  for (const TrialResult* trial : trials) {
    throughput.push_back(trial->throughput_messages_per_second);
    cpu.push_back(trial->cpu_us_per_message);
    p50.push_back(trial->p50_us);
    p99.push_back(trial->p99_us);
    cpu_per_round_trip.push_back(trial->cpu_us_per_round_trip);
  }
  return {median(throughput), median(cpu), median(p50), median(p99), median(cpu_per_round_trip)};
}

nlohmann::ordered_json ratio(double subject, double baseline) {
  if (baseline <= 0) return nullptr;
  return rounded(subject / baseline, 3);
}

nlohmann::ordered_json limit_json(const Limits& limits) {
  return {{"messages", limits.messages != 0 ? nlohmann::ordered_json(limits.messages) : nullptr},
          {"seconds",
           limits.seconds.count() > 0 ? nlohmann::ordered_json(limits.seconds.count()) : nullptr}};
}

nlohmann::ordered_json echo_settings(const Options& options) {
  return {{"sizes", options.sizes},
          {"transports", options.transports},
          {"repetitions", options.repetitions},
          {"in_flight", options.in_flight},
          {"warmup", limit_json(options.warmup)},
          {"phase", limit_json(options.phase)},
          {"quick", options.quick}};
}

nlohmann::ordered_json contestant_json(const Contestant& contestant) {
  return {{"transport", contestant.transport}, {"client", contestant.client}};
}

using Key = std::tuple<std::string, std::string, std::size_t>;  // transport, client, size

Key key_of(const Contestant& contestant, std::size_t size) {
  return {contestant.transport, contestant.client, size};
}

}  // namespace

double rounded(double value, int decimals) {
  // Divides last, so that 0.345 prints as 0.345.
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

nlohmann::ordered_json report_header(Mode mode, const std::string& build_type,
                                     nlohmann::ordered_json settings) {
  return {{"bench", "tether-bench"},
          {"mode", to_string(mode)},
          {"build_type", build_type},
          {"machine", {{"cores", std::thread::hardware_concurrency()}, {"cpu", processor_name()}}},
          {"settings", std::move(settings)}};
}

nlohmann::ordered_json make_echo_report(const Options& options, const std::string& build_type,
                                        const std::vector<Measurement>& measurements,
                                        const std::vector<Comparison>& comparisons) {
  // Each contestant's trials per size, in the order first measured.
  std::vector<Key> order;
  std::map<Key, std::vector<const TrialResult*>> trials;
  for (const Measurement& measurement : measurements) {
    const Key key = key_of(measurement.contestant, measurement.size);
    if (trials.count(key) == 0) order.push_back(key);
    trials[key].push_back(&measurement.result);
  }

  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  std::map<Key, Medians> medians;
  for (const Key& key : order) {
    nlohmann::ordered_json runs = nlohmann::ordered_json::array();
    for (const TrialResult* trial : trials[key]) {
      runs.push_back({{"throughput_msgs_per_s", rounded(trial->throughput_messages_per_second, 1)},
                      {"throughput_messages", trial->throughput_messages},
                      {"cpu_us_per_msg", rounded(trial->cpu_us_per_message, 3)},
                      {"p50_us", rounded(trial->p50_us, 2)},
                      {"p99_us", rounded(trial->p99_us, 2)},
                      {"cpu_us_per_round_trip", rounded(trial->cpu_us_per_round_trip, 3)},
                      {"latency_samples", trial->latency_samples}});
    }
    const Medians& of_key = medians[key] = medians_of(trials[key]);
    const auto& [transport, client, size] = key;
    results.push_back({{"transport", transport},
                       {"size", size},
                       {"client", client},
                       {"throughput_msgs_per_s", rounded(of_key.throughput, 1)},
                       {"cpu_us_per_msg", rounded(of_key.cpu_us_per_message, 3)},
                       {"p50_us", rounded(of_key.p50_us, 2)},
                       {"p99_us", rounded(of_key.p99_us, 2)},
                       {"cpu_us_per_round_trip", rounded(of_key.cpu_us_per_round_trip, 3)},
                       {"runs", runs}});
  }

  nlohmann::ordered_json ratios = nlohmann::ordered_json::array();
  for (const Comparison& comparison : comparisons) {
    for (const std::size_t size : options.sizes) {
      const auto subject = medians.find(key_of(comparison.subject, size));
      const auto baseline = medians.find(key_of(comparison.baseline, size));
      if (subject == medians.end() || baseline == medians.end()) continue;
      const Medians& s = subject->second;
      const Medians& b = baseline->second;
      ratios.push_back(
          {{"size", size},
           {"subject", contestant_json(comparison.subject)},
           {"baseline", contestant_json(comparison.baseline)},
           {"throughput_ratio", ratio(s.throughput, b.throughput)},
           {"cpu_per_msg_ratio", ratio(s.cpu_us_per_message, b.cpu_us_per_message)},
           {"p50_ratio", ratio(s.p50_us, b.p50_us)},
           {"p99_ratio", ratio(s.p99_us, b.p99_us)},
           {"cpu_per_round_trip_ratio", ratio(s.cpu_us_per_round_trip, b.cpu_us_per_round_trip)}});
    }
  }

  nlohmann::ordered_json report = report_header(Mode::Echo, build_type, echo_settings(options));
  report["results"] = std::move(results);
  report["ratios"] = std::move(ratios);
  return report;
}

}  // namespace tether::bench
