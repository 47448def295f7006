#include "gateway_stats.hpp"

#include <nlohmann/json.hpp>

namespace tether::gateway {

void GatewayStats::count_unauthorized(const std::string& path) {
  ++unauthorized_sent_;
  ++unauthorized_sent_by_service_[path];
  challenged_paths_.insert(path);
}

void GatewayStats::count_authenticated_upgrade(const std::string& path, const std::string& method) {
  ++upgrades_authenticated_[method];
  if (challenged_paths_.erase(path) == 0) ++upgrades_preemptive_;
}

nlohmann::json GatewayStats::to_json() const {
  nlohmann::json refused = nlohmann::json::object();
  for (const auto& [status, count] : upgrades_refused) refused[std::to_string(status)] = count;
  return {{"upgrades_accepted", upgrades_accepted},
          {"upgrades_refused", refused},
          {"open_connections", open_connections},
          {"messages_received", messages_received},
          {"unauthorized_sent", unauthorized_sent_},
          {"unauthorized_sent_by_service", nlohmann::json(unauthorized_sent_by_service_)},
          {"upgrades_authenticated", nlohmann::json(upgrades_authenticated_)},
          {"upgrades_preemptive", upgrades_preemptive_}};
}

}  // namespace tether::gateway
