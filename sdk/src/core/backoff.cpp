#include "core/backoff.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace tether {

Backoff::Backoff(BackoffPolicy policy, RandomSource random)
    : policy_(policy), random_(std::move(random)) {}

std::optional<std::chrono::milliseconds> Backoff::next_delay() {
  if (policy_.max_retries && retries_ >= *policy_.max_retries) return std::nullopt;
  const std::chrono::milliseconds wait = ceiling(++retries_);
  if (!policy_.full_jitter) return wait;
  const double fraction = std::clamp(random_(), 0.0, 1.0);
  return std::chrono::milliseconds(std::llround(static_cast<double>(wait.count()) * fraction));
}

std::chrono::milliseconds Backoff::ceiling(int retry) const {
  if (policy_.immediate_first_retry && retry == 1) return std::chrono::milliseconds(0);
  const int exponent = retry - (policy_.immediate_first_retry ? 2 : 1);
  // In floating point and capped before converting, so that many retries cannot overflow.
  const double wait =
      static_cast<double>(policy_.initial_delay.count()) * std::pow(policy_.multiplier, exponent);
  const auto maximum = static_cast<double>(policy_.max_delay.count());
  return std::chrono::milliseconds(std::llround(std::min(wait, maximum)));
}

Backoff::RandomSource Backoff::default_random_source() {
  return [] {
    thread_local std::mt19937_64 generator{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
  };
}

}  // namespace tether
