#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "gateway_config.hpp"

namespace tether::gateway {

// Why a create is refused before any other check, and when to try again (503 and Retry-After).
struct CreateRefusal {
  std::string reason;
  std::chrono::seconds retry_after;
};

// The caps on emulated creates (docs/gateway.md "Emulation"): emulation.max_sessions live
// sessions in the whole gateway, and emulation.max_creates_per_client creates from one client
// address within emulation.create_window. Every create that reaches this check counts towards its
// client's window, answered 201 or not: an unauthenticated flood costs the gateway too (Digest
// arithmetic, a nonce per 401).
//
// Memory: one time per create in the window, per address that created within it.
//
// Thread safety: use from the gateway's one thread only.
class CreateAdmission {
 public:
  using Clock = std::chrono::steady_clock;

  // Counts a create from client_address and says whether it may go on.
  std::optional<CreateRefusal> admit(std::string_view client_address, std::uint64_t open_sessions,
                                     const EmulationConfig& limits, Clock::time_point now);

 private:
  void forget_expired(Clock::time_point now, std::chrono::milliseconds window);

  // The times of each address's creates within the window, oldest first.
  std::map<std::string, std::deque<Clock::time_point>, std::less<>> creates_by_client_;
};

}  // namespace tether::gateway
