#include "idle_connections.hpp"

#include <malloc.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "bench_gateway.hpp"
#include "process_usage.hpp"
#include "report.hpp"
#include "tether/tether.hpp"
#include "transport.hpp"

namespace tether::bench {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start, Clock::time_point end = Clock::now()) {
  return std::chrono::duration<double>(end - start).count();
}

// What the clients' callbacks report, counted on the I/O thread and read by the bench's thread.
class Tally {
 public:
  struct Counts {
    std::size_t opened = 0;
    std::size_t failed = 0;
    std::size_t dropped = 0;
    std::size_t closed_cleanly = 0;
    std::size_t closed_otherwise = 0;
    Clock::time_point last_open;
    std::string first_failure;
  };

  void opened() {
    std::lock_guard lock(mutex_);
    ++counts_.opened;
    counts_.last_open = Clock::now();
    changed_.notify_all();
  }
  void ponged() {
    std::lock_guard lock(mutex_);
    ++pongs_;
  }
  // `was_open`: whether this connection had opened before it ended.
  void closed(const CloseInfo& close, bool was_open) {
    std::lock_guard lock(mutex_);
    if (!was_open) {
      failed_locked(close.error);
    } else if (!closing_) {
      ++counts_.dropped;  // It should have sat idle.
    } else if (!close.error && close.code == 1000) {
      ++counts_.closed_cleanly;
    } else {
      ++counts_.closed_otherwise;
    }
    changed_.notify_all();
  }
  void refused(const Error& error) {
    std::lock_guard lock(mutex_);
    failed_locked(error);
  }
  void start_closing() {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  std::size_t pongs() {
    std::lock_guard lock(mutex_);
    return pongs_;
  }

  // Waits until every one of `count` connections has opened or failed, or the deadline.
  void wait_for_opening(std::size_t count, Clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    changed_.wait_until(lock, deadline, [&] { return counts_.opened + counts_.failed >= count; });
  }
  // Waits until every opened connection has reported its close, or the deadline.
  void wait_for_closing(Clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    changed_.wait_until(lock, deadline, [&] {
      return counts_.closed_cleanly + counts_.closed_otherwise + counts_.dropped >= counts_.opened;
    });
  }

  Counts counts() {
    std::lock_guard lock(mutex_);
    return counts_;
  }

 private:
  void failed_locked(const Error& error) {
    ++counts_.failed;
    if (counts_.first_failure.empty()) counts_.first_failure = error.message;
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  bool closing_ = false;
  Counts counts_;
  std::size_t pongs_ = 0;
};

ConnectOptions connect_options(const Transport& transport, const Endpoint& endpoint,
                               const Options& options) {
  ConnectOptions connect;
  connect.url = endpoint.url;
  connect.tls.ca_file = endpoint.ca_file;
  connect.use_proxy_environment = false;  // The gateway is on loopback; never go via a proxy.
  connect.transport = transport.emulated ? TransportPolicy::Emulated : TransportPolicy::Native;
  connect.ping_interval = options.ping_interval;
  return connect;
}

std::unique_ptr<Client> make_client(const std::shared_ptr<IoContext>& io, Tally& tally) {
  auto client = std::make_unique<Client>(io);
  // Touched on the I/O thread only, by this client's callbacks.
  auto was_open = std::make_shared<bool>(false);
  client->on_state_changed([&tally, was_open](State, State to) {
    if (to == State::Open && !*was_open) {
      *was_open = true;
      tally.opened();
    }
  });
  client->on_pong([&tally](const Pong&) { tally.ponged(); });
  client->on_closed([&tally, was_open](const CloseInfo& close) { tally.closed(close, *was_open); });
  return client;
}

// Memory the process no longer uses goes back to the system, so that what the previous
// transport freed does not hide what the next one takes.
std::size_t trimmed_resident_kib() {
  malloc_trim(0);
  return resident_kib();
}

double per_connection(double total, std::size_t connections) {
  return connections == 0 ? 0 : total / static_cast<double>(connections);
}

nlohmann::ordered_json measure(const Transport& transport, const Options& options) {
  const std::size_t count = options.connections;
  // Room for every session and every create from the one loopback address.
  const BenchGateway gateway(nlohmann::json{
      {"emulation", {{"max_sessions", count + 1}, {"max_creates_per_client", count + 1}}}});
  const Endpoint endpoint = gateway.echo_endpoint(transport);
  const ConnectOptions connect = connect_options(transport, endpoint, options);
  const auto io = std::make_shared<IoContext>();
  const pid_t gateway_pid = gateway.process().process_id();

  {  // One connection first, untimed: what the first one costs once (TLS, libcurl) is not per
     // connection.
    Tally warmup;
    auto client = make_client(io, warmup);
    if (Error error = client->connect(connect)) warmup.refused(error);
    warmup.wait_for_opening(1, Clock::now() + std::chrono::seconds(15));
    warmup.start_closing();
    if (warmup.counts().opened != 1) {
      throw std::runtime_error(
          transport.name + ": the first connection did not open: " + warmup.counts().first_failure);
    }
    static_cast<void>(client->close());
    warmup.wait_for_closing(Clock::now() + std::chrono::seconds(15));
  }

  Tally tally;
  std::vector<std::unique_ptr<Client>> clients;
  clients.reserve(count);
  const std::size_t client_kib_before = trimmed_resident_kib();
  const std::size_t gateway_kib_before = resident_kib(gateway_pid);

  const auto open_start = Clock::now();
  for (std::size_t i = 0; i < count; ++i) {
    clients.push_back(make_client(io, tally));
    if (Error error = clients.back()->connect(connect)) tally.refused(error);
  }
  // Generous: a connection that has not opened by then is counted as failed.
  tally.wait_for_opening(
      count, open_start + std::chrono::seconds(30) + std::chrono::milliseconds(10) * count);
  const Tally::Counts after_open = tally.counts();
  const double open_seconds =
      after_open.opened == 0 ? 0 : seconds_since(open_start, after_open.last_open);
  const std::size_t client_kib_open = resident_kib();
  const std::size_t gateway_kib_open = resident_kib(gateway_pid);
  std::fprintf(stderr, "%-14s %zu opened, %zu failed in %.3f s\n", transport.name.c_str(),
               after_open.opened, after_open.failed, open_seconds);

  // The idle window is the measurement itself: nothing happens in it but the heartbeats.
  const std::size_t pongs_before = tally.pongs();
  const double client_cpu_before = process_cpu_us();
  const double gateway_cpu_before = other_process_cpu_us(gateway_pid);
  const auto idle_start = Clock::now();
  std::this_thread::sleep_for(options.idle);
  const double idle_seconds = seconds_since(idle_start);
  const double client_cpu_idle = (process_cpu_us() - client_cpu_before) / 1e6;
  const double gateway_cpu_idle = (other_process_cpu_us(gateway_pid) - gateway_cpu_before) / 1e6;
  const std::size_t pongs_idle = tally.pongs() - pongs_before;
  const std::size_t dropped_idle = tally.counts().dropped;
  // Again after the heartbeats: what a connection holds once it has sent something (an emulated
  // session's upstream connection opens at its first upstream request, a PING).
  const std::size_t client_kib_idle = resident_kib();

  tally.start_closing();
  const auto close_start = Clock::now();
  for (const auto& client : clients) static_cast<void>(client->close());
  tally.wait_for_closing(close_start + std::chrono::seconds(30) +
                         std::chrono::milliseconds(10) * count);
  const double close_seconds = seconds_since(close_start);
  const Tally::Counts after_close = tally.counts();
  clients.clear();
  std::fprintf(stderr, "%-14s %zu closed cleanly in %.3f s\n", transport.name.c_str(),
               after_close.closed_cleanly, close_seconds);

  const auto opened = after_open.opened;
  return {{"transport", transport.name},
          {"connections", count},
          {"opened", opened},
          {"failed_to_open", after_open.failed},
          {"first_failure", after_open.first_failure.empty()
                                ? nullptr
                                : nlohmann::ordered_json(after_open.first_failure)},
          {"open_seconds", rounded(open_seconds, 3)},
          {"client_rss_kib_before", client_kib_before},
          {"client_rss_kib_open", client_kib_open},
          {"client_kib_per_connection",
           rounded(per_connection(static_cast<double>(client_kib_open) -
                                      static_cast<double>(client_kib_before),
                                  opened),
                   2)},
          {"client_rss_kib_after_idle", client_kib_idle},
          {"client_kib_per_connection_after_idle",
           rounded(per_connection(static_cast<double>(client_kib_idle) -
                                      static_cast<double>(client_kib_before),
                                  opened),
                   2)},
          {"gateway_kib_per_connection",
           rounded(per_connection(static_cast<double>(gateway_kib_open) -
                                      static_cast<double>(gateway_kib_before),
                                  opened),
                   2)},
          {"idle_seconds", rounded(idle_seconds, 3)},
          {"pongs_while_idle", pongs_idle},
          {"dropped_while_idle", dropped_idle},
          {"client_cpu_seconds_per_second", rounded(client_cpu_idle / idle_seconds, 5)},
          {"gateway_cpu_seconds_per_second", rounded(gateway_cpu_idle / idle_seconds, 5)},
          {"closed_cleanly", after_close.closed_cleanly},
          {"closed_otherwise", after_close.closed_otherwise},
          {"close_seconds", rounded(close_seconds, 3)}};
}

}  // namespace

nlohmann::ordered_json run_idle_connections(const Options& options, const std::string& build_type) {
  // Before the gateways start, so that they inherit it too.
  const std::size_t descriptor_limit = raise_descriptor_limit();
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (const std::string& name : options.transports) {
    results.push_back(measure(transport_named(name), options));
  }
  nlohmann::ordered_json report =
      report_header(Mode::Connections, build_type,
                    {{"connections", options.connections},
                     {"transports", options.transports},
                     {"idle_seconds", options.idle.count()},
                     {"ping_interval_ms", options.ping_interval.count()},
                     {"descriptor_limit", descriptor_limit},
                     {"quick", options.quick}});
  report["results"] = std::move(results);
  return report;
}

}  // namespace tether::bench
