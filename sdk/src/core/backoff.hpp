#pragma once
// The waits between the retries of something that failed: exponential, bounded, and with full
// jitter where many clients might otherwise retry in step. The emulated transport's request
// retries (docs/emulation.md section 10) use it, and so will the reconnect policy.

#include <chrono>
#include <functional>
#include <optional>

namespace tether {

/// How a Backoff's waits grow. The wait before retry n (n = 1, 2, ...) is
/// min(max_delay, initial_delay * multiplier^(n - 1)), or, with immediate_first_retry, 0 for
/// retry 1 and min(max_delay, initial_delay * multiplier^(n - 2)) after it. With full_jitter the
/// wait is drawn uniformly between 0 and that value ("full jitter").
///
/// Thread-safety: a value type; distinct objects: safe.
struct BackoffPolicy {
  std::chrono::milliseconds initial_delay{1000};
  double multiplier = 2.0;
  /// No wait is longer, however many retries failed.
  std::chrono::milliseconds max_delay{30000};
  /// Retries allowed before giving up; none: retry for ever.
  std::optional<int> max_retries;
  /// The first retry goes at once: a single failure is often a connection the peer had closed.
  bool immediate_first_retry = false;
  bool full_jitter = true;
};

/// Counts the retries of one thing since its last success and says how long to wait before the
/// next one.
///
/// Thread-safety: distinct objects: safe. Shared objects: unsafe.
class Backoff {
 public:
  /// A number uniformly distributed in [0, 1). Injected so that tests can fix the jitter.
  using RandomSource = std::function<double()>;

  /// `random` is used only with full_jitter; the default draws from a generator per thread,
  /// seeded from std::random_device.
  explicit Backoff(BackoffPolicy policy, RandomSource random = default_random_source());

  /// Counts a retry and returns the wait before it, or nullopt when the retries are spent.
  std::optional<std::chrono::milliseconds> next_delay();
  /// A success: the next failure starts again from the first wait.
  void reset() noexcept { retries_ = 0; }
  /// The retries counted since the last reset.
  int retries() const noexcept { return retries_; }

  static RandomSource default_random_source();

 private:
  std::chrono::milliseconds ceiling(int retry) const;

  BackoffPolicy policy_;
  RandomSource random_;
  int retries_ = 0;
};

}  // namespace tether
