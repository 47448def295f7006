#include "fallback_timing.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include "bench_gateway.hpp"
#include "report.hpp"
#include "statistics.hpp"
#include "tether/tether.hpp"
#include "transport.hpp"

namespace tether::bench {
namespace {

using Clock = std::chrono::steady_clock;

// How long an open connection has to echo one message: the proof that it carries messages.
constexpr std::chrono::seconds echo_timeout{2};
// Long past any handshake_timeout the bench is given: the gateway never answers in time.
constexpr std::chrono::milliseconds hung_upgrade_delay{120000};

// One way of reaching the gateway: its faults and the policy the client connects with.
struct Scenario {
  std::string name;
  nlohmann::json faults;
  TransportPolicy policy = TransportPolicy::Auto;
  /// Whether a second connect() with the same FallbackMemory follows the first.
  bool remembered = false;
};

std::vector<Scenario> scenarios() {
  return {
      {"emulated_only", nlohmann::json::object(), TransportPolicy::Emulated, false},
      {"native_healthy", nlohmann::json::object(), TransportPolicy::Auto, false},
      {"refused", {{"refuse_upgrade_status", 403}}, TransportPolicy::Auto, true},
      {"hung", {{"handshake_delay_ms", hung_upgrade_delay.count()}}, TransportPolicy::Auto, true},
      {"silent", {{"unresponsive_after_open", true}}, TransportPolicy::Auto, true},
  };
}

// One connect(), timed from the call to the state Open, and one echo through it.
struct OpenAttempt {
  double open_ms = 0;
  TransportKind carried_by = TransportKind::None;  // None: it never opened.
  bool echoed = false;
  std::string failure;
};

// The client's events, recorded on its I/O thread and awaited by the bench's thread.
class Events {
 public:
  void opened() {
    set([this] { opened_at_ = Clock::now(); });
  }
  void closed(const CloseInfo& close) {
    set([&] { failure_ = close.error.message; });
  }
  void echoed() {
    set([this] { echoed_ = true; });
  }

  // Waits for Open or the end; returns the time of Open, or nothing.
  std::optional<Clock::time_point> wait_for_open(Clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    changed_.wait_until(lock, deadline, [this] { return opened_at_ || failure_; });
    return opened_at_;
  }
  bool wait_for_echo(Clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    return changed_.wait_until(lock, deadline, [this] { return echoed_; });
  }
  std::string failure() {
    std::lock_guard lock(mutex_);
    return failure_.value_or("no Open within the deadline");
  }

