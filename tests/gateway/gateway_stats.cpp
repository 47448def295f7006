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
          {"pings_received", pings_received},
          {"pongs_sent", pongs_sent},
          {"control_messages_sent", control_messages_sent},
          {"control_messages_received", control_messages_received},
          {"unauthorized_sent", unauthorized_sent_},
          {"unauthorized_sent_by_service", nlohmann::json(unauthorized_sent_by_service_)},
          {"upgrades_authenticated", nlohmann::json(upgrades_authenticated_)},
          {"upgrades_preemptive", upgrades_preemptive_},
          {"emulated_sessions_created", emulated_sessions_created},
          {"emulated_sessions_open", emulated_sessions_open},
          {"emulated_downstream_requests", emulated_downstream_requests},
          {"emulated_poll_downstreams", emulated_poll_downstreams},
          {"emulated_upstream_requests", emulated_upstream_requests},
          {"emulated_upstream_connections", emulated_upstream_connections},
          {"emulated_frames_retransmitted", emulated_frames_retransmitted},
          {"emulated_duplicate_frames_dropped", emulated_duplicate_frames_dropped},
          {"emulated_frames_replied", emulated_frames_replied},
          {"emulated_frames_replied_again", emulated_frames_replied_again},
          {"emulated_requests_authenticated", nlohmann::json(emulated_requests_authenticated_)},
          {"downstream_takeovers_refused", downstream_takeovers_refused},
          {"emulated_sessions_expired", emulated_sessions_expired},
          {"emulated_unacknowledged_bytes", emulated_unacknowledged_bytes},
          {"emulated_sessions_over_buffer", emulated_sessions_over_buffer},
          {"revalidation_requests", revalidation_requests},
          {"revalidations_succeeded", revalidations_succeeded},
          {"revalidations_failed", revalidations_failed},
          {"revalidation_deadlines_expired", revalidation_deadlines_expired},
          {"revalidation_results", nlohmann::json(revalidation_results)},
          {"operations_denied", nlohmann::json(operations_denied)},
          {"authorization_changes_sent", authorization_changes_sent},
          {"credentials_received_by_path", nlohmann::json(credentials_received_by_path)},
          {"resumable_sessions_open", resumable_sessions_open},
          {"sessions_resumed", sessions_resumed},
          {"resumes_refused", nlohmann::json(resumes_refused)},
          {"acks_sent", acks_sent},
          {"acks_received", acks_received},
          {"messages_replayed", messages_replayed},
          {"resume_unacknowledged_messages", resume_unacknowledged_messages},
          {"resume_unacknowledged_bytes", resume_unacknowledged_bytes},
          {"resume_sessions_over_buffer", resume_sessions_over_buffer},
          {"upgrades_hung", upgrades_hung},
          {"control_actions", nlohmann::json(control_actions)},
          {"requests_by_user_agent", nlohmann::json(requests_by_user_agent)}};
}

}  // namespace tether::gateway
