#include "workload.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "process_usage.hpp"
#include "statistics.hpp"

namespace tether::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::seconds stall_timeout{10};

// Bytes that are not all alike, so nothing along the way can take a shortcut on them.
std::string make_payload(std::size_t size) {
  std::string payload(size, '\0');
  for (std::size_t i = 0; i < size; ++i) payload[i] = static_cast<char>((i * 131 + 7) & 0xff);
  return payload;
}

double microseconds(Clock::duration duration) {
  return std::chrono::duration<double, std::micro>(duration).count();
}

// What a throughput phase measured.
struct ThroughputPhase {
  std::size_t echoes = 0;
  double seconds = 0;
  double cpu_us = 0;
};

struct LatencyPhase {
  std::vector<double> round_trips_us;
  double cpu_us = 0;
};

// One connection under measurement. The bench's thread starts a phase and then only waits: from
// the first message sent, the phase's counters belong to the client's I/O thread, which sends
// the next message from inside the message handler. The client's own locking on send orders the
// bench thread's writes before the I/O thread's reads.
class EchoSession {
 public:
  EchoSession(Driver& driver, const Endpoint& endpoint, std::size_t message_size)
      : driver_(driver), payload_(make_payload(message_size)) {
    driver_.connect(
        endpoint, [this](std::string_view payload) { on_message(payload); },
        [this](const std::string& reason) { fail(reason); });
  }
  ~EchoSession() { driver_.close(); }
  EchoSession(const EchoSession&) = delete;
  EchoSession& operator=(const EchoSession&) = delete;

  // Keeps `in_flight` messages outstanding, sending one more per echo, until the limits say
  // stop; then waits for the outstanding echoes.
  ThroughputPhase run_throughput(std::size_t in_flight, const Limits& limits) {
    const double cpu_at_start = process_cpu_us();
    start_phase(Phase::Throughput, limits);
    const std::size_t first_batch = std::min(in_flight, message_limit_);
    sent_ = first_batch;
    sending_ = true;
    for (std::size_t i = 0; i < first_batch; ++i) driver_.send_binary(payload_);
    wait_for_phase_end();
    return {received_, std::chrono::duration<double>(end_ - start_).count(),
            process_cpu_us() - cpu_at_start};
  }

  // Sends one message at a time, the next as soon as the previous one's echo arrives, and
  // returns every round trip in microseconds, and the CPU time they took.
  LatencyPhase run_latency(const Limits& limits) {
    const double cpu_at_start = process_cpu_us();
    round_trips_us_.clear();
    round_trips_us_.reserve(limits.messages != 0 ? limits.messages : 1 << 16);
    start_phase(Phase::Latency, limits);
    sent_ = 1;
    sent_at_ = Clock::now();
    driver_.send_binary(payload_);
    wait_for_phase_end();
    return {std::move(round_trips_us_), process_cpu_us() - cpu_at_start};
  }

 private:
  enum class Phase { None, Throughput, Latency };

  void start_phase(Phase phase, const Limits& limits) {
    phase_ = phase;
    message_limit_ =
        limits.messages != 0 ? limits.messages : std::numeric_limits<std::size_t>::max();
    start_ = Clock::now();
    deadline_ = limits.seconds.count() > 0
                    ? start_ + std::chrono::duration_cast<Clock::duration>(limits.seconds)
                    : Clock::time_point::max();
    received_ = 0;
    std::lock_guard lock(mutex_);
    finished_ = false;
  }

  bool may_send_more(Clock::time_point now) const {
    return sent_ < message_limit_ && now < deadline_;
  }

  void on_message(std::string_view payload) {
    const auto now = Clock::now();
    progress_.fetch_add(1, std::memory_order_relaxed);
    if (payload.size() != payload_.size()) {
      fail("an echo of " + std::to_string(payload.size()) + " bytes arrived for a message of " +
           std::to_string(payload_.size()) + " bytes");
      return;
    }
    try {
      switch (phase_) {
        case Phase::Throughput:
          on_throughput_echo(now);
          break;
        case Phase::Latency:
          on_latency_echo(now);
          break;
        case Phase::None:
          fail("an echo arrived while no message was outstanding");
          break;
      }
    } catch (const std::exception& error) {
      fail(error.what());
    }
  }