 private:
  template <class Change>
  void set(Change change) {
    std::lock_guard lock(mutex_);
    change();
    changed_.notify_all();
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<Clock::time_point> opened_at_;
  std::optional<std::string> failure_;
  bool echoed_ = false;
};

OpenAttempt attempt_open(const std::shared_ptr<IoContext>& io, const ConnectOptions& connect) {
  Events events;
  OpenAttempt attempt;
  {
    Client client(io);
    client.on_state_changed([&events](State, State to) {
      if (to == State::Open) events.opened();
    });
    client.on_closed([&events](const CloseInfo& close) { events.closed(close); });
    client.on_message([&events](const Message&) { events.echoed(); });

    const auto start = Clock::now();
    if (Error error = client.connect(connect))
      return {0, TransportKind::None, false, error.message};
    const auto deadline =
        start + connect.connect_timeout + 2 * connect.handshake_timeout + std::chrono::seconds(10);
    const std::optional<Clock::time_point> opened_at = events.wait_for_open(deadline);
    if (!opened_at) {
      attempt.failure = events.failure();
      return attempt;
    }
    attempt.open_ms = std::chrono::duration<double, std::milli>(*opened_at - start).count();
    attempt.carried_by = client.transport();
    if (Error error = client.send_binary("thirty-two bytes of echo payload")) {
      attempt.failure = error.message;
      return attempt;
    }
    attempt.echoed = events.wait_for_echo(Clock::now() + echo_timeout);
    if (!attempt.echoed)
      attempt.failure = "no echo within " + std::to_string(echo_timeout.count()) + " s";
  }  // The client closes without waiting for the closing handshake: a silent peer never answers.
  return attempt;
}

struct Key {
  std::string transport;
  std::string scenario;
  std::string attempt;  // "first" or "remembered"
  bool operator<(const Key& other) const {
    return std::tie(transport, scenario, attempt) <
           std::tie(other.transport, other.scenario, other.attempt);
  }
};

// The median time to Open of the attempts that opened; nothing when none did.
std::optional<double> median_open_ms(const std::vector<OpenAttempt>& attempts) {
  std::vector<double> open_ms;
  for (const OpenAttempt& attempt : attempts) {
    if (attempt.carried_by != TransportKind::None) open_ms.push_back(attempt.open_ms);
  }
  if (open_ms.empty()) return std::nullopt;
  return median(open_ms);
}

nlohmann::ordered_json result_json(const Key& key, const std::vector<OpenAttempt>& attempts,
                                   std::optional<double> emulated_only_ms) {
  std::map<std::string, std::size_t> carried_by;
  std::size_t echoed = 0;
  nlohmann::ordered_json runs = nlohmann::ordered_json::array();
  for (const OpenAttempt& attempt : attempts) {
    ++carried_by[to_string(attempt.carried_by)];
    if (attempt.echoed) ++echoed;
    runs.push_back(
        {{"open_ms", rounded(attempt.open_ms, 2)},
         {"carried_by", to_string(attempt.carried_by)},
         {"echoed", attempt.echoed},
         {"failure", attempt.failure.empty() ? nullptr : nlohmann::ordered_json(attempt.failure)}});
  }
  const std::optional<double> open_ms = median_open_ms(attempts);
  return {{"transport", key.transport},
          {"scenario", key.scenario},
          {"attempt", key.attempt},
          {"open_ms", open_ms ? nlohmann::ordered_json(rounded(*open_ms, 2)) : nullptr},
          {"over_emulated_only_ms",
           open_ms && emulated_only_ms
               ? nlohmann::ordered_json(rounded(*open_ms - *emulated_only_ms, 2))
               : nullptr},
          {"carried_by", carried_by},
          {"echoed", echoed},
          {"runs", runs}};
}

}  // namespace

nlohmann::ordered_json run_fallback_timing(const Options& options, const std::string& build_type) {
  const std::vector<Scenario> all = scenarios();
  std::vector<std::unique_ptr<BenchGateway>> gateways;
  for (const Scenario& scenario : all) {
    gateways.push_back(std::make_unique<BenchGateway>(nlohmann::json{{"faults", scenario.faults}}));
  }
  const auto io = std::make_shared<IoContext>();
  const ConnectOptions defaults;

  std::vector<Key> order;
  std::map<Key, std::vector<OpenAttempt>> attempts;
  const auto record = [&](Key key, OpenAttempt attempt) {
    std::fprintf(stderr, "%-4s %-15s %-10s %9.2f ms  %-8s %s\n", key.transport.c_str(),
                 key.scenario.c_str(), key.attempt.c_str(), attempt.open_ms,
                 to_string(attempt.carried_by),
                 attempt.echoed ? "echoed" : attempt.failure.c_str());
    if (attempts.count(key) == 0) order.push_back(key);
    attempts[key].push_back(std::move(attempt));
  };
  // Each repetition goes through every scenario, so that drift in the machine's speed falls on
  // all alike.
  for (std::size_t repetition = 0; repetition < options.repetitions; ++repetition) {
    for (const std::string& name : options.transports) {
      const Transport transport = transport_named(name);
      for (std::size_t index = 0; index < all.size(); ++index) {
        const Scenario& scenario = all[index];
        const Endpoint endpoint = gateways[index]->echo_endpoint(transport);
        ConnectOptions connect;
        connect.url = endpoint.url;
        connect.tls.ca_file = endpoint.ca_file;
        connect.use_proxy_environment = false;  // The gateway is on loopback.
        connect.transport = scenario.policy;
        connect.handshake_timeout = options.handshake_timeout;
        // A memory of its own, so that no other scenario's failure is remembered.
        connect.fallback.memory = std::make_shared<FallbackMemory>();
        record({name, scenario.name, "first"}, attempt_open(io, connect));
        if (scenario.remembered)
          record({name, scenario.name, "remembered"}, attempt_open(io, connect));
      }
    }
  }

  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (const Key& key : order) {
    const auto emulated_only = attempts.find({key.transport, "emulated_only", "first"});
    results.push_back(result_json(
        key, attempts[key],
        emulated_only == attempts.end() ? std::nullopt : median_open_ms(emulated_only->second)));
  }

  nlohmann::ordered_json report =
      report_header(Mode::Fallback, build_type,
                    {{"transports", options.transports},
                     {"repetitions", options.repetitions},
                     {"handshake_timeout_ms", options.handshake_timeout.count()},
                     {"hung_upgrade_delay_ms", hung_upgrade_delay.count()},
                     {"echo_timeout_ms", std::chrono::milliseconds(echo_timeout).count()},
                     {"fallback",
                      {{"race_delay_ms", defaults.fallback.race_delay.count()},
                       {"probe_timeout_ms", defaults.fallback.probe_timeout.count()},
                       {"remember_for_ms", defaults.fallback.remember_for.count()}}},
                     {"quick", options.quick}});
  report["results"] = std::move(results);
  return report;
}

}  // namespace tether::bench
