#include "report.hpp"

#include <cmath>
#include <fstream>
#include <thread>
#include <tuple>

#include "statistics.hpp"

namespace tether::bench {
namespace {

// Rounds to `decimals` places, dividing last so that 0.345 prints as 0.345.
double round_to(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

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
};

Medians medians_of(const std::vector<const TrialResult*>& trials) {
  std::vector<double> throughput, cpu, p50, p99;
  for (const TrialResult* trial : trials) {
    throughput.push_back(trial->throughput_messages_per_second);
    cpu.push_back(trial->cpu_us_per_message);
    p50.push_back(trial->p50_us);
    p99.push_back(trial->p99_us);
  }
  return {median(throughput), median(cpu), median(p50), median(p99)};
}

nlohmann::ordered_json ratio(double subject, double baseline) {
  if (baseline <= 0) return nullptr;
  return round_to(subject / baseline, 3);
}

nlohmann::ordered_json settings_of(const Options& options) {
  const auto limit_json = [](const Limits& limits) {
    return nlohmann::ordered_json{
        {"messages", limits.messages != 0 ? nlohmann::ordered_json(limits.messages) : nullptr},
        {"seconds",
         limits.seconds.count() > 0 ? nlohmann::ordered_json(limits.seconds.count()) : nullptr}};
  };
  return {{"sizes", options.sizes},
          {"transports", options.transports},
          {"repetitions", options.repetitions},
          {"in_flight", options.in_flight},
          {"warmup", limit_json(options.warmup)},
          {"phase", limit_json(options.phase)},
          {"quick", options.quick}};
}

}  // namespace

nlohmann::ordered_json make_report(const Options& options, const std::string& build_type,
                                   const std::vector<Measurement>& measurements,
                                   const std::string& subject, const std::string& baseline) {
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  nlohmann::ordered_json ratios = nlohmann::ordered_json::array();
  for (const std::string& transport : options.transports) {
    for (const std::size_t size : options.sizes) {
      Medians subject_medians;
      Medians baseline_medians;
      for (const std::string& client : {subject, baseline}) {
        std::vector<const TrialResult*> trials;
        nlohmann::ordered_json runs = nlohmann::ordered_json::array();
        for (const Measurement& measurement : measurements) {
          if (std::tie(measurement.transport, measurement.size, measurement.client) !=
              std::tie(transport, size, client)) {
            continue;
          }
          const TrialResult& trial = measurement.result;
          trials.push_back(&trial);
          runs.push_back(
              {{"throughput_msgs_per_s", round_to(trial.throughput_messages_per_second, 1)},
               {"throughput_messages", trial.throughput_messages},
               {"cpu_us_per_msg", round_to(trial.cpu_us_per_message, 3)},
               {"p50_us", round_to(trial.p50_us, 2)},
               {"p99_us", round_to(trial.p99_us, 2)},
               {"latency_samples", trial.latency_samples}});
        }
        if (trials.empty()) continue;
        const Medians medians = medians_of(trials);
        (client == subject ? subject_medians : baseline_medians) = medians;
        results.push_back({{"transport", transport},
                           {"size", size},
                           {"client", client},
                           {"throughput_msgs_per_s", round_to(medians.throughput, 1)},
                           {"cpu_us_per_msg", round_to(medians.cpu_us_per_message, 3)},
                           {"p50_us", round_to(medians.p50_us, 2)},
                           {"p99_us", round_to(medians.p99_us, 2)},
                           {"runs", runs}});
      }
      ratios.push_back(
          {{"transport", transport},
           {"size", size},
           {"throughput_ratio", ratio(subject_medians.throughput, baseline_medians.throughput)},
           {"cpu_per_msg_ratio",
            ratio(subject_medians.cpu_us_per_message, baseline_medians.cpu_us_per_message)},
           {"p50_ratio", ratio(subject_medians.p50_us, baseline_medians.p50_us)},
           {"p99_ratio", ratio(subject_medians.p99_us, baseline_medians.p99_us)}});
    }
  }

  return {{"bench", "tether-bench"},
          {"build_type", build_type},
          {"machine", {{"cores", std::thread::hardware_concurrency()}, {"cpu", processor_name()}}},
          {"settings", settings_of(options)},
          {"subject", subject},
          {"baseline", baseline},
          {"results", results},
          {"ratios", ratios}};
}

}  // namespace tether::bench
