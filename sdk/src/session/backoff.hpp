#pragma once
// The delays between reconnect attempts (docs/reconnect.md): exponential backoff with full
// jitter, as AWS's architecture blog measured it to spread a crowd of clients dropped together.

#include <chrono>
#include <functional>
#include <optional>

#include "tether/options.hpp"

namespace tether::session {

/// The delays of the attempts after one drop, under a ReconnectPolicy.
///
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: unsafe.
class Backoff {
 public:
  /// Returns a number drawn uniformly from [0, 1).
  using Random = std::function<double()>;

  /// `random` defaults to a generator seeded from std::random_device.
  explicit Backoff(ReconnectPolicy policy, Random random = {});

  /// The longest delay before attempt `attempt` (1 for the first after the drop):
  /// min(max_delay, initial_delay * 2^(attempt - 1)).
  std::chrono::milliseconds ceiling(unsigned attempt) const;

  /// The delay before attempt `attempt`, drawn from [0, ceiling(attempt)], or nullopt when the
  /// policy gives up instead: past max_attempts, or when the attempt would start more than
  /// max_duration after the drop, `since_drop` having passed already.
  std::optional<std::chrono::milliseconds> delay(unsigned attempt,
                                                 std::chrono::milliseconds since_drop);

 private:
  ReconnectPolicy policy_;
  Random random_;
};

}  // namespace tether::session
