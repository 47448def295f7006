#include "emulation/create_admission.hpp"

#include <algorithm>

namespace tether::gateway {
namespace {

// Whole seconds, rounded up and at least 1: Retry-After has no finer unit (RFC 9110 10.2.3).
std::chrono::seconds whole_seconds_from(std::chrono::steady_clock::duration wait) {
  const auto rounded_up = std::chrono::ceil<std::chrono::seconds>(wait);
  return std::max(rounded_up, std::chrono::seconds(1));
}

}  // namespace

std::optional<CreateRefusal> CreateAdmission::admit(std::string_view client_address,
                                                    std::uint64_t open_sessions,
                                                    const EmulationConfig& limits,
                                                    Clock::time_point now) {
  forget_expired(now, limits.create_window);
  auto client = creates_by_client_.find(client_address);
  if (client == creates_by_client_.end()) {
    client =
        creates_by_client_.emplace(std::string(client_address), std::deque<Clock::time_point>())
            .first;
  }
  auto& times = client->second;
  if (times.size() >= limits.max_creates_per_client) {
    return CreateRefusal{
        "too many emulated creates from this address: emulation.max_creates_per_client is " +
            std::to_string(limits.max_creates_per_client) + " per " +
            std::to_string(limits.create_window.count()) + " ms",
        whole_seconds_from(times.front() + limits.create_window - now)};
  }
  times.push_back(now);
  if (open_sessions >= limits.max_sessions) {
    // Abandoned creates are the sessions most likely to end first, within this limit.
    return CreateRefusal{"too many emulated sessions: emulation.max_sessions is " +
                             std::to_string(limits.max_sessions),
                         whole_seconds_from(limits.first_downstream_timeout)};
  }
  return std::nullopt;
}

void CreateAdmission::forget_expired(Clock::time_point now, std::chrono::milliseconds window) {
  for (auto client = creates_by_client_.begin(); client != creates_by_client_.end();) {
    auto& times = client->second;
    while (!times.empty() && times.front() + window <= now) times.pop_front();
    client = times.empty() ? creates_by_client_.erase(client) : std::next(client);
  }
}

}  // namespace tether::gateway
