#include "session/backoff.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>

namespace tether::session {

Backoff::Backoff(ReconnectPolicy policy, Random random)
    : policy_(policy), random_(std::move(random)) {
  if (!random_) {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    random_ = [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
  }
}

std::chrono::milliseconds Backoff::ceiling(unsigned attempt) const {
  const auto max = std::max(policy_.max_delay, std::chrono::milliseconds(0));
  const auto initial = std::max(policy_.initial_delay, std::chrono::milliseconds(0));
  if (initial.count() == 0) return std::chrono::milliseconds(0);
  // Doubling past max_delay stops before it could overflow.
  auto ceiling = initial;
  for (unsigned k = 1; k < attempt && ceiling < max; ++k) ceiling *= 2;
  return std::min(ceiling, max);
}

std::optional<std::chrono::milliseconds> Backoff::delay(unsigned attempt,
                                                        std::chrono::milliseconds since_drop) {
  if (policy_.max_attempts != 0 && attempt > policy_.max_attempts) return std::nullopt;
  const double drawn = std::clamp(random_(), 0.0, 1.0);
  const auto delay = std::chrono::milliseconds(
      std::llround(drawn * static_cast<double>(ceiling(attempt).count())));
  if (policy_.max_duration.count() != 0 && since_drop + delay > policy_.max_duration) {
    return std::nullopt;
  }
  return delay;
}

}  // namespace tether::session
