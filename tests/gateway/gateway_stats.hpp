#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>

namespace tether::gateway {

// Counters served by GET /_stats, so that tests can see what the server saw. New counters are
// added as new members and new keys; existing keys never change meaning.
//
// Thread safety: none needed, the gateway runs on one thread.
struct GatewayStats {
  std::uint64_t upgrades_accepted = 0;
  std::map<unsigned, std::uint64_t> upgrades_refused;  // by HTTP status
  std::uint64_t open_connections = 0;
  std::uint64_t messages_received = 0;

  void count_refusal(unsigned status) { ++upgrades_refused[status]; }
  nlohmann::json to_json() const;
};

}  // namespace tether::gateway