  void on_throughput_echo(Clock::time_point now) {
    ++received_;
    if (sending_) {
      if (may_send_more(now)) {
        ++sent_;
        driver_.send_binary(payload_);
        return;
      }
      sending_ = false;
    }
    if (received_ == sent_) finish(now);
  }

  void on_latency_echo(Clock::time_point now) {
    ++received_;
    round_trips_us_.push_back(microseconds(now - sent_at_));
    if (!may_send_more(now)) {
      finish(now);
      return;
    }
    ++sent_;
    sent_at_ = Clock::now();
    driver_.send_binary(payload_);
  }

  void finish(Clock::time_point now) {
    end_ = now;
    std::lock_guard lock(mutex_);
    finished_ = true;
    changed_.notify_all();
  }

  void fail(const std::string& reason) {
    std::lock_guard lock(mutex_);
    if (failure_.empty()) failure_ = driver_.name() + ": " + reason;
    changed_.notify_all();
  }

  // Waits for the I/O thread to finish the phase; gives up when no echo arrives for
  // stall_timeout, so a lost message cannot hang the bench.
  void wait_for_phase_end() {
    std::unique_lock lock(mutex_);
    std::size_t progress = progress_.load(std::memory_order_relaxed);
    while (!finished_ && failure_.empty()) {
      if (changed_.wait_for(lock, stall_timeout) == std::cv_status::timeout) {
        const std::size_t now_progress = progress_.load(std::memory_order_relaxed);
        if (now_progress == progress) {
          failure_ = driver_.name() + ": no echo arrived for " +
                     std::to_string(stall_timeout.count()) + " s";
        }
        progress = now_progress;
      }
    }
    if (!failure_.empty()) throw std::runtime_error(failure_);
    phase_ = Phase::None;
  }

  Driver& driver_;
  const std::string payload_;

  // The phase: written by the bench's thread before its first send, then owned by the I/O
  // thread until finish().
  Phase phase_ = Phase::None;
  std::size_t message_limit_ = 0;
  Clock::time_point start_;
  Clock::time_point deadline_;
  Clock::time_point end_;
  Clock::time_point sent_at_;
  std::size_t sent_ = 0;
  std::size_t received_ = 0;
  bool sending_ = false;
  std::vector<double> round_trips_us_;

  std::atomic<std::size_t> progress_{0};  // Echoes ever received, read by the stall watchdog.
  std::mutex mutex_;
  std::condition_variable changed_;
  bool finished_ = false;
  std::string failure_;
};

bool has_limit(const Limits& limits) { return limits.messages != 0 || limits.seconds.count() > 0; }

}  // namespace

TrialResult run_trial(Driver& driver, const Endpoint& endpoint, const TrialSettings& settings) {
  if (!has_limit(settings.throughput) || !has_limit(settings.latency)) {
    throw std::invalid_argument("a phase without a message count or a duration would never end");
  }
  EchoSession session(driver, endpoint, settings.message_size);
  if (has_limit(settings.warmup)) session.run_throughput(settings.in_flight, settings.warmup);

  TrialResult result;
  const ThroughputPhase throughput =
      session.run_throughput(settings.in_flight, settings.throughput);
  const auto echoes = static_cast<double>(throughput.echoes);
  result.throughput_messages = throughput.echoes;
  result.throughput_messages_per_second = throughput.seconds > 0 ? echoes / throughput.seconds : 0;
  result.cpu_us_per_message = echoes > 0 ? throughput.cpu_us / echoes : 0;

  LatencyPhase latency = session.run_latency(settings.latency);
  result.latency_samples = latency.round_trips_us.size();
  result.p50_us = percentile(latency.round_trips_us, 0.50);
  result.p99_us = percentile(latency.round_trips_us, 0.99);
  result.cpu_us_per_round_trip =
      result.latency_samples > 0 ? latency.cpu_us / static_cast<double>(result.latency_samples) : 0;
  return result;
}

}  // namespace tether::bench
