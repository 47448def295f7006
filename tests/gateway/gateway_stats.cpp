#include "gateway_stats.hpp"

#include <nlohmann/json.hpp>
#include <string>

namespace tether::gateway {

nlohmann::json GatewayStats::to_json() const {
  nlohmann::json refused = nlohmann::json::object();
  for (const auto& [status, count] : upgrades_refused) refused[std::to_string(status)] = count;
  return {{"upgrades_accepted", upgrades_accepted},
          {"upgrades_refused", refused},
          {"open_connections", open_connections},
          {"messages_received", messages_received}};
}

}  // namespace tether::gateway
